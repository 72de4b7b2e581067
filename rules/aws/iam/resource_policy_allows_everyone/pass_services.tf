# The same services, each grant pinned to a caller: an organisation, a source, a VPC endpoint.
data "aws_caller_identity" "current" {}

resource "aws_lambda_function" "thumbnail" {
  function_name = "thumbnail"
  role          = "arn:aws:iam::111122223333:role/thumbnail"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "thumbnail.zip"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "acme-uploads"
}

# S3 notifications invoke the function: pinned to the bucket and the account.
resource "aws_lambda_permission" "from_uploads" {
  statement_id   = "AllowUploads"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.thumbnail.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.uploads.arn
  source_account = data.aws_caller_identity.current.account_id
}

# Any principal of the organisation.
resource "aws_lambda_permission" "organisation" {
  statement_id     = "AllowOrganisation"
  action           = "lambda:InvokeFunction"
  function_name    = aws_lambda_function.thumbnail.function_name
  principal        = "*"
  principal_org_id = "o-a1b2c3d4e5"
}

resource "aws_api_gateway_rest_api" "internal" {
  name = "internal-api"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
      Condition = { StringEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890" } }
    }]
  })
}

resource "aws_opensearch_domain" "search" {
  domain_name = "search"
  access_policies = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/search-writer" }
      Action    = "es:ESHttp*"
      Resource  = "arn:aws:es:eu-west-1:${data.aws_caller_identity.current.account_id}:domain/search/*"
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
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "events:PutEvents"
      Resource  = aws_cloudwatch_event_bus.orders.arn
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
    }]
  })
}
