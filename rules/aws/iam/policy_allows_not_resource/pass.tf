# NotResource in a Deny is a guard rail ("never outside these buckets"), not a grant.
data "aws_iam_policy_document" "uploads" {
  statement {
    sid       = "Upload"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::example-uploads/*"]
  }

  statement {
    sid           = "NeverElsewhere"
    effect        = "Deny"
    actions       = ["s3:*"]
    not_resources = ["arn:aws:s3:::example-uploads", "arn:aws:s3:::example-uploads/*"]
  }
}

resource "aws_iam_policy" "uploads" {
  name   = "uploads"
  policy = data.aws_iam_policy_document.uploads.json
}
