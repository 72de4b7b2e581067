resource "aws_instance" "batch" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  # pasted in already encoded: a script exporting AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
  user_data = "IyEvYmluL2Jhc2gKZXhwb3J0IEFXU19BQ0NFU1NfS0VZX0lEPUFLSUFJT1NGT0ROTjdFWEFNUExFCmV4cG9ydCBBV1NfU0VDUkVUX0FDQ0VTU19LRVk9d0phbHJYVXRuRkVNSS9LN01ERU5HL2JQeFJmaUNZRVhBTVBMRUtFWQovb3B0L2JhdGNoL3N0YXJ0Cg==" # expect: AWS-EC2-001
}

resource "aws_instance" "plain" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  # plain text that happens to be made of base64 characters is read as it is
  user_data = "opt/batch/start/now"
}
