"""SSM parameter holds a secret but is not a SecureString

An SSM parameter of type `String` or `StringList` has a secret-looking name
(`/app/db/password`, `api-token`) or a value that is an AWS access key id or secret access key.
(A parameter fed with the secret of an `aws_iam_access_key` is reported by AWS-IAM-051.)

## Why is this bad?
`String` parameters are stored unencrypted and returned in plain text to anyone allowed
`ssm:GetParameter` or `ssm:GetParametersByPath`, and shown in the console. `SecureString`
parameters are encrypted with a KMS key, so reading them also needs `kms:Decrypt` on that key,
and their values are hidden unless decryption is asked for (checklist 4.2).

## How to fix
Terraform: set `type = "SecureString"` (with `key_id` for a customer managed KMS key) and keep
the value out of the code. CloudFormation cannot create `SecureString` parameters
(`AWS::SSM::Parameter` supports only `String` and `StringList`): create the secret with
`AWS::SecretsManager::Secret` (for example with `GenerateSecretString`) and reference it
with a dynamic reference, or create the `SecureString` parameter outside the template.

## References
- https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-parameter.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ssm_parameter
"""

from collections.abc import Iterator

from iamready.aws.secrets import SECRET, find_key_refs, find_secrets, is_secret_name
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-SSM-001",
    name="aws-ssm-parameter-secret-as-string",
    severity=Severity.MEDIUM,
    checklist=("4.2",),
    targets={"terraform": ["aws_ssm_parameter"], "cloudformation": ["AWS::SSM::Parameter"]},
    tags=("secrets",),
)
def check(parameter: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    cfn = parameter.framework == "cloudformation"
    kind = parameter.attr("Type" if cfn else "type")
    if kind.is_unknown:
        yield Unresolved(f"the parameter type is not known ({kind.why_unknown})", at=kind)
        return
    if kind.is_known and str(kind.raw) == "SecureString":
        return
    shown = str(kind.raw) if kind.is_known else "String"
    value = parameter.attr("Value" if cfn else "value")
    if not cfn and not value.is_set:
        value = parameter.attr("insecure_value")
    if find_key_refs(value.raw, ctx.graph, parameter.scope):
        return  # an access key's secret: AWS-IAM-051
    hits = [h for h in find_secrets(value.raw, "", value.span, "", parameter.span, names=False) if h.kind != SECRET]
    for hit in hits:
        yield Finding(f"type {shown} parameter holds {hit.describe()} in plain text", at=hit.span, key=hit.kind)
    if hits:
        return
    name = parameter.attr("Name" if cfn else "name")
    if name.is_unknown:
        yield Unresolved(f"the parameter name is not known ({name.why_unknown})", at=name)
        return
    text = str(name.raw) if name.is_known and isinstance(name.raw, str) else parameter.name
    last = text.rstrip("/").rsplit("/", 1)[-1]
    if is_secret_name(last):
        yield Finding(
            f"parameter {text} has a secret-looking name but type {shown}: its value is stored and shown unencrypted",
            at=kind if kind.is_set else parameter.span,
            key="type",
        )
