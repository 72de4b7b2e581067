# Resource policies of services other than S3: each lets everyone in, with nothing that says who.
data "aws_iam_policy_document" "search" {
  statement { # expect: AWS-IAM-036
    actions   = ["es:ESHttp*"]
    resources = ["arn:aws:es:eu-west-1:111122223333:domain/search/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_opensearch_domain" "search" {
  domain_name     = "search"
  access_policies = data.aws_iam_policy_document.search.json
}

resource "aws_lambda_function" "thumbnail" {
  function_name = "thumbnail"
  role          = "arn:aws:iam::111122223333:role/thumbnail"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "thumbnail.zip"
}

# Anyone in any account may invoke the function: no source_arn, source_account or principal_org_id.
resource "aws_lambda_permission" "anyone" {
  statement_id  = "AllowAnyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.thumbnail.function_name
  principal     = "*" # expect: AWS-IAM-036
}

resource "aws_api_gateway_rest_api" "internal" {
  name = "internal-api"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-036
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
    }]
  })
}

resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
}

resource "aws_efs_file_system_policy" "shared" {
  file_system_id = aws_efs_file_system.shared.id
  # expect+5: AWS-IAM-036
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {"AWS": "*"},
          "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
          "Resource": "${aws_efs_file_system.shared.arn}"
        }
      ]
    }
  POLICY
}

resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_vault_policy" "main" {
  backup_vault_name = aws_backup_vault.main.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-036
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["backup:CopyIntoBackupVault", "backup:DeleteRecoveryPoint"]
      Resource  = "*"
    }]
  })
}

resource "aws_cloudwatch_event_bus" "orders" {
  name = "orders"
}

resource "aws_cloudwatch_event_bus_policy" "orders" {
  event_bus_name = aws_cloudwatch_event_bus.orders.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-036
      Sid       = "AnyonePuts"
      Effect    = "Allow"
      Principal = "*"
      Action    = "events:PutEvents"
      Resource  = aws_cloudwatch_event_bus.orders.arn
    }]
  })
}

resource "aws_glue_resource_policy" "catalog" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-036
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["glue:GetTable", "glue:GetTables", "glue:GetDatabase"]
      Resource  = "arn:aws:glue:eu-west-1:111122223333:*"
    }]
  })
}

resource "aws_codeartifact_domain" "main" {
  domain = "acme"
}

resource "aws_codeartifact_domain_permissions_policy" "main" {
  domain = aws_codeartifact_domain.main.domain
  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-036
      Effect    = "Allow"
      Principal = "*"
      Action    = "codeartifact:GetAuthorizationToken"
      Resource  = "*"
    }]
  })
}

resource "aws_ecrpublic_repository" "tools" {
  repository_name = "tools"
}

resource "aws_ecrpublic_repository_policy" "tools" {
  repository_name = aws_ecrpublic_repository.tools.repository_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-036
      Effect    = "Allow"
      Principal = "*"
      Action    = ["ecr-public:PutImage", "ecr-public:UploadLayerPart"]
    }]
  })
}
