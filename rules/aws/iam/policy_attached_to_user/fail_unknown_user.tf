# A module that gives the CI user created elsewhere its deploy permissions: the user's name is an input
# without a default. Whichever user it names, the policy is attached to a user, not to a group.
variable "ci_user_name" {
  type        = string
  description = "name of the existing CI user"
}

data "aws_iam_policy_document" "deploy" {
  statement {
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::releases-111122223333/*"]
  }
}

resource "aws_iam_user_policy" "ci_deploy" {
  name   = "deploy"
  user   = var.ci_user_name # expect: AWS-IAM-002
  policy = data.aws_iam_policy_document.deploy.json
}

resource "aws_iam_user_policy_attachment" "ci_read" {
  user       = var.ci_user_name # expect: AWS-IAM-002
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}
