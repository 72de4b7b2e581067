"""Generic or shared IAM user has console access

An IAM user whose name names a role, a team or a purpose rather than a person (`admin`,
`shared`, `deploy`, `ci`, `service`, `test`, `ops-team`) has a console password.

## Why is this bad?
A generic login is shared: several people know the password, nobody can tell from CloudTrail
who did what, and leavers keep access because changing the password breaks everyone else.
Each person should have their own identity (checklist 2.1).

## How to fix
Give every person their own identity, preferably in IAM Identity Center or your identity
provider, and grant the shared duties through groups or permission sets. Delete the generic
user's login profile; if software uses the user, replace it with a role.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp
- https://docs.aws.amazon.com/singlesignon/latest/userguide/what-is.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import console_access, name_tokens, user_name
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule

GENERIC = {
    "admin",
    "admins",
    "administrator",
    "root",
    "shared",
    "share",
    "common",
    "generic",
    "team",
    "group",
    "deploy",
    "deployer",
    "ci",
    "cd",
    "service",
    "svc",
    "test",
    "tester",
    "testing",
    "qa",
    "dev",
    "developer",
    "developers",
    "ops",
    "devops",
    "sre",
    "user",
    "users",
    "guest",
    "temp",
    "tmp",
    "default",
    "support",
    "operator",
    "operations",
    "demo",
    "sandbox",
    "readonly",
    "read",
    "only",
    "power",
    "superuser",
    "master",
    "main",
    "platform",
    "infra",
    "infrastructure",
    "security",
    "audit",
    "auditor",
    "billing",
    "finance",
}
# words that qualify a generic name without making it personal
_QUALIFIERS = {"prod", "production", "staging", "stage", "stg", "preprod", "uat", "int", "account", "aws", "console"}


def generic_name(name: str) -> bool:
    tokens = [t for t in name_tokens(name) if not t.isdigit() and t not in _QUALIFIERS]
    return bool(tokens) and all(t in GENERIC for t in tokens)


@rule(
    id="AWS-IAM-053",
    name="aws-iam-generic-user-console-access",
    severity=Severity.MEDIUM,
    checklist=("2.1",),
    targets={"terraform": ["aws_iam_user"], "cloudformation": ["AWS::IAM::User"]},
    tags=("identity",),
)
def check(user: Resource, ctx: Context) -> Iterator[Finding]:
    console = console_access(ctx.graph, user)
    if console is None:
        return
    name = user_name(user)
    if not generic_name(name):
        return
    is_resource = isinstance(console, Resource)
    yield Finding(
        f"user {name} is a generic or shared identity with console access",
        at=console.span if is_resource else console,
        resource=console if is_resource else user,
        related=[(user.span, f"user {name}")],
    )
