# ec2-launch-template-version on one template: the batch fleet's Auto Scaling group launches its
# $Latest version (mixed instances policy), so a new version runs as the fleet's role at the next scale-out.
data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "batch" {
  name               = "batch-workers"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_role_policy_attachment" "batch" {
  role       = aws_iam_role.batch.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_instance_profile" "batch" {
  name = "batch-workers"
  role = aws_iam_role.batch.name
}

resource "aws_launch_template" "batch" {
  name          = "batch-workers"
  image_id      = var.ami_id
  instance_type = "c6i.xlarge"

  iam_instance_profile {
    arn = aws_iam_instance_profile.batch.arn
  }
}

resource "aws_autoscaling_group" "batch" {
  name                = "batch-workers"
  min_size            = 0
  max_size            = 20
  vpc_zone_identifier = var.private_subnet_ids

  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_name = aws_launch_template.batch.name
        version              = "$Latest"
      }
    }
  }
}

variable "ami_id" {
  type    = string
  default = "ami-0abcdef1234567890"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0123456789abcdef0"]
}

data "aws_iam_policy_document" "image_pipeline" {
  statement { # expect: AWS-IAM-104
    sid       = "RollBatchImage"
    actions   = ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"]
    resources = [aws_launch_template.batch.arn]
  }
}

resource "aws_iam_user" "image_pipeline" {
  name = "image-pipeline"
}

resource "aws_iam_user_policy" "image_pipeline" {
  name   = "roll-batch-image"
  user   = aws_iam_user.image_pipeline.name
  policy = data.aws_iam_policy_document.image_pipeline.json
}
