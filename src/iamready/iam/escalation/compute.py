"""Existing compute that runs as a role: functions, instances, endpoints, notebooks, build projects.

Each kind is data: the ARN of one resource of the kind, how it is said when any resource of the
kind is meant, and for each resource type the attribute that names its role (or, for EC2
instances, its instance profile) and the attribute that names the resource. A new kind of compute
is one entry here (and the methods that use it in ``methods.json``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from iamready.iam.effective import UNKNOWN_PART, Target, known_text

if TYPE_CHECKING:
    from iamready.model.graph import Graph, Resource

ROLE_TYPES = ("aws_iam_role", "AWS::IAM::Role")
PROFILE_TYPES = ("aws_iam_instance_profile", "AWS::IAM::InstanceProfile")


@dataclass(frozen=True)
class ComputeKind:
    arn: str  # ARN of one resource of the kind, with ``{name}`` for its name
    words: str  # "any Lambda function"
    types: tuple[tuple[str, str, str], ...]  # (resource type, role or instance-profile attribute, name attribute)
    via_instance_profile: bool = False  # the attribute names an instance profile, not a role

    @property
    def broad_arn(self) -> str:
        """The ARN of any resource of the kind, including ones outside the code."""
        return self.arn.format(name=UNKNOWN_PART)


COMPUTE: dict[str, ComputeKind] = {
    "function": ComputeKind(
        "arn:aws:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}",
        "any Lambda function",
        (
            ("aws_lambda_function", "role", "function_name"),
            ("AWS::Lambda::Function", "Role", "FunctionName"),
            ("AWS::Serverless::Function", "Role", "FunctionName"),
        ),
    ),
    "instance": ComputeKind(
        "arn:aws:ec2:${{AWS::Region}}:${{AWS::AccountId}}:instance/{name}",
        "any EC2 instance",
        (
            ("aws_instance", "iam_instance_profile", ""),
            ("AWS::EC2::Instance", "IamInstanceProfile", ""),
        ),
        via_instance_profile=True,
    ),
    "dev-endpoint": ComputeKind(
        "arn:aws:glue:${{AWS::Region}}:${{AWS::AccountId}}:devEndpoint/{name}",
        "any Glue development endpoint",
        (
            ("aws_glue_dev_endpoint", "role_arn", "name"),
            ("AWS::Glue::DevEndpoint", "RoleArn", "EndpointName"),
        ),
    ),
    "notebook": ComputeKind(
        "arn:aws:sagemaker:${{AWS::Region}}:${{AWS::AccountId}}:notebook-instance/{name}",
        "any SageMaker notebook instance",
        (
            ("aws_sagemaker_notebook_instance", "role_arn", "name"),
            ("AWS::SageMaker::NotebookInstance", "RoleArn", "NotebookInstanceName"),
        ),
    ),
    "build-project": ComputeKind(
        "arn:aws:codebuild:${{AWS::Region}}:${{AWS::AccountId}}:project/{name}",
        "any CodeBuild project",
        (
            ("aws_codebuild_project", "service_role", "name"),
            ("AWS::CodeBuild::Project", "ServiceRole", "Name"),
        ),
    ),
    # a stack deployed with a service role: CloudFormation acts as the role on every update
    "stack": ComputeKind(
        "arn:aws:cloudformation:${{AWS::Region}}:${{AWS::AccountId}}:stack/{name}/" + UNKNOWN_PART,
        "any CloudFormation stack",
        (("aws_cloudformation_stack", "iam_role_arn", "name"),),
    ),
    # a launch template with an instance profile: instances launched from its default version
    # (an Auto Scaling group, later launches) run as the profile's role
    "launch-template": ComputeKind(
        "arn:aws:ec2:${{AWS::Region}}:${{AWS::AccountId}}:launch-template/" + UNKNOWN_PART,
        "any EC2 launch template",
        (
            ("aws_launch_template", "iam_instance_profile.name", ""),
            ("aws_launch_template", "iam_instance_profile.arn", ""),
            ("AWS::EC2::LaunchTemplate", "LaunchTemplateData.IamInstanceProfile.Arn", ""),
            ("AWS::EC2::LaunchTemplate", "LaunchTemplateData.IamInstanceProfile.Name", ""),
        ),
        via_instance_profile=True,
    ),
    # running ECS tasks: ecs:ExecuteCommand opens a shell in their containers, with the task role
    "ecs-task": ComputeKind(
        "arn:aws:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task/" + UNKNOWN_PART,
        "any running ECS task",
        (
            ("aws_ecs_task_definition", "task_role_arn", ""),
            ("AWS::ECS::TaskDefinition", "TaskRoleArn", ""),
        ),
    ),
    # a custom Bedrock AgentCore code interpreter: its sessions run code with the execution role
    "code-interpreter": ComputeKind(
        "arn:aws:bedrock-agentcore:${{AWS::Region}}:${{AWS::AccountId}}:code-interpreter-custom/" + UNKNOWN_PART,
        "any Bedrock AgentCore code interpreter",
        (
            ("aws_bedrockagentcore_code_interpreter", "execution_role_arn", ""),
            ("AWS::BedrockAgentCore::CodeInterpreterCustom", "ExecutionRoleArn", ""),
        ),
    ),
    "apprunner-service": ComputeKind(
        "arn:aws:apprunner:${{AWS::Region}}:${{AWS::AccountId}}:service/{name}/" + UNKNOWN_PART,
        "any App Runner service",
        (
            ("aws_apprunner_service", "instance_configuration.instance_role_arn", "service_name"),
            ("AWS::AppRunner::Service", "InstanceConfiguration.InstanceRoleArn", "ServiceName"),
        ),
    ),
}


def find_compute(graph: Graph) -> dict[str, list[tuple[Resource, Resource, Target]]]:
    """(compute resource, role it runs as, its ARN) for every kind, in the order of :data:`COMPUTE`."""
    from iamready.aws.links import Linker

    linker = Linker(graph)
    out: dict[str, list[tuple[Resource, Resource, Target]]] = {}
    seen: set[tuple[str, str, str]] = set()
    for kind, spec in COMPUTE.items():
        for rtype, role_attr, name_attr in spec.types:
            for resource in graph.resources(rtype):
                value = resource.attr(role_attr).raw
                if spec.via_instance_profile:
                    roles: list[Resource] = []
                    for profile in linker.targets(resource, value, PROFILE_TYPES, same_scope=False):
                        attr = "role" if profile.type == "aws_iam_instance_profile" else "Roles"
                        roles.extend(linker.targets(profile, profile.attr(attr).raw, ROLE_TYPES, same_scope=False))
                else:
                    roles = linker.targets(resource, value, ROLE_TYPES, same_scope=False)
                name = known_text(resource.attr(name_attr).raw) if name_attr else None
                arn = spec.arn.format(name=name or UNKNOWN_PART)
                for role in roles:
                    if (kind, resource.id, role.id) not in seen:  # a profile named by name and by ARN
                        seen.add((kind, resource.id, role.id))
                        out.setdefault(kind, []).append((resource, role, Target(arn, resource.id)))
    return out
