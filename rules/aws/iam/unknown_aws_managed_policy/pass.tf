data "aws_partition" "current" {}

locals {
  job_functions = ["job-function/ViewOnlyAccess", "job-function/SystemAdministrator"]
}

resource "aws_iam_role" "glue" {
  name                 = "glue-crawler"
  permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "glue.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "glue_service" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_iam_role_policy_attachment" "lambda_admin" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws-us-gov:iam::aws:policy/AWSLambda_FullAccess"
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_group_policy_attachment" "ops" {
  for_each   = toset(local.job_functions)
  group      = aws_iam_group.ops.name
  policy_arn = "arn:aws:iam::aws:policy/${each.value}"
}

# a customer managed policy of the account: not an AWS managed one
resource "aws_iam_group_policy_attachment" "team" {
  group      = aws_iam_group.ops.name
  policy_arn = "arn:aws:iam::123456789012:policy/AmazonS3ReadOnlyAcess"
}

data "aws_iam_policy" "glue" {
  name        = "AWSGlueServiceRole"
  path_prefix = "/service-role/"
}

data "aws_iam_policy" "lambda" {
  arn = "arn:aws:iam::aws:policy/AWSLambda_FullAccess"
}

# a customer managed policy of the account, looked up by name
data "aws_iam_policy" "deployer" {
  name = "team-deployer"
}

resource "aws_iam_role_policy_attachment" "looked_up" {
  for_each = {
    glue     = data.aws_iam_policy.glue.arn
    lambda   = data.aws_iam_policy.lambda.arn
    deployer = data.aws_iam_policy.deployer.arn
  }
  role       = aws_iam_role.glue.name
  policy_arn = each.value
}
