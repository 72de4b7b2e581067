variable "job_functions" {
  type    = list(string)
  default = ["job-function/SystemAdministrator", "job-function/ViewOnlyAccess"]
}

variable "extra_policy_arn" {
  type = string
}

resource "aws_iam_role" "builder" {
  name = "builder"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codebuild.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = [
    "arn:aws:iam::aws:policy/PowerUserAccess", # expect: AWS-IAM-013
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
  ]
}

resource "aws_iam_group" "identity_team" {
  name = "identity-team"
}

resource "aws_iam_group_policy_attachment" "identity_team" {
  group      = aws_iam_group.identity_team.name
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess" # expect: AWS-IAM-013
}

resource "aws_iam_role_policy_attachment" "services" {
  for_each   = toset(["AmazonEC2FullAccess", "AmazonS3ReadOnlyAccess"])
  role       = aws_iam_role.builder.name
  policy_arn = "arn:aws:iam::aws:policy/${each.key}" # expect: AWS-IAM-013
}

resource "aws_iam_user" "operator" {
  name = "operator"
}

resource "aws_iam_policy_attachment" "operators" {
  name       = "operators"
  users      = [aws_iam_user.operator.name]
  # expect: AWS-IAM-013
  policy_arn = "arn:aws:iam::aws:policy/${var.job_functions[0]}"
}

# The attached policy comes from a variable without a value: iamready cannot tell which one.
resource "aws_iam_user_policy_attachment" "extra" {
  user       = aws_iam_user.operator.name
  policy_arn = var.extra_policy_arn # expect-note: AWS-IAM-013
}
