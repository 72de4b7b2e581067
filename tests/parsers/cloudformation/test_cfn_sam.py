"""SAM: Globals, the execution role SAM creates, managed policy names and policy templates."""

from __future__ import annotations

import json

from iamready.model.value import Unknown, plain
from iamready.parsers.cloudformation.sam import managed_policy_arn, policy_templates

from .conftest import document, documents, edges, notes, resource, statements, value

API = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    Environment:
      Variables:
        STAGE: !Ref Stage
        LOG_LEVEL: info
    Layers:
      - arn:aws:lambda:us-east-1:123456789012:layer:common:3
    PermissionsBoundary: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/lambda-boundary"
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "orders-${Stage}"
  Uploads:
    Type: AWS::S3::Bucket
  CreateOrder:
    Type: AWS::Serverless::Function
    Metadata:
      iamready:
        ignore:
          AWS-IAM-010: uploads are written by one function only
    Properties:
      Handler: app.create
      Timeout: 30
      Tracing: Active
      Environment:
        Variables:
          LOG_LEVEL: debug
      Layers:
        - !Ref SharedLayer
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Orders
        - S3WritePolicy:
            BucketName: !Ref Uploads
        - AWSXRayDaemonWriteAccess
        - arn:aws:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy
        - Version: "2012-10-17"
          Statement:
            - Sid: Publish
              Effect: Allow
              Action: sns:Publish
              Resource: !Ref Notifications
        - SomeFuturePolicy:
            Thing: x
  SharedLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer/
  Notifications:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: order-events
  Report:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [Layers, PermissionsBoundary]
    Properties:
      Handler: app.report
      Role: !GetAtt ReportRole.Arn
      Policies:
        - AdministratorAccess
  ReportRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
"""


def test_the_execution_role_sam_creates(cfn) -> None:
    graph = cfn.write({"template.yaml": API}).graph()
    path = cfn.path("template.yaml")
    role = resource(graph, "CreateOrderRole")
    assert (role.id, role.type, role.framework, role.scope) == (
        f"{path}::CreateOrderRole",
        "AWS::IAM::Role",
        "cloudformation",
        path,
    )
    # located at the function's Policies property
    assert (role.span.start_line, role.span.end_line) == (
        cfn.line_of("template.yaml", "      Policies:"),
        cfn.line_of("template.yaml", "Thing: x"),
    )
    assert role.meta["SamSource"] == "CreateOrder"
    assert plain(role.meta["Metadata"]) == {
        "iamready": {"ignore": {"AWS-IAM-010": "uploads are written by one function only"}}
    }
    assert value(graph, "CreateOrderRole", "AssumeRolePolicyDocument") == {
        "Version": "2012-10-17",
        "Statement": [
            {"Action": ["sts:AssumeRole"], "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}}
        ],
    }
    assert value(graph, "CreateOrderRole", "ManagedPolicyArns") == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
        "arn:aws:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy",
    ]
    assert [s.start_line for s in role.attr("ManagedPolicyArns").raw.item_spans] == [
        cfn.line_of("template.yaml", "      Policies:"),
        cfn.line_of("template.yaml", "Tracing: Active"),
        cfn.line_of("template.yaml", "- AWSXRayDaemonWriteAccess"),
        cfn.line_of("template.yaml", "CloudWatchLambdaInsightsExecutionRolePolicy"),
    ]
    assert value(graph, "CreateOrderRole", "PermissionsBoundary") == (
        "arn:aws:iam::${AWS::AccountId}:policy/lambda-boundary"
    )
    # the function points at its role
    role_arn = resource(graph, "CreateOrder").attr("Role").raw
    assert (str(role_arn), role_arn.ref) == ("${CreateOrderRole.Arn}", (f"{path}::CreateOrderRole", "Arn"))
    assert ("CreateOrder", "CreateOrderRole", ("Role",)) in edges(graph)
    assert edges(graph, "attaches") == [
        (
            "CreateOrderRole",
            "CreateOrderRole",
            (
                "Policies[0].PolicyDocument",
                "Policies[1].PolicyDocument",
                "Policies[2].PolicyDocument",
                "Policies[3].PolicyDocument",
                "ManagedPolicyArns",
            ),
        )
    ]


def test_policy_templates_expand_to_their_statements_at_the_entry(cfn) -> None:
    graph = cfn.write({"template.yaml": API}).graph()
    crud_line = cfn.line_of("template.yaml", "- DynamoDBCrudPolicy:")
    write_line = cfn.line_of("template.yaml", "- S3WritePolicy:")
    crud = document(graph, "CreateOrderRole", "Policies[0].PolicyDocument")
    assert crud.name == "CreateOrderRolePolicy0"
    assert statements(crud) == [
        (
            None,
            "Allow",
            [
                "dynamodb:GetItem",
                "dynamodb:DeleteItem",
                "dynamodb:PutItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
                "dynamodb:ConditionCheckItem",
            ],
            [
                "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders-dev",
                "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders-dev/index/*",
            ],
            crud_line,
        )
    ]
    assert crud.statements[0].span_of("Resource").start_line == crud_line
    write = document(graph, "CreateOrderRole", "Policies[1].PolicyDocument")
    assert statements(write) == [
        (
            None,
            "Allow",
            ["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"],
            ["arn:aws:s3:::${Uploads}", "arn:aws:s3:::${Uploads}/*"],
            write_line,
        )
    ]
    # a policy document written in Policies keeps its own lines
    inline = document(graph, "CreateOrderRole", "Policies[2].PolicyDocument")
    assert statements(inline) == [
        (
            "Publish",
            "Allow",
            ["sns:Publish"],
            ["arn:aws:sns:${AWS::Region}:${AWS::AccountId}:order-events"],
            cfn.line_of("template.yaml", "- Sid: Publish"),
        )
    ]
    # template parameters are references like any other
    assert ("CreateOrder", "Orders", ("Policies.DynamoDBCrudPolicy.TableName",)) in edges(graph)
    assert ("CreateOrderRole", "Uploads", ("Policies.PolicyDocument.Statement.Resource",)) in edges(graph)


def test_an_unknown_policy_template_is_an_unknown_statement(cfn) -> None:
    graph = cfn.write({"template.yaml": API}).graph()
    entry = cfn.line_of("template.yaml", "- SomeFuturePolicy:")
    doc = document(graph, "CreateOrderRole", "Policies[3].PolicyDocument")
    assert [(s.span.start_line, s.unknowns) for s in doc.statements] == [
        (entry, [("Statement", Unknown("SAM policy template SomeFuturePolicy is not known to iamready"))])
    ]
    # one root cause, said once by the engine where a rule needs the statements (not once per rule, nor
    # when nothing needs them)
    cause = doc.statements[0].unknowns[0][1].cause
    assert cause is not None and (cause.span.path.endswith("template.yaml"), cause.span.start_line) == (True, entry)
    assert cause.message.startswith("CreateOrder: SAM policy template SomeFuturePolicy is not known to iamready")
    assert "fails the transform" in cause.fix
    assert notes(graph) == []


def test_globals_are_merged_with_sams_rules(cfn) -> None:
    graph = cfn.write({"template.yaml": API}).graph()
    function = resource(graph, "CreateOrder")
    assert value(graph, "CreateOrder", "Timeout") == 30  # the function's scalar wins
    assert value(graph, "CreateOrder", "Runtime") == "python3.12"
    assert value(graph, "CreateOrder", "Environment.Variables") == {"STAGE": "dev", "LOG_LEVEL": "debug"}
    assert function.attr("Environment.Variables.STAGE").span.start_line == cfn.line_of("template.yaml", "STAGE:")
    assert value(graph, "CreateOrder", "Layers") == [
        "arn:aws:lambda:us-east-1:123456789012:layer:common:3",
        "${SharedLayer}",
    ]
    # IgnoreGlobals drops the listed globals for that function only
    assert resource(graph, "Report").has("Layers") is False
    assert value(graph, "Report", "Runtime") == "python3.12"


def test_a_function_with_a_role_gets_no_role_from_sam(cfn) -> None:
    graph = cfn.write({"template.yaml": API}).graph()
    assert [r.address for r in graph.resources("AWS::IAM::Role")] == ["CreateOrderRole", "ReportRole"]
    # Policies of a function with a Role are ignored by SAM: nothing attaches AdministratorAccess
    assert [d.aws_managed for d in graph.policies if d.aws_managed == "AdministratorAccess"] == []


def test_globals_that_sam_rejects_are_reported_and_ignored(cfn) -> None:
    cfn.write(
        {
            "template.yaml": """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: nodejs20.x
                Policies:
                  - AdministratorAccess
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: index.handler
            """
        }
    )
    graph = cfn.graph()
    assert value(graph, "FnRole", "ManagedPolicyArns") == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]
    assert resource(graph, "FnRole").span.start_line == cfn.line_of("template.yaml", "Fn:")
    assert notes(graph) == [
        (
            "template.yaml",
            5,
            "error",
            "Globals.Function.Policies is not supported by SAM (the transform rejects the template); ignored",
        )
    ]


CONDITIONAL = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: w.handler
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: [lambda.amazonaws.com, edgelambda.amazonaws.com]}
            Action: sts:AssumeRole
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt Dead.Arn
      Policies:
        - !If [IsProd, AmazonS3ReadOnlyAccess, AdministratorAccess]
        - !If
          - IsProd
          - SQSPollerPolicy:
              QueueName: !GetAtt Work.QueueName
          - !Ref AWS::NoValue
        - SSMParameterReadPolicy:
            ParameterName: app/config
        - KMSDecryptPolicy: {}
  Work:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: work
  Dead:
    Type: AWS::SQS::Queue
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: flow.asl.json
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref Worker
"""


def test_fn_if_entries_trust_and_dead_letter_queue(cfn) -> None:
    graph = cfn.write({"template.yaml": CONDITIONAL}).graph()
    trust = document(graph, "WorkerRole", "AssumeRolePolicyDocument")
    assert trust.statements[0].principal is not None
    assert trust.statements[0].principal.services == ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]
    admin = [d for d in documents(graph, "WorkerRole", "ManagedPolicyArns") if d.aws_managed == "AdministratorAccess"]
    assert [statements(d) for d in admin] == [
        [(None, "Allow", ["*"], ["*"], cfn.line_of("template.yaml", "- !If [IsProd"), "when IsProd is false")]
    ]
    poller = document(graph, "WorkerRole", "Policies[1].PolicyDocument")
    assert statements(poller) == [
        (
            None,
            "Allow",
            [
                "sqs:ChangeMessageVisibility",
                "sqs:ChangeMessageVisibilityBatch",
                "sqs:DeleteMessage",
                "sqs:DeleteMessageBatch",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            ["arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:work"],
            cfn.line_of("template.yaml", "- SQSPollerPolicy:"),
            "when IsProd is true",
        )
    ]
    ssm = document(graph, "WorkerRole", "Policies[2].PolicyDocument")
    assert [s[2:4] for s in statements(ssm)] == [
        (["ssm:DescribeParameters"], ["*"]),
        (
            ["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
            ["arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/config"],
        ),
    ]
    # a template parameter that is not given: SAM rejects it, the resource is unknown
    kms = document(graph, "WorkerRole", "Policies[3].PolicyDocument")
    assert kms.statements[0].unknowns == [
        ("Resource", Unknown("SAM policy template KMSDecryptPolicy: parameter KeyId is not given"))
    ]
    dlq = document(graph, "WorkerRole", "Policies[0].PolicyDocument")
    assert dlq.name == "DeadLetterQueuePolicy"
    assert statements(dlq) == [
        (None, "Allow", ["sqs:SendMessage"], ["${Dead.Arn}"], cfn.line_of("template.yaml", "DeadLetterQueue:"))
    ]
    assert (
        "template.yaml",
        cfn.line_of("template.yaml", "- KMSDecryptPolicy: {}"),
        "error",
        "Worker: SAM policy template KMSDecryptPolicy needs the parameter KeyId (the transform rejects the template)",
    ) in notes(graph)


def test_state_machine_role(cfn) -> None:
    graph = cfn.write({"template.yaml": CONDITIONAL}).graph()
    trust = document(graph, "FlowRole", "AssumeRolePolicyDocument")
    assert trust.statements[0].principal is not None
    assert trust.statements[0].principal.services == ["states.amazonaws.com"]
    assert value(graph, "FlowRole", "ManagedPolicyArns") == []
    assert statements(document(graph, "FlowRole", "Policies[0].PolicyDocument")) == [
        (
            None,
            "Allow",
            ["lambda:InvokeFunction"],
            ["arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Worker}*"],
            cfn.line_of("template.yaml", "- LambdaInvokePolicy:"),
        )
    ]


def test_the_policy_template_data() -> None:
    templates = policy_templates()
    for name in (
        "S3CrudPolicy",
        "S3ReadPolicy",
        "S3WritePolicy",
        "DynamoDBCrudPolicy",
        "DynamoDBReadPolicy",
        "DynamoDBWritePolicy",
        "SQSSendMessagePolicy",
        "SQSPollerPolicy",
        "SNSPublishMessagePolicy",
        "LambdaInvokePolicy",
        "KMSDecryptPolicy",
        "KMSEncryptPolicy",
        "AWSSecretsManagerGetSecretValuePolicy",
        "SSMParameterReadPolicy",
        "StepFunctionsExecutionPolicy",
        "CloudWatchPutMetricPolicy",
        "EC2DescribePolicy",
        "VPCAccessPolicy",
        "SESCrudPolicy",
        "EventBridgePutEventsPolicy",
    ):
        assert name in templates
    for name, definition in templates.items():
        # every parameter is used as {"Ref": parameter}, and SAM's templates only allow
        text = json.dumps(definition["definition"])
        used = {p for p in definition["parameters"] if json.dumps({"Ref": p}) in text}
        assert used == set(definition["parameters"]), name
        statements = definition["definition"]["Statement"]
        assert all(s["Effect"] == "Allow" for s in statements), name
    assert templates["AWSSecretsManagerGetSecretValuePolicy"] == {
        "parameters": ["SecretArn"],
        "definition": {
            "Statement": [
                {
                    "Action": ["secretsmanager:GetSecretValue"],
                    "Effect": "Allow",
                    "Resource": {"Fn::Sub": ["${secretArn}", {"secretArn": {"Ref": "SecretArn"}}]},
                }
            ]
        },
    }
    assert managed_policy_arn("AWSLambdaVPCAccessExecutionRole") == (
        "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
    )
    assert managed_policy_arn("ReadOnlyAccess") == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    assert managed_policy_arn("arn:aws:iam::123456789012:policy/mine") == "arn:aws:iam::123456789012:policy/mine"


def test_pull_event_sources_add_their_managed_policy(cfn) -> None:
    cfn.write(
        {
            "template.yaml": """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Consumer:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: consumer.handler
                  Policies:
                    - AWSLambdaSQSQueueExecutionRole
                  Events:
                    Jobs:
                      Type: SQS
                      Properties:
                        Queue: arn:aws:sqs:us-east-1:123456789012:jobs
                    Changes:
                      Type: DynamoDB
                      Properties:
                        Stream: arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x
                        StartingPosition: LATEST
                    Nightly:
                      Type: Schedule
                      Properties:
                        Schedule: rate(1 day)
            """
        }
    )
    graph = cfn.graph()
    role = resource(graph, "ConsumerRole")
    assert value(graph, "ConsumerRole", "ManagedPolicyArns") == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
    ]
    assert [s.start_line for s in role.attr("ManagedPolicyArns").raw.item_spans] == [
        cfn.line_of("template.yaml", "Policies:"),
        cfn.line_of("template.yaml", "- AWSLambdaSQSQueueExecutionRole"),
        cfn.line_of("template.yaml", "Changes:"),
    ]


def test_every_sam_policy_template_expands_to_readable_statements(cfn) -> None:
    """One function per template SAM defines, each parameter given as a !Ref: every template expands,
    with its parameters substituted, to statements iamready can read (SAM's own data, no subset)."""
    templates = policy_templates()
    lines = ["Transform: AWS::Serverless-2016-10-31", "Parameters:", "  Value:", "    Type: String", "Resources:"]
    for index, (name, definition) in enumerate(sorted(templates.items())):
        lines += [f"  F{index}:", "    Type: AWS::Serverless::Function", "    Properties:", "      Policies:"]
        if definition["parameters"]:
            lines.append(f"        - {name}:")
            lines += [f"            {p}: !Ref Value" for p in definition["parameters"]]
        else:
            lines.append(f"        - {name}: {{}}")
    graph = cfn.write({"template.yaml": "\n".join(lines) + "\n"}).graph()
    unreadable = []
    for index, name in enumerate(sorted(templates)):
        (doc,) = [d for d in documents(graph, f"F{index}Role") if d.attr.startswith("Policies[")]
        problems = [p for p, _ in doc.problems]
        hidden = [(s.label, u) for s in doc.statements for u in s.unknowns if u[0] in ("Action", "Statement")]
        if problems or hidden or not doc.statements or doc.unknown is not None:
            unreadable.append((name, problems, hidden))
    assert unreadable == []
    assert len(templates) >= 75


def test_sam_managed_policy_names_take_their_path_from_the_snapshot() -> None:
    assert managed_policy_arn("AWSGlueServiceRole") == "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
    assert managed_policy_arn("DataScientist") == "arn:aws:iam::aws:policy/job-function/DataScientist"
    assert managed_policy_arn("AWSLambdaSQSQueueExecutionRole") == (
        "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
    )
    # a name AWS does not have stays at the root, where AWS-IAM-015 reports it
    assert managed_policy_arn("AWSLambdaFullAccess") == "arn:aws:iam::aws:policy/AWSLambdaFullAccess"


def test_ref_to_what_sam_creates_for_an_api_or_function_is_not_an_undeclared_ref(cfn) -> None:
    graph = cfn.write(
        {
            "template.yaml": """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::Serverless-2016-10-31
            Resources:
              RestApi:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: prod
              Canary:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: canary.handler
                  Runtime: python3.12
                  AutoPublishAlias: live
              Alarm:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  MetricName: 5XXError
                  Namespace: AWS/ApiGateway
                  Dimensions:
                    - Name: Stage
                      Value: !Ref RestApi.Stage
                    - Name: Alias
                      Value: !Ref Canary.Alias
                    - Name: Typo
                      Value: !Ref RestApi.Stages
            """
        }
    ).graph()
    # SAM's referenceable properties resolve; a misspelt one is still CloudFormation's error
    assert notes(graph) == [
        (
            "template.yaml",
            25,
            "note",
            "Ref to 'RestApi.Stages', which this template does not declare (CloudFormation rejects it)",
        )
    ]
    assert {e for e in edges(graph) if e[0] == "Alarm"} == {
        ("Alarm", "RestApi", ("Dimensions.Value",)),
        ("Alarm", "Canary", ("Dimensions.Value",)),
    }


def test_an_unknown_policy_template_is_said_once_with_the_checks_it_blocked(tmp_path) -> None:
    # regression: the template's one unknown statement gave a note at parse time and another from each rule
    # that read it (four notes on SAM's own error_function_with_unknown_policy_template.yaml)
    import json

    from click.testing import CliRunner

    from iamready.cli import main

    (tmp_path / "template.yaml").write_text(
        """Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: "def handler(event, context): return event"
      Policies:
        - SQSPolerPolicy:
            QueueName: orders
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--format", "json", "--no-cache"])
    said = [n for n in json.loads(result.output)["notifications"] if "SQSPolerPolicy" in n["message"]]
    assert len(said) == 1, said
    assert said[0]["location"]["start_line"] == 10
    assert "the nearest SAM template is SQSPollerPolicy" in said[0]["message"]
    assert "AWS-IAM-020" in said[0]["message"] and "fails the transform" in said[0]["message"]


def test_function_url_config_creates_the_url_sam_names_after_the_function(cfn) -> None:
    graph = cfn.write(
        {
            "template.yaml": """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::Serverless-2016-10-31
            Resources:
              WebhookFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.12
                  FunctionUrlConfig:
                    AuthType: NONE
            Outputs:
              FunctionUrlEndpoint:
                Value: !GetAtt WebhookFunctionUrl.FunctionUrl
            """
        }
    ).graph()
    assert notes(graph) == []  # not "Fn::GetAtt refers to 'WebhookFunctionUrl', which this template does not declare"
    url = resource(graph, "WebhookFunctionUrl")
    assert url.type == "AWS::Lambda::Url"
    assert url.span.start_line == cfn.line_of("template.yaml", "FunctionUrlConfig:")
    assert value(graph, "WebhookFunctionUrl", "AuthType") == "NONE"
    assert ("Outputs.FunctionUrlEndpoint", "WebhookFunctionUrl", ("Value",)) in edges(graph)
    assert ("WebhookFunctionUrl", "WebhookFunction", ("TargetFunctionArn",)) in edges(graph)


def test_function_url_with_auth_type_none_gets_the_public_permissions_sam_adds(cfn) -> None:
    # aws-sam-translator 1.110.0: AuthType NONE adds <Function>UrlPublicPermissions and
    # <Function>URLInvokeAllowPublicAccess; AWS_IAM adds neither
    graph = cfn.write(
        {
            "template.yaml": """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::Serverless-2016-10-31
            Resources:
              WebhookFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.12
                  FunctionUrlConfig:
                    AuthType: NONE
              ReportsFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.12
                  FunctionUrlConfig:
                    AuthType: AWS_IAM
            """
        }
    ).graph()
    assert notes(graph) == []
    public = resource(graph, "WebhookFunctionUrlPublicPermissions")
    assert public.type == "AWS::Lambda::Permission"
    assert public.span.start_line == cfn.line_of("template.yaml", "AuthType: NONE")
    assert value(graph, "WebhookFunctionUrlPublicPermissions", "Action") == "lambda:InvokeFunctionUrl"
    assert value(graph, "WebhookFunctionUrlPublicPermissions", "Principal") == "*"
    assert value(graph, "WebhookFunctionUrlPublicPermissions", "FunctionUrlAuthType") == "NONE"
    assert ("WebhookFunctionUrlPublicPermissions", "WebhookFunction", ("FunctionName",)) in edges(graph)
    invoke = resource(graph, "WebhookFunctionURLInvokeAllowPublicAccess")
    assert invoke.type == "AWS::Lambda::Permission"
    assert value(graph, "WebhookFunctionURLInvokeAllowPublicAccess", "Action") == "lambda:InvokeFunction"
    assert value(graph, "WebhookFunctionURLInvokeAllowPublicAccess", "InvokedViaFunctionUrl") is True
    assert [r.address for r in graph.resources() if r.type == "AWS::Lambda::Permission"] == [
        "WebhookFunctionUrlPublicPermissions",
        "WebhookFunctionURLInvokeAllowPublicAccess",
    ]
