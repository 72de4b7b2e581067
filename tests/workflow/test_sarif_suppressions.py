"""Suppressed findings stay in SARIF, with kind and justification, and the log validates against the schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.sarif_check import SCHEMA_PATH, validate_sarif
from tests.workflow.conftest import ADMIN_TF

USER_TF = """\
resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy_attachment" "ci_admin" {
  user       = aws_iam_user.ci.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""


def _sarif(project, *args: str) -> dict:
    result = project.run("scan", ".", "--format", "sarif", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture
def every_kind(project):
    """One finding suppressed by a comment, one by the baseline, one by per-path-ignores, one active."""
    text = ADMIN_TF.replace(
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"',
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # iamready:ignore[AWS-IAM-001] platform (SEC-77)',
    )
    project.write({"main.tf": text})
    assert project.run("scan", ".", "--write-baseline", "baseline.json").exit_code == 0
    project.write({"legacy/main.tf": USER_TF, "new/main.tf": USER_TF})
    return project


def test_suppressions_of_every_kind_validate_against_the_schema(every_kind) -> None:
    log = _sarif(every_kind, "--baseline", "baseline.json", "--per-path-ignores", "legacy/**=AWS-IAM-001")
    validate_sarif(log)
    results = log["runs"][0]["results"]
    summary = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r.get("suppressions"),
        )
        for r in results
    ]
    assert summary == [
        (
            "legacy/main.tf",
            7,
            [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": ("per-path-ignores 'legacy/**' = [AWS-IAM-001] in the command line"),
                }
            ],
        ),
        ("main.tf", 2, [{"kind": "external", "status": "accepted", "justification": "baseline baseline.json"}]),
        (
            "main.tf",
            28,
            [
                {
                    "kind": "inSource",
                    "status": "accepted",
                    "justification": "platform (SEC-77)",
                    "location": {
                        "physicalLocation": {
                            "artifactLocation": {"uri": "main.tf", "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": 28, "startColumn": 62, "endLine": 28, "endColumn": 110},
                        }
                    },
                }
            ],
        ),
        ("new/main.tf", 7, None),
    ]


def test_the_suppression_objects_alone_validate_against_the_schema_definition(every_kind) -> None:
    log = _sarif(every_kind, "--baseline", "baseline.json", "--per-path-ignores", "legacy/**=AWS-IAM-001")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    suppression_schema = {"$ref": "#/definitions/suppression", "definitions": schema["definitions"]}
    suppressions = [s for r in log["runs"][0]["results"] for s in r.get("suppressions", [])]
    assert len(suppressions) == 3
    for item in suppressions:
        jsonschema.Draft4Validator(suppression_schema).validate(item)
    with pytest.raises(jsonschema.ValidationError):  # the check is real: a wrong kind is rejected
        jsonschema.Draft4Validator(suppression_schema).validate({"kind": "inline"})


def test_suppressed_results_keep_their_fingerprints(every_kind) -> None:
    plain = _sarif(every_kind, "--no-inline-suppressions")
    suppressed = _sarif(every_kind)
    fingerprints = [r["partialFingerprints"] for r in plain["runs"][0]["results"]]
    assert fingerprints == [r["partialFingerprints"] for r in suppressed["runs"][0]["results"]]
    assert "suppressions" not in plain["runs"][0]["results"][1]


def test_meta_rules_are_described_in_the_driver(project) -> None:
    project.write(
        {
            "main.tf": ADMIN_TF.replace(
                "  role       = aws_iam_role.ops.name", "  role = aws_iam_role.ops.name # iamready:ignore[AWS-IAM-001]"
            )
        }
    )
    log = _sarif(project)
    validate_sarif(log)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["IAC-SUPPRESS-001"]["shortDescription"]["text"] == "Suppression comment or metadata matches no finding"
    assert rules["IAC-SUPPRESS-001"]["properties"]["checklist"] == []
    assert rules["IAC-SUPPRESS-002"]["properties"]["security-severity"] == "3.0"
    ids = [r["ruleId"] for r in log["runs"][0]["results"]]
    assert ids == ["AWS-IAM-001", "IAC-SUPPRESS-001", "IAC-SUPPRESS-002", "AWS-IAM-001"]
