"""IAM user's access keys are handed to software instead of a role

The code creates access keys for an IAM user and hands them to compute (a Lambda function, an
EC2 instance or launch template, an ECS task, a CodeBuild project), to CI (GitHub Actions,
GitLab, CircleCI, Bitbucket or Terraform Cloud variables) or to a store that software reads
(SSM parameters, Secrets Manager, files), or, for a user whose name says software uses it
(`ci-deployer`, `svc-backup`, `github-actions`), through the outputs of the code.

## Why is this bad?
Software that runs in AWS can get temporary credentials from a role (execution role, instance
profile, task role), and CI systems can federate with OIDC. A user with long-term keys instead
means credentials to rotate, copy and leak, and an identity that looks like a person in
CloudTrail (checklist 2.8, 4.1).

## How to fix
Create a role with the permissions the software needs and let it assume the role: set
`role` on the Lambda function, `iam_instance_profile` on the instance or launch template,
`task_role_arn` on the task definition, `service_role` on the CodeBuild project, and an OIDC
identity provider with a trust policy for CI. Then delete the user's keys.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_services.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
"""

from collections.abc import Iterator

from iamready.aws.secrets import (
    ACCESS_KEY_TYPES,
    credentials_of,
    iter_key_usages,
    machine_usages,
    service_name,
    user_name,
)
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule


@rule(
    id="AWS-IAM-055",
    name="aws-iam-service-user-instead-of-role",
    severity=Severity.MEDIUM,
    checklist=("2.8", "4.1"),
    targets={"terraform": ["aws_iam_user"], "cloudformation": ["AWS::IAM::User"]},
    tags=("identity", "credentials"),
)
def check(user: Resource, ctx: Context) -> Iterator[Finding]:
    usages = [u for u in machine_usages(ctx.graph, user) if u.ref.is_secret]
    if not usages and service_name(user_name(user)):
        # a user named for software (ci-deployer, svc-backup) whose key leaves through outputs: the
        # pipeline or application that reads them is the consumer
        usages = [
            u
            for key in credentials_of(ctx.graph, user, ACCESS_KEY_TYPES)
            for u in iter_key_usages(ctx.graph, key)
            if u.ref.is_secret and u.consumer.type == "output"
        ]
    if not usages:
        return
    consumers = list(dict.fromkeys(u.consumer.address for u in usages))
    yield Finding(
        f"user {user_name(user)} is a service user: its access key is handed to {', '.join(consumers)}; "
        "use a role instead",
        at=user.span,
        related=[(u.ref.span, f"{u.ref.describe()} is used by {u.consumer.address}") for u in usages],
    )
