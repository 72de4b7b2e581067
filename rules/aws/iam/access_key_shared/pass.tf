locals {
  consumers = toset(["billing-sync", "crm-export"])
}

# one user and key per consumer
resource "aws_iam_user" "integration" {
  for_each = local.consumers
  name     = "integration-${each.key}"
}

resource "aws_iam_access_key" "integration" {
  for_each = local.consumers
  user     = aws_iam_user.integration[each.key].name
}

resource "github_actions_secret" "integration" {
  for_each        = local.consumers
  repository      = each.key
  secret_name     = "AWS_SECRET_ACCESS_KEY"
  plaintext_value = aws_iam_access_key.integration[each.key].secret
}

# the key id alone is not the credential
output "integration_key_ids" {
  value = { for k, v in aws_iam_access_key.integration : k => v.id }
}
