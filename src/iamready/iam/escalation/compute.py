"""Existing compute that runs as a role: functions, instances, endpoints, notebooks, build projects.

Each kind is data: the ARN of one resource of the kind, how it is said when any resource of the
kind is meant, and for each resource type the attribute that names its role (or, for EC2
instances, its instance profile) and the attribute that names the resource. A kind whose resources
run nothing themselves (a launch template) also names what launches from them (Auto Scaling
groups): the role is reached through those, and only as a guarded step when nothing in the code
does. A new kind of compute is one entry here (and the methods that use it in ``methods.json``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from iamready.iam.effective import UNKNOWN_PART, Target, known_text
from iamready.model.graph import CLOUDFORMATION
from iamready.model.value import MISSING, Unknown

if TYPE_CHECKING:
    from iamready.aws.links import Linker
    from iamready.model.graph import Graph, Resource

ROLE_TYPES = ("aws_iam_role", "AWS::IAM::Role")
PROFILE_TYPES = ("aws_iam_instance_profile", "AWS::IAM::InstanceProfile")


@dataclass(frozen=True)
class Launcher:
    """A resource that launches instances from a launch template: where it names the template (by
    id or ARN, by name) and the version it launches."""

    type: str
    template_id: str  # attribute naming the template by id (a reference) or ARN
    template_name: str  # attribute naming the template by name
    version: str  # attribute holding the version launched ("$Default" when not set)


@dataclass(frozen=True)
class ComputeKind:
    arn: str  # ARN of one resource of the kind, with ``{name}`` for its name
    words: str  # "any Lambda function"
    types: tuple[tuple[str, str, str], ...]  # (resource type, role or instance-profile attribute, name attribute)
    via_instance_profile: bool = False  # the attribute names an instance profile, not a role
    # what launches instances from a resource of the kind; empty: the resource itself runs as the role
    launchers: tuple[Launcher, ...] = ()
    # the resource types' own-name attributes, to match a launcher naming the resource by name
    own_names: tuple[tuple[str, str], ...] = ()
    # said when nothing in the code launches from the resource: what else must happen
    unlaunched: str = ""

    @property
    def broad_arn(self) -> str:
        """The ARN of any resource of the kind, including ones outside the code."""
        return self.arn.format(name=UNKNOWN_PART)


class ComputeUse(NamedTuple):
    """One resource of a kind and the role it runs as, with the words that link them."""

    resource: Resource
    role: Resource
    target: Target
    link: str = "which runs as"  # "<resource>, <link> <role>"
    guard: str | None = None  # what must also happen for the role to be reached


# a launch template version that a launcher follows: the new default version an attacker sets
FOLLOWED_VERSIONS = {"$Default": "default", "$Latest": "latest"}
# attributes of a launch template that pin a launcher to the version current at deployment
PINNED_VERSION_ATTRS = ("latest_version", "default_version", "LatestVersionNumber", "DefaultVersionNumber")
UNREAD = "unread"  # a launcher's version the scan cannot read (a variable without a value, a function)


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
    # (an Auto Scaling group that launches "$Default" or "$Latest", later launches) run as the
    # profile's role
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
        launchers=(
            Launcher("aws_autoscaling_group", "launch_template.id", "launch_template.name", "launch_template.version"),
            Launcher(
                "aws_autoscaling_group",
                "mixed_instances_policy.launch_template.launch_template_specification.launch_template_id",
                "mixed_instances_policy.launch_template.launch_template_specification.launch_template_name",
                "mixed_instances_policy.launch_template.launch_template_specification.version",
            ),
            Launcher(
                "AWS::AutoScaling::AutoScalingGroup",
                "LaunchTemplate.LaunchTemplateId",
                "LaunchTemplate.LaunchTemplateName",
                "LaunchTemplate.Version",
            ),
            Launcher(
                "AWS::AutoScaling::AutoScalingGroup",
                "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId",
                "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName",
                "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version",
            ),
        ),
        own_names=(("aws_launch_template", "name"), ("AWS::EC2::LaunchTemplate", "LaunchTemplateName")),
        unlaunched="only when an instance is later launched from the template's default version",
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


# resources that already run as a role passed to a service: a pass-role method that updates them
# (glue:UpdateJob, cloudformation:UpdateStackSet) passes their role again, so the path names them
# service -> (resource type, attribute naming the role, what the role is to the resource)
PASSED_ROLE_USERS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "glue.amazonaws.com": (("aws_glue_job", "role_arn", "role"), ("AWS::Glue::Job", "Role", "role")),
    "cloudformation.amazonaws.com": (
        ("aws_cloudformation_stack_set", "administration_role_arn", "administration role"),
        ("AWS::CloudFormation::StackSet", "AdministrationRoleARN", "administration role"),
    ),
}


def passed_role_users(graph: Graph) -> dict[tuple[str, str], list[str]]:
    """(role id, service) -> how the resources of the code already hand the role to the service
    ("the role of aws_glue_job.nightly", "the administration role of aws_cloudformation_stack_set.baseline")."""
    from iamready.aws.links import Linker

    linker = Linker(graph)
    out: dict[tuple[str, str], list[str]] = {}
    for service, users in PASSED_ROLE_USERS.items():
        for rtype, attr, what in users:
            for resource in graph.resources(rtype):
                for role in linker.targets(resource, resource.attr(attr).raw, ROLE_TYPES, same_scope=False):
                    out.setdefault((role.id, service), []).append(f"the {what} of {resource.address}")
    return out


def find_compute(graph: Graph) -> dict[str, list[ComputeUse]]:
    """Every resource of every kind with the role it runs as, in the order of :data:`COMPUTE`."""
    from iamready.aws.links import Linker

    linker = Linker(graph)
    out: dict[str, list[ComputeUse]] = {}
    seen: set[tuple[str, str, str]] = set()
    for kind, spec in COMPUTE.items():
        launched = _launched(graph, linker, spec) if spec.launchers else {}
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
                # a CloudFormation policy names the resource as ``!Sub ...:launch-template/${Template}``:
                # its logical id stands for the name part of its ARN, known or not
                own = ((resource.name.lower(), name or UNKNOWN_PART),) if resource.framework == CLOUDFORMATION else ()
                target = Target(spec.arn.format(name=name or UNKNOWN_PART), resource.id, own)
                link, guard = "which runs as", None
                if spec.launchers:
                    launches, pinned = launched.get(resource.id, ("", []))
                    if launches:
                        link = f"{launches} instances that run as"
                    elif pinned:
                        verb = "launch" if len(pinned) > 1 else "launches"
                        guard = f"{spec.unlaunched}: {' and '.join(pinned)} {verb} the version current at deployment"
                    else:
                        guard = f"{spec.unlaunched}: nothing in the code launches from it"
                for role in roles:
                    if (kind, resource.id, role.id) not in seen:  # a profile named by name and by ARN
                        seen.add((kind, resource.id, role.id))
                        out.setdefault(kind, []).append(ComputeUse(resource, role, target, link, guard))
    return out


def _launched(graph: Graph, linker: Linker, spec: ComputeKind) -> dict[str, tuple[str, list[str]]]:
    """Resource id -> (what launches from the version an attacker can make its default: "default
    version aws_autoscaling_group.web", the launchers pinned to the version current at deployment
    instead: ``latest_version``, ``!GetAtt T.LatestVersionNumber``, a number)."""
    types = tuple(dict.fromkeys(t for t, _, _ in spec.types))
    by_name: dict[str, list[Resource]] = {}
    for rtype, attr in spec.own_names:
        for resource in graph.resources(rtype):
            name = known_text(resource.attr(attr).raw)
            if name:
                by_name.setdefault(name, []).append(resource)
    found: dict[str, dict[str, list[str]]] = {}  # resource id -> version words -> launcher addresses
    pinned: dict[str, list[str]] = {}
    for launcher in spec.launchers:
        for holder in graph.resources(launcher.type):
            named = holder.attr(launcher.template_name).raw
            templates = linker.targets(holder, [holder.attr(launcher.template_id).raw, named], types, same_scope=False)
            name = known_text(named)
            templates += [t for t in by_name.get(name or "", ()) if t.scope == holder.scope and t not in templates]
            version = _followed(holder.attr(launcher.version).raw)
            for template in templates:
                if version is None:
                    pinned.setdefault(template.id, []).append(holder.address)
                else:
                    found.setdefault(template.id, {}).setdefault(version, []).append(holder.address)
    out: dict[str, tuple[str, list[str]]] = {}
    for rid in dict.fromkeys([*found, *pinned]):
        versions = found.get(rid, {})
        parts = []
        for version, holders in versions.items():
            names = list(dict.fromkeys(holders))
            verb = "launch" if len(names) > 1 else "launches"
            if version == UNREAD:
                parts.append(f"from which {' and '.join(names)} {verb} (at a version the scan cannot read)")
            else:
                parts.append(f"from whose {version} version {' and '.join(names)} {verb}")
        out[rid] = (" and ".join(parts), list(dict.fromkeys(pinned.get(rid, []))))
    return out


def _followed(raw: Any) -> str | None:
    """The version a launcher follows ("default", "latest"), None when it is pinned. Not set is the
    default version; a value the scan cannot read is :data:`UNREAD`, taken as followed (the scan
    cannot prove it pinned) and said so."""
    if raw is MISSING or raw is None:
        return "default"
    ref = getattr(raw, "ref", None)
    if ref is not None:
        return None if ref[1] in PINNED_VERSION_ATTRS else UNREAD
    if isinstance(raw, Unknown) or not isinstance(raw, str):
        return UNREAD
    return FOLLOWED_VERSIONS.get(str(raw))
