"""The scan command end to end: exit codes, formats, selection and gating, several reports, pre-commit semantics."""

from __future__ import annotations

import json
import time

import pytest

from iamready.config import Config
from iamready.engine import scan
from iamready.loader import load_rules
from iamready.registry import select
from tests.sarif_check import validate_sarif
from tests.workflow.conftest import ADMIN_TF, findings

CLEAN_TF = """\
resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
"""

K8S_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
"""


def test_exit_0_without_findings_1_with_findings(project) -> None:
    project.write({"clean/main.tf": CLEAN_TF, "admin/main.tf": ADMIN_TF})
    assert project.run("scan", "clean").exit_code == 0
    assert project.run("scan", "admin").exit_code == 1


def test_exit_2_for_usage_errors_and_nothing_to_scan(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    missing = project.run("scan", "does-not-exist")
    assert missing.exit_code == 2
    assert "does-not-exist" in missing.stderr and "path does not exist" in missing.stderr
    assert project.run("scan", ".", "--fail-on", "severe").exit_code == 2
    assert project.run("scan", ".", "--format", "xml").exit_code == 2
    bad_report = project.run("scan", ".", "--report", "xml=out.xml")
    assert bad_report.exit_code == 2
    assert "expected FORMAT=FILE with FORMAT one of" in bad_report.stderr


@pytest.mark.parametrize(("fail_on", "code"), [("critical", 0), ("high", 1), ("medium", 1), ("low", 1), ("info", 1)])
def test_fail_on_gates_by_severity(project, fail_on, code) -> None:
    project.write({"main.tf": ADMIN_TF})  # two high findings
    assert project.run("scan", ".", "--fail-on", fail_on).exit_code == code


def test_fail_on_counts_only_unsuppressed_findings(project) -> None:
    text = ADMIN_TF.replace(
        '  policy_arn = "arn', '  # iamready:ignore[AWS-IAM-001] platform admins\n  policy_arn = "arn'
    )
    text = text.replace("  statement {", "  # iamready:ignore[AWS-IAM-001] break-glass\n  statement {")
    project.write({"main.tf": text})
    assert project.run("scan", ".").exit_code == 0


def test_severity_selects_rules_at_or_above(project) -> None:
    text = ADMIN_TF.replace('  policy_arn = "arn', '  # iamready:ignore[AWS-IAM-001]\n  policy_arn = "arn')
    project.write({"main.tf": text})
    _, low = project.json(".")
    assert {r["rule_id"] for r in low["results"]} == {"AWS-IAM-001", "IAC-SUPPRESS-002"}
    _, high = project.json(".", "--severity", "high")
    assert {r["rule_id"] for r in high["results"]} == {"AWS-IAM-001"}  # the low meta rule did not run
    code, critical = project.json(".", "--severity", "critical")
    assert (code, critical["results"]) == (0, [])


def test_select_by_prefix_and_by_id(project) -> None:
    project.write({"main.tf": ADMIN_TF.replace("  statement {", "  # iamready:ignore[AWS-IAM-001]\n  statement {")})
    _, by_prefix = project.json(".", "--select", "AWS-IAM")
    ids = {r["rule_id"] for r in by_prefix["results"]}
    assert "AWS-IAM-001" in ids and all(i.startswith("AWS-IAM-") for i in ids)
    _, meta_only = project.json(".", "--select", "IAC-SUPPRESS")
    assert [r["rule_id"] for r in meta_only["results"]] == ["IAC-SUPPRESS-002"]  # AWS-IAM-001 did not run
    _, ignored = project.json(".", "--select", "AWS-IAM-001,IAC", "--ignore", "IAC-SUPPRESS-002")
    assert [r["rule_id"] for r in ignored["results"]] == ["AWS-IAM-001", "AWS-IAM-001"]


def test_select_by_checklist_item(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    _, data = project.json(".", "--checklist", "2.5", select=False)
    assert "AWS-IAM-001" in {r["rule_id"] for r in data["results"]}
    assert all("2.5" in r["checklist"] for r in data["results"])
    expected = {m.id for m in select(load_rules(), checklist=["2.5"])}
    assert "AWS-IAM-001" in expected and not any(i.startswith("IAC-") for i in expected)
    wrong = project.run("scan", ".", "--checklist", "9.9", select=False)
    assert wrong.exit_code == 2
    assert wrong.stderr == "iamready: error: --checklist: no rule enforces checklist item '9.9'\n"


def test_every_format(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    sarif = project.run("scan", ".", "--format", "sarif")
    validate_sarif(json.loads(sarif.stdout))
    github = project.run("scan", ".", "--format", "github").stdout.splitlines()
    assert github[0].startswith("::error file=main.tf,line=2,endLine=6,title=AWS-IAM-001 ")
    assert github[0].endswith(
        "::aws_iam_policy.admin: statement 'Everything' allows every action (*) on every resource (*)"
    )
    markdown = project.run("scan", ".", "--format", "markdown").stdout
    assert markdown.startswith("## iamready\n\n**2 findings** (2 high).\n")
    gitlab = json.loads(project.run("scan", ".", "--format", "gitlab").stdout)
    assert [(i["check_name"], i["severity"], i["location"]) for i in gitlab] == [
        ("AWS-IAM-001", "critical", {"path": "main.tf", "lines": {"begin": 2, "end": 6}}),
        ("AWS-IAM-001", "critical", {"path": "main.tf", "lines": {"begin": 28, "end": 28}}),
    ]
    assert len({i["fingerprint"] for i in gitlab}) == 2
    project.write({"broken.tf": 'resource "aws_iam_role" "x" {\n'})
    gitlab = json.loads(project.run("scan", ".", "--format", "gitlab").stdout)
    assert [(i["check_name"], i["severity"], i["location"]["path"]) for i in gitlab][-1] == (
        "iamready/parse-error",
        "major",
        "broken.tf",
    )
    checklist = project.run("scan", ".", "--format", "checklist").stdout
    assert "1 notification(s); these parts were not fully checked:\n  broken.tf:" in checklist
    assert "2.5    failed" in checklist
    text = project.run("scan", ".", "--format", "text", "--no-color").stdout
    assert text.startswith("main.tf\nmain.tf:2:3: high     AWS-IAM-001 aws_iam_policy.admin:")


def test_reports_are_written_where_asked(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    (project.root / "out").mkdir()
    result = project.run(
        "scan",
        ".",
        "--format",
        "text",
        "--no-color",
        "--report",
        "sarif=out/iamready.sarif",
        "--report",
        "markdown=summary.md",
        "--report",
        "json=report.json",
    )
    assert result.exit_code == 1
    log = json.loads(project.read("out/iamready.sarif"))
    validate_sarif(log)
    report = json.loads(project.read("report.json"))
    assert [r["fingerprint"] for r in report["results"]] == [
        r["partialFingerprints"]["iamready/v1"] for r in log["runs"][0]["results"]
    ]
    assert project.read("summary.md").startswith("## iamready\n")


def test_unwritable_report_is_exit_2(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    result = project.run("scan", ".", "--report", "sarif=missing-dir/x.sarif")
    assert result.exit_code == 2
    assert "iamready: error: missing-dir/x.sarif: cannot write report: No such file or directory" in result.stderr


# -- pre-commit semantics: named files are reported, their whole module is parsed ----------------
MODULE = {
    "iam/variables.tf": """\
variable "admin_policy_arn" {
  type    = string
  default = "arn:aws:iam::aws:policy/AdministratorAccess"
}
""",
    "iam/policy.tf": """\
data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
""",
    "iam/roles.tf": """\
resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = data.aws_iam_policy_document.admin.json
}

resource "aws_iam_role_policy_attachment" "ops" {
  role       = "ops"
  policy_arn = var.admin_policy_arn
}
""",
}


def test_named_files_report_only_their_own_findings(project) -> None:
    project.write(MODULE)
    _, whole = project.json("iam")
    assert findings(whole) == [("iam/policy.tf", 2, "AWS-IAM-001"), ("iam/roles.tf", 8, "AWS-IAM-001")]
    # roles.tf alone: the variable default in variables.tf is still read (the module is parsed whole)
    code, roles = project.json("iam/roles.tf")
    assert findings(roles) == [("iam/roles.tf", 8, "AWS-IAM-001")]
    assert code == 1
    _, policy = project.json("iam/policy.tf")
    assert findings(policy) == [("iam/policy.tf", 2, "AWS-IAM-001")]
    code, variables = project.json("iam/variables.tf")
    assert (code, findings(variables)) == (0, [])


def test_files_iamready_does_not_read_are_skipped_quietly(project) -> None:
    project.write({"deploy/web.yaml": K8S_YAML, "package.json": '{"name": "web"}\n', "iam/main.tf": ADMIN_TF})
    result = project.run("scan", "deploy/web.yaml", "package.json", "--no-color")
    assert result.exit_code == 0
    assert result.stderr == ""
    code, data = project.json("deploy/web.yaml", "iam/main.tf")
    assert (code, findings(data)) == (1, [("iam/main.tf", 2, "AWS-IAM-001"), ("iam/main.tf", 28, "AWS-IAM-001")])


def test_one_file_of_a_large_repository_parses_one_module(project) -> None:
    for index in range(60):
        project.write({f"stacks/s{index:02d}/main.tf": ADMIN_TF.replace('"platform-admin"', f'"admin-{index}"')})
    rules = select(load_rules(), select=["AWS-IAM-001", "IAC-SUPPRESS"])
    started = time.perf_counter()
    one = scan(Config(paths=("stacks/s07/main.tf",), cwd=str(project.root)), rules)
    elapsed = time.perf_counter() - started
    assert one.stats["terraform_modules"] == 1
    assert one.stats["resources"] == 4
    assert [(one.relpath(r.span.path), r.span.start_line) for r in one.results] == [
        ("stacks/s07/main.tf", 2),
        ("stacks/s07/main.tf", 28),
    ]
    everything = scan(Config(paths=(".",), cwd=str(project.root)), rules)
    assert everything.stats["terraform_modules"] == 60 and len(everything.results) == 120
    assert elapsed < 10, f"one file took {elapsed:.1f}s"


def test_explain_a_suppression_rule(project) -> None:
    result = project.run("explain", "IAC-SUPPRESS-001")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "# IAC-SUPPRESS-001 iac-suppress-unused\n\n**Suppression comment or metadata matches no finding**\n\n"
        "- severity: low\n- checklist: none (a rule about iamready suppressions)\n"
    )
    assert "## Noncompliant: `fail.tf`" in result.stdout
    assert "# iamready:ignore[AWS-IAM-001] reporting jobs needed admin" in result.stdout


def test_a_directory_with_nothing_to_scan_is_exit_2_and_says_what_was_skipped(project) -> None:
    """The README promises exit 2 when nothing could be scanned: a directory holding only docs is that."""
    project.write({"docs/README.md": "# Infrastructure\n", "docs/diagram.png": "\x89PNG\r\n", "docs/NOTICE": "x\n"})
    result = project.run("scan", "docs")
    assert result.exit_code == 2
    assert result.stderr == (
        "iamready: nothing could be scanned: no Terraform, CloudFormation or plan file under docs "
        "(0 files scanned, 3 skipped (1 .md, 1 .png, 1 without extension))\n"
    )
    assert "checklist: 0 item(s) failed, 0 passed" in result.stdout  # nothing passes without being checked


def test_the_file_count_counts_what_was_scanned(project) -> None:
    project.write(
        {
            "main.tf": ADMIN_TF,
            "README.md": "# IAM\n",
            "architecture.png": "\x89PNG\r\n",
            ".github/workflows/ci.yaml": "on: push\njobs: {}\n",
        }
    )
    result = project.run("scan", ".", "--no-color")
    assert result.stdout.splitlines()[-2].endswith(
        "; 1 file scanned, 3 skipped (1 .md, 1 .png, 1 YAML/JSON, not CloudFormation or a plan)"
    )


def test_named_files_that_are_not_infrastructure_code_are_not_an_error(project) -> None:
    """The pre-commit hook passes the changed YAML and JSON files: a workflow file alone is fine."""
    project.write({"main.tf": ADMIN_TF, "ci.yaml": "on: push\njobs: {}\n"})
    result = project.run("scan", "ci.yaml")
    assert result.exit_code == 0, result.output


def test_terraform_findings_never_show_cloudformation_syntax_for_the_account(project) -> None:
    project.write(
        {
            "main.tf": """\
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "ops" {
  name               = "ops"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}

resource "aws_iam_role_policy" "ops" {
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iam:PassRole"
      Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/*"
    }]
  })
}
"""
        }
    )
    text = project.run("scan", ".", "--select", "AWS-IAM-030", "--no-color").stdout
    assert "arn:aws:iam::<account id>:role/*" in text and "AWS::" not in text
    review = project.run("permissions", ".").stdout
    assert "arn:aws:iam::<account id>:role/*" in review and "AWS::" not in review


def test_rules_table_stays_aligned_for_long_ids(project) -> None:
    lines = project.run("rules").stdout.splitlines()
    header = lines[0]
    columns = [header.index(name) for name in ("SEVERITY", "CHECKLIST", "NAME", "TITLE")]
    long_ids = [line for line in lines[1:] if line.split()[0] in ("AWS-BASELINE-001", "IAC-SUPPRESS-001")]
    assert long_ids
    severity, _checklist, name, _ = columns
    for line in lines[1:]:
        assert all(line[c - 1] == " " for c in columns[:3]), line  # every column starts after a space
        assert line[severity] != " " and line[name] != " ", line  # and its value starts there


def test_explain_and_the_suppression_parser_suggest_the_same_id(project) -> None:
    explained = project.run("explain", "AWS-IAM-01")
    assert explained.exit_code == 2
    assert "did you mean AWS-IAM-001?" in explained.stderr
    project.write({"main.tf": "# iamready:ignore[AWS-IAM-01] typo\n" + ADMIN_TF})
    _, data = project.json(".")
    assert any("did you mean AWS-IAM-001?" in n["message"] for n in data["notifications"])


def test_explain_pages_on_a_terminal_like_git(project, monkeypatch) -> None:
    from iamready import cli

    monkeypatch.setattr(cli, "_stdout_is_terminal", lambda: True)
    paged = project.root / "paged.txt"
    result = project.run("explain", "AWS-IAM-001", env={"PAGER": f"cat > '{paged}'", "IAMREADY_PAGER": None})
    assert result.exit_code == 0
    assert result.stdout == ""  # everything went to the pager
    assert paged.read_text(encoding="utf-8").startswith("# AWS-IAM-001")
    direct = project.run("explain", "AWS-IAM-001", "--no-pager", env={"PAGER": f"cat > '{paged}.2'"})
    assert direct.stdout.startswith("# AWS-IAM-001") and not (project.root / "paged.txt.2").exists()
    to_file = project.run("explain", "AWS-IAM-001", "-o", "rule.md")
    assert to_file.stdout == "" and project.read("rule.md").startswith("# AWS-IAM-001")


def test_checklist_details_name_only_the_rules_that_failed(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    out = project.run("scan", ".", "--format", "checklist", select=False).stdout
    row = next(line for line in out.splitlines() if line.startswith("2.5 "))
    failed = row.split(": ", 1)[1].split(", ")
    from iamready.loader import load_rules

    enforcing = [m.id for m in load_rules() if "2.5" in m.checklist]
    assert len(enforcing) > len(failed) and "AWS-IAM-001" in failed
    data = project.json(".", select=False)[1]
    assert set(failed) == {r["rule_id"] for r in data["results"] if "2.5" in r["checklist"]}
