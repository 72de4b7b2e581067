# The source document's wildcard statement is replaced (same Sid) by the override document.
data "aws_iam_policy_document" "bootstrap" {
  statement {
    sid       = "Bootstrap"
    actions   = ["*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "scoped" {
  statement {
    sid       = "Bootstrap"
    actions   = ["cloudformation:CreateStack", "cloudformation:DescribeStacks"]
    resources = ["arn:aws:cloudformation:eu-west-1:111122223333:stack/bootstrap/*"]
  }
}

data "aws_iam_policy_document" "installer" {
  source_policy_documents   = [data.aws_iam_policy_document.bootstrap.json]
  override_policy_documents = [data.aws_iam_policy_document.scoped.json]
}

resource "aws_iam_policy" "installer" {
  name   = "installer"
  policy = data.aws_iam_policy_document.installer.json
}
