# The operator may launch instances and pass the administrator role to EC2, but only for the
# bastion instance (iam:AssociatedResourceArn): an instance it launches gets a new id, so it
# cannot run as the role.
# trap: ec2-run-instances, ec2-associate-instance-profile: the role may be passed for the bastion only
data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]
}

resource "aws_iam_role" "admin" {
  name = "bastion-admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_instance" "bastion" {
  ami           = data.aws_ami.al2023.id
  instance_type = "t3.micro"
}

resource "aws_iam_user" "operator" {
  name = "operator"
}

data "aws_iam_policy_document" "operator" {
  statement {
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.admin.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ec2.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "iam:AssociatedResourceArn"
      values   = [aws_instance.bastion.arn]
    }
  }

  statement {
    actions   = ["ec2:RunInstances", "ec2:DescribeInstances", "ec2:AssociateIamInstanceProfile"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "operator" {
  name   = "bastion-profile"
  user   = aws_iam_user.operator.name
  policy = data.aws_iam_policy_document.operator.json
}
