"""AWS managed policy with near-administrator or service-wide access is attached

A role, user or group gets an AWS managed policy that grants administrator-like access
(`PowerUserAccess`, `IAMFullAccess`, `AWSOrganizationsFullAccess`, the `SystemAdministrator` job
function, ...) or full access to a service on every resource (the `...FullAccess` policies, such as
`AmazonS3FullAccess`, `AmazonEC2FullAccess`). `AdministratorAccess` itself is reported by
AWS-IAM-001. Policies attached as permission boundaries only limit access and are not reported.

Severity is high for the administrator-like policies and for full access to services that hold
data, keys, secrets or logs (S3, Secrets Manager, CloudTrail, IAM Identity Center), medium for
the other `...FullAccess` policies.

## Why is this bad?
These policies are written for convenience, not for a workload: `PowerUserAccess` allows every
action outside IAM (delete any bucket, stop CloudTrail, read any secret), `IAMFullAccess` lets
the holder grant itself anything, and a `...FullAccess` policy allows every action of a service
on every resource in the account, including actions AWS adds later. Least privilege (checklist
2.5) means granting what the principal uses.

## How to fix
Attach a narrower AWS managed policy (`...ReadOnlyAccess`, a job-function policy that matches the
duty) or write a customer managed policy with the actions and resources the principal uses (IAM
Access Analyzer can generate one from CloudTrail activity).

Terraform: change `policy_arn` of the `aws_iam_*_policy_attachment` (or the entry of
`managed_policy_arns`). CloudFormation: change the entry of `ManagedPolicyArns`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html
- https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.policy import PolicyDocument
from iamready.iam.statements import why
from iamready.rule import Finding, Severity, Unresolved, rule

# name -> (what it grants, severity)
ADMIN_LIKE: dict[str, tuple[str, Severity]] = {
    "PowerUserAccess": (
        "every action outside IAM, Organizations and Account management, on every resource",
        Severity.HIGH,
    ),
    "IAMFullAccess": ("iam:* on every resource: the holder can grant itself any permission", Severity.HIGH),
    "AWSOrganizationsFullAccess": ("organizations:*: control over every account of the organisation", Severity.HIGH),
    "SystemAdministrator": ("broad administration of compute, network, logging and IAM roles", Severity.HIGH),
    "AdministratorAccess-Amplify": (
        "administrator-equivalent access through IAM role creation and CloudFormation",
        Severity.HIGH,
    ),
    "AdministratorAccess-AWSElasticBeanstalk": (
        "administrator-equivalent access through IAM role creation and CloudFormation",
        Severity.HIGH,
    ),
    "AWSSSOMasterAccountAdministrator": ("administration of IAM Identity Center for the organisation", Severity.HIGH),
    "AWSSSODirectoryAdministrator": ("administration of the IAM Identity Center directory", Severity.HIGH),
    "SecretsManagerReadWrite": ("read and write access to every secret in Secrets Manager", Severity.HIGH),
    "NetworkAdministrator": ("administration of every network resource", Severity.MEDIUM),
    "DatabaseAdministrator": ("administration of every database", Severity.MEDIUM),
}
# ...FullAccess policies of services whose full access reaches data, keys, secrets or logs
HIGH_FULL_ACCESS = frozenset(
    {
        "AmazonS3FullAccess",
        "AWSCloudTrail_FullAccess",
        "AWSCloudTrailFullAccess",
        "AWSSSOFullAccess",
        "AmazonSSMFullAccess",
        "CloudWatchLogsFullAccess",
    }
)


@rule(
    id="AWS-IAM-013",
    name="aws-iam-broad-aws-managed-policy-attached",
    severity=Severity.HIGH,
    checklist=("2.5",),
    on="policy",
    policy_kinds=("identity",),
    tags=("least-privilege",),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    name = doc.aws_managed
    if name is None:
        if doc.via == "managed" and doc.unknown is not None and not doc.statements and _is_arn_attribute(doc):
            yield Unresolved(f"which managed policy {doc.attr} attaches is not known ({why(doc.unknown)})", at=doc)
        return
    if name == "AdministratorAccess":
        return  # AWS-IAM-001
    grants = _grants(name)
    if grants is None:
        return
    text, severity = grants
    to = ", ".join(p.address for p in doc.principals if p is not doc.holder)
    target = f" to {to}" if to else ""
    yield Finding(f"attaches AWS managed policy {name}{target}, which grants {text}", at=doc, severity=severity)


def _grants(name: str) -> tuple[str, Severity] | None:
    if name in ADMIN_LIKE:
        return ADMIN_LIKE[name]
    if name.endswith("FullAccess") or name in HIGH_FULL_ACCESS:
        service = name.removesuffix("FullAccess").rstrip("_").removeprefix("Amazon").removeprefix("AWS")
        text = f"full access to {service or 'the service'} on every resource"
        return text, Severity.HIGH if name in HIGH_FULL_ACCESS else Severity.MEDIUM
    return None


def _is_arn_attribute(doc: PolicyDocument) -> bool:
    attr = doc.attr.split("[", 1)[0]
    return attr in ("policy_arn", "managed_policy_arns", "ManagedPolicyArns")
