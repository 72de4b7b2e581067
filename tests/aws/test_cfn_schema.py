"""The CloudFormation property snapshot (src/iamready/aws/cfn_schema.py) and misspelt-property notes."""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamready.aws import cfn_schema
from iamready.aws.links import PERMISSION_STATEMENTS, RESOURCE_POLICIES
from iamready.cli import main
from iamready.loader import load_rules

ROOT = Path(__file__).resolve().parents[2]


def test_snapshot_records_its_source_and_matches_the_installed_cfn_lint() -> None:
    data = cfn_schema.snapshot()
    assert data["source"]["package"] == "cfn-lint"
    try:
        installed = version("cfn-lint")
    except PackageNotFoundError:  # pragma: no cover - cfn-lint is a test dependency
        pytest.fail("cfn-lint (the snapshot's source) is not installed: pip install -e '.[test]'")
    if installed != data["source"]["version"]:
        pytest.fail(
            f"the snapshot comes from cfn-lint {data['source']['version']}, cfn-lint {installed} is installed: "
            "run python -m iamready.devtools cfn-properties"
        )
    # every type in the snapshot as the installed schemas describe it (types named since the snapshot was
    # made are added by the next regeneration; the types rules read are checked below)
    assert cfn_schema.generate(sorted(data["types"])) == data, (
        "stale snapshot: run python -m iamready.devtools cfn-properties"
    )


def test_snapshot_describes_every_type_the_rules_and_the_resource_policy_table_read() -> None:
    wanted = {t for meta in load_rules() for t in (meta.targets or {}).get("cloudformation", ())}
    wanted |= {t for t in [*RESOURCE_POLICIES, *PERMISSION_STATEMENTS] if t.startswith("AWS::")}
    wanted = {t for t in wanted if t.startswith("AWS::") and not t.startswith("AWS::Serverless::")}  # not SAM
    missing = sorted(t for t in wanted if cfn_schema.properties(t) is None)
    assert missing == [], "types the rules read are missing: run python -m iamready.devtools cfn-properties"
    # the table names real properties: a misspelling there would silently read nothing
    for rtype, (attr, target) in RESOURCE_POLICIES.items():
        if not rtype.startswith("AWS::"):
            continue
        tree = cfn_schema.properties(rtype)
        assert tree is not None
        for path in (attr, target):
            if path is None:
                continue
            head, _, rest = path.partition(".")
            assert head in tree, f"{rtype} has no property {head}"
            if rest:
                assert rest.split(".")[0] in (tree[head] or {}), f"{rtype} has no property {path}"
    for rtype, (principal, action, target, conditions) in PERMISSION_STATEMENTS.items():
        tree = cfn_schema.properties(rtype)
        if tree is None:
            continue
        for prop in (principal, action, target, *conditions):
            assert prop in tree, f"{rtype} has no property {prop}"


def _scan(path: Path) -> list[dict]:
    result = CliRunner().invoke(main, ["scan", str(path), "--format", "json", "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    return [n for n in json.loads(result.output)["notifications"] if n["kind"] == cfn_schema.UNKNOWN_PROPERTY]


def test_misspelt_properties_are_reported_with_the_nearest_valid_name(tmp_path: Path) -> None:
    (tmp_path / "trail.yaml").write_text(
        """AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  IsProd: !Equals [!Ref "AWS::AccountId", "111122223333"]
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Logs
      KmsKeyId: alias/trail
      EnableLogFileValidations: true
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: !If
        - IsProd
        - Stauts: Enabled
        - !Ref AWS::NoValue
  Person:
    Type: AWS::IAM::User
    Properties:
      LoginProfile:
        Password: !Ref AWS::NoValue
        PasswordResetRequired: true
      Tags:
        - {Key: team, Value: payments}
""",
        encoding="utf-8",
    )
    (tmp_path / "good.json").write_text(
        json.dumps(
            {
                "Resources": {
                    "Trail": {
                        "Type": "AWS::CloudTrail::Trail",
                        "Properties": {"IsLogging": True, "S3BucketName": "logs", "KMSKeyId": "alias/trail"},
                    }
                }
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    # a macro rewrites the template before CloudFormation reads it: its own properties are not checked
    (tmp_path / "macro.yaml").write_text(
        """Transform: ExecutionRoleBuilder
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Type: Lambda
      Permissions:
        - ReadOnly: arn:aws:s3:::reports
""",
        encoding="utf-8",
    )
    notes = _scan(tmp_path)
    found = sorted(
        (Path(n["location"]["path"]).name, n["location"]["start_line"], n["message"].split(";")[0]) for n in notes
    )
    assert found == [
        ("trail.yaml", 10, "Trail: AWS::CloudTrail::Trail has no property KmsKeyId (did you mean KMSKeyId?)"),
        (
            "trail.yaml",
            11,
            "Trail: AWS::CloudTrail::Trail has no property EnableLogFileValidations "
            "(did you mean EnableLogFileValidation?)",
        ),
        (
            "trail.yaml",
            17,
            "Logs: AWS::S3::Bucket has no property VersioningConfiguration.Stauts "
            "(did you mean VersioningConfiguration.Status?)",
        ),
    ]


def test_sam_execution_roles_keep_to_the_schema_and_misspellings_beside_them_are_reported(tmp_path: Path) -> None:
    # regression: SAM policy templates were recorded with a marker key inside the synthesized role's Policies
    # entry, which the property check then read as a property of AWS::IAM::Role. Which template wrote an entry
    # is now kept beside the declaration: the SAM role has only real properties, and a misspelling next to it
    # (in a role the author wrote) is still reported.
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return event\n", encoding="utf-8")
    (tmp_path / "template.yaml").write_text(
        """AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Conditions:
  IsProd: !Equals [!Ref "AWS::AccountId", "111122223333"]
Resources:
  Orders:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - SQSPollerPolicy:
            QueueName: !GetAtt Orders.QueueName
        - !If
          - IsProd
          - CloudWatchPutMetricPolicy: {}
          - !Ref AWS::NoValue
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: !GetAtt Orders.Arn
  Publisher:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyNmae: publish
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt Orders.Arn
""",
        encoding="utf-8",
    )
    found = [(n["location"]["start_line"], n["message"].split(";")[0]) for n in _scan(tmp_path)]
    assert found == [
        (34, "Publisher: AWS::IAM::Role has no property Policies.PolicyNmae (did you mean Policies.PolicyName?)")
    ]
