"""Console password written in the template

An `AWS::IAM::User` sets `LoginProfile.Password` to a literal: written in the resource, or the
default of a parameter the property refers to. A dynamic reference
(`{{resolve:secretsmanager:...}}`) or a parameter without a default is not reported. (Terraform's
`aws_iam_user_login_profile` has no password argument: AWS generates the password.)

## Why is this bad?
A password in the template is in the repository, in every clone and CI log, and in the stack's
template that anyone allowed `cloudformation:GetTemplate` can read. With `PasswordResetRequired`
the first sign-in changes it, but until then anyone who has read the code can sign in as the user;
without it, the password stays valid for good (checklist 4.2).

## How to fix
Generate the password in Secrets Manager and refer to it with a dynamic reference
(`Password: '{{resolve:secretsmanager:users/alice:SecretString:password}}'`), set
`PasswordResetRequired: true`, and hand the initial password over out of band. Better, give people
access through IAM Identity Center instead of IAM users.

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-iam-user-loginprofile.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import is_literal
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule


@rule(
    id="AWS-IAM-058",
    name="aws-iam-console-password-in-code",
    severity=Severity.HIGH,
    checklist=("4.2",),
    targets={"cloudformation": ["AWS::IAM::User"]},
    tags=("credentials", "console"),
)
def check(user: Resource, ctx: Context) -> Iterator[Finding]:
    password = user.attr("LoginProfile.Password")
    if password.is_unknown:
        return  # a parameter without a value: the scan says so once, with the fix
    if not password.is_known or not isinstance(password.raw, str):
        return
    text = str(password.raw).strip()
    if not text or text.startswith("{{resolve:") or not is_literal(password.raw):
        return
    span = getattr(password.raw, "span", None)
    elsewhere = span is not None and not (user.span.start_line <= span.start_line <= user.span.end_line)
    where = " (the default of the parameter it refers to)" if elsewhere else ""
    yield Finding(f"LoginProfile.Password is a literal console password{where}", at=password)
