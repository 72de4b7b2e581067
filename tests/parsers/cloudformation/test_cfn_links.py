"""The semantic edges the linker draws from CloudFormation references, and Fn::If in policy carriers."""

from __future__ import annotations

from iamready.model.value import Choice, plain

from .conftest import document, documents, edges, resource, statements

ACCOUNT = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Ref ReadReports
  Analyst:
    Type: AWS::IAM::User
    Properties:
      UserName: analyst
  Analysts:
    Type: AWS::IAM::Group
    Properties:
      GroupName: analysts
  AnalystMembership:
    Type: AWS::IAM::UserToGroupAddition
    Properties:
      GroupName: !Ref Analysts
      Users:
        - !Ref Analyst
  ReadReports:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: !Sub "${ReportsBucket.Arn}/*"
  QueryAccess:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: query
      Roles: [!Ref AppRole]
      Users: [!Ref Analyst]
      Groups: [analysts]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: athena:StartQueryExecution
            Resource: "*"
  ReportsBucket:
    Type: AWS::S3::Bucket
  TrailBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: org-trail-logs
  TrailBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref TrailBucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com}
            Action: s3:PutObject
            Resource: !Sub "arn:${AWS::Partition}:s3:::${TrailBucket}/AWSLogs/*"
  Trail:
    Type: AWS::CloudTrail::Trail
    DependsOn: TrailBucketPolicy
    Properties:
      IsLogging: true
      S3BucketName: !Ref TrailBucket
"""


def test_policies_attach_to_the_principals_they_name(cfn) -> None:
    graph = cfn.write({"account.yaml": ACCOUNT}).graph()
    assert edges(graph, "attaches") == [
        ("QueryAccess", "Analyst", ("PolicyDocument",)),
        ("QueryAccess", "Analysts", ("PolicyDocument",)),
        ("QueryAccess", "AppRole", ("PolicyDocument",)),
        ("ReadReports", "AppRole", ("PolicyDocument",)),
    ]
    assert edges(graph, "member") == [("Analyst", "Analysts", ("AnalystMembership",))]
    reports = document(graph, "ReadReports")
    assert [p.address for p in reports.principals] == ["AppRole"]
    assert statements(reports) == [
        (
            None,
            "Allow",
            ["s3:GetObject"],
            ["${ReportsBucket.Arn}/*"],
            cfn.line_of("account.yaml", "- Effect", 2),
        )
    ]


def test_buckets_are_found_through_references(cfn) -> None:
    graph = cfn.write({"account.yaml": ACCOUNT}).graph()
    assert edges(graph, "configures") == [("TrailBucketPolicy", "TrailBucket", ("Bucket",))]
    assert edges(graph, "writes_to") == [("Trail", "TrailBucket", ("S3BucketName",))]
    assert [b.address for b in document(graph, "TrailBucketPolicy").targets] == ["TrailBucket"]
    assert ("Trail", "TrailBucketPolicy", ("DependsOn",)) in edges(graph, "ref")
    assert resource(graph, "Trail").meta == {"Condition": None, "Metadata": None, "DependsOn": "TrailBucketPolicy"}
    assert ("AppRole", "ReadReports", ("ManagedPolicyArns",)) in edges(graph, "ref")


CONDITIONAL = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  OpsRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns: !If
        - IsProd
        - [arn:aws:iam::aws:policy/ReadOnlyAccess]
        - - arn:aws:iam::aws:policy/ReadOnlyAccess
          - !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess
      Policies:
        - PolicyName: always
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: !If [IsProd, "logs:PutLogEvents", "logs:*"]
                Resource: !If [IsProd, !Sub "arn:${AWS::Partition}:logs:*:*:log-group:/ops/*", "*"]
              - !If
                - IsProd
                - !Ref AWS::NoValue
                - Effect: Allow
                  Action: "*"
                  Resource: "*"
        - !If
          - IsProd
          - PolicyName: prod-break-glass
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: "iam:*"
                  Resource: "*"
          - !Ref AWS::NoValue
"""


def test_fn_if_in_statements_gives_one_statement_per_branch(cfn) -> None:
    graph = cfn.write({"stack.yaml": CONDITIONAL}).graph()
    first = cfn.line_of("stack.yaml", "- Effect: Allow", 2)
    second = cfn.line_of("stack.yaml", "- !If", 1)
    assert statements(document(graph, "OpsRole", "Policies[0].PolicyDocument")) == [
        (None, "Allow", ["logs:PutLogEvents"], ["arn:aws:logs:*:*:log-group:/ops/*"], first, "when IsProd is true"),
        (None, "Allow", ["logs:*"], ["*"], first, "when IsProd is false"),
        (None, "Allow", ["*"], ["*"], second + 3, "when IsProd is false"),
    ]


def test_fn_if_around_a_whole_inline_policy(cfn) -> None:
    graph = cfn.write({"stack.yaml": CONDITIONAL}).graph()
    policies = resource(graph, "OpsRole").attr("Policies").raw
    assert isinstance(policies[1], Choice) and plain(policies[1].when_false) == []
    doc = document(graph, "OpsRole", "Policies[1].PolicyDocument")
    assert (doc.unknown, doc.problems) == (None, [])
    assert statements(doc) == [
        (None, "Allow", ["iam:*"], ["*"], cfn.line_of("stack.yaml", 'Action: "iam:*"') - 1, "when IsProd is true")
    ]


def test_fn_if_choosing_managed_policy_lists(cfn) -> None:
    graph = cfn.write({"stack.yaml": CONDITIONAL}).graph()
    managed = [d for d in documents(graph, "OpsRole", "ManagedPolicyArns") if d.aws_managed]
    assert sorted(d.aws_managed for d in managed) == ["AdministratorAccess", "ReadOnlyAccess"]
    admin = next(d for d in managed if d.aws_managed == "AdministratorAccess")
    assert statements(admin) == [
        (None, "Allow", ["*"], ["*"], cfn.line_of("stack.yaml", "AdministratorAccess"), "when IsProd is false")
    ]
    assert [p.address for p in admin.principals] == ["OpsRole"]
    # ReadOnlyAccess is in both branches: attached whatever the condition
    read_only = next(d for d in managed if d.aws_managed == "ReadOnlyAccess")
    assert read_only.span.start_line == cfn.line_of("stack.yaml", "[arn:aws:iam::aws:policy/ReadOnlyAccess]")
