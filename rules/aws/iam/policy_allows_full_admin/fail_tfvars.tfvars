ci_actions = ["*"]
