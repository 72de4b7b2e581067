# Accounts in AWS China and GovCloud. iamready's data lists the AWS managed policies of the aws
# partition: a name found there is read with the aws partition's document; a name it lacks may still
# exist in another partition, so it is not reported as missing, but said once with the nearest name.
resource "aws_iam_role" "batch" {
  name = "nightly-batch"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com.cn" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "batch_read" {
  role       = aws_iam_role.batch.name
  policy_arn = "arn:aws-cn:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy_attachment" "batch_ssm" {
  role       = aws_iam_role.batch.name
  policy_arn = "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstancecore" # expect: AWS-IAM-015
}

resource "aws_iam_role_policy_attachment" "batch_lambda" {
  role       = aws_iam_role.batch.name
  policy_arn = "arn:aws-us-gov:iam::aws:policy/AWSLambdaFullAcess" # expect-note: AWS-IAM-015
}
