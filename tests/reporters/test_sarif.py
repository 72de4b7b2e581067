"""The SARIF reporter on a hand-built ScanResult: schema-valid, GitHub-shaped, deterministic."""

from __future__ import annotations

import json
from pathlib import Path

from iamready.config import Config
from iamready.engine import Result, ScanResult, Suppression
from iamready.model.notes import PARSE_ERROR, UNRESOLVED, Notification
from iamready.model.span import Span
from iamready.reporters.sarif import render
from iamready.rule import RuleMeta, Severity
from tests.sarif_check import validate_sarif

ROOT = "/repo"
DOC = """Policy allows every action on every resource

A statement allows * on *.

## Why is this bad?
Because.

## How to fix
Do not.

## References
- https://example.com
"""


def _meta(rule_id: str, severity: Severity, checklist: tuple[str, ...]) -> RuleMeta:
    return RuleMeta(
        id=rule_id,
        name=f"aws-iam-{rule_id[-3:]}-sample",
        severity=severity,
        checklist=checklist,
        on="policy",
        targets={},
        policy_kinds=("identity",),
        tags=("least-privilege",),
        profile="default",
        precision="high",
        doc=DOC,
        check=lambda *_: iter(()),
        directory=None,
    )


def _scan() -> ScanResult:
    admin = _meta("AWS-IAM-001", Severity.HIGH, ("2.5",))
    user = _meta("AWS-IAM-002", Severity.LOW, ("2.4",))
    scan = ScanResult(config=Config(cwd=ROOT), root=ROOT, rules=[user, admin])
    scan.results = [
        Result(
            rule=admin,
            severity=Severity.HIGH,
            message="aws_iam_policy.admin: statement 'All' allows * on *",
            span=Span(f"{ROOT}/iam/main.tf", 12, 3, 16, 4),
            address="aws_iam_policy.admin",
            resource_type="aws_iam_policy",
            framework="terraform",
            key="policy#All",
            fingerprint="a" * 32,
            related=[(Span(f"{ROOT}/iam/main.tf", 30, 1, 33, 2), "attached to aws_iam_role.ops")],
            flow=[
                (Span(f"{ROOT}/iam/main.tf", 40, 1, 40, 20), "user may assume role ops"),
                (Span(f"{ROOT}/iam/main.tf", 12, 3, 16, 4), "role ops allows * on *"),
            ],
        ),
        Result(
            rule=user,
            severity=Severity.LOW,
            message="aws_iam_user_policy.x: inline policy attached to user alice",
            span=Span(f"{ROOT}/stack.yaml", 7, 7),
            address="AliceInline",
            resource_type="AWS::IAM::UserPolicy",
            framework="cloudformation",
            key="UserName",
            fingerprint="b" * 32,
            suppression=Suppression(
                "inSource", "legacy user, removed in Q3", "comment", Span(f"{ROOT}/stack.yaml", 6, 1)
            ),
        ),
    ]
    scan.notifications = [
        Notification(PARSE_ERROR, "invalid HCL: unexpected '}'", Span(f"{ROOT}/broken.tf", 3, 5), "error"),
        Notification(
            UNRESOLVED, "variable 'actions' has no value", Span(f"{ROOT}/iam/variables.tf", 1), "note", "AWS-IAM-001"
        ),
        Notification("skipped", "cannot read directory", None, "warning"),
    ]
    scan.coverage = {"AWS-IAM-001": {"targets": 3}, "AWS-IAM-002": {"targets": 1}}
    return scan


def test_sarif_validates_against_the_schema_and_github_rules() -> None:
    log = json.loads(render(_scan()))
    validate_sarif(log)


def test_sarif_results_carry_location_fingerprint_and_logical_location() -> None:
    run = json.loads(render(_scan()))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["AWS-IAM-001", "AWS-IAM-002"]
    assert rules[0]["properties"]["checklist"] == ["2.5"]
    assert rules[0]["properties"]["security-severity"] == "8.0"
    assert rules[1]["properties"]["security-severity"] == "3.0"
    admin = run["results"][0]
    assert admin["ruleId"] == "AWS-IAM-001" and admin["ruleIndex"] == 0
    assert admin["level"] == "error"
    location = admin["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "iam/main.tf", "uriBaseId": "%SRCROOT%"}
    assert location["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 3, "endLine": 16, "endColumn": 4}
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "aws_iam_policy.admin"
    assert admin["partialFingerprints"] == {"iamready/v1": "a" * 32}
    assert admin["relatedLocations"][0]["message"]["text"] == "attached to aws_iam_role.ops"
    steps = admin["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps] == [40, 12]


def test_sarif_keeps_suppressed_results_with_justification() -> None:
    run = json.loads(render(_scan()))["runs"][0]
    suppressed = run["results"][1]
    assert suppressed["level"] == "note"
    assert suppressed["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "legacy user, removed in Q3",
            "location": {
                "physicalLocation": {
                    "artifactLocation": {"uri": "stack.yaml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 6, "startColumn": 1, "endLine": 6},
                }
            },
        }
    ]


def test_sarif_notifications_for_parse_errors_and_unresolved_values() -> None:
    invocation = json.loads(render(_scan()))["runs"][0]["invocations"][0]
    notes = invocation["toolExecutionNotifications"]
    assert notes[0]["level"] == "error"
    assert notes[0]["descriptor"]["id"] == "parse-error"
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.tf"
    assert notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert notes[1]["associatedRule"]["id"] == "AWS-IAM-001"
    assert "locations" not in notes[2]
    assert invocation["executionSuccessful"] is True


def test_sarif_is_deterministic() -> None:
    assert render(_scan()) == render(_scan())
    text = render(_scan())
    assert ROOT not in text, "no absolute paths in SARIF"


def test_sarif_help_comes_from_the_rule_docs() -> None:
    rule = json.loads(render(_scan()))["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["shortDescription"]["text"] == "Policy allows every action on every resource"
    assert rule["fullDescription"]["text"] == "A statement allows * on *."
    assert "\n## Why is this bad?" not in rule["help"]["markdown"]
    assert "### Why is this bad?" in rule["help"]["markdown"]


def test_schema_copy_matches_the_shared_schema() -> None:
    shared = Path("/work/shared/schemas/sarif-schema-2.1.0.json")
    if shared.exists():
        vendored = Path(__file__).parent.parent / "schemas" / "sarif-schema-2.1.0.json"
        assert vendored.read_bytes() == shared.read_bytes()
