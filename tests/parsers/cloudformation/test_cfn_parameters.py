"""Parameters: defaults, --cfn-param, parameter files, missing values; conditions fixed by them."""

from __future__ import annotations

from iamready.model.value import Unknown, cause_of, plain
from iamready.parsers.cloudformation import ConditionState, template_conditions

from .conftest import document, notes, resource, statements, value

STACK = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Environment:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  AllowedActions:
    Type: CommaDelimitedList
    Default: "s3:GetObject"
  BucketName:
    Type: String
  DatabasePassword:
    Type: String
    NoEcho: true
    Default: hunter2
  AmiId:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
  IsDev: !Not [!Condition IsProd]
  InUsEast1: !Equals [!Ref "AWS::Region", us-east-1]
  Never: !Equals [yes, no]
Resources:
  Worker:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "worker-${Environment}"
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: Data
                Effect: Allow
                Action: !Ref AllowedActions
                Resource: !Sub "arn:${AWS::Partition}:s3:::${BucketName}/*"
              - Sid: Debug
                Effect: Allow
                Action: !If [IsProd, "s3:ListBucket", "*"]
                Resource: "*"
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref AmiId
  NeverCreated:
    Type: AWS::SNS::Topic
    Condition: Never
  ProdOnly:
    Type: AWS::SNS::Topic
    Condition: IsProd
"""


def test_defaults_are_used_and_a_parameter_without_value_is_noted_once(cfn) -> None:
    graph = cfn.write({"stack.yaml": STACK}).graph()
    assert value(graph, "Worker", "RoleName") == "worker-dev"
    data = resource(graph, "Worker").attr("Policies.0.PolicyDocument.Statement.0")
    assert plain(data.get("Action").raw) == ["s3:GetObject"]
    assert data.get("Resource").raw == Unknown("parameter BucketName has no value (pass --cfn-param BucketName=...)")
    assert resource(graph, "Server").attr("ImageId").raw == Unknown(
        "parameter AmiId is read from SSM Parameter Store "
        "(/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64) when the stack is deployed"
    )
    # said once by the engine, at the parameter, and only if a rule needs a value depending on it
    assert notes(graph) == []
    root = cause_of(data.get("Resource"))
    assert root is not None and root.span is not None
    assert (root.message, root.span.start_line, root.fix) == (
        "parameter 'BucketName' has no value",
        cfn.line_of("stack.yaml", "  BucketName:"),
        "pass --cfn-param BucketName=... or --cfn-param-file",
    )


def test_parameters_are_nodes_with_their_declaration(cfn) -> None:
    graph = cfn.write({"stack.yaml": STACK}).graph()
    password = resource(graph, "Parameters.DatabasePassword")
    assert (password.type, password.kind, password.name) == ("parameter", "parameter", "DatabasePassword")
    assert plain(password.attrs) == {"Type": "String", "NoEcho": True, "Default": "hunter2"}
    assert (password.span.start_line, password.span.end_line) == (
        cfn.line_of("stack.yaml", "DatabasePassword:"),
        cfn.line_of("stack.yaml", "Default: hunter2"),
    )
    assert password.meta == {"Supplied": False}


def test_command_line_values_win_and_fix_conditions(cfn) -> None:
    graph = cfn.write({"stack.yaml": STACK}).graph(
        params={"Environment": "prod", "AllowedActions": "s3:GetObject,s3:PutObject", "BucketName": "reports"}
    )
    assert value(graph, "Worker", "RoleName") == "worker-prod"
    assert statements(document(graph, "Worker", "Policies[0].PolicyDocument")) == [
        (
            "Data",
            "Allow",
            ["s3:GetObject", "s3:PutObject"],
            ["arn:aws:s3:::reports/*"],
            cfn.line_of("stack.yaml", "- Sid: Data"),
        ),
        ("Debug", "Allow", ["s3:ListBucket"], ["*"], cfn.line_of("stack.yaml", "- Sid: Debug")),
    ]
    assert resource(graph, "Parameters.Environment").meta == {"Supplied": True}
    assert [r.address for r in graph.resources("AWS::SNS::Topic")] == ["ProdOnly"]
    assert resource(graph, "ProdOnly").meta["ConditionValue"] is True
    assert notes(graph) == []


def test_a_condition_over_a_default_is_not_fixed_so_both_branches_are_checked(cfn) -> None:
    graph = cfn.write({"stack.yaml": STACK}).graph(params={"BucketName": "reports"})
    assert statements(document(graph, "Worker", "Policies[0].PolicyDocument"))[1:] == [
        ("Debug", "Allow", ["s3:ListBucket"], ["*"], cfn.line_of("stack.yaml", "- Sid: Debug"), "when IsProd is true"),
        ("Debug", "Allow", ["*"], ["*"], cfn.line_of("stack.yaml", "- Sid: Debug"), "when IsProd is false"),
    ]
    # a resource under a condition that is not fixed is scanned; one fixed to false is not created
    assert [r.address for r in graph.resources("AWS::SNS::Topic")] == ["ProdOnly"]
    assert resource(graph, "ProdOnly").meta["Condition"] == "IsProd"
    assert resource(graph, "ProdOnly").meta["ConditionValue"] is None
    assert template_conditions(graph, cfn.path("stack.yaml")) == {
        "IsProd": ConditionState("IsProd", None, False),
        "IsDev": ConditionState("IsDev", None, True),
        "InUsEast1": ConditionState("InUsEast1", None, None),
        "Never": ConditionState("Never", False, False),
    }


def test_parameter_files_in_the_shapes_people_have(cfn) -> None:
    cfn.write(
        {
            "stack.yaml": STACK,
            "cli.json": """
            [
              {"ParameterKey": "Environment", "ParameterValue": "prod"},
              {"ParameterKey": "BucketName", "UsePreviousValue": true}
            ]
            """,
            "plain.json": '{"BucketName": "from-plain", "AllowedActions": ["s3:GetObject", "s3:DeleteObject"]}\n',
            "pipeline.json": '{"Parameters": {"BucketName": "from-pipeline"}, "Tags": {"team": "data"}}\n',
        }
    )
    graph = cfn.graph(param_files=("cli.json", "plain.json", "pipeline.json"), paths=("stack.yaml",))
    assert value(graph, "Worker", "RoleName") == "worker-prod"
    data = resource(graph, "Worker").attr("Policies.0.PolicyDocument.Statement.0")
    assert plain(data.get("Action").raw) == ["s3:GetObject", "s3:DeleteObject"]
    assert plain(data.get("Resource").raw) == "arn:aws:s3:::from-pipeline/*"
    # --cfn-param wins over every file
    graph = cfn.graph(
        params={"BucketName": "from-cli"}, param_files=("plain.json", "pipeline.json"), paths=("stack.yaml",)
    )
    assert plain(resource(graph, "Worker").attr("Policies.0.PolicyDocument.Statement.0.Resource").raw) == (
        "arn:aws:s3:::from-cli/*"
    )


def test_bad_parameter_files_are_located(cfn) -> None:
    cfn.write(
        {
            "stack.yaml": STACK,
            "broken.json": '{"BucketName": "x",\n}\n',
            "wrong.json": '[{"ParameterKey": "BucketName", "ParameterValue": {"nested": 1}}, "text"]\n',
        }
    )
    graph = cfn.graph(param_files=("broken.json", "wrong.json", "missing.json"), paths=("stack.yaml",))
    assert [n for n in notes(graph, "config")] == [
        ("broken.json", 2, "error", "invalid JSON in parameters file: expected a string key"),
        ("wrong.json", 1, "error", "ParameterValue of 'BucketName' must be a string"),
        ("wrong.json", 1, "error", "each entry needs ParameterKey and ParameterValue"),
    ]
    assert [n for n in notes(graph, "skipped")] == [
        ("missing.json", 1, "error", "cannot read file: No such file or directory")
    ]
