"""Policy allows every action of a service on every resource

An identity policy statement allows a whole service (`s3:*`, `iam:*`, `kms:*`) on `*` (or on an
ARN that wildcards every resource of the service, such as `arn:aws:s3:::*`). Full administrator
access (`*` on `*`) is AWS-IAM-001 and is not reported again here; AWS managed policies are
reported by name by AWS-IAM-013. Deny statements are never reported.

AWS managed policies, and the statements of SAM policy templates in which no parameter the author
gives appears (`CloudWatchPutMetricPolicy`, `VPCAccessPolicy`), are AWS's wording, chosen by name: not
reported here (what they grant still counts for escalation and the permission review). A template
statement that a parameter widens (`S3WritePolicy` with `BucketName: "*"`) is the author's: reported.

Severity is high for services whose full access amounts to taking over the account, its keys,
secrets, data or logs (iam, sts, organizations, account, sso, identitystore, kms, secretsmanager,
cloudtrail, s3, ssm), medium for the others.

## Why is this bad?
`service:*` grants every current and future action of the service, including the ones that
delete data, change resource policies or switch off logging, on every resource in the account.
`iam:*` alone is administrator access: the holder can attach any policy to itself. Least
privilege (checklist 2.5) means granting the actions a workload calls on the resources it
touches.

## How to fix
List the actions the principal uses (CloudTrail and IAM Access Analyzer policy generation show
them) and scope `Resource` to the ARNs it needs.

Terraform: replace `actions = ["s3:*"]` in the `aws_iam_policy_document` statement with the
concrete actions, and `resources = ["*"]` with bucket and object ARNs.
CloudFormation: do the same in the `PolicyDocument` (`Action`, `Resource`), using `!Sub` or
`!GetAtt` to build the ARNs.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.policy import PolicyDocument
from iamready.iam.statements import (
    aws_wording,
    broad_resources,
    covers_every_resource,
    document_unreadable,
    effect_unknown,
    is_full_admin_pattern,
    is_service_wildcard,
    label,
    summarise,
    undecided,
    when_suffix,
    why,
)
from iamready.rule import Finding, Severity, Unresolved, rule

SENSITIVE_SERVICES = frozenset(
    {
        "iam",
        "sts",
        "organizations",
        "account",
        "sso",
        "identitystore",
        "kms",
        "secretsmanager",
        "cloudtrail",
        "s3",
        "ssm",
    }
)


@rule(
    id="AWS-IAM-010",
    name="aws-iam-policy-allows-service-wildcard",
    severity=Severity.MEDIUM,
    checklist=("2.5",),
    on="policy",
    policy_kinds=("identity",),
    tags=("least-privilege",),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    if doc.aws_managed:
        return  # AWS managed policies are judged by name (AWS-IAM-001, AWS-IAM-013)
    unreadable = document_unreadable(doc)
    if unreadable:
        yield Unresolved(unreadable, at=doc)
        return
    for stmt in doc.statements:
        if aws_wording(stmt):  # a SAM policy template's own text: the author chose it, cannot change it
            continue
        unknown = effect_unknown(stmt)
        if unknown is not None:
            yield Unresolved(f"{label(stmt)} could not be read ({why(unknown)})", at=stmt)
            continue
        if not stmt.allows:
            continue
        patterns = stmt.action_patterns
        resources = broad_resources(stmt)
        if resources and any(is_full_admin_pattern(p) for p in patterns):
            continue  # every action on every resource: AWS-IAM-001
        wildcards = [p for p in patterns if is_service_wildcard(p)]
        if wildcards and resources:
            services = {p.partition(":")[0].lower() for p in wildcards}
            severity = Severity.HIGH if services & SENSITIVE_SERVICES else Severity.MEDIUM
            shown = " and ".join(dict.fromkeys(resources))
            yield Finding(
                f"{label(stmt)} allows {summarise(wildcards)} on {shown}{when_suffix(stmt)}",
                at=stmt,
                severity=severity,
            )
            continue
        unknown = stmt.unknown_in("Action") or undecided(stmt, "Resource", covers_every_resource)
        if unknown is not None and (wildcards or resources):
            yield Unresolved(
                f"{label(stmt)}: whether it allows a whole service on every resource depends on a value "
                f"that is not known ({why(unknown)})",
                at=stmt,
            )
