"""EC2 instance gets static AWS keys instead of an instance profile

An instance, launch template or launch configuration has AWS access keys in its user data
(literal keys, or the secret of an access key created in the same code) and no instance
profile (`iam_instance_profile` / `IamInstanceProfile`): the software on it authenticates with
long-term keys instead of a role.

## Why is this bad?
Applications on EC2 should get temporary credentials from an instance profile: they are
delivered by the instance metadata service, scoped to the role and rotated automatically.
Static keys have none of that and are readable by anyone who can read the user data
(checklist 2.9, 4.1, 4.3).

## How to fix
Create a role for the workload with the permissions it needs, an instance profile for it, and
set `iam_instance_profile` (Terraform; an `iam_instance_profile` block in a launch template) or
`IamInstanceProfile` (CloudFormation). Remove the keys from the user data, then deactivate and
delete them.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import INSTANCE_PROFILE_ATTRS, SECRET_ACCESS_KEY, USER_DATA_ATTRS, user_data
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule

TERRAFORM = [t for t in USER_DATA_ATTRS if not t.startswith("AWS::")]
CLOUDFORMATION = [t for t in USER_DATA_ATTRS if t.startswith("AWS::")]


@rule(
    id="AWS-EC2-002",
    name="aws-ec2-static-keys-without-instance-profile",
    severity=Severity.HIGH,
    checklist=("2.9", "4.1", "4.3"),
    targets={"terraform": TERRAFORM, "cloudformation": CLOUDFORMATION},
    tags=("credentials", "roles"),
)
def check(resource: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    evidence = [item for item in user_data(ctx.graph, resource) if item.hits or item.refs]
    if not evidence:
        return
    profile = resource.attr(INSTANCE_PROFILE_ATTRS[resource.type])
    if profile.is_unknown:
        yield Unresolved(f"whether an instance profile is attached is not known ({profile.why_unknown})", at=profile)
        return
    if profile.is_set and profile.raw not in ("", [], {}):
        return
    described = [(r.is_secret, r.describe(), item.value.path) for item in evidence for r in item.refs]
    described += [(h.kind == SECRET_ACCESS_KEY, h.describe(), item.value.path) for item in evidence for h in item.hits]
    _, what, attr = max(described, key=lambda d: d[0])
    yield Finding(
        f"has no instance profile and gets {what} through {attr} instead of a role",
        at=resource.span,
        related=[(h.span, h.describe()) for item in evidence for h in item.hits]
        + [(r.span, r.describe()) for item in evidence for r in item.refs],
    )
