"""Generic or shared IAM user has console access

An IAM user whose name names a role, a team or a purpose rather than a person (`admin`,
`shared`, `deploy`, `ci`, `service`, `test`, `ops-team`, `auditors`, `oncall-rotation`,
`acme-consulting`), or whose tags say it stands for a team, a rotation or an outside firm
(`UsedBy = "acme-consulting"`, `Owner = "payments-team"`, `Shared = "true"`), has a console
password. A tag naming the team a person belongs to (`Team = "payments"`) is not reported.

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
from iamready.model.value import Unknown
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


# words that say an identity stands for several people: a team, a rotation, an outside firm
GROUP_WORDS = {
    "team",
    "teams",
    "rotation",
    "oncall",
    "shared",
    "vendor",
    "vendors",
    "contractors",
    "consultants",
    "consulting",
    "agency",
    "partners",
    "outsourced",
    "helpdesk",
    "servicedesk",
    "staff",
    "squad",
    "auditors",
    "interns",
}


def generic_name(name: str) -> bool:
    tokens = [t for t in name_tokens(name) if not t.isdigit() and t not in _QUALIFIERS]
    if any(t in GROUP_WORDS for t in tokens) or "".join(tokens) in GROUP_WORDS:
        return True
    return bool(tokens) and all(t in GENERIC or t in GROUP_WORDS for t in tokens)


def group_tag(user: Resource) -> tuple[str, str] | None:
    """A tag that says the user stands for a group (``UsedBy = "acme-consulting"``,
    ``Owner = "payments-team"``, ``Purpose = "on-call rotation"``, ``Shared = "true"``)."""
    for key, value in _tags(user):
        key_tokens = name_tokens(key)
        if "".join(key_tokens) in ("shared", "sharedaccount", "shareduser") and value.lower() in ("true", "yes", "1"):
            return key, value
        tokens = name_tokens(value)
        if any(t in GROUP_WORDS for t in tokens) or "".join(tokens) in GROUP_WORDS:
            return key, value
    return None


def _tags(user: Resource) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if user.framework == "terraform":
        raw = user.attr("tags").raw
        if isinstance(raw, dict):
            out = [(str(k), str(v)) for k, v in raw.items() if isinstance(v, str) and not isinstance(v, Unknown)]
        return out
    raw = user.attr("Tags").raw
    for item in raw if isinstance(raw, list) else ():
        if isinstance(item, dict):
            key, value = item.get("Key"), item.get("Value")
            if isinstance(key, str) and isinstance(value, str) and not isinstance(value, Unknown):
                out.append((str(key), str(value)))
    return out


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
    tag = None if generic_name(name) else group_tag(user)
    if not generic_name(name) and tag is None:
        return
    is_resource = isinstance(console, Resource)
    why = f" (tag {tag[0]} = {tag[1]!r})" if tag else ""
    yield Finding(
        f"user {name} is a generic or shared identity{why} with console access",
        at=console.span if is_resource else console,
        resource=console if is_resource else user,
        related=[(user.span, f"user {name}")],
    )
