"""Deterministic synthetic estates for the benchmark: Terraform stacks and local modules, CloudFormation.

``generate(root, tf_files)`` writes exactly ``tf_files`` Terraform files and ``tf_files // 10``
CloudFormation templates under ``root``. The same size and seed always give the same bytes.

Layout::

    modules/mod-NNN/{main,iam,s3,variables,outputs}.tf        local modules (one per 40 files)
    stacks/stack-NNNN/{main,users,groups,roles,policies_doc,  root modules calling two local
        policies_json,policies_heredoc,buckets,trail,            modules each
        variables}.tf
    stacks/extra/extra-NNN.tf                                  whatever is left to reach the count
    cloudformation/stack-NNNN.yaml | .json                     short-form YAML and JSON, alternating

``generate_module(root, files)`` writes one module of ``files`` files (the pre-commit case).

The content is what an IAM and logging estate holds: users with group memberships and access
keys, roles with trust policies, policies written with ``aws_iam_policy_document``, ``jsonencode``
and heredocs (some deliberately too broad), buckets with versioning, logging, public access
blocks and bucket policies, CloudTrail trails, variables and outputs.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SERVICES = ["s3", "dynamodb", "sqs", "sns", "kms", "logs", "lambda", "ec2", "ssm", "secretsmanager"]
READ_ACTIONS = {
    "s3": ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
    "dynamodb": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
    "sqs": ["sqs:ReceiveMessage", "sqs:GetQueueAttributes"],
    "sns": ["sns:ListTopics", "sns:GetTopicAttributes"],
    "kms": ["kms:Decrypt", "kms:DescribeKey"],
    "logs": ["logs:GetLogEvents", "logs:DescribeLogGroups"],
    "lambda": ["lambda:GetFunction", "lambda:ListFunctions"],
    "ec2": ["ec2:DescribeInstances", "ec2:DescribeVpcs"],
    "ssm": ["ssm:GetParameter", "ssm:GetParametersByPath"],
    "secretsmanager": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
}
WRITE_ACTIONS = {
    "s3": ["s3:PutObject", "s3:DeleteObject"],
    "dynamodb": ["dynamodb:PutItem", "dynamodb:UpdateItem"],
    "sqs": ["sqs:SendMessage", "sqs:DeleteMessage"],
    "sns": ["sns:Publish"],
    "kms": ["kms:Encrypt", "kms:GenerateDataKey"],
    "logs": ["logs:PutLogEvents", "logs:CreateLogStream"],
    "lambda": ["lambda:InvokeFunction"],
    "ec2": ["ec2:StartInstances", "ec2:StopInstances"],
    "ssm": ["ssm:PutParameter"],
    "secretsmanager": ["secretsmanager:PutSecretValue"],
}
TRUSTED_SERVICES = ["lambda.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "states.amazonaws.com"]


def _actions(rng: random.Random, broad: bool) -> list[str]:
    service = rng.choice(SERVICES)
    if broad and rng.random() < 0.5:
        return [f"{service}:*"]
    actions = list(READ_ACTIONS[service])
    if rng.random() < 0.6:
        actions += WRITE_ACTIONS[service]
    return actions


def _hcl_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


# -- Terraform files of a root stack -------------------------------------------------------------
def _tf_main(n: int, modules: list[str]) -> str:
    calls = "\n".join(
        f"""module "shared_{i}" {{
  source      = "../../modules/{mod}"
  name        = "${{var.team}}-{i}"
  environment = var.environment
  log_bucket  = aws_s3_bucket.logs.id
  readers     = [aws_iam_role.app.arn]
}}
"""
        for i, mod in enumerate(modules)
    )
    return f"""terraform {{
  required_version = ">= 1.5"
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }}
  }}
}}

provider "aws" {{
  region = var.region
  default_tags {{
    tags = local.tags
  }}
}}

data "aws_caller_identity" "current" {{}}
data "aws_partition" "current" {{}}

locals {{
  account_id = data.aws_caller_identity.current.account_id
  prefix     = "${{var.team}}-${{var.environment}}-{n:04d}"
  tags = {{
    Team        = var.team
    Environment = var.environment
    Stack       = "stack-{n:04d}"
  }}
}}

{calls}"""


def _tf_variables(n: int, rng: random.Random) -> str:
    return f'''variable "region" {{
  type    = string
  default = "{rng.choice(["eu-west-1", "us-east-1", "eu-central-1"])}"
}}

variable "team" {{
  type        = string
  description = "Owning team, used in names."
  default     = "team{n % 37:02d}"
}}

variable "environment" {{
  type    = string
  default = "{rng.choice(["dev", "staging", "prod"])}"
  validation {{
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "Unknown environment."
  }}
}}

variable "developers" {{
  type    = list(string)
  default = {_hcl_list([f"dev{n}-{i}" for i in range(rng.randint(2, 5))])}
}}

variable "partner_account_id" {{
  type    = string
  default = "{rng.randint(10**11, 10**12 - 1)}"
}}

variable "retention_days" {{
  type    = number
  default = {rng.choice([30, 90, 365])}
}}
'''


def _tf_users(n: int, rng: random.Random) -> str:
    out = [
        """resource "aws_iam_user" "developer" {
  for_each = toset(var.developers)
  name     = "${local.prefix}-${each.key}"
  path     = "/developers/"
  tags     = local.tags
}

resource "aws_iam_user_group_membership" "developer" {
  for_each = aws_iam_user.developer
  user     = each.value.name
  groups   = [aws_iam_group.developers.name, aws_iam_group.readonly.name]
}
"""
    ]
    if n % 3 == 0:
        out.append(
            """
resource "aws_iam_user" "deployer" {
  name = "${local.prefix}-deployer"
  tags = merge(local.tags, { Purpose = "ci" })
}

resource "aws_iam_access_key" "deployer" {
  user = aws_iam_user.deployer.name
}

resource "aws_iam_user_policy_attachment" "deployer" {
  user       = aws_iam_user.deployer.name
  policy_arn = aws_iam_policy.deploy.arn
}
"""
        )
    if n % 5 == 0:
        out.append(
            """
resource "aws_iam_user_login_profile" "first" {
  user                    = aws_iam_user.developer[var.developers[0]].name
  password_reset_required = true
}
"""
        )
    return "".join(out)


def _tf_groups(n: int, rng: random.Random) -> str:
    managed = rng.choice(["ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit"])
    return f"""resource "aws_iam_group" "developers" {{
  name = "${{local.prefix}}-developers"
  path = "/teams/"
}}

resource "aws_iam_group" "readonly" {{
  name = "${{local.prefix}}-readonly"
}}

resource "aws_iam_group_policy_attachment" "readonly" {{
  group      = aws_iam_group.readonly.name
  policy_arn = "arn:${{data.aws_partition.current.partition}}:iam::aws:policy/{managed}"
}}

resource "aws_iam_group_policy" "developers" {{
  name  = "developers-inline"
  group = aws_iam_group.developers.name
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid      = "ReadAppData"
        Effect   = "Allow"
        Action   = {_hcl_list(_actions(rng, False))}
        Resource = "arn:aws:s3:::${{local.prefix}}-data/*"
      }},
      {{
        Sid      = "RequireMfaForWrites"
        Effect   = "Deny"
        Action   = {_hcl_list(WRITE_ACTIONS[rng.choice(SERVICES)])}
        Resource = "*"
        Condition = {{
          BoolIfExists = {{ "aws:MultiFactorAuthPresent" = "false" }}
        }}
      }}
    ]
  }})
}}
"""


def _tf_roles(n: int, rng: random.Random) -> str:
    service = rng.choice(TRUSTED_SERVICES)
    cross = ""
    condition = f'Condition = {{ StringEquals = {{ "sts:ExternalId" = "partner-{n}" }} }}' if n % 8 else ""
    if n % 4 == 0:
        cross = f"""
resource "aws_iam_role" "partner" {{
  name = "${{local.prefix}}-partner"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ AWS = "arn:aws:iam::${{var.partner_account_id}}:root" }}
      {condition}
    }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "partner_read" {{
  role       = aws_iam_role.partner.name
  policy_arn = aws_iam_policy.reader.arn
}}
"""
    return f'''data "aws_iam_policy_document" "app_trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["{service}"]
    }}
  }}
}}

resource "aws_iam_role" "app" {{
  name                 = "${{local.prefix}}-app"
  assume_role_policy   = data.aws_iam_policy_document.app_trust.json
  max_session_duration = 3600
  tags                 = local.tags
}}

resource "aws_iam_role_policy" "app" {{
  name   = "app-inline"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.app.json
}}

resource "aws_iam_role_policy_attachment" "app_reader" {{
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.reader.arn
}}

resource "aws_iam_instance_profile" "app" {{
  name = "${{local.prefix}}-app"
  role = aws_iam_role.app.name
}}
{cross}'''


def _tf_policy_doc(n: int, rng: random.Random) -> str:
    statements = []
    for i in range(rng.randint(2, 4)):
        actions = _actions(rng, broad=(n % 7 == 0 and i == 0))
        resource = (
            '"*"' if n % 11 == 0 and i == 0 else f'"arn:aws:{actions[0].split(":")[0]}:*:*:${{local.prefix}}-{i}*"'
        )
        condition = ""
        if i == 1:
            condition = """
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [var.region]
    }"""
        statements.append(
            f"""  statement {{
    sid       = "S{i}"
    effect    = "Allow"
    actions   = {_hcl_list(actions)}
    resources = [{resource}]{condition}
  }}
"""
        )
    return (
        'data "aws_iam_policy_document" "app" {\n'
        + "\n".join(statements)
        + """}

data "aws_iam_policy_document" "reader" {
  source_policy_documents = [data.aws_iam_policy_document.app.json]
  statement {
    sid       = "ReadLogs"
    actions   = ["logs:GetLogEvents", "logs:FilterLogEvents"]
    resources = ["arn:aws:logs:${var.region}:${local.account_id}:log-group:/app/*"]
  }
}

resource "aws_iam_policy" "reader" {
  name   = "${local.prefix}-reader"
  policy = data.aws_iam_policy_document.reader.json
}
"""
    )


def _tf_policy_json(n: int, rng: random.Random) -> str:
    pass_role = (
        '"*"' if n % 9 == 0 else '"arn:aws:iam::${local.account_id}:role/${local.prefix}-app"'  # a broad PassRole
    )
    return f"""resource "aws_iam_policy" "deploy" {{
  name        = "${{local.prefix}}-deploy"
  description = "Deployment pipeline for stack {n}"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid      = "Deploy"
        Effect   = "Allow"
        Action   = {_hcl_list(_actions(rng, n % 6 == 0))}
        Resource = [for i in range(3) : "arn:aws:s3:::${{local.prefix}}-artifacts-${{i}}/*"]
      }},
      {{
        Sid      = "PassAppRole"
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = {pass_role}
      }},
      {{
        Sid      = "Tagging"
        Effect   = "Allow"
        Action   = ["tag:GetResources", "tag:TagResources"]
        Resource = "*"
      }}
    ]
  }})
  tags = local.tags
}}
"""


def _tf_policy_heredoc(n: int, rng: random.Random) -> str:
    actions = _actions(rng, n % 10 == 0)
    admin = n % 13 == 0
    return f"""resource "aws_iam_policy" "ops" {{
  name   = "${{local.prefix}}-ops"
  policy = <<-EOT
    {{
      "Version": "2012-10-17",
      "Statement": [
        {{
          "Sid": "Operate",
          "Effect": "Allow",
          "Action": {json.dumps(["*"] if admin else actions)},
          "Resource": "*"
        }},
        {{
          "Sid": "DenyOutsideRegion",
          "Effect": "Deny",
          "NotAction": ["iam:*", "sts:*"],
          "Resource": "*",
          "Condition": {{"StringNotEquals": {{"aws:RequestedRegion": "${{var.region}}"}}}}
        }}
      ]
    }}
  EOT
}}

resource "aws_iam_group_policy_attachment" "ops" {{
  group      = aws_iam_group.developers.name
  policy_arn = aws_iam_policy.ops.arn
}}
"""


def _tf_buckets(n: int, rng: random.Random) -> str:
    versioning = "Enabled" if n % 4 else "Suspended"
    return f'''resource "aws_s3_bucket" "logs" {{
  bucket = "${{local.prefix}}-logs-${{local.account_id}}"
  tags   = local.tags
}}

resource "aws_s3_bucket_versioning" "logs" {{
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {{
    status = "{versioning}"
  }}
}}

resource "aws_s3_bucket_public_access_block" "logs" {{
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = {"true" if n % 6 else "false"}
}}

resource "aws_s3_bucket_ownership_controls" "logs" {{
  bucket = aws_s3_bucket.logs.id
  rule {{
    object_ownership = "BucketOwnerEnforced"
  }}
}}

resource "aws_s3_bucket" "data" {{
  bucket = "${{local.prefix}}-data"
}}

resource "aws_s3_bucket_logging" "data" {{
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "s3/data/"
}}

data "aws_iam_policy_document" "logs_bucket" {{
  statement {{
    sid       = "TrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["${{aws_s3_bucket.logs.arn}}/AWSLogs/${{local.account_id}}/*"]
    principals {{
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = ["arn:aws:cloudtrail:${{var.region}}:${{local.account_id}}:trail/${{local.prefix}}"]
    }}
  }}
  statement {{
    sid       = "TrailAcl"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.logs.arn]
    principals {{
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }}
  }}
}}

resource "aws_s3_bucket_policy" "logs" {{
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs_bucket.json
}}
'''


def _tf_trail(n: int, rng: random.Random) -> str:
    return f"""resource "aws_cloudwatch_log_group" "trail" {{
  name              = "/aws/cloudtrail/${{local.prefix}}"
  retention_in_days = var.retention_days
}}

resource "aws_iam_role" "trail_logs" {{
  name = "${{local.prefix}}-trail-logs"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ Service = "cloudtrail.amazonaws.com" }}
    }}]
  }})
}}

resource "aws_iam_role_policy" "trail_logs" {{
  role = aws_iam_role.trail_logs.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${{aws_cloudwatch_log_group.trail.arn}}:*"
    }}]
  }})
}}

resource "aws_cloudtrail" "main" {{
  name                          = local.prefix
  s3_bucket_name                = aws_s3_bucket.logs.id
  is_multi_region_trail         = {"true" if n % 5 else "false"}
  include_global_service_events = true
  enable_log_file_validation    = {"true" if n % 7 else "false"}
  cloud_watch_logs_group_arn    = "${{aws_cloudwatch_log_group.trail.arn}}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.trail_logs.arn
  {'kms_key_id                    = "arn:aws:kms:${var.region}:${local.account_id}:alias/trail"' if n % 3 else ""}

  event_selector {{
    read_write_type           = "All"
    include_management_events = true
  }}
}}

output "trail_arn" {{
  value = aws_cloudtrail.main.arn
}}

output "app_role_arn" {{
  value = aws_iam_role.app.arn
}}
"""


STACK_FILES = [
    ("main.tf", None),
    ("variables.tf", _tf_variables),
    ("users.tf", _tf_users),
    ("groups.tf", _tf_groups),
    ("roles.tf", _tf_roles),
    ("policies_doc.tf", _tf_policy_doc),
    ("policies_json.tf", _tf_policy_json),
    ("policies_heredoc.tf", _tf_policy_heredoc),
    ("buckets.tf", _tf_buckets),
    ("trail.tf", _tf_trail),
]


# -- a local module ------------------------------------------------------------------------------
def _module_files(m: int, rng: random.Random) -> dict[str, str]:
    actions = _actions(rng, m % 5 == 0)
    return {
        "variables.tf": """variable "name" {
  type = string
}

variable "environment" {
  type = string
}

variable "log_bucket" {
  type = string
}

variable "readers" {
  type    = list(string)
  default = []
}
""",
        "main.tf": f"""locals {{
  full_name = "${{var.name}}-${{var.environment}}"
  is_prod   = var.environment == "prod"
}}

resource "aws_sqs_queue" "work" {{
  name                      = "${{local.full_name}}-work"
  message_retention_seconds = local.is_prod ? 1209600 : 345600
}}

resource "aws_sns_topic" "events" {{
  name = "${{local.full_name}}-events-{m}"
}}
""",
        "iam.tf": f"""data "aws_iam_policy_document" "worker_trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "worker" {{
  name               = "${{local.full_name}}-worker"
  assume_role_policy = data.aws_iam_policy_document.worker_trust.json
}}

data "aws_iam_policy_document" "worker" {{
  statement {{
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.work.arn]
  }}
  statement {{
    actions   = {_hcl_list(actions)}
    resources = ["*"]
  }}
  dynamic "statement" {{
    for_each = length(var.readers) > 0 ? [1] : []
    content {{
      actions   = ["sns:Publish"]
      resources = [aws_sns_topic.events.arn]
    }}
  }}
}}

resource "aws_iam_role_policy" "worker" {{
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}}
""",
        "s3.tf": """resource "aws_s3_bucket" "artifacts" {
  bucket = "${local.full_name}-artifacts"
}

resource "aws_s3_bucket_logging" "artifacts" {
  bucket        = aws_s3_bucket.artifacts.id
  target_bucket = var.log_bucket
  target_prefix = "s3/${local.full_name}/"
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Readers"
      Effect    = "Allow"
      Principal = { AWS = length(var.readers) > 0 ? var.readers : ["*"] }
      Action    = ["s3:GetObject"]
      Resource  = "${aws_s3_bucket.artifacts.arn}/*"
    }]
  })
}
""",
        "outputs.tf": """output "worker_role_arn" {
  value = aws_iam_role.worker.arn
}

output "queue_url" {
  value = aws_sqs_queue.work.url
}
""",
    }


def _extra_file(i: int, rng: random.Random) -> str:
    return f'''resource "aws_iam_role" "extra_{i}" {{
  name = "extra-{i}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ Service = "{rng.choice(TRUSTED_SERVICES)}" }}
    }}]
  }})
}}

resource "aws_iam_role_policy" "extra_{i}" {{
  role = aws_iam_role.extra_{i}.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {_hcl_list(_actions(rng, i % 3 == 0))}, Resource = "*" }}]
  }})
}}
'''


# -- CloudFormation ------------------------------------------------------------------------------
def _cfn_yaml(n: int, rng: random.Random) -> str:
    actions = _actions(rng, n % 4 == 0)
    return f"""AWSTemplateFormatVersion: "2010-09-09"
Description: Synthetic stack {n} - roles, users, a log bucket and a trail.

Parameters:
  Environment:
    Type: String
    AllowedValues: [dev, staging, prod]
    Default: {rng.choice(["dev", "staging", "prod"])}
  PartnerAccountId:
    Type: String
    Default: "{rng.randint(10**11, 10**12 - 1)}"

Conditions:
  IsProd: !Equals [!Ref Environment, prod]

Resources:
  LogBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "cfn-{n:04d}-logs-${{AWS::AccountId}}"
      VersioningConfiguration:
        Status: {"Enabled" if n % 3 else "Suspended"}
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerEnforced

  LogBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref LogBucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: TrailAcl
            Effect: Allow
            Principal:
              Service: cloudtrail.amazonaws.com
            Action: s3:GetBucketAcl
            Resource: !GetAtt LogBucket.Arn
          - Sid: TrailWrite
            Effect: Allow
            Principal:
              Service: cloudtrail.amazonaws.com
            Action: s3:PutObject
            Resource: !Sub "${{LogBucket.Arn}}/AWSLogs/${{AWS::AccountId}}/*"

  Trail:
    Type: AWS::CloudTrail::Trail
    DependsOn: LogBucketPolicy
    Properties:
      TrailName: !Sub "cfn-{n:04d}-${{Environment}}"
      S3BucketName: !Ref LogBucket
      IsLogging: true
      IsMultiRegionTrail: !If [IsProd, true, false]
      EnableLogFileValidation: {"true" if n % 5 else "false"}
      IncludeGlobalServiceEvents: true

  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "cfn-{n:04d}-app-${{Environment}}"
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: {rng.choice(TRUSTED_SERVICES)}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: {json.dumps(actions)}
                Resource: {'"*"' if n % 6 == 0 else '!Sub "arn:aws:s3:::cfn-' + f"{n:04d}" + '-data/*"'}

  PartnerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub "arn:aws:iam::${{PartnerAccountId}}:root"
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Ref ReaderPolicy

  ReaderPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action:
              - s3:GetObject
              - s3:ListBucket
            Resource:
              - !GetAtt LogBucket.Arn
              - !Sub "${{LogBucket.Arn}}/*"

  Developers:
    Type: AWS::IAM::Group
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess

  Developer:
    Type: AWS::IAM::User
    Properties:
      UserName: !Sub "cfn-{n:04d}-developer"
      Groups:
        - !Ref Developers

  DeveloperKey:
    Type: AWS::IAM::AccessKey
    Condition: IsProd
    Properties:
      UserName: !Ref Developer

Outputs:
  AppRoleArn:
    Value: !GetAtt AppRole.Arn
  TrailArn:
    Value: !GetAtt Trail.Arn
"""


def _cfn_json(n: int, rng: random.Random) -> str:
    actions = _actions(rng, n % 4 == 1)
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Synthetic JSON stack {n}",
        "Parameters": {"Environment": {"Type": "String", "Default": "dev"}},
        "Resources": {
            "LogBucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": {"Fn::Sub": f"cfn-{n:04d}-logs-${{AWS::AccountId}}"},
                    "VersioningConfiguration": {"Status": "Enabled"},
                },
            },
            "Trail": {
                "Type": "AWS::CloudTrail::Trail",
                "Properties": {
                    "S3BucketName": {"Ref": "LogBucket"},
                    "IsLogging": True,
                    "IsMultiRegionTrail": n % 2 == 0,
                    "EnableLogFileValidation": True,
                },
            },
            "WorkerRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": rng.choice(TRUSTED_SERVICES)},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                    "Policies": [
                        {
                            "PolicyName": "worker",
                            "PolicyDocument": {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {"Effect": "Allow", "Action": actions, "Resource": "*"},
                                    {
                                        "Effect": "Allow",
                                        "Action": "iam:PassRole",
                                        "Resource": {"Fn::GetAtt": ["WorkerRole", "Arn"]},
                                    },
                                ],
                            },
                        }
                    ],
                },
            },
            "Operators": {
                "Type": "AWS::IAM::Group",
                "Properties": {
                    "Policies": [
                        {
                            "PolicyName": "operate",
                            "PolicyDocument": {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {"Effect": "Allow", "Action": _actions(rng, False), "Resource": "*"},
                                ],
                            },
                        }
                    ]
                },
            },
        },
        "Outputs": {"WorkerRoleArn": {"Value": {"Fn::GetAtt": ["WorkerRole", "Arn"]}}},
    }
    return json.dumps(template, indent=2) + "\n"


# -- estates -------------------------------------------------------------------------------------
def _write(path: Path, text: str, header: str = "") -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (header + text).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def generate(root: Path, tf_files: int, seed: int = 7, cfn_ratio: int = 10) -> dict[str, int]:
    """Write the estate; returns counts and total bytes. ``root`` must be empty or absent."""
    rng = random.Random(seed * 1_000_003 + tf_files)
    module_count = max(2, tf_files // 40)
    module_names = [f"mod-{m:03d}" for m in range(module_count)]
    total = 0
    written = 0
    for m, name in enumerate(module_names):
        for file_name, text in _module_files(m, rng).items():
            total += _write(root / "modules" / name / file_name, text, f"# {name}/{file_name}\n")
            written += 1
    stacks = (tf_files - written) // len(STACK_FILES)
    for n in range(stacks):
        used = [module_names[(2 * n) % module_count], module_names[(2 * n + 1) % module_count]]
        for file_name, make in STACK_FILES:
            text = _tf_main(n, used) if make is None else make(n, rng)
            total += _write(root / "stacks" / f"stack-{n:04d}" / file_name, text, f"# stack-{n:04d}/{file_name}\n")
            written += 1
    extra = 0
    while written < tf_files:
        total += _write(root / "stacks" / "extra" / f"extra-{extra:03d}.tf", _extra_file(extra, rng))
        written += 1
        extra += 1
    templates = tf_files // cfn_ratio
    for n in range(templates):
        if n % 2 == 0:
            total += _write(root / "cloudformation" / f"stack-{n:04d}.yaml", _cfn_yaml(n, rng))
        else:
            total += _write(root / "cloudformation" / f"stack-{n:04d}.json", _cfn_json(n, rng))
    return {"terraform_files": written, "templates": templates, "bytes": total}


def generate_module(root: Path, files: int = 50, seed: int = 11) -> dict[str, int]:
    """One Terraform module of ``files`` files, as a pre-commit hook sees it: a stack and its extra roles."""
    rng = random.Random(seed)
    total = 0
    written = 0
    for file_name, make in STACK_FILES:
        text = _tf_main(1, []) if make is None else make(1, rng)
        if make is None:  # no local modules next to this one: the stack's bucket for the logs lives here
            text += 'resource "aws_s3_bucket" "access_logs" {\n  bucket = "${local.prefix}-access-logs"\n}\n'
        total += _write(root / file_name, text)
        written += 1
    extra = 0
    while written < files:
        total += _write(root / f"role_{extra:03d}.tf", _extra_file(extra, rng))
        written += 1
        extra += 1
    return {"terraform_files": written, "templates": 0, "bytes": total}


ONE_DEPLOYMENT_TF = """\
# One root module, one deployment: a team list expanded with for_each into users with console
# passwords, access keys and AdministratorAccess, and one role per user that only that user may
# assume, with PassRole and RunInstances. Everything is in one scope, so any rule that pairs
# principals (credentials with users, roles with whoever may assume or pass them) meets n x n pairs.
locals {
  people = toset(%(people)s)
}

resource "aws_iam_user" "person" {
  for_each = local.people
  name     = each.key
}

resource "aws_iam_user_login_profile" "person" {
  for_each = local.people
  user     = aws_iam_user.person[each.key].name
}

resource "aws_iam_access_key" "person" {
  for_each = local.people
  user     = aws_iam_user.person[each.key].name
}

resource "aws_iam_user_policy_attachment" "admin" {
  for_each   = local.people
  user       = aws_iam_user.person[each.key].name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

data "aws_iam_policy_document" "trust" {
  for_each = local.people
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_user.person[each.key].arn]
    }
  }
}

resource "aws_iam_role" "work" {
  for_each           = local.people
  name               = "work-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
}

resource "aws_iam_role_policy" "work" {
  for_each = local.people
  role     = aws_iam_role.work[each.key].id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "ec2:RunInstances", "s3:*"], Resource = "*" }]
  })
}
"""


def generate_one_deployment(root: Path, people: int) -> dict[str, int]:
    """One Terraform file whose for_each makes ``people`` users and as many roles, all in one scope."""
    names = "[" + ", ".join(f'"person-{i:05d}"' for i in range(people)) + "]"
    total = _write(root / "main.tf", ONE_DEPLOYMENT_TF % {"people": names})
    return {"terraform_files": 1, "templates": 0, "bytes": total}
