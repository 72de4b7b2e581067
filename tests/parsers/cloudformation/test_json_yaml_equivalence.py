"""The same template in YAML (short-form tags) and in JSON gives the same graph, each with its own lines."""

from __future__ import annotations

from iamready.model.graph import Graph
from iamready.model.value import Choice, plain

from .conftest import edges, notes, resource

YAML = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  LogBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "audit-${Env}-${AWS::AccountId}"
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref LogBucket
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      RoleName: deployer
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"
            Action: sts:AssumeRole
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: Logs
                Effect: Allow
                Action: [s3:GetObject, s3:ListBucket]
                Resource:
                  - !GetAtt LogBucket.Arn
                  - !Join ["", [!GetAtt LogBucket.Arn, "/*"]]
              - Sid: Deploy
                Effect: Allow
                Action: !If [IsProd, "cloudformation:*", "*"]
                Resource: "*"
Outputs:
  DeployerArn:
    Value: !GetAtt Deployer.Arn
"""

JSON = """
{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {
    "Env": {
      "Type": "String",
      "Default": "dev"
    }
  },
  "Conditions": {
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}
  },
  "Resources": {
    "LogBucket": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": {"Fn::Sub": "audit-${Env}-${AWS::AccountId}"}
      }
    },
    "Trail": {
      "Type": "AWS::CloudTrail::Trail",
      "Properties": {
        "IsLogging": true,
        "S3BucketName": {"Ref": "LogBucket"}
      }
    },
    "Deployer": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "RoleName": "deployer",
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": {
                "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
              },
              "Action": "sts:AssumeRole"
            }
          ]
        },
        "Policies": [
          {
            "PolicyName": "deploy",
            "PolicyDocument": {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "Logs",
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3:ListBucket"],
                  "Resource": [
                    {"Fn::GetAtt": ["LogBucket", "Arn"]},
                    {"Fn::Join": ["", [{"Fn::GetAtt": ["LogBucket", "Arn"]}, "/*"]]}
                  ]
                },
                {
                  "Sid": "Deploy",
                  "Effect": "Allow",
                  "Action": {"Fn::If": ["IsProd", "cloudformation:*", "*"]},
                  "Resource": "*"
                }
              ]
            }
          }
        ]
      }
    }
  },
  "Outputs": {
    "DeployerArn": {
      "Value": {"Fn::GetAtt": ["Deployer", "Arn"]}
    }
  }
}
"""


def _data(value: object) -> object:
    """Plain data, with a Choice as a comparable tuple."""
    if isinstance(value, Choice):
        return ("Choice", value.condition, _data(value.when_true), _data(value.when_false))
    if isinstance(value, dict):
        return {k: _data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_data(v) for v in value]
    return plain(value)


def _snapshot(graph: Graph) -> dict[str, object]:
    """Everything about the graph except file names and lines."""
    nodes = {
        r.address: (r.type, r.kind, _data(r.attrs), {k: _data(v) for k, v in r.meta.items()}) for r in graph.resources()
    }
    policies = sorted(
        (
            d.holder.address,
            d.attr,
            d.kind,
            tuple(
                (s.sid, s.effect, tuple(s.action_patterns), tuple(s.resource_patterns), s.when) for s in d.statements
            ),
        )
        for d in graph.policies
    )
    return {"nodes": nodes, "policies": policies, "edges": {k: edges(graph, k) for k in ("ref", "writes_to")}}


def test_yaml_and_json_give_the_same_graph(cfn) -> None:
    cfn.write({"yaml/stack.yaml": YAML, "json/stack.json": JSON})
    from_yaml = cfn.graph(paths=("yaml",))
    from_json = cfn.graph(paths=("json",))
    assert _snapshot(from_yaml) == _snapshot(from_json)
    assert notes(from_yaml) == notes(from_json) == []
    assert value_of(from_yaml) == {
        "BucketName": "audit-dev-${AWS::AccountId}",
        "S3BucketName": "audit-dev-${AWS::AccountId}",
        "DeployerArn": "arn:aws:iam::${AWS::AccountId}:role/deployer",
        "Resource": ["arn:aws:s3:::audit-dev-${AWS::AccountId}", "arn:aws:s3:::audit-dev-${AWS::AccountId}/*"],
    }
    assert edges(from_json, "writes_to") == [("Trail", "LogBucket", ("S3BucketName",))]


def value_of(graph: Graph) -> dict[str, object]:
    return {
        "BucketName": plain(resource(graph, "LogBucket").attr("BucketName").raw),
        "S3BucketName": plain(resource(graph, "Trail").attr("S3BucketName").raw),
        "DeployerArn": plain(resource(graph, "Outputs.DeployerArn").attr("Value").raw),
        "Resource": plain(resource(graph, "Deployer").attr("Policies.0.PolicyDocument.Statement.0.Resource").raw),
    }


def test_each_syntax_keeps_its_own_lines(cfn) -> None:
    cfn.write({"yaml/stack.yaml": YAML, "json/stack.json": JSON})
    for name, graph, marks in (
        ("yaml/stack.yaml", cfn.graph(paths=("yaml",)), ("  Deployer:", "- Sid: Deploy", "Action: !If", "- !Join")),
        (
            "json/stack.json",
            cfn.graph(paths=("json",)),
            ('"Deployer": {', '"Sid": "Deploy"', '"Action": {"Fn::If"', '{"Fn::Join"'),
        ),
    ):
        deployer = resource(graph, "Deployer")
        assert deployer.span.path == cfn.path(name)
        assert deployer.span.start_line == cfn.line_of(name, marks[0])
        deploy = [s for d in graph.policies for s in d.statements if s.sid == "Deploy"]
        # one statement per branch of IsProd, both at the statement, the action at its own line
        statement_line = cfn.line_of(name, marks[1]) - (1 if name.endswith(".json") else 0)
        assert [(s.span.start_line, s.span_of("Action").start_line, s.when) for s in deploy] == [
            (statement_line, cfn.line_of(name, marks[2]), "when IsProd is true"),
            (statement_line, cfn.line_of(name, marks[2]), "when IsProd is false"),
        ]
        joined = deployer.attr("Policies.0.PolicyDocument.Statement.0.Resource.1")
        assert joined.span.start_line == cfn.line_of(name, marks[3])
