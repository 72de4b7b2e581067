"""Exit status stays meaningful under bad input, ``--strict`` turns any notification into 2, and a rule that
breaks on one resource is reported with its id and location while every other rule and resource goes on."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.hostile.conftest import CANARY_TF, CORPUS, Project, canary_hit

CLEAN_TF = """\
resource "aws_iam_user" "reader" {
  name = "reader"
}
"""


@pytest.mark.parametrize(
    ("case", "files"),
    [
        ("tf_truncated", ["broken.tf"]),
        ("tf_binary", ["logo.tf"]),
        ("tf_latin1", ["latin1.tf"]),
        ("cfn_yaml_truncated", ["stack.yaml"]),
        ("cfn_json_truncated", ["stack.json"]),
        ("cfn_alias_bomb", ["stack.yaml"]),
    ],
)
def test_nothing_could_be_scanned_is_exit_2(project: Project, case: str, files: list[str]) -> None:
    project.copy_case(case)
    outcome = project.scan(".")
    assert outcome.exit_code == 2
    assert "iamready: nothing could be scanned: no input file could be read and parsed" in outcome.stderr
    assert {n[2] for n in outcome.notes if n[1] == "error"} == set(files)  # the reasons are in the report


def test_a_parse_error_beside_findings_is_exit_1_and_hides_nothing(project: Project) -> None:
    project.copy_case("tf_truncated")
    project.copy_case("cfn_yaml_truncated")
    project.canary(cfn=True)
    outcome = project.scan(".")
    assert outcome.exit_code == 1
    assert outcome.findings == {canary_hit(), canary_hit(cfn=True)}
    assert {(n[2], n[3]) for n in outcome.notes} == {("broken.tf", 6), ("stack.yaml", 7)}


def test_a_parse_error_beside_clean_files_is_exit_0(project: Project) -> None:
    project.copy_case("tf_truncated")
    project.write({"clean.tf": CLEAN_TF})
    outcome = project.scan(".")
    assert outcome.exit_code == 0
    assert outcome.notes == {("parse-error", "error", "broken.tf", 6, "invalid HCL: unexpected end of file")}


def test_empty_and_unrelated_inputs_are_not_errors(project: Project) -> None:
    project.copy_case("tf_empty")
    project.write({"k8s.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"})
    outcome = project.scan(".")
    assert (outcome.exit_code, outcome.notes, outcome.findings) == (0, set(), set())


def test_wrong_invocations_are_exit_2(project: Project) -> None:
    project.canary()
    missing = project.scan("no-such-dir")
    assert missing.exit_code == 2
    assert "path does not exist" in missing.stderr
    extra = project.root.parent / "bad-rules" / "syntax"
    extra.mkdir(parents=True)
    (extra / "rule.py").write_text('"""Broken\n\n## Why is this bad?\nx\n"""\ndef (:\n', encoding="utf-8")
    broken = project.scan(".", "--extra-rules", str(extra.parent))
    assert broken.exit_code == 2
    assert "rule.py" in broken.stderr and "Traceback" not in broken.stderr


# -- --strict ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "level"),
    [
        ("tf_truncated", "error"),  # a parse error
        ("tf_policy_wrong_types", "warning"),  # a policy AWS would reject
        ("tf_file_outside", "note"),  # an unresolved value: a note is a notification too
        ("yaml_binary_unsniffed", "note"),  # a skipped file
    ],
)
def test_strict_turns_any_notification_into_exit_2(project: Project, case: str, level: str) -> None:
    project.copy_case(case)
    project.canary()
    plain = project.scan(".")
    strict = project.scan(".", "--strict")
    assert plain.exit_code == 1
    assert level in {n[1] for n in strict.notes}
    assert strict.exit_code == 2
    assert f"iamready: --strict: {len(strict.notes)} notification(s)" in strict.stderr
    assert canary_hit() in strict.findings and strict.findings == plain.findings  # still reported


def test_strict_without_notifications_keeps_the_usual_codes(project: Project) -> None:
    project.canary()
    assert project.scan(".", "--strict").exit_code == 1
    (project.root / "canary.tf").write_text(CLEAN_TF, encoding="utf-8")
    assert project.scan(".", "--strict").exit_code == 0


# -- a rule that breaks ---------------------------------------------------------------------------------------------
BROKEN_RULES = {
    "custom/test/boom/rule.py": '''\
        """IAM user exists (a test rule that breaks on one user)

        Reports every IAM user, and raises on the user named boom.

        ## Why is this bad?
        It is a test.

        ## How to fix
        Nothing.

        ## References
        - https://example.com
        """

        from iamready.rule import Finding, Severity, rule


        @rule(
            id="CUSTOM-TEST-001",
            name="custom-test-boom",
            severity=Severity.LOW,
            checklist=(),
            targets={"terraform": ["aws_iam_user"], "cloudformation": ["AWS::IAM::User"]},
        )
        def check(user, ctx):
            if user.address.endswith("boom") or user.address == "Boom":
                raise RuntimeError("boom on purpose")
            yield Finding("user exists", at=user)
        ''',
    "custom/test/wrong_yield/rule.py": '''\
        """Policy seen (a test rule that yields the wrong type)

        Yields a string instead of a Finding.

        ## Why is this bad?
        It is a test.

        ## How to fix
        Nothing.

        ## References
        - https://example.com
        """

        from iamready.rule import Severity, rule


        @rule(
            id="CUSTOM-TEST-002",
            name="custom-test-wrong-yield",
            severity=Severity.LOW,
            checklist=(),
            on="policy",
            policy_kinds=("identity",),
        )
        def check(doc, ctx):
            yield "not a finding"
        ''',
    "custom/test/recursion/rule.py": '''\
        """Role recursion (a test rule that recurses without end)

        Recurses until Python stops it.

        ## Why is this bad?
        It is a test.

        ## How to fix
        Nothing.

        ## References
        - https://example.com
        """

        from iamready.rule import Severity, rule


        def _down(n):
            return _down(n + 1)


        @rule(
            id="CUSTOM-TEST-003",
            name="custom-test-recursion",
            severity=Severity.LOW,
            checklist=(),
            targets={"terraform": ["aws_iam_user"]},
        )
        def check(user, ctx):
            if user.address.endswith("boom"):
                _down(0)
            return iter(())
        ''',
}

USERS_TF = """\
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user" "boom" {
  name = "boom"
}

resource "aws_iam_user" "zed" {
  name = "zed"
}
"""

USERS_CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Boom:
    Type: AWS::IAM::User
  Carol:
    Type: AWS::IAM::User
"""


@pytest.fixture
def extra_rules(tmp_path: Path) -> Path:
    root = tmp_path / "extra-rules"
    for name, text in BROKEN_RULES.items():
        path = root / name
        path.parent.mkdir(parents=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_a_rule_failing_on_one_resource_is_reported_and_nothing_else_stops(project: Project, extra_rules: Path) -> None:
    project.canary()
    project.write({"users.tf": USERS_TF, "users.yaml": USERS_CFN})
    outcome = project.scan(".", "--extra-rules", str(extra_rules), "--select", "AWS-IAM-001,CUSTOM-TEST")
    assert outcome.notes == {
        (
            "internal-error",
            "error",
            "users.tf",
            5,
            "rule CUSTOM-TEST-001 failed on aws_iam_user.boom: RuntimeError: boom on purpose",
        ),
        (
            "internal-error",
            "error",
            "users.yaml",
            3,
            "rule CUSTOM-TEST-001 failed on Boom: RuntimeError: boom on purpose",
        ),
        (
            "internal-error",
            "error",
            "canary.tf",
            10,
            "rule CUSTOM-TEST-002 failed on aws_iam_policy.canary: TypeError: rule CUSTOM-TEST-002 yielded str, "
            "not Finding or Unresolved",
        ),
        (
            "internal-error",
            "error",
            "users.tf",
            5,
            "rule CUSTOM-TEST-003 failed on aws_iam_user.boom: RecursionError: maximum recursion depth exceeded",
        ),
    }
    # the same rule still reports every other resource, and the other rules run
    assert outcome.findings == {
        canary_hit(),
        ("users.tf", 1, "CUSTOM-TEST-001"),
        ("users.tf", 9, "CUSTOM-TEST-001"),
        ("users.yaml", 5, "CUSTOM-TEST-001"),
    }
    assert {n["rule_id"] for n in outcome.data["notifications"]} == {
        "CUSTOM-TEST-001",
        "CUSTOM-TEST-002",
        "CUSTOM-TEST-003",
    }
    assert outcome.exit_code == 1  # an internal error is reported, not a reason to hide the findings
    invocation = outcome.sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    failed = sorted(
        (n["associatedRule"]["id"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for n in invocation["toolExecutionNotifications"]
    )
    assert failed == [
        ("CUSTOM-TEST-001", "users.tf"),
        ("CUSTOM-TEST-001", "users.yaml"),
        ("CUSTOM-TEST-002", "canary.tf"),
        ("CUSTOM-TEST-003", "users.tf"),
    ]


def test_without_internal_errors_execution_is_successful(project: Project) -> None:
    project.canary()
    outcome = project.scan(".")
    assert outcome.sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_the_corpus_is_never_an_internal_error(project: Project) -> None:
    """All of the corpus at once, every rule selected: bad input is reported as such, never as our failure."""
    for case in sorted(p.name for p in CORPUS.iterdir()):
        if case not in ("tf_budget_for", "tf_budget_function_work"):  # slow, and covered one by one
            project.copy_case(case, into=case)
    project.write({"canary.tf": CANARY_TF})
    outcome = project.scan(".", select=None)
    assert [n for n in outcome.notes if n[0] == "internal-error"] == []
    assert canary_hit() in outcome.findings
    assert outcome.sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True
