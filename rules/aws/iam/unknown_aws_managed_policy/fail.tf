variable "extra_policies" {
  type    = list(string)
  default = ["AmazonS3ReadOnlyAcess"]
}

data "aws_partition" "current" {}

resource "aws_iam_role" "glue" {
  name = "glue-crawler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "glue.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# the Glue service policy lives under service-role/
resource "aws_iam_role_policy_attachment" "glue_service" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSGlueServiceRole" # expect: AWS-IAM-015
}

# deprecated and removed by AWS: AWSLambda_FullAccess replaced it
resource "aws_iam_role_policy_attachment" "lambda_admin" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/AWSLambdaFullAccess" # expect: AWS-IAM-015
}

resource "aws_iam_role_policy_attachment" "extra" {
  for_each   = toset(var.extra_policies)
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/${each.value}" # expect: AWS-IAM-015
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_group_policy_attachment" "ops" {
  group      = aws_iam_group.ops.name
  policy_arn = "arn:aws:iam::aws:policy/readOnlyAccess" # expect: AWS-IAM-015
}

resource "aws_iam_user" "contractor" {
  name                 = "contractor"
  permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAcces" # expect: AWS-IAM-015
}

# found by name: the typo is in the data source
data "aws_iam_policy" "readonly" {
  name = "ReadOnlyAcces" # expect: AWS-IAM-015
}

resource "aws_iam_group_policy_attachment" "readonly" {
  group      = aws_iam_group.ops.name
  policy_arn = data.aws_iam_policy.readonly.arn
}
