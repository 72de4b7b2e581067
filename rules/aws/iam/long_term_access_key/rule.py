"""IAM user access key is created in code

An `aws_iam_access_key` or `AWS::IAM::AccessKey` creates a long-term access key for an IAM
user. In Terraform without `pgp_key`, its secret is also stored in plain text in the state.

## Why is this bad?
Access keys do not expire. A key created by infrastructure code is usually copied somewhere
(a CI secret, an environment variable, a config file) and then lives for years without
rotation, and every copy is a way into the account (checklist 3.8, 3.1). Terraform keeps the
secret in its state, so everyone who can read the state bucket holds the key too.

## How to fix
Use temporary credentials: an IAM role assumed by the workload (instance profile, ECS task
role, Lambda execution role), OIDC federation for CI, IAM Identity Center for people. If a
key is unavoidable (a third-party system that only accepts keys), create it outside Terraform
and rotate it on a schedule, or at least set `pgp_key` so the state holds only an encrypted
secret, and deploy the `ACCESS_KEYS_ROTATED` Config rule.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#rotate-credentials
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_access_key
"""

from collections.abc import Iterator

from iamready.aws.secrets import owner_of, user_name
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-050",
    name="aws-iam-long-term-access-key",
    severity=Severity.MEDIUM,
    checklist=("3.8", "3.1"),
    targets={"terraform": ["aws_iam_access_key"], "cloudformation": ["AWS::IAM::AccessKey"]},
    tags=("credentials",),
)
def check(key: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    status = key.attr("Status" if key.type == "AWS::IAM::AccessKey" else "status")
    if status.is_known and str(status.raw).lower() == "inactive":
        return  # an inactive key cannot sign requests
    if status.is_unknown:
        yield Unresolved(f"whether the key is active is not known ({status.why_unknown})", at=status)
        return
    user_attr = key.attr("UserName" if key.type == "AWS::IAM::AccessKey" else "user")
    owner = owner_of(ctx.graph, key)
    if owner is not None:
        who = f"user {user_name(owner)} ({owner.address})"
    elif user_attr.is_known and isinstance(user_attr.raw, str):
        who = f"user {user_attr.raw}"
    else:
        who = "an IAM user"
    message = f"creates a long-term access key for {who}"
    if key.type == "aws_iam_access_key" and not key.attr("pgp_key").is_set and not key.attr("pgp_key").is_unknown:
        message += "; without pgp_key its secret is stored in plain text in the Terraform state"
    yield Finding(message, at=key.span)
