"""Principal can reach administrator access in several steps

A user, group or role that is not an administrator can become one through a chain of steps:
assume a role whose trust policy lets it in (and its own policy allows), then, as that role,
pass an administrator role to new compute, take over compute that runs as one, create another
user's credentials, rewrite a trust policy or its own permissions. The shortest path to each
administrator is found; the paths that start with the same statement are reported once, on the
principal that starts them: the shortest in full, with every hop's policy line as a code flow,
and the number and names of the administrators that first step leads to. Paths that a trust
policy, a permission boundary or an unconditional Deny blocks are not paths. A path that needs
a condition (MFA, a source network) is still reported, at medium severity, with the condition
named.

## Why is this bad?
Privilege escalation is rarely visible in one policy. Each hop looks reasonable on its own: a
developer may assume the deployment role; the deployment role may launch instances with a
role. Together they make every developer an administrator. Reviews by access level (checklist
item 2.10) and least privilege (2.5) have to look at the graph, not at one document.

## How to fix
Break the weakest hop: narrow the trust policy of the intermediate role to the principals
that need it (and require MFA or an external id), limit its `iam:PassRole` and IAM write
actions to the roles it must manage, or set a permission boundary on the principals that
should never reach administrator access.

Terraform: edit the `assume_role_policy` or the `aws_iam_policy_document` named in the code
flow. CloudFormation: edit the `AssumeRolePolicyDocument` or `PolicyDocument` named in the
code flow.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
- https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.effective import describe_unknown
from iamready.iam.escalation import group_message, path_flow, path_groups, path_target
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-110",
    name="aws-iam-escalation-path",
    severity=Severity.HIGH,
    checklist=("2.5", "2.10"),
    on="principal",
    tags=("privilege-escalation", "least-privilege"),
)
def check(principal: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    analysis = ctx.escalation
    for paths in path_groups(analysis, principal):
        path = paths[0]  # the shortest: its key keeps the fingerprint of the finding it always was
        targets = list(dict.fromkeys(path_target(p) for p in paths))
        yield Finding(
            group_message(analysis, paths),
            at=path.steps[0].primary,
            resource=principal,
            key="path:" + " > ".join(target for _, target in path.signature),
            severity=Severity.MEDIUM if all(p.conditional for p in paths) else None,
            flow=path_flow(analysis, path),
            properties={"path": [step.label for step in path.steps], "targets": targets},
        )
    for doc, unknown in ctx.permissions(principal).unknowns:
        if principal not in doc.principals:
            continue
        yield Unresolved(
            f"{doc.label} could not be read ({describe_unknown(unknown)}); "
            "privilege escalation through it was not checked",
            at=doc,
            resource=principal,
        )
    for at, why in analysis.trust_notes(principal):
        yield Unresolved(f"{why}; who can assume it was not checked", at=at, resource=principal)
