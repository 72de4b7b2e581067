"""iamready: prove IaC follows the AWS IAM and forensic-readiness checklist before it is deployed."""

__version__ = "0.1.0"
