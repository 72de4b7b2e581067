"""Service user has a console password

An IAM user that software uses (its access keys are handed to compute, CI or a parameter
store, or its name says it is for a service: `ci-deployer`, `svc-backup`) also has a console
password (`aws_iam_user_login_profile`, CloudFormation `LoginProfile`).

## Why is this bad?
A service does not sign in to the console. The password is an unnecessary credential that
nobody rotates, often shared among the team that set the service up, and it opens the
console with the service's (usually broad, rarely reviewed) permissions. Remove credentials
a user does not need (checklist 3.2).

## How to fix
Delete the login profile (`aws_iam_user_login_profile` / the `LoginProfile` property). Better,
replace the service user with a role the service assumes, so it needs neither a password nor
access keys.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#remove-credentials
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import console_access, machine_usages, service_name, user_name
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule


@rule(
    id="AWS-IAM-052",
    name="aws-iam-service-user-console-password",
    severity=Severity.MEDIUM,
    checklist=("3.2",),
    targets={"terraform": ["aws_iam_user"], "cloudformation": ["AWS::IAM::User"]},
    tags=("credentials",),
)
def check(user: Resource, ctx: Context) -> Iterator[Finding]:
    console = console_access(ctx.graph, user)
    if console is None:
        return
    name = user_name(user)
    usages = machine_usages(ctx.graph, user)
    if usages:
        consumers = sorted({u.consumer.address for u in usages})
        why = f"its access key is used by {', '.join(consumers)}"
    elif service_name(name):
        why = f"its name ({name}) says it is a service user"
    else:
        return
    is_resource = isinstance(console, Resource)
    yield Finding(
        f"user {name} has a console password but is a service user: {why}",
        at=console.span if is_resource else console,
        resource=console if is_resource else user,
        related=[(u.ref.span, f"access key handed to {u.consumer.address}") for u in usages],
    )
