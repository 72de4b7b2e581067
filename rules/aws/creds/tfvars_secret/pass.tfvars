region                 = "eu-west-1"
github_token           = "" # supplied as TF_VAR_github_token by CI
github_token_parameter = "/ci/github/token"
