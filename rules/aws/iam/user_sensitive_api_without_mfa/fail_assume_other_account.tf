# An operator whose access key alone lets her into the production account as administrator.
resource "aws_iam_user" "nadia" { # expect: AWS-IAM-041
  name = "nadia"
}

resource "aws_iam_access_key" "nadia" {
  user = aws_iam_user.nadia.name
}

variable "production_account_id" {
  type    = string
  default = "444455556666"
}

data "aws_iam_policy_document" "nadia" {
  statement {
    sid     = "IntoProduction"
    actions = ["sts:AssumeRole"]
    resources = [
      "arn:aws:iam::${var.production_account_id}:role/OrganizationAccountAccessRole",
      "arn:aws:iam::${var.production_account_id}:role/reporting-reader",
    ]
  }
}

resource "aws_iam_user_policy" "nadia" {
  name   = "assume-production"
  user   = aws_iam_user.nadia.name
  policy = data.aws_iam_policy_document.nadia.json
}
