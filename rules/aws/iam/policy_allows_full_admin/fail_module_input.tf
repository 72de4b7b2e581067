# The wildcard statement reaches the policy only through the module's input.
module "deployer" {
  source  = "./modules/workload_role"
  name    = "deployer"
  service = "codebuild.amazonaws.com"
  statements = [
    {
      Sid      = "PushImages"
      Effect   = "Allow"
      Action   = ["ecr:PutImage", "ecr:UploadLayerPart"]
      Resource = "arn:aws:ecr:eu-west-1:111122223333:repository/app"
    },
    { # expect: AWS-IAM-001
      Sid      = "Everything"
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    },
  ]
}

module "reader" {
  source = "./modules/workload_role"
  name   = "reader"
  statements = [
    {
      Sid      = "ReadReports"
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::reports/*"
    },
  ]
}
