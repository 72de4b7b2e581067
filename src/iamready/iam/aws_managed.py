"""AWS-managed policies that rules must recognise by name.

Only policies whose meaning matters to the checklist are described (administrator-equivalent
and IAM-wide grants); their statements are written from AWS's published policy documents. Any
other AWS-managed policy is known by name only and its content is treated as unknown.
"""

from __future__ import annotations

from typing import Any

# name -> list of statements in IAM JSON form
KNOWN: dict[str, list[dict[str, Any]]] = {
    "AdministratorAccess": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    "PowerUserAccess": [
        {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": [
                "iam:CreateServiceLinkedRole",
                "iam:DeleteServiceLinkedRole",
                "iam:ListRoles",
                "organizations:DescribeOrganization",
                "account:ListRegions",
                "account:GetAccountInformation",
            ],
            "Resource": "*",
        },
    ],
    "IAMFullAccess": [
        {
            "Effect": "Allow",
            "Action": [
                "iam:*",
                "organizations:DescribeAccount",
                "organizations:DescribeOrganization",
                "organizations:DescribeOrganizationalUnit",
                "organizations:DescribePolicy",
                "organizations:ListChildren",
                "organizations:ListParents",
                "organizations:ListPoliciesForTarget",
                "organizations:ListRoots",
                "organizations:ListPolicies",
                "organizations:ListTargetsForPolicy",
            ],
            "Resource": "*",
        }
    ],
    "AmazonS3FullAccess": [{"Effect": "Allow", "Action": ["s3:*", "s3-object-lambda:*"], "Resource": "*"}],
}

# AWS-managed policies that grant administrator-equivalent access
ADMIN_EQUIVALENT = frozenset({"AdministratorAccess"})

# AWS-managed policies whose content is not described above but that grant no action of the
# privilege-escalation catalogue (iam/escalation/methods.json): read-only, logging and agent
# policies commonly attached to roles. Escalation through any other undescribed AWS-managed
# policy is reported as "not checked".
NO_ESCALATION = frozenset(
    {
        "ReadOnlyAccess",
        "ViewOnlyAccess",
        "SecurityAudit",
        "IAMReadOnlyAccess",
        "AmazonS3ReadOnlyAccess",
        "AmazonEC2ReadOnlyAccess",
        "AmazonDynamoDBReadOnlyAccess",
        "CloudWatchReadOnlyAccess",
        "AWSCloudTrail_ReadOnlyAccess",
        "AWSLambdaBasicExecutionRole",
        "AWSLambdaVPCAccessExecutionRole",
        "AmazonECSTaskExecutionRolePolicy",
        "AmazonSSMManagedInstanceCore",
        "CloudWatchAgentServerPolicy",
        "AWSXRayDaemonWriteAccess",
    }
)


def parse_managed_arn(arn: str) -> tuple[str, str] | None:
    """("aws", "AdministratorAccess") for AWS-managed ARNs, (account, name) for customer ones."""
    text = str(arn)
    marker = ":policy/"
    if not text.startswith("arn:") or marker not in text:
        return None
    head, _, tail = text.partition(marker)
    parts = head.split(":")
    account = parts[4] if len(parts) > 4 else ""
    name = tail.rsplit("/", 1)[-1]
    return account, name
