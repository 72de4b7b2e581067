data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# the workload uses a role: temporary credentials, nothing to rotate
resource "aws_iam_role" "reporting" {
  name               = "reporting-export"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_instance_profile" "reporting" {
  name = "reporting-export"
  role = aws_iam_role.reporting.name
}

resource "aws_iam_user" "legacy" {
  name = "legacy-sftp"
}

# a deactivated key that is kept until the old consumer is gone
resource "aws_iam_access_key" "legacy" {
  user   = aws_iam_user.legacy.name
  status = "Inactive"
}
