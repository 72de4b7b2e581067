variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "org_name" {
  type = string
}

variable "audit_account_id" {
  description = "Account of the external auditor that reads the trail"
  type        = string
  default     = "444455556666"
}

variable "ci_repositories" {
  description = "GitHub repositories allowed to deploy"
  type        = list(string)
  default     = ["repo:acme/*"]
}

variable "deploy_actions" {
  type    = list(string)
  default = ["s3:*", "cloudfront:CreateInvalidation"]
}
