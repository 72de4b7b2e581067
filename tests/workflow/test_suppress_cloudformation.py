"""CloudFormation suppressions: Metadata on the resource (YAML and JSON), YAML comments, SAM functions."""

from __future__ import annotations

import json

from tests.workflow.conftest import by_rule, findings, notes

ROLE_YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: Platform roles

Resources:
  PlatformAdminRole:
    Type: AWS::IAM::Role
    Metadata:
      iamready:
        ignore:
          AWS-IAM-001: "platform administrators, reviewed quarterly (SEC-77)"
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sso-platform"
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"

  OpsRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"
            Action: sts:AssumeRole
      Policies:
        - PolicyName: everything
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: All
                Effect: Allow
                Action: "*"
                Resource: "*"
"""


def test_metadata_suppresses_the_resources_findings(project) -> None:
    project.write({"stack.yaml": ROLE_YAML})
    code, data = project.json(".")
    assert findings(data, suppressed=True) == [("stack.yaml", 20, "AWS-IAM-001")]
    assert findings(data, suppressed=False) == [("stack.yaml", 37, "AWS-IAM-001")]
    assert by_rule(data, "AWS-IAM-001")[0]["suppressed"] == {
        "kind": "inSource",
        "source": "metadata",
        "reason": "platform administrators, reviewed quarterly (SEC-77)",
        "location": {"path": "stack.yaml", "start_line": 10, "start_column": 11, "end_line": 10, "end_column": 78},
    }
    assert code == 1


def test_yaml_comment_above_a_resource_and_above_a_statement(project) -> None:
    text = ROLE_YAML.replace(
        "  OpsRole:\n",
        "  # iamready:ignore[AWS-IAM-001] on-call operators, MFA enforced by SSO (SEC-1234)\n  OpsRole:\n",
    )
    project.write({"stack.yaml": text})
    code, data = project.json(".")
    assert findings(data, suppressed=False) == []
    assert by_rule(data, "AWS-IAM-001")[1]["suppressed"]["location"]["start_line"] == 22
    assert code == 0
    text = ROLE_YAML.replace(
        "              - Sid: All\n",
        "              # iamready:ignore[AWS-IAM-001] break-glass statement\n              - Sid: All\n",
    )
    project.write({"stack.yaml": text})
    _, data = project.json(".")
    assert findings(data, suppressed=True) == [("stack.yaml", 20, "AWS-IAM-001"), ("stack.yaml", 38, "AWS-IAM-001")]


def test_yaml_trailing_comment_covers_its_line(project) -> None:
    text = ROLE_YAML.replace(
        '        - !Sub "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"\n',
        '        - !Sub "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess" # iamready:ignore[AWS-IAM-001] x\n',
    ).replace('          AWS-IAM-001: "platform administrators, reviewed quarterly (SEC-77)"\n', "          {}\n")
    text = text.replace("    Metadata:\n      iamready:\n        ignore:\n          {}\n", "")
    project.write({"stack.yaml": text})
    _, data = project.json(".")
    assert findings(data, suppressed=True) == [("stack.yaml", 16, "AWS-IAM-001")]
    assert by_rule(data, "AWS-IAM-001")[0]["suppressed"]["source"] == "comment"


def test_a_hash_inside_a_quoted_string_is_not_a_comment(project) -> None:
    text = ROLE_YAML.replace(
        "Description: Platform roles", 'Description: "Platform roles # iamready:ignore[AWS-IAM-001] not a comment"'
    )
    project.write({"stack.yaml": text})
    _, data = project.json(".")
    assert notes(data) == []
    assert by_rule(data, "IAC-SUPPRESS-001") == []


def test_metadata_in_a_json_template(project) -> None:
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "OpsRole": {
                "Type": "AWS::IAM::Role",
                "Metadata": {"iamready": {"ignore": {"AWS-IAM-001": "on-call operators (SEC-1234)"}}},
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                    "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"}],
                },
            }
        },
    }
    project.write({"stack.json": json.dumps(template, indent=2)})
    code, data = project.json(".")
    assert findings(data, suppressed=True) == [("stack.json", 29, "AWS-IAM-001")]
    assert by_rule(data, "AWS-IAM-001")[0]["suppressed"]["location"]["start_line"] == 9
    assert code == 0


def test_misspelled_metadata_key_is_an_error_not_silence(project) -> None:
    text = ROLE_YAML.replace("        ignore:\n", "        ignores:\n")
    project.write({"stack.yaml": text})
    code, data = project.json(".")
    assert notes(data) == [
        (
            "stack.yaml",
            9,
            "error",
            "PlatformAdminRole: unknown key 'ignores' in Metadata.iamready (did you mean 'ignore'?); "
            "only 'ignore' is read, so nothing is suppressed by it",
        )
    ]
    assert findings(data, suppressed=True) == []
    assert code == 1


def test_metadata_unknown_id_and_wrong_shape(project) -> None:
    text = ROLE_YAML.replace(
        '          AWS-IAM-001: "platform administrators, reviewed quarterly (SEC-77)"\n',
        '          AWS-IAM-01: "platform administrators"\n          AWS-IAM-001: [admins]\n',
    )
    project.write({"stack.yaml": text})
    _, data = project.json(".")
    assert notes(data) == [
        (
            "stack.yaml",
            10,
            "error",
            "PlatformAdminRole: Metadata.iamready.ignore names unknown rule id 'AWS-IAM-01' (did you mean "
            "AWS-IAM-001?); it suppresses nothing",
        ),
        (
            "stack.yaml",
            11,
            "error",
            'PlatformAdminRole: Metadata.iamready.ignore.AWS-IAM-001 must be the reason as text (RULE-ID: "reason"), '
            "not a list",
        ),
    ]
    assert findings(data, suppressed=True) == []


def test_metadata_without_reason_and_list_form(project) -> None:
    text = ROLE_YAML.replace(
        '          AWS-IAM-001: "platform administrators, reviewed quarterly (SEC-77)"\n', "          - AWS-IAM-001\n"
    )
    project.write({"stack.yaml": text})
    _, data = project.json(".")
    assert findings(data, suppressed=True) == [("stack.yaml", 20, "AWS-IAM-001")]
    [meta] = by_rule(data, "IAC-SUPPRESS-002")
    assert (meta["location"]["start_line"], meta["message"]) == (
        10,
        "PlatformAdminRole: Metadata.iamready.ignore.AWS-IAM-001 gives no reason; write why as the value",
    )


def test_sam_function_metadata_covers_its_generated_role_once(project) -> None:
    project.write(
        {
            "template.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31

Resources:
  AdminFunction:
    Type: AWS::Serverless::Function
    Metadata:
      iamready:
        ignore:
          AWS-IAM-001: "account bootstrap function, runs once (SEC-400)"
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - AdministratorAccess
"""
        }
    )
    code, data = project.json(".")
    results = by_rule(data, "AWS-IAM-001")
    assert [(r["resource"], r["suppressed"]["reason"]) for r in results] == [
        ("AdminFunctionRole", "account bootstrap function, runs once (SEC-400)")
    ]
    assert by_rule(data, "IAC-SUPPRESS-001") == []  # the entry is one suppression, not one per resource
    assert code == 0
