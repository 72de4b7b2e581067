"""AWS access keys are written into a resource, module call or output

A literal AWS access key id or secret access key is written in an attribute of a resource,
data source, module call or output that no more specific rule covers: a CI secret's
`plaintext_value`, a Secrets Manager `secret_string`, a Kubernetes secret, a module argument,
a CloudFormation property or output.

## Why is this bad?
Whatever the attribute does with the key afterwards, the key itself is now in the repository:
in every clone, fork and CI log, readable by anyone with read access, and valid until someone
rotates it (checklist 4.2).

## How to fix
Remove the key from the code and rotate it. Replace it with a role (OIDC federation for CI,
an execution, instance or task role for workloads), or, when a key is unavoidable, let the
secret store receive it outside the code (set the CI secret by hand or from a secure pipeline,
create the Secrets Manager value with `GenerateSecretString` or `random_password`).

Keys in provider blocks, variables, tfvars, locals, Lambda environments, ECS task definitions,
user data, SSM parameters and CloudFormation parameters are reported by AWS-CREDS-001..004,
AWS-LAMBDA-001, AWS-ECS-001, AWS-EC2-001, AWS-SSM-001 and AWS-CFN-001.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import USER_DATA_ATTRS, find_secrets, first_instance
from iamready.context import Context
from iamready.model.graph import Graph
from iamready.rule import Finding, Severity, rule

# node types whose values other rules read for credentials
COVERED = {
    "provider.aws",
    "variable",
    "tfvars",
    "locals",
    "parameter",
    "aws_lambda_function",
    "AWS::Lambda::Function",
    "AWS::Serverless::Function",
    "aws_ecs_task_definition",
    "AWS::ECS::TaskDefinition",
    "aws_ssm_parameter",
    "AWS::SSM::Parameter",
    *USER_DATA_ATTRS,
}


@rule(
    id="AWS-CREDS-006",
    name="aws-creds-aws-keys-in-resource",
    severity=Severity.HIGH,
    checklist=("4.2",),
    on="project",
    tags=("credentials", "secrets"),
)
def check(graph: Graph, ctx: Context) -> Iterator[Finding]:
    for resource in graph.resources():
        if resource.type in COVERED or resource.type.startswith("provider."):
            continue
        if resource.kind in ("output", "module") and not first_instance(graph, resource):
            continue
        for name, value in resource.attrs.items():
            span = resource.attrs.key_spans.get(name, resource.span)
            for hit in find_secrets(value, str(name), span, "", resource.span, names=False):
                if not hit.written_within(resource.span):
                    continue  # written in a variable or local: reported there
                path = f"{name}{hit.path}" if hit.path.startswith("[") else (f"{name}.{hit.path}" if hit.path else name)
                yield Finding(
                    f"{path} holds {hit.describe()}", at=hit.span, resource=resource, key=f"{path}:{hit.kind}"
                )
