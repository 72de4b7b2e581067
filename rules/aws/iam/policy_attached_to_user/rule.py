"""Policy attached directly to an IAM user

An inline policy, a managed-policy attachment or a `ManagedPolicyArns` entry gives
permissions to a single user instead of to a group.

## Why is this bad?
Permissions attached user by user drift apart: nobody can tell who may do what without
reading every user, people keep rights when they change teams, and removing access for a
leaver means finding every attachment. Groups (checklist item 2.4) make the set of roles in
the team explicit and reviewable, and keep users themselves free of permissions.

## How to fix
Create a group per job function, attach the policy to the group, and add users to it.

Terraform: replace `aws_iam_user_policy` / `aws_iam_user_policy_attachment` with
`aws_iam_group_policy` / `aws_iam_group_policy_attachment` and `aws_iam_user_group_membership`
(or `aws_iam_group_membership`); remove `users` from `aws_iam_policy_attachment`.
CloudFormation: move `Policies` / `ManagedPolicyArns` from `AWS::IAM::User` to an
`AWS::IAM::Group` and list the group in the user's `Groups`; use `Groups` instead of `Users` on
`AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.model import Resource, Value
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-002",
    name="aws-iam-policy-attached-to-user",
    severity=Severity.LOW,
    checklist=("2.4",),
    targets={
        "terraform": [
            "aws_iam_user_policy",
            "aws_iam_user_policy_attachment",
            "aws_iam_policy_attachment",
        ],
        "cloudformation": [
            "AWS::IAM::User",
            "AWS::IAM::UserPolicy",
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
        ],
    },
    tags=("least-privilege", "groups"),
)
def check(resource: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    for what, value in _user_grants(resource):
        if value.is_unknown and resource.type in _ONE_USER:  # whichever user it names, it is a user
            yield Finding(
                f"{what} attached directly to {_users(value, resource, ctx)}; attach to a group instead", at=value
            )
        elif value.is_unknown:
            yield Unresolved(f"{what}: the users it applies to are not known ({value.why_unknown})", at=value)
        elif value.is_set and value.as_list():
            yield Finding(
                f"{what} attached directly to {_users(value, resource, ctx)}; attach to a group instead", at=value
            )


# carriers whose required attribute names exactly one user: an unknown name is still a user
_ONE_USER = ("aws_iam_user_policy", "aws_iam_user_policy_attachment", "AWS::IAM::UserPolicy")


def _user_grants(resource: Resource) -> list[tuple[str, Value]]:
    """(description, the attribute that ties a policy to users) for each kind of carrier."""
    rtype = resource.type
    if rtype == "aws_iam_user_policy":
        name = resource.attr("name")
        label = f"inline policy {name.raw!r}" if name.is_known else "inline user policy"
        return [(label, resource.attr("user"))]
    if rtype == "aws_iam_user_policy_attachment":
        return [(f"managed policy {_policy_name(resource.attr('policy_arn'))}", resource.attr("user"))]
    if rtype == "aws_iam_policy_attachment":
        return [(f"managed policy {_policy_name(resource.attr('policy_arn'))}", resource.attr("users"))]
    if rtype == "AWS::IAM::User":
        out = []
        policies = resource.attr("Policies")
        if policies.is_set and policies.as_list():
            out.append(("inline policies (Policies)", policies))
        managed = resource.attr("ManagedPolicyArns")
        if managed.is_set and managed.as_list():
            out.append(("managed policies (ManagedPolicyArns)", managed))
        return out
    if rtype == "AWS::IAM::UserPolicy":
        return [("inline policy", resource.attr("UserName"))]
    if rtype in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        return [("policy", resource.attr("Users"))]
    return []


def _policy_name(value: Value) -> str:
    if not value.is_known:
        return "(unknown ARN)"
    text = str(value.raw)
    ref = getattr(value.raw, "ref", None)
    if ref is not None and text.startswith("${"):
        return text.strip("${}").removesuffix(".arn")
    return text.rsplit("/", 1)[-1]


def _users(value: Value, resource: Resource, ctx: Context) -> str:
    if resource.type == "AWS::IAM::User":
        return f"user {resource.address}"
    from iamready.aws.links import USER

    targets = {t.address for kind in ("attaches", "ref") for t in ctx.graph.references(resource, USER, kind)}
    if targets:
        return "user " + ", ".join(sorted(targets))
    if value.is_unknown:
        return "a user whose name is not known statically"
    names = [str(v) for v in value.as_list() if isinstance(v, str)]
    return "user " + ", ".join(names) if names else "a user"
