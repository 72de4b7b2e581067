"""EC2 user data holds AWS access keys

The user data of an instance, launch template or launch configuration contains an AWS access
key id or secret access key (an `export AWS_SECRET_ACCESS_KEY=...`, an `aws configure set`, a
credentials file written at boot), or references the secret of an access key created in the
same code. Each place is reported once, naming everything found there (a key id and its secret
in one block of user data are one finding).

## Why is this bad?
User data is not a secret store: anyone allowed `ec2:DescribeInstanceAttribute` can read it,
every process on the instance can fetch it from the instance metadata service, it is copied
into AMIs, launch template versions and console screenshots, and it sits in the repository.
Static keys in it are long-term credentials spread to every copy (checklist 4.2).

## How to fix
Attach an instance profile (`iam_instance_profile` / `IamInstanceProfile`) whose role has the
permissions the software needs: the AWS SDKs and CLI pick up its temporary credentials from
the instance metadata service automatically. For other secrets, read them at boot from
Secrets Manager or SSM Parameter Store (`SecureString`) with that role. Rotate any key that
was in user data.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
"""

from collections.abc import Iterator

from iamready.aws.secrets import USER_DATA_ATTRS, Hit, by_place, listing, user_data
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule

TERRAFORM = [t for t in USER_DATA_ATTRS if not t.startswith("AWS::")]
CLOUDFORMATION = [t for t in USER_DATA_ATTRS if t.startswith("AWS::")]


@rule(
    id="AWS-EC2-001",
    name="aws-ec2-user-data-aws-keys",
    severity=Severity.HIGH,
    checklist=("4.2",),
    targets={"terraform": TERRAFORM, "cloudformation": CLOUDFORMATION},
    tags=("credentials", "secrets"),
)
def check(resource: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    for item in user_data(ctx.graph, resource):
        attr = item.value.path
        if item.unknown is not None:
            yield Unresolved(f"{attr} could not be read to look for AWS keys ({item.unknown})", at=item.value)
            continue
        # one finding a place: a key id and its secret on one line (or in one block) are one pair
        for found in by_place([*item.hits, *item.refs]):
            first = found[0]
            key = first.kind if isinstance(first, Hit) else f"{first.key.address}.{first.attr}"
            what = listing(x.describe() for x in found)
            yield Finding(f"{attr} contains {what}", at=first.span, key=f"{attr}:{key}")
