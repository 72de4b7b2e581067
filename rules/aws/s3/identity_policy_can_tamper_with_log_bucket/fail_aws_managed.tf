# AWS managed policies are read by content: AmazonS3FullAccess reaches the trail's bucket, and so does
# the data source naming it; ReadOnlyAccess and AWSCloudTrail_ReadOnlyAccess only read.
data "aws_partition" "current" {}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

resource "aws_iam_group" "data_engineers" {
  name = "data-engineers"
}

resource "aws_iam_group_policy_attachment" "s3_full" {
  group      = aws_iam_group.data_engineers.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonS3FullAccess" # expect: AWS-S3-010
}

data "aws_iam_policy" "power_user" {
  name = "PowerUserAccess" # expect: AWS-S3-010
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "ci" {
  role       = aws_iam_role.ci.name
  policy_arn = data.aws_iam_policy.power_user.arn
}

resource "aws_iam_role_policy_attachment" "ci_read" {
  for_each   = toset(["ReadOnlyAccess", "AWSCloudTrail_ReadOnlyAccess"])
  role       = aws_iam_role.ci.name
  policy_arn = "arn:aws:iam::aws:policy/${each.value}"
}
