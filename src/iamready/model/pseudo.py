"""The deploying account and region as the model writes them, and as a Terraform user reads them.

Both frameworks' "this account" (Terraform's ``data.aws_caller_identity.current.account_id``,
CloudFormation's ``AWS::AccountId``) evaluate to the CloudFormation pseudo parameter
``${AWS::AccountId}``, so rules compare one spelling. A Terraform user never wrote that syntax:
messages about Terraform code say ``<account id>`` and ``<region>`` instead.
"""

from __future__ import annotations

SELF_ACCOUNT = "${AWS::AccountId}"
SELF_REGION = "${AWS::Region}"
_TERRAFORM_WORDS = {SELF_ACCOUNT: "<account id>", SELF_REGION: "<region>", "${AWS::Partition}": "aws"}


def for_terraform(text: str) -> str:
    """``text`` with the pseudo parameters a Terraform user did not write replaced by plain words."""
    if "${AWS::" not in text:
        return text
    for pseudo, word in _TERRAFORM_WORDS.items():
        text = text.replace(pseudo, word)
    return text
