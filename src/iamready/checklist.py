"""The checklist items (``../shared/checklist.md``), so reports can name and count them."""

from __future__ import annotations

SECTIONS = {
    "1": "Protecting the access to and use of the root account credentials",
    "2": "Defining roles and responsibilities of system users",
    "3": "Protecting the access to and use of user account credentials",
    "4": "Limiting automated access to AWS resources",
    "5": "Protecting CloudTrail logs in S3 and the billing bucket",
}

ITEMS = {
    "1.1": "Lock away the root login credentials",
    "1.2": "MFA on the root account",
    "1.3": "Minimal (ideally no) use of root",
    "1.4": "Do not use root to create API keys",
    "2.1": "Create individual IAM users",
    "2.2": "Strong password policy",
    "2.3": "MFA for privileged users",
    "2.4": "Use groups to assign permissions",
    "2.5": "Grant least privilege",
    "2.6": "Prefer AWS-defined (managed) policies",
    "2.7": "Define and enforce user life-cycle policies",
    "2.8": "Use roles to delegate access",
    "2.9": "Use roles for applications on EC2",
    "2.10": "Review permissions by access level",
    "2.11": "Use policy conditions for extra security",
    "2.12": "Monitor user activity",
    "3.1": "Rotate credentials regularly",
    "3.2": "Remove or deactivate unnecessary credentials",
    "3.3": "Protect EC2 key pairs / private keys",
    "3.4": "Delete keys when someone leaves",
    "3.5": "Regular least-privilege checks (Access Advisor, last used)",
    "3.6": "Delegate with roles instead of sharing credentials",
    "3.7": "Roles for cross-account access and federation",
    "3.8": "Temporary credentials instead of long-term keys",
    "4.1": "IAM roles for EC2 with an SDK or CLI",
    "4.2": "Store static credentials securely",
    "4.3": "Instance profiles or STS for dynamic authentication",
    "4.4": "Alternative authentication (LDAP / AD / SAML / OIDC)",
    "4.5": "MFA to protect API access",
    "5.1": "Need-to-know access to S3 data",
    "5.2": "Bucket and object permissions",
    "5.3": "Bucket policies granting other accounts access",
}

# items whose only code-visible control is account-wide (the baseline profile)
BASELINE_ONLY = {"1.2", "2.7", "3.4", "3.5"}


def sort_key(item: str) -> tuple[int, int]:
    major, _, minor = item.partition(".")
    return (int(major), int(minor or 0))
