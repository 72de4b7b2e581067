"""CloudFormation parameter holds a secret without NoEcho

A template parameter whose name says it is a secret (`DbPassword`, `ApiToken`,
`SecretAccessKey`) does not set `NoEcho: true`, or any parameter has a `Default` that is an AWS
key or, for a secret parameter, a real-looking value written in the template. A parameter whose
declaration shows its value is not a secret (`Type: Number`, an `AWS::` type, `AllowedValues`
listing every value it may take) is not one, whatever its name. Each parameter is reported once.

## Why is this bad?
Without `NoEcho`, CloudFormation shows the value in plain text to anyone who can describe the
stack, in the console, in `describe-stacks` output and in change sets. A `Default` is worse:
`NoEcho` does not hide it, because it is written in the template, which is committed and can
be read back with `GetTemplate` (checklist 4.2).

## How to fix
Set `NoEcho: true` on secret parameters and give them no default, or better, do not pass
secrets as parameters at all: use a dynamic reference
(`{{resolve:secretsmanager:name:SecretString:key}}`, `{{resolve:ssm-secure:name}}`) where the
secret is needed, or a parameter of type `AWS::SSM::Parameter::Value<String>` that names the
parameter instead of holding the value.

This rule applies to CloudFormation; Terraform variables are covered by AWS-CREDS-002.

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import SECRET, find_secrets, is_secret_name
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-CFN-001",
    name="aws-cfn-secret-parameter-without-noecho",
    severity=Severity.MEDIUM,
    checklist=("4.2",),
    targets={"cloudformation": ["parameter"]},
    tags=("secrets",),
)
def check(parameter: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    name = parameter.name or parameter.address.removeprefix("Parameters.")
    kind = parameter.attr("Type")
    if kind.is_known and str(kind.raw).startswith("AWS::SSM::Parameter::"):
        return  # the value is the name of a parameter, resolved by CloudFormation
    default = parameter.attr("Default")
    secret = is_secret_name(name) and not _declared_not_secret(parameter)
    no_echo = parameter.attr("NoEcho")
    hidden = no_echo.is_unknown or no_echo.truthy() is True
    shown = "is not set" if not no_echo.is_set else f"is {str(no_echo.raw).lower()}"
    hits = find_secrets(default.raw, name, default.span, "", parameter.span, names=secret)
    for hit in hits:
        # one finding a parameter: a secret default without NoEcho is said once, at the default
        also = f" (and NoEcho {shown}: describe-stacks shows any other value)" if secret and not hidden else ""
        yield Finding(
            f"Default of parameter {name} is {hit.describe()}, readable in the template even with NoEcho{also}",
            at=hit.span,
            key="Default",
            severity=Severity.HIGH if hit.kind != SECRET else None,
        )
    if not secret or hits:
        return
    if no_echo.is_unknown:
        yield Unresolved(f"NoEcho of parameter {name} is not known ({no_echo.why_unknown})", at=no_echo)
    elif not hidden:
        yield Finding(
            f"parameter {name} looks like a secret but NoEcho {shown}: its value is shown by describe-stacks",
            at=no_echo if no_echo.is_set else parameter.span,
            key="NoEcho",
        )


def _declared_not_secret(parameter: Resource) -> bool:
    """The declaration shows the value is not a secret, whatever the name says: a number
    (``Type: Number``, ``MinValue``/``MaxValue``: ``PasswordReusePrevention``), the name or id of an
    AWS resource (``AWS::EC2::KeyPair::KeyName``), or one of values listed in the template
    (``AllowedValues: ["true", "false"]`` on ``AllowUsersToChangePassword``, a fixed key alias)."""
    kind = parameter.attr("Type")
    if kind.is_known and (str(kind.raw) in ("Number", "List<Number>") or str(kind.raw).startswith("AWS::")):
        return True
    if parameter.attr("MinValue").is_set or parameter.attr("MaxValue").is_set:
        return True
    allowed = parameter.attr("AllowedValues")
    return allowed.is_known and isinstance(allowed.raw, list) and bool(allowed.raw)
