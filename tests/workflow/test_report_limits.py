"""Reports fit where they go: a pull-request comment, a job summary, code scanning, annotations.

Each report keeps the most severe findings, stays inside GitHub's documented limits and ends by
saying what it left out and where to see it.
"""

from __future__ import annotations

import json

from tests.sarif_check import validate_sarif


def _many_policies(high: int, low: int) -> str:
    """``high`` customer policies allowing everything (AWS-IAM-001, high) and ``low`` users with
    policies attached directly (AWS-IAM-002, low), written as a platform team would."""
    blocks = []
    for n in range(high):
        blocks.append(
            f'resource "aws_iam_policy" "admin_{n:03d}" {{\n'
            f'  name   = "team-{n:03d}-admin"\n'
            "  policy = jsonencode({\n"
            '    Version   = "2012-10-17"\n'
            '    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]\n'
            "  })\n"
            "}\n"
        )
    for n in range(low):
        blocks.append(
            f'resource "aws_iam_user" "dev_{n:03d}" {{\n  name = "dev-{n:03d}"\n}}\n'
            f'resource "aws_iam_user_policy_attachment" "dev_{n:03d}" {{\n'
            f"  user       = aws_iam_user.dev_{n:03d}.name\n"
            '  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"\n'
            "}\n"
        )
    return "\n".join(blocks)


SELECT = ("--select", "AWS-IAM-001,AWS-IAM-002")


def test_markdown_stays_within_the_budget_most_severe_first(project) -> None:
    project.write({"iam/main.tf": _many_policies(high=30, low=30)})
    full = project.run("scan", ".", "--format", "markdown", *SELECT, "--max-chars", "1000000").stdout
    assert full.count("| 🟠 high | AWS-IAM-001 |") == 30 and full.count("| 🔵 low | AWS-IAM-002 |") == 30
    assert "Left out" not in full
    cut = project.run("scan", ".", "--format", "markdown", *SELECT, "--max-chars", "3500").stdout
    assert len(cut.encode("utf-8")) <= 3500
    # the summary and the checklist table are always there
    assert cut.startswith("## iamready\n\n**60 findings** (30 high, 30 low).\n")
    assert "| 2.5 Grant least privilege | 30 |" in cut
    shown_high = cut.count("| 🟠 high | AWS-IAM-001 |")
    assert 0 < shown_high < 30 and "| 🔵 low | AWS-IAM-002" not in cut  # most severe first
    last = cut.rstrip("\n").splitlines()[-1]
    assert last.startswith(f"**Left out to stay within 3,500 characters:** {60 - shown_high} finding(s) ")
    assert f"({30 - shown_high} high, 30 low)" in last
    assert "SARIF report" in last and "--format text" in last and "--max-chars 1000000" in last


def test_markdown_default_budget_is_a_pull_request_comment(project) -> None:
    project.write({"iam/main.tf": _many_policies(high=200, low=200)})
    text = project.run("scan", ".", "--format", "markdown", *SELECT).stdout
    assert len(text) <= 65_536 and len(text.encode("utf-8")) <= 65_536
    assert "**Left out to stay within 65,536 characters:**" in text
    bad = project.run("scan", ".", "--format", "markdown", "--max-chars", "10", *SELECT)
    assert bad.exit_code == 2 and "--max-chars" in bad.stderr


def test_markdown_budget_from_the_config_file(project) -> None:
    project.write({"iam/main.tf": _many_policies(high=30, low=0), ".iamready.toml": "max-chars = 2500\n"})
    text = project.run("scan", ".", "--format", "markdown", *SELECT).stdout
    assert len(text.encode("utf-8")) <= 2500 and "within 2,500 characters" in text


def test_markdown_cuts_notes_and_suppressed_after_findings(project) -> None:
    project.write({"iam/main.tf": _many_policies(high=5, low=0)})
    assert project.run("scan", ".", *SELECT, "--write-baseline", "b.json").exit_code == 0
    project.write({"iam/more.tf": _many_policies(high=40, low=0).replace("admin_", "more_")})
    text = project.run(
        "scan", ".", "--format", "markdown", *SELECT, "--baseline", "b.json", "--max-chars", "5000"
    ).stdout
    assert "**40 findings** (40 high), 5 suppressed (5 by the baseline)." in text
    assert "suppressed finding(s)" in text.splitlines()[-1]  # the suppressed table did not fit: said so


def test_sarif_uris_are_relative_to_the_repository_root(project, monkeypatch) -> None:
    project.write({"infra/iam/main.tf": _many_policies(high=1, low=0), "infra/live/readme.txt": "x\n"})
    monkeypatch.chdir(project.root / "infra" / "live")  # `iamready scan ..` from a sub-directory
    log = json.loads(project.run("scan", "..", "--format", "sarif", *SELECT).stdout)
    validate_sarif(log)
    run = log["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "infra/iam/main.tf", "uriBaseId": "%SRCROOT%"}
    assert set(run["originalUriBaseIds"]) == {"%SRCROOT%"}
    # --base-dir overrides the repository root
    log = json.loads(project.run("scan", "..", "--format", "sarif", "--base-dir", "..", *SELECT).stdout)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "iam/main.tf", "uriBaseId": "%SRCROOT%"}


def test_sarif_file_outside_the_base_gets_an_absolute_file_uri(project, tmp_path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "main.tf").write_text(_many_policies(high=1, low=0), encoding="utf-8")
    log = json.loads(project.run("scan", str(outside), "--format", "sarif", "--base-dir", ".", *SELECT).stdout)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "file://" + str(outside / "main.tf")}


def test_sarif_keeps_the_most_severe_within_the_result_and_size_limits(project, monkeypatch) -> None:
    from iamready.reporters import sarif

    project.write({"iam/main.tf": _many_policies(high=5, low=20)})
    monkeypatch.setattr(sarif, "MAX_RESULTS", 10)
    log = json.loads(project.run("scan", ".", "--format", "sarif", *SELECT).stdout)
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert len(results) == 10
    assert sum(r["ruleId"] == "AWS-IAM-001" for r in results) == 5  # every high one kept
    notes = [n["message"]["text"] for n in log["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert any(
        n.startswith("15 of 25 results were left out (15 low): GitHub code scanning accepts at most 10 results")
        for n in notes
    )
    monkeypatch.setattr(sarif, "MAX_RESULTS", 25_000)
    whole = project.run("scan", ".", "--format", "sarif", *SELECT).stdout
    monkeypatch.setattr(sarif, "MAX_BYTES", len(whole.encode()) - 1)
    text = project.run("scan", ".", "--format", "sarif", *SELECT).stdout
    assert len(text.encode()) <= sarif.MAX_BYTES
    log = json.loads(text)
    validate_sarif(log)
    kept = log["runs"][0]["results"]
    assert 0 < len(kept) < 25 and sum(r["ruleId"] == "AWS-IAM-001" for r in kept) == 5
    notes = [n["message"]["text"] for n in log["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert any("results were left out" in n and "10 MB per file" in n for n in notes)


def test_github_annotations_stop_at_the_per_step_limits(project) -> None:
    project.write({"iam/main.tf": _many_policies(high=12, low=15)})
    lines = project.run("scan", ".", "--format", "github", *SELECT).stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    errors = [c for c in commands if c.startswith("::error ")]
    notices = [c for c in commands if c.startswith("::notice ")]
    assert len(errors) == 10 and len(notices) == 10  # 10 of each level per step, the closing notice included
    assert all("AWS-IAM-001" in c for c in errors)
    assert commands[-1].startswith("::notice title=iamready%3A more findings::")
    assert "8 more finding(s) and note(s) are not annotated" in commands[-1]
    plain = [line for line in lines if not line.startswith("::")]
    assert plain[0] == "iamready: 8 more, not annotated (GitHub shows 10 of each level per step):"
    assert len(plain) == 9 and sum(" high AWS-IAM-001 " in p for p in plain) == 2  # listed in the log


def test_github_annotations_all_shown_below_the_limits(project) -> None:
    project.write({"iam/main.tf": _many_policies(high=3, low=2)})
    lines = project.run("scan", ".", "--format", "github", *SELECT).stdout.splitlines()
    assert len(lines) == 5 and all(line.startswith("::") for line in lines)
