# glue-update-job on an existing job: the ETL operators may pass the job's own role back to Glue
# (iam:PassRole is needed even to keep it: UpdateJob rewrites the whole job), so replacing the job's
# script and starting it runs the operators' code as the role, an administrator.
data "aws_iam_policy_document" "glue_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "etl" {
  name               = "etl-nightly"
  assume_role_policy = data.aws_iam_policy_document.glue_assume.json
}

resource "aws_iam_role_policy_attachment" "etl" {
  role       = aws_iam_role.etl.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_glue_job" "nightly" {
  name     = "nightly-rollup"
  role_arn = aws_iam_role.etl.arn

  command {
    script_location = "s3://${var.script_bucket}/nightly_rollup.py"
  }
}

variable "script_bucket" {
  type    = string
  default = "acme-etl-scripts"
}

data "aws_iam_policy_document" "etl_operators" {
  statement {
    sid       = "RunNightly"
    actions   = ["glue:UpdateJob", "glue:StartJobRun", "glue:GetJob", "glue:GetJobRuns"]
    resources = ["arn:aws:glue:*:*:job/${aws_glue_job.nightly.name}"]
  }

  statement { # expect: AWS-IAM-103
    sid       = "KeepItsRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.etl.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_group" "etl_operators" {
  name = "etl-operators"
}

resource "aws_iam_group_policy" "etl_operators" {
  name   = "operate-nightly"
  group  = aws_iam_group.etl_operators.name
  policy = data.aws_iam_policy_document.etl_operators.json
}
