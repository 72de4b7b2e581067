"""Intrinsic functions resolved to the values CloudFormation would deploy, located where they are written."""

from __future__ import annotations

import json
import time

from iamready.model.value import LStr, Unknown, cause_of, plain

from .conftest import document, edges, line, lines, notes, resource, statements, value

STACK = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Environment:
    Type: String
    Default: staging
  TrustedAccounts:
    Type: CommaDelimitedList
    Default: "111111111111, 222222222222"
Mappings:
  RegionConfig:
    us-east-1:
      LogRetention: 90
    staging:
      Prefix: stg
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "app-${Environment}"
      Path: /services/
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Split [",", !Join [",", !Ref TrustedAccounts]]
            Action: sts:AssumeRole
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [!FindInMap [RegionConfig, !Ref Environment, Prefix], data, !Ref "AWS::AccountId"]]
  UnnamedBucket:
    Type: AWS::S3::Bucket
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: reader
      Roles:
        - !Ref AppRole
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: Objects
            Effect: Allow
            Action: s3:GetObject
            Resource:
              - !Sub "${DataBucket.Arn}/*"
              - !Sub
                - "arn:${AWS::Partition}:s3:::${Name}/${!literal}"
                - Name: !Ref UnnamedBucket
          - Sid: Assume
            Effect: Allow
            Action: sts:AssumeRole
            Resource: !GetAtt AppRole.Arn
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      AvailabilityZone: !Select [0, !GetAZs ""]
      SubnetId: !ImportValue network-private-subnet
      UserData: !Base64 "#!/bin/bash\\necho ready"
      Tags:
        - Key: retention
          Value: !FindInMap [RegionConfig, us-east-1, LogRetention]
        - Key: optional
          Value: !Ref AWS::NoValue
        - !Ref AWS::NoValue
      Ipv6Cidr: !Select [0, !Cidr ["10.0.0.0/16", 4, 8]]
      KeyName: !Ref AWS::NoValue
Outputs:
  RoleArn:
    Value: !GetAtt AppRole.Arn
"""


def test_ref_sub_join_split_and_find_in_map(cfn) -> None:
    graph = cfn.write({"stack.yaml": STACK}).graph()
    assert value(graph, "AppRole", "RoleName") == "app-staging"
    assert line(graph, "AppRole", "RoleName") == cfn.line_of("stack.yaml", "RoleName: !Sub")
    principal = resource(graph, "AppRole").attr("AssumeRolePolicyDocument.Statement.0.Principal.AWS")
    assert plain(principal.raw) == ["111111111111", "222222222222"]
    assert principal.span.start_line == cfn.line_of("stack.yaml", "AWS: !Split")
    assert value(graph, "DataBucket", "BucketName") == "stg-data-${AWS::AccountId}"
    assert line(graph, "DataBucket", "BucketName") == cfn.line_of("stack.yaml", "BucketName: !Join")


def test_getatt_and_ref_give_names_and_arns_that_point_at_their_resource(cfn) -> None:
    graph = cfn.write({"stack.yaml": STACK}).graph()
    path = cfn.path("stack.yaml")
    resources = resource(graph, "Reader").attr("PolicyDocument.Statement.0.Resource").raw
    assert plain(resources) == ["arn:aws:s3:::stg-data-${AWS::AccountId}/*", "arn:aws:s3:::${UnnamedBucket}/${literal}"]
    assert [s.start_line for s in resources.item_spans] == [
        cfn.line_of("stack.yaml", '- !Sub "${DataBucket.Arn}/*"'),
        cfn.line_of("stack.yaml", "- !Sub", 2),
    ]
    role_arn = resource(graph, "Reader").attr("PolicyDocument.Statement.1.Resource").raw
    assert isinstance(role_arn, LStr)
    assert str(role_arn) == "arn:aws:iam::${AWS::AccountId}:role/services/app-staging"
    assert role_arn.ref == (f"{path}::AppRole", "Arn")
    role_ref = resource(graph, "Reader").attr("Roles").raw[0]
    assert (str(role_ref), role_ref.ref) == ("app-staging", (f"{path}::AppRole", "Ref"))
    assert value(graph, "Outputs.RoleArn", "Value") == "arn:aws:iam::${AWS::AccountId}:role/services/app-staging"
    assert statements(document(graph, "Reader")) == [
        (
            "Objects",
            "Allow",
            ["s3:GetObject"],
            ["arn:aws:s3:::stg-data-${AWS::AccountId}/*", "arn:aws:s3:::${UnnamedBucket}/${literal}"],
            cfn.line_of("stack.yaml", "- Sid: Objects"),
        ),
        (
            "Assume",
            "Allow",
            ["sts:AssumeRole"],
            ["arn:aws:iam::${AWS::AccountId}:role/services/app-staging"],
            cfn.line_of("stack.yaml", "- Sid: Assume"),
        ),
    ]


def test_references_become_edges_with_the_attribute_that_holds_them(cfn) -> None:
    graph = cfn.write({"stack.yaml": STACK}).graph()
    assert edges(graph) == [
        ("AppRole", "Parameters.Environment", ("RoleName",)),
        ("AppRole", "Parameters.TrustedAccounts", ("AssumeRolePolicyDocument.Statement.Principal.AWS",)),
        ("DataBucket", "Parameters.Environment", ("BucketName",)),
        ("Outputs.RoleArn", "AppRole", ("Value",)),
        ("Reader", "AppRole", ("Roles", "PolicyDocument.Statement.Resource")),
        ("Reader", "DataBucket", ("PolicyDocument.Statement.Resource",)),
        ("Reader", "UnnamedBucket", ("PolicyDocument.Statement.Resource",)),
    ]


def test_values_only_known_at_deploy_time_are_unknown_with_a_reason(cfn) -> None:
    graph = cfn.write({"stack.yaml": STACK}).graph()
    instance = resource(graph, "Instance")
    assert instance.attr("AvailabilityZone").raw == Unknown(
        "Fn::GetAZs: the Availability Zones are only known when the stack is deployed"
    )
    assert instance.attr("SubnetId").raw == Unknown(
        "Fn::ImportValue 'network-private-subnet': the value is exported by another stack"
    )
    assert instance.attr("Ipv6Cidr").raw == Unknown("Fn::Cidr is not evaluated by iamready")
    # Fn::Base64: the text before encoding, which is what a rule reading user data wants
    assert value(graph, "Instance", "UserData") == "#!/bin/bash\necho ready"
    # AWS::NoValue removes the property, the key of a map and the list item
    assert "KeyName" not in instance.attrs
    assert value(graph, "Instance", "Tags") == [{"Key": "retention", "Value": 90}, {"Key": "optional"}]
    assert lines(graph, "Instance", "Tags.0") == (
        cfn.line_of("stack.yaml", "- Key: retention"),
        cfn.line_of("stack.yaml", "Value: !FindInMap [RegionConfig, us-east-1"),
    )
    assert notes(graph) == []


def test_unknown_names_and_functions_are_noted_once(cfn) -> None:
    cfn.write(
        {
            "stack.yaml": """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Ref Missing
                  DisplayName: !Sub "${Missing}-${AlsoMissing.Arn}"
                  KmsMasterKeyId: !GetAtt Ghost.Arn
                  Tags:
                    - Key: a
                      Value: !Ref Missing
                    - Key: b
                      Value: {"Fn::Frobnicate": [1]}
            """
        }
    )
    graph = cfn.graph()
    topic = resource(graph, "Topic")
    assert topic.attr("TopicName").raw == Unknown("Ref to 'Missing', which is not declared in this template")
    assert topic.attr("DisplayName").raw == Unknown("Fn::Sub refers to ${Missing}, which is not declared")
    assert topic.attr("Tags.1.Value").raw == Unknown("function Fn::Frobnicate is not evaluated by iamready")
    assert notes(graph) == [
        ("stack.yaml", 5, "note", "Ref to 'Missing', which this template does not declare (CloudFormation rejects it)"),
        (
            "stack.yaml",
            6,
            "note",
            "Fn::Sub refers to ${AlsoMissing.Arn}, which is not a parameter, resource or variable "
            "(CloudFormation rejects it)",
        ),
        (
            "stack.yaml",
            6,
            "note",
            "Fn::Sub refers to ${Missing}, which is not a parameter, resource or variable (CloudFormation rejects it)",
        ),
        (
            "stack.yaml",
            7,
            "note",
            "Fn::GetAtt refers to 'Ghost', which this template does not declare (CloudFormation rejects it)",
        ),
    ]
    # a function iamready does not evaluate is said only where a rule needs the value
    root = cause_of(topic.attr("Tags.1.Value"))
    assert root is not None and root.span is not None
    assert (root.message, root.span.start_line) == ("function Fn::Frobnicate is not evaluated by iamready", 12)


def test_to_json_string_keeps_the_structure_for_the_policy_model(cfn) -> None:
    cfn.write(
        {
            "stack.yaml": """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::LanguageExtensions
            Resources:
              Key:
                Type: AWS::KMS::Key
                Properties:
                  KeyPolicy: !ToJsonString
                    Version: "2012-10-17"
                    Statement:
                      - Sid: Everyone
                        Effect: Allow
                        Principal: "*"
                        Action: kms:*
                        Resource: "*"
                  Description: !Length [a, b, c]
            """
        }
    )
    graph = cfn.graph()
    policy = resource(graph, "Key").attr("KeyPolicy").raw
    assert json.loads(str(policy)) == {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}],
    }
    assert value(graph, "Key", "Description") == 3
    doc = document(graph, "Key", "KeyPolicy")
    assert statements(doc) == [("Everyone", "Allow", ["kms:*"], ["*"], cfn.line_of("stack.yaml", "- Sid: Everyone"))]
    assert doc.statements[0].principal is not None and doc.statements[0].principal.wildcard


def test_select_out_of_range_and_select_of_a_parameter_list(cfn) -> None:
    cfn.write(
        {
            "stack.yaml": """
            Parameters:
              Admins:
                Type: List<String>
                Default: alice,bob
            Resources:
              Group:
                Type: AWS::IAM::Group
                Properties:
                  GroupName: !Select [1, !Ref Admins]
                  Path: !Select [5, !Ref Admins]
            """
        }
    )
    graph = cfn.graph()
    assert value(graph, "Group", "GroupName") == "bob"
    assert resource(graph, "Group").attr("Path").raw == Unknown("Fn::Select index 5 is outside the list of 2")


def test_hostile_templates_resolve_within_budgets(cfn) -> None:
    nested = '"*"'
    for _ in range(90):  # 270 levels of JSON: readable, but deeper than the resolver goes
        nested = f'{{"Fn::Join": ["", [{nested}]]}}'
    many = ", ".join(f'"part{i}"' for i in range(50_000))
    cfn.write(
        {
            "deep.json": '{"Resources": {"R": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": '
            + nested
            + "}}}}\n",
            "wide.json": '{"Resources": {"R": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": '
            '{"Fn::Join": ["", [' + many + "]]}}}}}\n",
            "self.yaml": """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: !Sub "${Role}-suffix"
                  Description: !GetAtt Role.Arn
            """,
        }
    )
    started = time.perf_counter()
    deep = cfn.graph(paths=("deep.json",))
    wide = cfn.graph(paths=("wide.json",))
    itself = cfn.graph(paths=("self.yaml",))
    assert time.perf_counter() - started < 10
    assert resource(deep, "R").attr("TopicName").raw == Unknown("nested more than 200 levels")
    assert value(wide, "R", "TopicName") == "".join(f"part{i}" for i in range(50_000))
    # a name that refers to itself: the reference stays symbolic instead of looping
    assert value(itself, "Role", "RoleName") == "${Role}-suffix"
    assert value(itself, "Role", "Description") == "${Role.Arn}"
