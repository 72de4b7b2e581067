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


# -- shapes of two public repositories, for machines without a copy of them ----------------------
# The benchmark prefers real copies (benchmarks/run.py --repos); these write layouts of the same
# shape and size: what a hook or a CI job meets there.

# one escalation method per file, as in a catalogue of privilege-escalation paths
PRIVESC_METHODS = [
    ["iam:CreatePolicyVersion"],
    ["iam:SetDefaultPolicyVersion"],
    ["iam:PassRole", "ec2:RunInstances"],
    ["iam:CreateAccessKey"],
    ["iam:CreateLoginProfile"],
    ["iam:UpdateLoginProfile"],
    ["iam:AttachUserPolicy"],
    ["iam:AttachGroupPolicy"],
    ["iam:AttachRolePolicy"],
    ["iam:PutUserPolicy"],
    ["iam:PutGroupPolicy"],
    ["iam:PutRolePolicy"],
    ["iam:AddUserToGroup"],
    ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping", "dynamodb:CreateTable"],
    ["lambda:UpdateFunctionCode"],
    ["iam:PassRole", "glue:CreateDevEndpoint"],
    ["glue:UpdateDevEndpoint"],
    ["iam:PassRole", "cloudformation:CreateStack"],
    ["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"],
    ["cloudformation:UpdateStack", "cloudformation:DescribeStacks"],
    ["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"],
    ["ec2-instance-connect:SendSSHPublicKey", "ec2:DescribeInstances"],
    ["iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"],
    ["sagemaker:CreatePresignedNotebookInstanceUrl", "sagemaker:ListNotebookInstances"],
    ["iam:PassRole", "sagemaker:CreateProcessingJob"],
    ["iam:PassRole", "sagemaker:CreateTrainingJob"],
    ["ssm:SendCommand", "ssm:ListCommandInvocations", "ec2:DescribeInstances"],
    ["ssm:StartSession", "ssm:DescribeSessions", "ec2:DescribeInstances"],
    ["sts:AssumeRole"],
    ["iam:CreateServiceLinkedRole", "iam:PassRole"],
    ["iam:ListRoles", "iam:GetRole", "iam:ListPolicies", "iam:GetPolicyVersion"],
]

PRIVESC_VARIABLES = """\
variable "aws_local_profile" {
  description = "Local profile used to reach the account"
  type        = string
  default     = "default"
}

variable "aws_local_creds_file" {
  description = "Location of the local credentials file"
  type        = string
  default     = "~/.aws/credentials"
}

variable "aws_assume_role_arn" {
  description = "ARN of an existing principal that may assume every role created here"
  type        = string
  default     = ""
}

variable "aws_root_user" {
  description = "Root user of the calling account"
  type        = string
  default     = ""
}
"""


def _privesc_file(i: int, actions: list[str], extra: bool) -> str:
    name = f"privesc{i:02d}-{actions[0].split(':')[1]}"
    action = json.dumps(actions[0]) if len(actions) == 1 else _hcl_list(actions)
    text = f'''resource "aws_iam_policy" "{name}" {{
  name        = "{name}"
  path        = "/"
  description = "Allows privesc via {", ".join(actions)}"

  # jsonencode turns a Terraform expression into JSON
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Action   = {action}
        Effect   = "Allow"
        Resource = "*"
      }},
    ]
  }})
}}

resource "aws_iam_role" "{name}-role" {{
  name = "{name}-role"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Action = "sts:AssumeRole"
        Effect = "Allow"
        Sid    = ""
        Principal = {{
          AWS = var.aws_assume_role_arn
        }}
      }},
    ]
  }})
}}

resource "aws_iam_user" "{name}-user" {{
  name = "{name}-user"
  path = "/"
}}

resource "aws_iam_access_key" "{name}-user" {{
  user = aws_iam_user.{name}-user.name
}}

resource "aws_iam_user_policy_attachment" "{name}-user-attach-policy" {{
  user       = aws_iam_user.{name}-user.name
  policy_arn = aws_iam_policy.{name}.arn
}}

resource "aws_iam_role_policy_attachment" "{name}-role-attach-policy" {{
  role       = aws_iam_role.{name}-role.name
  policy_arn = aws_iam_policy.{name}.arn
}}
'''
    if extra:
        text += f'''
resource "aws_iam_group" "{name}-group" {{
  name = "{name}-group"
  path = "/"
}}
'''
    return text


def generate_privesc_module(root: Path, files: int = 34, resources: int = 209) -> dict[str, int]:
    """One module of ``files`` files and ``resources`` resources, one escalation path per file (a user and
    a role, the policy granting the path, an access key and the attachments), plus its variables."""
    total = _write(root / "variables.tf", PRIVESC_VARIABLES)
    paths = files - 1
    extras = max(0, resources - 6 * paths)
    for i in range(paths):
        actions = PRIVESC_METHODS[i % len(PRIVESC_METHODS)]
        total += _write(root / f"privesc{i:02d}.tf", _privesc_file(i, actions, extra=i < extras))
    return {"terraform_files": files, "templates": 0, "bytes": total, "resources": 6 * paths + min(extras, paths)}


# a module collection: modules/<name>/ with examples/<name>/ calling it and wrappers/<name>/ calling it
# with for_each, as a published Terraform module repository is laid out
COLLECTION_MODULES = [
    ("iam-account", "account", 0),
    ("iam-group", "group", 1),
    ("iam-oidc-provider", "oidc", 0),
    ("iam-policy", "policy", 0),
    ("iam-read-only-policy", "read-only", 0),
    ("iam-role", "role", 0),
    ("iam-role-for-service-accounts", "irsa", 40),
    ("iam-user", "user", 1),
]

_COLLECTION_VARIABLES = [
    ("create", "bool", "true", "Controls whether resources are created"),
    ("name", "string", "null", "Name to use on the resources created"),
    ("use_name_prefix", "bool", "true", "Whether the name is used as a prefix"),
    ("path", "string", '"/"', "Path of the resources created"),
    ("description", "string", "null", "Description of the resources created"),
    ("permissions_boundary", "string", "null", "ARN of the policy that bounds the permissions"),
    ("policies", "map(string)", "{}", "Policies to attach, by a static key"),
    ("tags", "map(string)", "{}", "Tags added to the resources created"),
    ("max_session_duration", "number", "null", "Maximum session duration, in seconds"),
    ("create_inline_policy", "bool", "false", "Whether to create the inline policy"),
]


def _collection_trust(kind: str) -> str:
    if kind in ("role", "irsa"):
        return """
data "aws_iam_policy_document" "assume" {
  count = var.create ? 1 : 0

  dynamic "statement" {
    for_each = var.trust_policy_permissions != null ? var.trust_policy_permissions : {}

    content {
      sid           = try(statement.value.sid, statement.key)
      actions       = try(statement.value.actions, ["sts:AssumeRole", "sts:TagSession"])
      not_actions   = try(statement.value.not_actions, null)
      effect        = try(statement.value.effect, null)
      resources     = try(statement.value.resources, null)
      not_resources = try(statement.value.not_resources, null)

      dynamic "principals" {
        for_each = try(statement.value.principals, [])

        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }

      dynamic "condition" {
        for_each = try(statement.value.condition, [])

        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}
"""
    return ""


def _collection_main(kind: str, rng: random.Random) -> str:
    head = """data "aws_caller_identity" "current" {
  count = var.create ? 1 : 0
}

data "aws_partition" "current" {
  count = var.create ? 1 : 0
}

locals {
  account_id = try(data.aws_caller_identity.current[0].account_id, "")
  partition  = try(data.aws_partition.current[0].partition, "aws")
  name       = var.use_name_prefix ? null : var.name
  prefix     = var.use_name_prefix ? "${coalesce(var.name, "iam")}-" : null
}
"""
    body = _collection_trust(kind)
    if kind in ("role", "irsa"):
        body += """
resource "aws_iam_role" "this" {
  count = var.create ? 1 : 0

  name                  = local.name
  name_prefix           = local.prefix
  path                  = var.path
  description           = var.description
  max_session_duration  = var.max_session_duration
  assume_role_policy    = data.aws_iam_policy_document.assume[0].json
  permissions_boundary  = var.permissions_boundary
  force_detach_policies = true

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = { for k, v in var.policies : k => v if var.create }

  policy_arn = each.value
  role       = aws_iam_role.this[0].name
}

resource "aws_iam_instance_profile" "this" {
  count = var.create && var.create_instance_profile ? 1 : 0

  role        = aws_iam_role.this[0].name
  name        = local.name
  name_prefix = local.prefix
  path        = var.path
  tags        = var.tags
}
"""
    elif kind == "user":
        body += """
resource "aws_iam_user" "this" {
  count = var.create ? 1 : 0

  name                 = var.name
  path                 = var.path
  force_destroy        = var.force_destroy
  permissions_boundary = var.permissions_boundary

  tags = var.tags
}

resource "aws_iam_user_login_profile" "this" {
  count = var.create && var.create_login_profile ? 1 : 0

  user                    = aws_iam_user.this[0].name
  pgp_key                 = var.pgp_key
  password_length         = var.password_length
  password_reset_required = var.password_reset_required
}

resource "aws_iam_access_key" "this" {
  count = var.create && var.create_access_key ? 1 : 0

  user    = aws_iam_user.this[0].name
  pgp_key = var.pgp_key
  status  = var.access_key_status
}

resource "aws_iam_user_policy_attachment" "this" {
  for_each = { for k, v in var.policies : k => v if var.create }

  user       = aws_iam_user.this[0].name
  policy_arn = each.value
}
"""
    elif kind == "group":
        body += """
resource "aws_iam_group" "this" {
  count = var.create ? 1 : 0

  name = var.name
  path = var.path
}

resource "aws_iam_group_membership" "this" {
  count = var.create && length(var.users) > 0 ? 1 : 0

  group = aws_iam_group.this[0].id
  name  = var.name
  users = var.users
}

resource "aws_iam_group_policy_attachment" "this" {
  for_each = { for k, v in var.policies : k => v if var.create }

  group      = aws_iam_group.this[0].id
  policy_arn = each.value
}
"""
    elif kind == "oidc":
        body += """
data "tls_certificate" "this" {
  count = var.create ? 1 : 0

  url = var.url
}

resource "aws_iam_openid_connect_provider" "this" {
  count = var.create ? 1 : 0

  url             = var.url
  client_id_list  = coalescelist(var.client_id_list, ["sts.${local.partition}.amazonaws.com"])
  thumbprint_list = distinct(concat(data.tls_certificate.this[0].certificates[*].sha1_fingerprint, var.thumbprints))

  tags = var.tags
}
"""
    elif kind == "account":
        body += """
resource "aws_iam_account_alias" "this" {
  count = var.create ? 1 : 0

  account_alias = var.account_alias
}

resource "aws_iam_account_password_policy" "this" {
  count = var.create && var.create_account_password_policy ? 1 : 0

  max_password_age               = var.max_password_age
  minimum_password_length        = var.minimum_password_length
  allow_users_to_change_password = var.allow_users_to_change_password
  hard_expiry                    = var.hard_expiry
  password_reuse_prevention      = var.password_reuse_prevention
  require_lowercase_characters   = var.require_lowercase_characters
  require_uppercase_characters   = var.require_uppercase_characters
  require_numbers                = var.require_numbers
  require_symbols                = var.require_symbols
}
"""
    # every module may carry an inline policy written with a policy document
    services = rng.sample(SERVICES, 4)
    statements = "".join(
        f"""
  statement {{
    sid       = "{svc.title().replace("-", "")}Access"
    actions   = {_hcl_list(READ_ACTIONS[svc])}
    resources = coalescelist(var.{svc}_arns, ["arn:${{local.partition}}:{svc}:*:${{local.account_id}}:*"])

    condition {{
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [local.account_id]
    }}
  }}
"""
        for svc in services
    )
    body += f"""
data "aws_iam_policy_document" "inline" {{
  count = var.create && var.create_inline_policy ? 1 : 0
{statements}
  dynamic "statement" {{
    for_each = var.inline_policy_permissions != null ? var.inline_policy_permissions : {{}}

    content {{
      sid       = try(statement.value.sid, statement.key)
      actions   = try(statement.value.actions, null)
      effect    = try(statement.value.effect, null)
      resources = try(statement.value.resources, null)
    }}
  }}
}}

resource "aws_iam_policy" "inline" {{
  count = var.create && var.create_inline_policy ? 1 : 0

  name_prefix = "${{coalesce(var.name, "{kind}")}}-"
  path        = var.path
  description = var.description
  policy      = data.aws_iam_policy_document.inline[0].json

  tags = var.tags
}}
"""
    return head + body


def _collection_policies(kind: str, count: int) -> str:
    """Optional policies, each behind its own switch (the IRSA module's shape), attached to the module's principal."""
    attachment, argument, principal = {
        "group": ("aws_iam_group_policy_attachment", "group", "aws_iam_group.this[0].name"),
        "user": ("aws_iam_user_policy_attachment", "user", "aws_iam_user.this[0].name"),
    }.get(kind, ("aws_iam_role_policy_attachment", "role", "aws_iam_role.this[0].name"))
    out = []
    for i in range(count):
        svc = SERVICES[i % len(SERVICES)]
        actions = READ_ACTIONS[svc] + (WRITE_ACTIONS.get(svc, []) if i % 3 == 0 else [])
        out.append(f'''
################################################################################
# {svc} policy {i}
################################################################################

data "aws_iam_policy_document" "{svc}_{i}" {{
  count = var.create && var.attach_{svc}_{i}_policy ? 1 : 0

  statement {{
    sid       = "Describe{i}"
    actions   = {_hcl_list(actions)}
    resources = ["*"]
  }}

  statement {{
    sid       = "Scoped{i}"
    actions   = {_hcl_list(READ_ACTIONS[svc])}
    resources = coalescelist(var.{svc}_{i}_arns, ["arn:${{local.partition}}:{svc}:*:${{local.account_id}}:*"])

    condition {{
      test     = "StringLike"
      variable = "aws:ResourceTag/owner"
      values   = ["${{var.name}}-*"]
    }}
  }}
}}

resource "aws_iam_policy" "{svc}_{i}" {{
  count = var.create && var.attach_{svc}_{i}_policy ? 1 : 0

  name_prefix = "${{var.policy_name_prefix}}{svc}-{i}-"
  path        = var.path
  description = "Permissions for {svc} ({i})"
  policy      = data.aws_iam_policy_document.{svc}_{i}[0].json

  tags = var.tags
}}

resource "{attachment}" "{svc}_{i}" {{
  count = var.create && var.attach_{svc}_{i}_policy ? 1 : 0

  {argument:<10} = {principal}
  policy_arn = aws_iam_policy.{svc}_{i}[0].arn
}}
''')
    return "".join(out)


def _collection_variables(kind: str, policies: int) -> str:
    names = list(_COLLECTION_VARIABLES)
    names += [(f"{svc}_arns", "list(string)", "[]", f"ARNs of the {svc} resources") for svc in SERVICES]
    names += [("trust_policy_permissions", "any", "null", "Statements of the trust policy")]
    names += [("inline_policy_permissions", "any", "null", "Statements of the inline policy")]
    names += [("create_instance_profile", "bool", "false", "Whether to create an instance profile")]
    names += [("policy_name_prefix", "string", '"AmazonEKS_"', "Prefix of the policy names")]
    if kind == "user":
        names += [("force_destroy", "bool", "false", "Destroy the user even with keys")]
        names += [("pgp_key", "string", '""', "")]
        names += [("create_login_profile", "bool", "true", ""), ("create_access_key", "bool", "true", "")]
        names += [("password_length", "number", "20", ""), ("password_reset_required", "bool", "true", "")]
        names += [("access_key_status", "string", "null", "Active or Inactive")]
    if kind == "group":
        names += [("users", "list(string)", "[]", "Users in the group")]
    if kind == "oidc":
        names += [("url", "string", '""', "Issuer URL"), ("client_id_list", "list(string)", "[]", "")]
        names += [("thumbprints", "list(string)", "[]", "Extra thumbprints")]
    if kind == "account":
        names += [("account_alias", "string", '""', ""), ("create_account_password_policy", "bool", "true", "")]
        switches = ("require_lowercase_characters", "require_uppercase_characters", "require_numbers")
        names += [(n, "bool", "true", "") for n in (*switches, "require_symbols", "hard_expiry")]
        names += [("allow_users_to_change_password", "bool", "true", "")]
        names += [(f"{n}", "number", "24", "") for n in ("max_password_age", "password_reuse_prevention")]
        names += [("minimum_password_length", "number", "14", "")]
    for i in range(policies):
        svc = SERVICES[i % len(SERVICES)]
        names += [(f"attach_{svc}_{i}_policy", "bool", "false", f"Whether to attach the {svc} policy {i}")]
        names += [(f"{svc}_{i}_arns", "list(string)", "[]", f"ARNs the {svc} policy {i} covers")]
    return "".join(
        f'variable "{n}" {{\n  description = "{d or n.replace("_", " ")}"\n'
        f"  type        = {t}\n  default     = {v}\n}}\n\n"
        for n, t, v, d in names
    )


def _collection_outputs(kind: str) -> str:
    resource = {
        "role": "aws_iam_role.this",
        "irsa": "aws_iam_role.this",
        "user": "aws_iam_user.this",
        "group": "aws_iam_group.this",
        "oidc": "aws_iam_openid_connect_provider.this",
        "account": "aws_iam_account_alias.this",
    }.get(kind, "aws_iam_policy.inline")
    return (
        "".join(
            f'output "{name}" {{\n  description = "The {name.replace("_", " ")}"\n'
            f"  value       = try({resource}[0].{attr}, null)\n}}\n\n"
            for name, attr in (("arn", "arn"), ("name", "id"), ("id", "id"), ("unique_id", "id"))
        )
        + 'output "inline_policy_arn" {\n  value = try(aws_iam_policy.inline[0].arn, null)\n}\n'
    )


_COLLECTION_VERSIONS = """terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}
"""


def _collection_example(name: str, kind: str, rng: random.Random) -> str:
    calls = []
    for i in range(7):
        svc = rng.choice(SERVICES)
        calls.append(f'''
module "{kind.replace("-", "_")}_{i}" {{
  source = "../../modules/{name}"

  name                 = "${{local.name}}-{i}"
  create_inline_policy = {str(i != 1).lower()}
  {svc}_arns = ["arn:aws:{svc}:eu-west-1:111122223333:example-{i}"]

  trust_policy_permissions = {{
    TrustRoleOrUserToAssume = {{
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals = [{{
        type        = "AWS"
        identifiers = ["arn:aws:iam::111122223333:root"]
      }}]
      condition = [{{
        test     = "Bool"
        variable = "aws:MultiFactorAuthPresent"
        values   = ["true"]
      }}]
    }}
  }}

  policies = {{
    ReadOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
  }}

  tags = local.tags
}}
''')
    return (
        f"""provider "aws" {{
  region = local.region
}}

locals {{
  region = "eu-west-1"
  name   = "ex-{name}"

  tags = {{
    Example    = local.name
    Repository = "https://example.com/{name}"
  }}
}}
"""
        + "".join(calls)
        + f'''
module "{kind.replace("-", "_")}_disabled" {{
  source = "../../modules/{name}"

  create = false
}}
'''
    )


def _collection_wrapper(name: str) -> str:
    keys = [name for name, _, _, _ in _COLLECTION_VARIABLES]
    keys += [f"{svc}_arns" for svc in SERVICES] + ["inline_policy_permissions", "create_instance_profile"]
    lines = "\n".join(f"  {k:<20} = try(each.value.{k}, var.defaults.{k}, null)" for k in keys)
    return f"""module "wrapper" {{
  source = "../../modules/{name}"

  for_each = var.items

{lines}
  trust_policy_permissions = try(each.value.trust_policy_permissions, var.defaults.trust_policy_permissions, null)
}}
"""


_WRAPPER_VARIABLES = """variable "defaults" {
  description = "Map of default values which will be used for each item."
  type        = any
  default     = {}
}

variable "items" {
  description = "Maps of items to create a wrapper from. Values are passed through to the module."
  type        = any
  default     = {}
}
"""


def generate_module_collection(root: Path, seed: int = 13) -> dict[str, int]:
    """A published module repository's shape: 8 modules (4 or 5 files each), an example calling each
    module (4 files) and a wrapper calling it with for_each (4 files); 99 files, about 190 KB."""
    rng = random.Random(seed)
    total = 0
    written = 0
    for name, kind, policies in COLLECTION_MODULES:
        files = {
            "main.tf": _collection_main(kind, rng),
            "variables.tf": _collection_variables(kind, policies),
            "outputs.tf": _collection_outputs(kind),
            "versions.tf": _COLLECTION_VERSIONS,
        }
        if policies:
            files["policies.tf"] = _collection_policies(kind, policies)
        for file_name, text in files.items():
            total += _write(root / "modules" / name / file_name, text)
            written += 1
        example = {
            "main.tf": _collection_example(name, kind, rng),
            "variables.tf": "",
            "outputs.tf": f'output "arn" {{\n  value = module.{kind.replace("-", "_")}_0.arn\n}}\n',
            "versions.tf": _COLLECTION_VERSIONS,
        }
        for file_name, text in example.items():
            total += _write(root / "examples" / name / file_name, text)
            written += 1
        wrapper = {
            "main.tf": _collection_wrapper(name),
            "variables.tf": _WRAPPER_VARIABLES,
            "outputs.tf": 'output "wrapper" {\n  value = module.wrapper\n}\n',
            "versions.tf": _COLLECTION_VERSIONS,
        }
        for file_name, text in wrapper.items():
            total += _write(root / "wrappers" / name / file_name, text)
            written += 1
    return {"terraform_files": written, "templates": 0, "bytes": total}


MANAGED_TF = """\
# %(count)d roles, each with a different AWS managed policy (and the whole set on one group): every
# policy's content is read from iamready's snapshot and weighed like an inline policy.
locals {
  policies = %(names)s
}

resource "aws_iam_role" "workload" {
  for_each = toset(local.policies)
  name     = "wl-${replace(each.key, "/", "-")}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "workload" {
  for_each   = toset(local.policies)
  role       = aws_iam_role.workload[each.key].name
  policy_arn = "arn:aws:iam::aws:policy/${each.key}"
}

resource "aws_iam_group" "everything" {
  name = "everything"
}

resource "aws_iam_group_policy_attachment" "everything" {
  for_each   = toset(local.policies)
  group      = aws_iam_group.everything.name
  policy_arn = "arn:aws:iam::aws:policy/${each.key}"
}
"""


def generate_managed_policies(root: Path, count: int) -> dict[str, int]:
    """One Terraform file attaching ``count`` distinct AWS managed policies (taken evenly from iamready's
    snapshot, service-linked role policies left out: they cannot be attached) to as many roles and one group."""
    index = Path(__file__).resolve().parent.parent / "src" / "iamready" / "data" / "aws_managed_policies.json"
    policies = json.loads(index.read_text(encoding="utf-8"))["policies"]
    names = sorted(
        f"{row[0].strip('/')}/{name}".lstrip("/") for name, row in policies.items() if row[0] != "/aws-service-role/"
    )
    step = max(1, len(names) // count)
    chosen = names[::step][:count]
    text = MANAGED_TF % {"count": len(chosen), "names": "[" + ", ".join(f'"{n}"' for n in chosen) + "]"}
    total = _write(root / "main.tf", text)
    return {"terraform_files": 1, "templates": 0, "bytes": total}
