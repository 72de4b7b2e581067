"""AWS managed policy with near-administrator or service-wide access is attached

A role, user or group gets an AWS managed policy whose content (the default version, from the
snapshot iamready ships) allows, without conditions and on every resource, every action outside a
few services (`NotAction`, as `PowerUserAccess` does) or every action of whole services
(`iam:*`, `ec2:*`, `s3:*`, ...: the `...FullAccess` policies, job-function policies such as
`SystemAdministrator`). `AdministratorAccess` itself (every action) is reported by AWS-IAM-001.
Policies attached as permission boundaries only limit access and are not reported.

Severity is high when the policy allows everything outside a few services, every action of a
service that controls identities (IAM, Organizations, IAM Identity Center, STS), of a service
that holds data, keys, secrets or logs (S3, Secrets Manager, KMS, CloudTrail, CloudWatch Logs,
Systems Manager), or of five services or more; medium otherwise.

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
from iamready.iam.policy import PolicyDocument, Statement
from iamready.iam.statements import covers_every_resource, is_full_admin_pattern, is_service_wildcard, why
from iamready.rule import Finding, Severity, Unresolved, rule

# services whose every action controls who can do what
IDENTITY_SERVICES = frozenset({"iam", "organizations", "sso", "sso-directory", "identitystore", "sts"})
# services whose every action reaches data, keys, secrets, logs or a shell on instances
SENSITIVE_SERVICES = frozenset({"s3", "secretsmanager", "kms", "cloudtrail", "logs", "ssm"})
MANY_SERVICES = 5
_BROAD: dict[tuple[str | None, str, str], tuple[str, Severity] | None] = {}
_UNSET = object()


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
    if doc.aws_managed is None:
        if doc.via == "managed" and doc.unknown is not None and not doc.statements and _is_arn_attribute(doc):
            yield Unresolved(f"which managed policy {doc.attr} attaches is not known ({why(doc.unknown)})", at=doc)
        return
    key = (doc.aws_managed, doc.managed_arn.split(":", 2)[1] if doc.managed_arn else "aws", doc.kind)
    broad = _BROAD.get(key, _UNSET)
    if broad is _UNSET:  # the same policy is attached to many principals: its content is weighed once
        broad = _BROAD[key] = _broad(doc.statements)
    if broad is None:
        return
    text, severity = broad
    to = ", ".join(p.address for p in doc.principals if p is not doc.holder)
    target = f" to {to}" if to else ""
    yield Finding(f"attaches {doc.label}{target}, which allows {text}", at=doc, severity=severity)


def _broad(statements: list[Statement]) -> tuple[str, Severity] | None:
    """What the policy allows unconditionally on every resource, when that is broad."""
    services: list[str] = []
    except_: list[str] = []
    for stmt in statements:
        if not stmt.allows or stmt.conditions or not _every_resource(stmt):
            continue
        if any(is_full_admin_pattern(p) for p in stmt.action_patterns):
            return None  # every action: AWS-IAM-001
        if stmt.not_actions is not None:
            except_.extend(stmt.not_action_patterns)
            continue
        for pattern in stmt.action_patterns:
            if pattern.endswith(":*") and is_service_wildcard(pattern):
                service = pattern.split(":", 1)[0].lower()
                if service not in services:
                    services.append(service)
    if except_:
        return f"every action except {_join(except_)} on every resource", Severity.HIGH
    if not services:
        return None
    every = f"{_join(services)} on every resource"
    if IDENTITY_SERVICES.intersection(services):
        return f"{every}: the holder can grant itself any permission", Severity.HIGH
    if SENSITIVE_SERVICES.intersection(services) or len(services) >= MANY_SERVICES:
        return every, Severity.HIGH
    return every, Severity.MEDIUM


def _every_resource(stmt: Statement) -> bool:
    if stmt.not_resources is not None:
        return True
    return any(covers_every_resource(p) for p in stmt.resource_patterns)


def _join(items: list[str], limit: int = 6) -> str:
    shown = [f"{i}:*" if ":" not in i else i for i in items]
    if len(shown) > limit:
        return ", ".join(shown[:limit]) + f" and {len(shown) - limit} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _is_arn_attribute(doc: PolicyDocument) -> bool:
    attr = doc.attr.split("[", 1)[0]
    return attr in ("policy_arn", "managed_policy_arns", "ManagedPolicyArns")
