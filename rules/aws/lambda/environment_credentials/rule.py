"""Lambda environment variables hold credentials

A Lambda function's environment variables contain an AWS access key id or secret access key,
the secret of an access key created in the same code, or a literal value under a
secret-looking name (`DB_PASSWORD`, `API_TOKEN`). Covers `aws_lambda_function`,
`AWS::Lambda::Function` and SAM `AWS::Serverless::Function` (including `Globals`).

## Why is this bad?
Environment variables are configuration, not a secret store: they are returned in plain text
by `lambda:GetFunctionConfiguration` to anyone allowed to read the function, shown in the
console, and committed with the code. AWS keys there also mean the function authenticates
with a user's long-term credentials instead of its execution role (checklist 4.2, 4.1).

## How to fix
Grant the permissions to the function's execution role (`role` / `Role`; SAM `Policies`):
the runtime provides its temporary credentials automatically. Keep other secrets in Secrets
Manager or SSM Parameter Store (`SecureString`) and read them at run time (the AWS Parameters
and Secrets Lambda Extension caches them), passing only the secret's name or ARN in the
environment.

## References
- https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
- https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
- https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import SECRET, find_key_refs, find_secrets
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-LAMBDA-001",
    name="aws-lambda-environment-credentials",
    severity=Severity.HIGH,
    checklist=("4.2", "4.1"),
    targets={
        "terraform": ["aws_lambda_function"],
        "cloudformation": ["AWS::Lambda::Function", "AWS::Serverless::Function"],
    },
    tags=("credentials", "secrets"),
)
def check(function: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    path = "Environment.Variables" if function.framework == "cloudformation" else "environment.variables"
    variables = function.attr(path)
    if variables.is_unknown:
        yield Unresolved(f"the environment variables are not known ({variables.why_unknown})", at=variables)
        return
    if not variables.is_set:
        return
    for name, value in variables.entries():
        if value.is_unknown:
            continue
        for hit in find_secrets(value.raw, str(name), value.span, "", function.span):
            yield Finding(
                f"environment variable {name} holds {hit.describe()}",
                at=hit.span,
                key=f"{path}.{name}",
                severity=Severity.MEDIUM if hit.kind == SECRET else None,
            )
        for ref in find_key_refs(value.raw, ctx.graph, function.scope, value.span, function.span):
            yield Finding(
                f"environment variable {name} holds {ref.describe()}: the function should use its execution role",
                at=ref.span,
                key=f"{path}.{name}",
            )
