"""Policy allows actions on every resource except a list (NotResource with Allow)

An Allow statement in an identity policy uses `NotResource`: its actions apply to every resource
in every account and region except the ones listed, including resources created later. Deny
statements with `NotResource` ("deny outside these buckets") are guard rails and are not reported.

Severity is high when the actions are `*` or a whole service, medium otherwise.

## Why is this bad?
`NotResource` with Allow turns an exclusion list into a grant on everything else: every new bucket,
table, key or secret is covered the moment it exists, in this account and in any other account
whose resource policy trusts the principal. A reviewer cannot tell what the statement reaches, and
least privilege (checklist 2.5) is lost.

## How to fix
List the resources the actions apply to in `Resource`. To keep an exclusion, add a Deny statement
for the excluded resources on top of a scoped Allow.

Terraform: in `aws_iam_policy_document`, replace `not_resources` with `resources` in Allow
statements. CloudFormation: replace `NotResource` with `Resource` in the `PolicyDocument`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.negated import allows_using, except_words
from iamready.iam.policy import PolicyDocument
from iamready.iam.statements import is_full_admin_pattern, is_service_wildcard, label, summarise, when_suffix
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-012",
    name="aws-iam-policy-allows-not-resource",
    severity=Severity.MEDIUM,
    checklist=("2.5",),
    on="policy",
    policy_kinds=("identity",),
    tags=("least-privilege",),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    for stmt in allows_using(doc, "NotResource"):
        if isinstance(stmt, Unresolved):
            yield stmt
            continue
        if stmt.actions is not None:
            patterns = stmt.action_patterns
            actions = summarise(patterns) if patterns else "actions that are not known"
            broad = any(is_full_admin_pattern(p) or is_service_wildcard(p) for p in patterns)
        else:
            actions = f"every action except {summarise(stmt.not_action_patterns) or 'nothing known'}"
            broad = True
        except_text = except_words(stmt, "NotResource", stmt.known_strings(stmt.not_resources), limit=3)
        yield Finding(
            f"{label(stmt)} allows {actions} on every resource except {except_text} (NotResource){when_suffix(stmt)}",
            at=stmt,
            severity=Severity.HIGH if broad else Severity.MEDIUM,
        )
