# Variables whose names mention secrets or keys but hold what designates or configures them:
# a KMS key alias, the parameters of a Config rule.
variable "secrets_key_alias" {
  description = "The alias of the KMS key that encrypts the secrets."
  type        = string
  default     = "orders-secrets-key"
}

variable "vector_store_secret_rule_params" {
  description = "Parameters of the Config rule that checks the vector store secret"
  type        = string
  default     = "{\"deploy\": \"true\", \"regions\": [\"us-west-2\"]}"
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.secrets_key_alias}"
  target_key_id = aws_kms_key.secrets.key_id
}

resource "aws_kms_key" "secrets" {
  description         = "Encrypts the order service secrets"
  enable_key_rotation = true
}

resource "aws_ssm_parameter" "rule_params" {
  name  = "/config-rules/vector-store-secret/params"
  type  = "String"
  value = var.vector_store_secret_rule_params
}
