variable "aws_secret_key" {
  type      = string
  sensitive = true
}

resource "aws_s3_bucket" "uploads" {
  bucket = "example-uploads"
}
