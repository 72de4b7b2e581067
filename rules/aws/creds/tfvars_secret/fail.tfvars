region        = "eu-west-1"
ci_access_key = "AKIAIOSFODNN7EXAMPLE"                     # expect: AWS-CREDS-003
ci_secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" # expect: AWS-CREDS-003
github_token  = "ghp_16C7e42F292c6912E7710c838347Ae178B4a" # expect: AWS-CREDS-003

tags = {
  team = "platform"
}
