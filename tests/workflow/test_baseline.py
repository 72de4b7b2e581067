"""Baselines: write, then report only new findings; file-aware, line-move proof, stable, strict about input."""

from __future__ import annotations

import json
import os

import pytest

from tests.workflow.conftest import ADMIN_TF, by_rule, findings

USER_TF = """\
resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy_attachment" "ci_admin" {
  user       = aws_iam_user.ci.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""


def _baseline(project, name: str = "baseline.json", *args: str) -> dict:
    result = project.run("scan", ".", "--select", "AWS-IAM-001", "--write-baseline", name, *args)
    assert result.exit_code == 0, result.output
    return json.loads(project.read(name))


def test_write_then_scan_reports_only_new_findings(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    data = _baseline(project)
    assert data == {
        "tool": "iamready",
        "version": 2,
        "findings": [
            {
                "rule_id": "AWS-IAM-001",
                "path": "main.tf",
                "resource": "aws_iam_policy.admin",
                "key": "policy#Everything",
                "found": "'Everything' *",
                "message": "aws_iam_policy.admin: statement 'Everything' allows every action (*) on every resource (*)",
            },
            {
                "rule_id": "AWS-IAM-001",
                "path": "main.tf",
                "resource": "aws_iam_role_policy_attachment.ops_admin",
                "key": "policy_arn#0",
                "found": "AdministratorAccess",
                "message": "aws_iam_role_policy_attachment.ops_admin: attaches AWS managed policy AdministratorAccess, "
                "which allows every action on every resource",
            },
        ],
    }
    code, report = project.json(".", "--select", "AWS-IAM-001", "--baseline", "baseline.json")
    assert code == 0
    assert findings(report, suppressed=False) == []
    assert [r["suppressed"] for r in report["results"]] == [
        {"kind": "external", "source": "baseline", "reason": "baseline baseline.json", "location": None}
    ] * 2
    project.write({"iam.tf": USER_TF})
    code, report = project.json(".", "--select", "AWS-IAM-001", "--baseline", "baseline.json")
    assert code == 1
    assert findings(report, suppressed=False) == [("iam.tf", 7, "AWS-IAM-001")]
    assert report["baseline_missing"] == []


def test_writing_a_baseline_exits_zero_and_says_how_many(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    result = project.run("scan", ".", "--select", "AWS-IAM-001", "--write-baseline", "b.json")
    assert result.exit_code == 0
    assert "iamready: wrote 2 finding(s) to baseline b.json" in result.stderr


def test_a_finding_moved_to_another_line_stays_baselined(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    _baseline(project)
    moved = '# IAM for the platform team\n\nlocals {\n  team = "platform"\n}\n\n' + ADMIN_TF.replace(
        'name   = "platform-admin"', 'name   = "platform-admin"\n  path   = "/platform/"'
    )
    project.write({"main.tf": moved})
    code, report = project.json(".", "--select", "AWS-IAM-001", "--baseline", "baseline.json")
    assert findings(report) == [("main.tf", 8, "AWS-IAM-001"), ("main.tf", 35, "AWS-IAM-001")]
    assert findings(report, suppressed=False) == []
    assert code == 0


DEPLOY_TF = """\
resource "aws_iam_user" "deploy" {
  name = "deploy"
}

resource "aws_iam_user_policy" "deploy" {
  user = aws_iam_user.deploy.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ManageUsers"
      Effect   = "Allow"
      Action   = ["iam:CreateAccessKey"]
      Resource = "*"
    }]
  })
}
"""


def test_a_widened_grant_is_new_while_a_moved_one_stays_baselined(project) -> None:
    """The baseline records what was found: adding iam:PutUserPolicy to a baselined statement is a
    new finding; the same statement moved down the file is not."""
    project.write({"iam.tf": DEPLOY_TF})
    select = ("--select", "AWS-IAM-020,AWS-IAM-041")
    assert project.run("scan", ".", *select, "--write-baseline", "b.json").exit_code == 0
    recorded = json.loads(project.read("b.json"))["findings"]
    assert recorded and all("iam:CreateAccessKey" in e["found"] for e in recorded if "CreateAccessKey" in e["message"])
    project.write({"iam.tf": "# deploy user for the release pipeline\n\n" + DEPLOY_TF})
    code, report = project.json(".", *select, "--baseline", "b.json")
    assert code == 0 and findings(report, suppressed=False) == [] and report["baseline_missing"] == []
    widened = DEPLOY_TF.replace('["iam:CreateAccessKey"]', '["iam:CreateAccessKey", "iam:PutUserPolicy"]')
    project.write({"iam.tf": widened})
    code, report = project.json(".", *select, "--baseline", "b.json")
    assert code == 1
    new = [r for r in report["results"] if "suppressed" not in r]
    assert new and all("iam:PutUserPolicy" in r["message"] for r in new)


def test_a_version_1_baseline_still_matches_by_statement(project) -> None:
    """Baselines written before 'found' existed keep working (matched as before) until regenerated."""
    project.write({"main.tf": ADMIN_TF})
    _baseline(project)
    data = json.loads(project.read("baseline.json"))
    data["version"] = 1
    for entry in data["findings"]:
        del entry["found"]
        entry["message"] = "worded differently by an older iamready"
    project.write({"old.json": json.dumps(data)})
    code, report = project.json(".", "--select", "AWS-IAM-001", "--baseline", "old.json")
    assert code == 0 and findings(report, suppressed=False) == [] and report["baseline_missing"] == []
    assert (
        project.run(
            "scan", ".", "--select", "AWS-IAM-001", "--baseline", "old.json", "--write-baseline", "old.json"
        ).exit_code
        == 0
    )
    assert json.loads(project.read("old.json"))["version"] == 2


def test_the_same_finding_in_another_file_is_new(project) -> None:
    project.write({"dev/main.tf": ADMIN_TF})
    _baseline(project)
    project.write({"prod/main.tf": ADMIN_TF})  # same resources, same addresses, another module
    code, report = project.json(".", "--select", "AWS-IAM-001", "--baseline", "baseline.json")
    assert findings(report, suppressed=False) == [
        ("prod/main.tf", 2, "AWS-IAM-001"),
        ("prod/main.tf", 28, "AWS-IAM-001"),
    ]
    assert findings(report, suppressed=True) == [("dev/main.tf", 2, "AWS-IAM-001"), ("dev/main.tf", 28, "AWS-IAM-001")]
    assert code == 1


def test_a_resource_moved_to_another_file_is_new(project) -> None:
    head, tail = ADMIN_TF.split('resource "aws_iam_role" "ops"')
    project.write({"main.tf": ADMIN_TF})
    _baseline(project)
    project.write({"main.tf": head, "ops.tf": 'resource "aws_iam_role" "ops"' + tail})
    _, report = project.json(".", "--select", "AWS-IAM-001", "--baseline", "baseline.json")
    assert findings(report, suppressed=False) == [("ops.tf", 15, "AWS-IAM-001")]
    assert [(e["path"], e["resource"]) for e in report["baseline_missing"]] == [
        ("main.tf", "aws_iam_role_policy_attachment.ops_admin")
    ]


DUPLICATE_SID_TF = """\
resource "aws_iam_role_policy" "migration" {
  name = "migration"
  role = "migration"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "All", Effect = "Allow", Action = "*", Resource = "*" },
    ]
  })
}
"""


def test_a_second_identical_finding_needs_a_second_entry(project) -> None:
    project.write({"main.tf": DUPLICATE_SID_TF})
    data = _baseline(project)
    assert [e["key"] for e in data["findings"]] == ["policy#All"]
    doubled = DUPLICATE_SID_TF.replace(
        '      { Sid = "All", Effect = "Allow", Action = "*", Resource = "*" },\n',
        '      { Sid = "All", Effect = "Allow", Action = "*", Resource = "*" },\n' * 2,
    )
    project.write({"main.tf": doubled})
    _, report = project.json(".", "--select", "AWS-IAM-001", "--baseline", "baseline.json")
    assert findings(report, suppressed=True) == [("main.tf", 7, "AWS-IAM-001")]
    assert findings(report, suppressed=False) == [("main.tf", 8, "AWS-IAM-001")]


def test_entries_that_no_longer_occur_are_listed_in_text_and_json(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    _baseline(project)
    project.write({"main.tf": ADMIN_TF.replace("AdministratorAccess", "ReadOnlyAccess")})
    code, report = project.json(".", "--select", "AWS-IAM-001", "--baseline", "baseline.json")
    assert code == 0
    assert report["baseline_missing"] == [
        {
            "rule_id": "AWS-IAM-001",
            "path": "main.tf",
            "resource": "aws_iam_role_policy_attachment.ops_admin",
            "key": "policy_arn#0",
            "found": "AdministratorAccess",
            "message": "aws_iam_role_policy_attachment.ops_admin: attaches AWS managed policy AdministratorAccess, "
            "which allows every action on every resource",
        }
    ]
    text = project.run("scan", ".", "--select", "AWS-IAM-001", "--baseline", "baseline.json", "--no-color")
    assert (
        "Baseline entries no longer found (the baseline can shrink):\n"
        "main.tf: AWS-IAM-001 aws_iam_role_policy_attachment.ops_admin (policy_arn#0)\n"
    ) in text.stdout
    assert (
        "iamready: 1 baseline entry no longer occurs; shrink the baseline with --baseline baseline.json "
        "--write-baseline baseline.json"
    ) in text.stderr


def test_entries_for_rules_or_files_outside_this_scan_are_not_missing(project) -> None:
    project.write({"a/main.tf": ADMIN_TF, "b/main.tf": USER_TF})
    _baseline(project)
    _, report = project.json("a", "--select", "AWS-IAM-001", "--baseline", "baseline.json")
    assert report["baseline_missing"] == []  # b/ was not scanned
    _, report = project.json("a/main.tf", "--select", "AWS-IAM-001", "--baseline", "baseline.json")
    assert report["baseline_missing"] == []  # pre-commit style: only a/main.tf reported
    _, report = project.json(".", "--select", "AWS-IAM-002", "--baseline", "baseline.json")
    assert report["baseline_missing"] == []  # AWS-IAM-001 did not run


def test_a_deleted_file_makes_its_entries_missing(project) -> None:
    project.write({"a/main.tf": ADMIN_TF, "b/main.tf": USER_TF})
    _baseline(project)
    os.remove(project.root / "b" / "main.tf")
    _, report = project.json(".", "--select", "AWS-IAM-001", "--baseline", "baseline.json")
    assert [(e["path"], e["resource"]) for e in report["baseline_missing"]] == [
        ("b/main.tf", "aws_iam_user_policy_attachment.ci_admin")
    ]


def test_regenerating_is_byte_stable_and_updates_in_place(project) -> None:
    project.write({"main.tf": ADMIN_TF, "iam.tf": USER_TF})
    _baseline(project, "one.json")
    _baseline(project, "two.json")
    assert project.read("one.json") == project.read("two.json")
    text = project.read("one.json")
    assert text.endswith("}\n") and '"line' not in text
    # refreshing with the old baseline keeps what is still there, adds new ones, drops fixed ones
    project.write({"iam.tf": USER_TF.replace("AdministratorAccess", "ReadOnlyAccess")})
    result = project.run(
        "scan", ".", "--select", "AWS-IAM-001", "--baseline", "one.json", "--write-baseline", "one.json"
    )
    assert result.exit_code == 0
    assert [e["resource"] for e in json.loads(project.read("one.json"))["findings"]] == [
        "aws_iam_policy.admin",
        "aws_iam_role_policy_attachment.ops_admin",
    ]


def test_baseline_paths_are_relative_to_the_baseline_file(project, monkeypatch) -> None:
    project.write({"infra/main.tf": ADMIN_TF})
    result = project.run("scan", "infra", "--select", "AWS-IAM-001", "--write-baseline", "infra/.baseline.json")
    assert result.exit_code == 0
    assert {e["path"] for e in json.loads(project.read("infra/.baseline.json"))["findings"]} == {"main.tf"}
    monkeypatch.chdir(project.root / "infra")  # run from elsewhere: still matches
    code, report = project.json(".", "--select", "AWS-IAM-001", "--baseline", ".baseline.json")
    assert (code, findings(report, suppressed=False)) == (0, [])


def test_baseline_from_the_config_file_is_relative_to_it(project) -> None:
    project.write({"main.tf": ADMIN_TF, "pyproject.toml": '[tool.iamready]\nbaseline = "ci/baseline.json"\n'})
    (project.root / "ci").mkdir()
    _baseline(project, "ci/baseline.json")
    code, report = project.json(".", "--select", "AWS-IAM-001")
    assert (code, findings(report, suppressed=False)) == (0, [])
    assert {r["suppressed"]["reason"] for r in report["results"]} == {"baseline ci/baseline.json"}


def test_meta_findings_can_be_baselined(project) -> None:
    project.write(
        {"main.tf": ADMIN_TF.replace('  policy_arn = "arn', '  # iamready:ignore[AWS-IAM-001]\n  policy_arn = "arn')}
    )
    result = project.run("scan", ".", "--write-baseline", "b.json")
    assert result.exit_code == 0
    assert [e["rule_id"] for e in json.loads(project.read("b.json"))["findings"]] == ["AWS-IAM-001", "IAC-SUPPRESS-002"]
    code, report = project.json(".", "--baseline", "b.json")
    assert code == 0
    assert by_rule(report, "IAC-SUPPRESS-002")[0]["suppressed"]["source"] == "baseline"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"version": 2, "findings": [], "failed_checks": []}',
            "b.json:1: not an iamready baseline (it looks like a Checkov baseline); write a new one with "
            "--write-baseline b.json",
        ),
        (
            '{\n  "results": {},\n  "plugins_used": []\n}',
            "b.json:1: not an iamready baseline (it looks like a detect-secrets baseline); write a new one with "
            "--write-baseline b.json",
        ),
        (
            '{\n  "tool": "iamready",\n  "version": 0,\n  "findings": []\n}',
            "b.json:3: format version 0 is not supported (this iamready reads version 2); write a new one with "
            "--write-baseline b.json",
        ),
        (
            '{\n  "tool": "iamready",\n  "version": 7,\n  "findings": []\n}',
            "b.json:3: format version 7 was written by a newer iamready; this one reads version 2; write a new one "
            "with --write-baseline b.json",
        ),
        (
            '{\n  "tool": "iamready",\n  "findings": []\n}',
            "b.json: format version None is not supported (this iamready reads version 2); write a new one with "
            "--write-baseline b.json",
        ),
        (
            '{\n  "tool": "iamready",\n  "version": 1,\n  "findings": [\n    {"rule_id": "AWS-IAM-001"}\n  ]\n}',
            "b.json:5: finding 1 has no 'path' text",
        ),
        (
            '{\n  "tool": "iamready",\n  "version": 1,\n  "findings": [,]\n}',
            "b.json:4:16: not a baseline: invalid JSON",
        ),
        ("[]", 'b.json:1: not an iamready baseline (expected a JSON object with "tool": "iamready")'),
        ("", "b.json: the baseline file is empty; write one with --write-baseline b.json"),
    ],
    ids=["checkov", "detect-secrets", "older", "newer", "no-version", "bad-entry", "invalid-json", "list", "empty"],
)
def test_bad_baseline_is_a_clear_error_with_exit_2(project, content, message) -> None:
    project.write({"main.tf": ADMIN_TF, "b.json": content})
    result = project.run("scan", ".", "--baseline", "b.json")
    assert result.exit_code == 2
    assert result.stdout == ""  # fails before scanning, prints no report
    assert result.stderr.startswith(f"iamready: error: {message}")


def test_unreadable_baseline_path_is_exit_2(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    result = project.run("scan", ".", "--baseline", "missing.json")
    assert result.exit_code == 2
    assert result.stderr == "iamready: error: missing.json: cannot read baseline: No such file or directory\n"
    (project.root / "adir").mkdir()
    result = project.run("scan", ".", "--baseline", "adir")
    assert result.exit_code == 2


def test_unwritable_baseline_is_exit_2(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    result = project.run("scan", ".", "--write-baseline", "no/such/dir/b.json")
    assert result.exit_code == 2
    assert "iamready: error: no/such/dir/b.json: cannot write baseline: No such file or directory" in result.stderr


def test_updating_from_a_partial_scan_keeps_what_it_did_not_cover(project) -> None:
    project.write({"a/main.tf": ADMIN_TF, "b/main.tf": USER_TF})
    _baseline(project)
    project.write({"a/main.tf": ADMIN_TF.replace("AdministratorAccess", "ReadOnlyAccess")})
    result = project.run(
        "scan", "a", "--select", "AWS-IAM-001", "--baseline", "baseline.json", "--write-baseline", "baseline.json"
    )
    assert result.exit_code == 0
    assert "iamready: wrote 2 finding(s) to baseline baseline.json" in result.stderr
    entries = json.loads(project.read("baseline.json"))["findings"]
    assert [(e["path"], e["resource"]) for e in entries] == [
        ("a/main.tf", "aws_iam_policy.admin"),  # still there
        ("b/main.tf", "aws_iam_user_policy_attachment.ci_admin"),  # not scanned: kept
    ]
    # named files (pre-commit style) update only those files, too
    project.write({"a/main.tf": project.read("a/main.tf").replace('actions   = ["*"]', 'actions   = ["s3:GetObject"]')})
    result = project.run(
        "scan",
        "a/main.tf",
        "--select",
        "AWS-IAM-001",
        "--baseline",
        "baseline.json",
        "--write-baseline",
        "baseline.json",
    )
    assert result.exit_code == 0
    entries = json.loads(project.read("baseline.json"))["findings"]
    assert [(e["path"], e["resource"]) for e in entries] == [("b/main.tf", "aws_iam_user_policy_attachment.ci_admin")]


def test_baselined_failures_are_not_passes_in_the_summary(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    _baseline(project)
    result = project.run("scan", ".", "--select", "AWS-IAM-001", "--baseline", "baseline.json", "--no-color")
    assert result.exit_code == 0  # the gate follows the findings the baseline does not record
    assert result.stdout.splitlines()[-1].startswith("checklist: 1 item(s) failed (1 baselined) (2.5), ")
    checklist = project.run(
        "scan", ".", "--select", "AWS-IAM-001", "--baseline", "baseline.json", "--format", "checklist"
    )
    row = next(line for line in checklist.stdout.splitlines() if line.startswith("2.5 "))
    assert "failed" in row and row.rstrip().endswith("0 finding(s) and 2 baselined: AWS-IAM-001")
