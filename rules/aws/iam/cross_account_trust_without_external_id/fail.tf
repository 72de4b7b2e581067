variable "vendor_account" {
  type    = string
  default = "444455556666"
}

# A SaaS vendor's role may assume this one: without an external id, any customer of the vendor
# can ask it to act on this account.
data "aws_iam_policy_document" "vendor" {
  statement { # expect: AWS-IAM-032
    sid     = "Vendor"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.vendor_account}:role/integration"]
    }
  }
}

resource "aws_iam_role" "vendor" {
  name               = "vendor-integration"
  assume_role_policy = data.aws_iam_policy_document.vendor.json
}

# The whole tooling account, with a condition that is not one of the guards, and an external id
# compared with IfExists (a caller that sends none passes).
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-032
        Sid       = "Tooling"
        Effect    = "Allow"
        Principal = { AWS = ["arn:aws:iam::777788889999:root"] }
        Action    = "sts:AssumeRole"
        Condition = {
          IpAddress            = { "aws:SourceIp" = "198.51.100.0/24" }
          StringEqualsIfExists = { "sts:ExternalId" = "deploy-7f3a" }
        }
      },
    ]
  })
}
