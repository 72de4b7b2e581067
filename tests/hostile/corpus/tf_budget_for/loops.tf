locals {
  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : "${a}-${b}-${c}"]]]
}

resource "aws_iam_user" "loops" {
  name = length(local.cube)
}
