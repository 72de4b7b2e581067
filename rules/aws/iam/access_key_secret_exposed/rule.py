"""Access key secret is exposed in an output, a file or a plain-text parameter

The secret of an `aws_iam_access_key` / `AWS::IAM::AccessKey` is passed on: a Terraform output
(without `sensitive = true`; with it, at medium severity, since the secret still leaves through
the state and `terraform output`), a CloudFormation output, a file written by
`local_file`, an SSM parameter that is not a `SecureString`, or a CodeBuild `PLAINTEXT`
environment variable. (Lambda environments, container definitions and user data are reported
by AWS-LAMBDA-001, AWS-ECS-001 and AWS-EC2-001.)

## Why is this bad?
Sharing a long-term secret this way hands it to everyone who can run `terraform output`,
describe the stack, read the parameter, open the build project or the file on disk, and
nobody can tell afterwards who used it. Delegation should happen with roles, which give each
consumer its own temporary credentials (checklist 3.6).

## How to fix
Give the consumer a role it can assume instead of a key. If a key must be handed over, keep
it in one secure store: Secrets Manager or an SSM `SecureString` parameter encrypted with a
KMS key, read by the consumer with its own role, instead of an output (`sensitive = true` only
hides a value in plan and apply output: it remains in state), and never write the secret to a
file or a CloudFormation output. A PGP-encrypted secret (`pgp_key`, `encrypted_secret`) may be
output: only the holder of the private key can read it.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios.html
- https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output
- https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import KeyRef, iter_key_usages
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.model.span import Span
from iamready.rule import Finding, Severity, Unresolved, rule

OUTPUT_TYPES = ("output",)
FILE_TYPES = ("local_file", "local_sensitive_file")
SSM_TYPES = ("aws_ssm_parameter", "AWS::SSM::Parameter")


@rule(
    id="AWS-IAM-051",
    name="aws-iam-access-key-secret-exposed",
    severity=Severity.HIGH,
    checklist=("3.6",),
    targets={"terraform": ["aws_iam_access_key"], "cloudformation": ["AWS::IAM::AccessKey"]},
    tags=("credentials", "secrets"),
)
def check(key: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    for usage in iter_key_usages(ctx.graph, key):
        ref, consumer = usage.ref, usage.consumer
        if not ref.is_secret:
            continue
        what = ref.describe()
        if consumer.type == "output" and consumer.framework == "terraform":
            sensitive = consumer.attr("sensitive")
            if sensitive.is_unknown:
                yield Unresolved(
                    f"whether the output is sensitive is not known ({sensitive.why_unknown})", at=sensitive
                )
            elif sensitive.truthy() is not True:
                yield Finding(
                    f"exposes {what} without sensitive = true",
                    at=ref.span,
                    resource=consumer,
                )
            else:
                yield Finding(
                    f"hands {what} out through an output: sensitive = true only hides it from plan and apply "
                    "output; the secret is in the state and `terraform output` prints it for whoever reads it",
                    at=ref.span,
                    resource=consumer,
                    severity=Severity.MEDIUM,
                )
        elif consumer.type in OUTPUT_TYPES:
            yield Finding(
                f"exposes {what} to everyone who can describe the stack",
                at=ref.span,
                resource=consumer,
            )
        elif consumer.type in FILE_TYPES:
            filename = consumer.attr("filename").raw
            name = f" {filename}" if isinstance(filename, str) else ""
            yield Finding(f"writes {what} to the file{name} in plain text", at=ref.span, resource=consumer)
        elif consumer.type in SSM_TYPES:
            yield from _ssm(consumer, what, ref.span)
        elif consumer.type == "aws_codebuild_project":
            yield from _codebuild(consumer, what, ref)


def _ssm(parameter: Resource, what: str, span: Span | None) -> Iterator[Finding | Unresolved]:
    kind = parameter.attr("Type" if parameter.type == "AWS::SSM::Parameter" else "type")
    if kind.is_unknown:
        yield Unresolved(f"the parameter type is not known ({kind.why_unknown})", at=kind)
    elif str(kind.raw) != "SecureString":
        shown = kind.raw if kind.is_known else "String"
        yield Finding(
            f"stores {what} in plain text (SSM parameter of type {shown}, not SecureString)",
            at=span,
            resource=parameter,
        )


def _codebuild(project: Resource, what: str, ref: KeyRef) -> Iterator[Finding]:
    for i, environment in enumerate(project.attr("environment").items()):
        for j, variable in enumerate(environment.get("environment_variable").items()):
            if ref.path != f"environment[{i}].environment_variable[{j}].value":
                continue
            kind = variable.get("type")
            if not kind.is_set or str(kind.raw) == "PLAINTEXT":
                name = variable.get("name").raw
                yield Finding(
                    f"passes {what} as the PLAINTEXT environment variable {name}", at=ref.span, resource=project
                )
