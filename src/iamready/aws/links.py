"""The semantic layer on top of the resource graph.

After parsing, :func:`link` finds every policy document (inline, managed, trust, boundary,
resource policy) in both frameworks, normalises it (:mod:`iamready.iam.policy`), and adds the
edges rules ask about:

* ``attaches``  policy-carrying resource -> principal it applies to (role, user, group)
* ``boundary``  policy-carrying resource -> principal whose permissions it bounds
* ``member``    user -> group
* ``configures`` S3 satellite resource (versioning, logging, public access block, policy, ...) -> bucket
* ``writes_to`` CloudTrail trail or Cost and Usage Report -> bucket

A reference is followed when the value is symbolic (``aws_iam_role.app.name``, ``!Ref AppRole``);
a literal name (``role = "app"``) is matched against the names the code gives its resources.
"""

from __future__ import annotations

import copy as _copy
import functools
from collections.abc import Callable, Iterable
from typing import Any

from iamready.iam.aws_managed import lookup_any_case, parse_aws_managed_arn, parse_managed_arn
from iamready.iam.conditions import settle_time
from iamready.iam.policy import (
    BOUNDARY,
    IDENTITY,
    RESOURCE,
    TRUST,
    Condition,
    PolicyDocument,
    Statement,
    build_document,
)
from iamready.model.graph import CLOUDFORMATION, Graph, Resource
from iamready.model.span import Span
from iamready.model.value import MISSING, Cause, Choice, LDict, LList, LStr, Unknown, Value

ROLE = ("aws_iam_role", "AWS::IAM::Role")
USER = ("aws_iam_user", "AWS::IAM::User")
GROUP = ("aws_iam_group", "AWS::IAM::Group")
PRINCIPAL_TYPES = ROLE + USER + GROUP
MANAGED_POLICY = ("aws_iam_policy", "AWS::IAM::ManagedPolicy")
BUCKET = ("aws_s3_bucket", "AWS::S3::Bucket")
TRAIL = ("aws_cloudtrail", "AWS::CloudTrail::Trail")
CUR = ("aws_cur_report_definition", "AWS::CUR::ReportDefinition")

# the attribute holding a resource's own name, per type
NAME_ATTRS = {
    "aws_iam_role": "name",
    "aws_iam_user": "name",
    "aws_iam_group": "name",
    "aws_iam_policy": "name",
    "aws_s3_bucket": "bucket",
    "aws_cloudtrail": "name",
    "aws_iam_instance_profile": "name",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::CloudTrail::Trail": "TrailName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
}

S3_SATELLITES = (
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_object_lock_configuration",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_website_configuration",
    "aws_s3_bucket_cors_configuration",
    "aws_s3_bucket_notification",
    "aws_s3_bucket_replication_configuration",
    "aws_s3_bucket_accelerate_configuration",
    "aws_s3_bucket_intelligent_tiering_configuration",
    "aws_s3_bucket_request_payment_configuration",
)

# Where resource policies live, as data: resource type -> (attribute holding the policy document,
# attribute naming the resource it protects when the policy is a separate resource, or None).
# Every AWS service whose resources take a resource-based policy, in both frameworks; rules read
# these documents as kind "resource" whatever the service (AWS-IAM-036, AWS-IAM-033, AWS-IAM-014).
# tests/aws/test_resource_policies.py checks the CloudFormation entries against the resource schemas.
RESOURCE_POLICIES: dict[str, tuple[str, str | None]] = {
    # S3
    "aws_s3_bucket_policy": ("policy", "bucket"),
    "aws_s3_bucket": ("policy", None),
    "aws_s3_access_point": ("policy", None),
    "aws_s3control_access_point_policy": ("policy", "access_point_arn"),
    "aws_s3control_bucket_policy": ("policy", "bucket"),
    "aws_s3control_multi_region_access_point_policy": ("details.policy", None),
    "AWS::S3::BucketPolicy": ("PolicyDocument", "Bucket"),
    "AWS::S3::AccessPoint": ("Policy", None),
    "AWS::S3::MultiRegionAccessPointPolicy": ("Policy", "MrapName"),
    "AWS::S3Express::BucketPolicy": ("PolicyDocument", "Bucket"),
    # KMS
    "aws_kms_key": ("policy", None),
    "aws_kms_key_policy": ("policy", "key_id"),
    "aws_kms_replica_key": ("policy", None),
    "AWS::KMS::Key": ("KeyPolicy", None),
    "AWS::KMS::ReplicaKey": ("KeyPolicy", None),
    # SNS, SQS
    "aws_sns_topic_policy": ("policy", "arn"),
    "aws_sns_topic": ("policy", None),
    "aws_sqs_queue_policy": ("policy", "queue_url"),
    "aws_sqs_queue": ("policy", None),
    "AWS::SNS::TopicPolicy": ("PolicyDocument", "Topics"),
    "AWS::SQS::QueuePolicy": ("PolicyDocument", "Queues"),
    # Secrets Manager
    "aws_secretsmanager_secret_policy": ("policy", "secret_arn"),
    "aws_secretsmanager_secret": ("policy", None),
    "AWS::SecretsManager::ResourcePolicy": ("ResourcePolicy", "SecretId"),
    # ECR, ECR Public
    "aws_ecr_repository_policy": ("policy", "repository"),
    "aws_ecr_registry_policy": ("policy", None),
    "aws_ecrpublic_repository_policy": ("policy", "repository_name"),
    "AWS::ECR::Repository": ("RepositoryPolicyText", None),
    "AWS::ECR::RegistryPolicy": ("PolicyText", None),
    "AWS::ECR::PublicRepository": ("RepositoryPolicyText", None),
    # Glacier
    "aws_glacier_vault": ("access_policy", None),
    # OpenSearch / Elasticsearch
    "aws_opensearch_domain": ("access_policies", None),
    "aws_opensearch_domain_policy": ("access_policies", "domain_name"),
    "aws_elasticsearch_domain": ("access_policies", None),
    "aws_elasticsearch_domain_policy": ("access_policies", "domain_name"),
    "AWS::OpenSearchService::Domain": ("AccessPolicies", None),
    "AWS::Elasticsearch::Domain": ("AccessPolicies", None),
    # API Gateway
    "aws_api_gateway_rest_api": ("policy", None),
    "aws_api_gateway_rest_api_policy": ("policy", "rest_api_id"),
    "AWS::ApiGateway::RestApi": ("Policy", None),
    # EFS
    "aws_efs_file_system_policy": ("policy", "file_system_id"),
    "AWS::EFS::FileSystem": ("FileSystemPolicy", None),
    # Backup
    "aws_backup_vault_policy": ("policy", "backup_vault_name"),
    "AWS::Backup::BackupVault": ("AccessPolicy", None),
    # EventBridge
    "aws_cloudwatch_event_bus_policy": ("policy", "event_bus_name"),
    "AWS::Events::EventBus": ("Policy", None),
    # Glue Data Catalog
    "aws_glue_resource_policy": ("policy", None),
    # CodeArtifact
    "aws_codeartifact_domain_permissions_policy": ("policy_document", "domain"),
    "aws_codeartifact_repository_permissions_policy": ("policy_document", "repository"),
    "AWS::CodeArtifact::Domain": ("PermissionsPolicyDocument", None),
    "AWS::CodeArtifact::Repository": ("PermissionsPolicyDocument", None),
    # CloudWatch Logs
    "aws_cloudwatch_log_resource_policy": ("policy_document", None),
    "aws_cloudwatch_log_destination_policy": ("access_policy", "destination_name"),
    "AWS::Logs::ResourcePolicy": ("PolicyDocument", None),
    "AWS::Logs::Destination": ("DestinationPolicy", None),
    # DynamoDB, Kinesis
    "aws_dynamodb_resource_policy": ("policy", "resource_arn"),
    "AWS::DynamoDB::Table": ("ResourcePolicy.PolicyDocument", None),
    "aws_kinesis_resource_policy": ("policy", "resource_arn"),
    "AWS::Kinesis::ResourcePolicy": ("ResourcePolicy", "ResourceArn"),
    # SES, MediaStore, Schemas, SageMaker, Network Firewall, Redshift Serverless
    "aws_ses_identity_policy": ("policy", "identity"),
    "aws_media_store_container_policy": ("policy", "container_name"),
    "AWS::MediaStore::Container": ("Policy", None),
    "aws_schemas_registry_policy": ("policy", "registry_name"),
    "AWS::EventSchemas::RegistryPolicy": ("Policy", "RegistryName"),
    "aws_sagemaker_model_package_group_policy": ("resource_policy", "model_package_group_name"),
    "aws_networkfirewall_resource_policy": ("policy", "resource_arn"),
    "aws_redshiftserverless_resource_policy": ("policy", "resource_arn"),
    # Serverless Application Repository (SAM's AWS::Serverless::Application has no policy; the
    # repository's application policy is only set through the API)
}

# Resource types whose attributes make up a one-statement resource policy (a Lambda permission is a
# statement of the function's policy): type -> attributes for Principal, Action, the resource, and the
# condition keys each other attribute stands for.
PERMISSION_STATEMENTS: dict[str, tuple[str, str, str, dict[str, tuple[str, str]]]] = {
    "aws_lambda_permission": (
        "principal",
        "action",
        "function_name",
        {
            "source_arn": ("ArnLike", "aws:SourceArn"),
            "source_account": ("StringEquals", "aws:SourceAccount"),
            "principal_org_id": ("StringEquals", "aws:PrincipalOrgID"),
            "event_source_token": ("StringEquals", "lambda:EventSourceToken"),
            "function_url_auth_type": ("StringEquals", "lambda:FunctionUrlAuthType"),
        },
    ),
    "AWS::Lambda::Permission": (
        "Principal",
        "Action",
        "FunctionName",
        {
            "SourceArn": ("ArnLike", "aws:SourceArn"),
            "SourceAccount": ("StringEquals", "aws:SourceAccount"),
            "PrincipalOrgID": ("StringEquals", "aws:PrincipalOrgID"),
            "EventSourceToken": ("StringEquals", "lambda:EventSourceToken"),
            "FunctionUrlAuthType": ("StringEquals", "lambda:FunctionUrlAuthType"),
            "InvokedViaFunctionUrl": ("Bool", "lambda:InvokedViaFunctionUrl"),
        },
    ),
    "aws_lambda_layer_version_permission": (
        "principal",
        "action",
        "layer_name",
        {"organization_id": ("StringEquals", "aws:PrincipalOrgID")},
    ),
    "AWS::Lambda::LayerVersionPermission": (
        "Principal",
        "Action",
        "LayerVersionArn",
        {"OrganizationId": ("StringEquals", "aws:PrincipalOrgID")},
    ),
}


def _build_document(
    holder: Resource, attr: str, kind: str, value: Any, span: Span, name: str | None = None
) -> PolicyDocument:
    """A policy document with its date conditions judged against the scan date, once, for every rule
    (:func:`iamready.iam.conditions.settle_time`)."""
    doc = build_document(holder, attr, kind, value, span, name)
    if any(stmt.conditions for stmt in doc.statements):
        settle_time(doc)
    return doc


class Linker:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._names: dict[tuple[str, str], list[Resource]] = {}
        self._managed_docs: dict[str, list[PolicyDocument]] = {}
        for resource in graph.resources():
            attr = NAME_ATTRS.get(resource.type)
            if attr is None:
                continue
            for name in _names_of(resource, attr):
                self._names.setdefault((resource.type, name), []).append(resource)

    # -- resolution ------------------------------------------------------------------------
    def targets(self, holder: Resource, value: Any, types: Iterable[str], same_scope: bool = True) -> list[Resource]:
        """Resources of ``types`` that ``value`` (a reference, a name, an ARN) designates."""
        types = tuple(types)
        out: list[Resource] = []
        for item in _flatten(value):
            ref = getattr(item, "ref", None)
            if ref is not None:
                target = self.graph.get(ref[0])
                if target is not None and target.type in types:
                    out.append(target)
                    continue
            if isinstance(item, str) and not isinstance(item, Unknown):
                name = _name_from(str(item))
                for rtype in types:
                    for candidate in self._names.get((rtype, name), ()):
                        if not same_scope or candidate.scope == holder.scope:
                            out.append(candidate)
        seen: set[str] = set()
        unique = []
        for r in out:
            if r.id not in seen:
                seen.add(r.id)
                unique.append(r)
        return unique

    # -- documents -------------------------------------------------------------------------
    def document(self, holder: Resource, attr: str, kind: str, name: str | None = None) -> PolicyDocument | None:
        value = holder.attr(attr)
        if not value.is_set and not value.is_unknown:
            return None
        doc = _build_document(holder, attr, kind, value.raw, value.span or holder.span, name)
        self.graph.add_policy(doc)
        return doc

    def value_document(
        self, holder: Resource, attr: str, kind: str, value: Value, name: str | None = None
    ) -> PolicyDocument | None:
        if not value.is_set and not value.is_unknown:
            return None
        doc = _build_document(holder, attr, kind, value.raw, value.span or holder.span, name)
        self.graph.add_policy(doc)
        return doc

    def attach(self, doc: PolicyDocument | None, principals: Iterable[Resource]) -> None:
        if doc is None:
            return
        for principal in principals:
            if doc.kind == BOUNDARY:
                self.graph.link(doc.holder, principal, "boundary", doc.attr)
            else:
                self.graph.link(doc.holder, principal, "attaches", doc.attr)
            if principal not in doc.principals:
                doc.principals.append(principal)

    def managed(
        self,
        holder: Resource,
        value: Value,
        attr: str,
        principals: list[Resource],
        kind: str = IDENTITY,
        when: str | None = None,
    ) -> None:
        """Attach managed policies designated by ``value`` (ARNs, references; one or a list)."""
        for item in value.items():
            raw = item.raw
            if isinstance(raw, Choice):  # Fn::If: each branch attaches its own policies
                for branch_when, branch in raw.branches():
                    joined = f"{when} and {branch_when}" if when else branch_when
                    self.managed(holder, Value(branch, item.span, item.path), attr, principals, kind, joined)
                continue
            if isinstance(raw, (Unknown, Choice)):
                doc = PolicyDocument(
                    holder=holder,
                    attr=attr,
                    kind=kind,
                    span=item.span or holder.span,
                    unknown=raw if isinstance(raw, Unknown) else Unknown("depends on a condition"),
                    via="managed",
                )
                self.graph.add_policy(doc)
                self.attach(doc, principals)
                continue
            docs = self.managed_documents(holder, raw, item.span or holder.span, attr, kind, when)
            for doc in docs:
                self.attach(doc, principals)
                if doc.holder is not holder:
                    self.graph.link(holder, doc.holder, "ref", attr)

    def _boundary_view(self, doc: PolicyDocument) -> PolicyDocument:
        """A customer-managed policy used as a permission boundary: the same statements, as a
        document of kind ``boundary`` (one per policy), so it limits instead of granting."""
        key = f"{doc.holder.id}|{doc.attr}|boundary-view"
        cached = self._managed_docs.get(key)
        if cached:
            return cached[0]
        view = PolicyDocument(
            holder=doc.holder,
            attr=doc.attr,
            kind=BOUNDARY,
            span=doc.span,
            statements=doc.statements,
            unknown=doc.unknown,
            name=doc.name,
            via="managed",
        )
        self.graph.add_policy(view)
        self._managed_docs[key] = [view]
        return view

    def managed_documents(
        self, holder: Resource, raw: Any, span: Span, attr: str, kind: str, when: str | None = None
    ) -> list[PolicyDocument]:
        targets = self.targets(holder, raw, MANAGED_POLICY)
        if targets:
            out = []
            for target in targets:
                out.extend(
                    d
                    for d in self.graph.policies_of(target)
                    if d.attr in ("policy", "PolicyDocument") and d.kind == IDENTITY
                )
            if kind == BOUNDARY:  # the policy bounds the principal; it grants it nothing
                out = [self._boundary_view(d) for d in out]
            return out
        if not isinstance(raw, str):
            return []
        parsed = parse_managed_arn(str(raw))
        if parsed is None:
            return []
        account, _name = parsed
        if account == "aws":
            key = f"{holder.id}|{attr}|{raw}|{kind}|{span}|{when}"
            if key in self._managed_docs:
                return self._managed_docs[key]
            doc = aws_managed_document(holder, attr, kind, str(raw), _data_source_span(self.graph, raw) or span, when)
            doc.source = raw  # the ARN as written: a module's caller may have written it
            self.graph.add_policy(doc)
            self._managed_docs[key] = [doc]
            return [doc]
        if not account:
            return []
        # a customer managed policy of an account, defined outside the scanned code
        key = f"{holder.id}|{attr}|{raw}|{kind}|{span}|{when}"
        if key not in self._managed_docs:
            doc = PolicyDocument(
                holder=holder,
                attr=attr,
                kind=kind,
                span=span,
                name=str(raw),
                via="external",
                unknown=Unknown(
                    "it is defined outside the scanned code: its content is not known to iamready",
                    span,
                    _external_policy(str(raw)),
                ),
            )
            self.graph.add_policy(doc)
            self._managed_docs[key] = [doc]
        return self._managed_docs[key]


def _data_source_span(graph: Graph, raw: Any) -> Span | None:
    """Where a ``data "aws_iam_policy"`` names the policy, when ``raw`` is that data source's ``arn``:
    the name to fix is written there, not at the attachment."""
    ref = getattr(raw, "ref", None)
    if ref is None:
        return None
    source = graph.get(ref[0])
    if source is None or source.type != "data.aws_iam_policy":
        return None
    return getattr(raw, "span", None)


_PROTO_HOLDER = Resource(id="", address="", type="", framework="", span=Span("", 0))


@functools.lru_cache(maxsize=256)
def _prototype(entry: Any, partition: str, kind: str) -> PolicyDocument:
    """An AWS managed policy's statements, read once; each attachment gets copies (their patterns,
    and what is derived from them, are shared: statements are not changed once read)."""
    doc = build_document(_PROTO_HOLDER, "", kind, entry.document(partition), Span("", 0), entry.name)
    for statement in doc.statements:  # derived once here, so that every copy shares them
        _ = statement.action_patterns, statement.not_action_patterns, statement.resource_patterns
        _ = statement.action_matcher, statement.not_action_matcher, statement.action_services
    return doc


def _clone(statement: Statement, doc: PolicyDocument, span: Span, when: str | None) -> Statement:
    copy = _copy.copy(statement)
    copy.document = doc
    copy.span = span
    copy.when = when
    copy.conditions = [Condition(c.operator, c.key, c.values, span) for c in statement.conditions]
    return copy


def aws_managed_document(
    holder: Resource, attr: str, kind: str, arn: str, span: Span, when: str | None = None
) -> PolicyDocument:
    """The document an AWS managed policy ARN stands for, read from the shipped snapshot. A name
    the snapshot lacks (a typo, a policy AWS removed) gives a document without statements, whose
    ``managed`` is None: it grants nothing (the attachment fails) and AWS-IAM-015 reports it. In another
    partition (aws-cn, aws-us-gov) the aws partition's document stands for it; a name the aws partition
    lacks may still exist there, so its document is unknown (one root cause per name), not empty."""
    parsed = parse_aws_managed_arn(arn)
    name = parsed.name if parsed is not None else arn.rsplit("/", 1)[-1]
    partition = parsed.partition if parsed is not None else "aws"
    entry = lookup_any_case(name)
    if entry is not None:
        proto = _prototype(entry, partition, kind)
        doc = PolicyDocument(holder=holder, attr=attr, kind=kind, span=span, name=entry.name)
        doc.statements = [_clone(statement, doc, span, when) for statement in proto.statements]
    else:
        doc = PolicyDocument(holder=holder, attr=attr, kind=kind, span=span, name=name)
        if partition != "aws":  # the data lists the aws partition's policies only: absent there is not absent here
            doc.unknown = Unknown(
                f"AWS managed policy {name} of the {partition} partition is not known",
                span,
                _other_partition(partition, name),
            )
    doc.aws_managed = entry.name if entry is not None else name
    doc.managed = entry
    doc.managed_arn = arn
    doc.via = "aws-managed"
    return doc


def _tf_role(linker: Linker, role: Resource) -> None:
    trust = linker.document(role, "assume_role_policy", TRUST)
    if trust is not None:
        trust.targets.append(role)
    inline = role.attr("inline_policy")
    for index, block in enumerate(inline.items()):
        value = block.get("policy")
        name = block.get("name").raw
        doc = linker.value_document(
            role, f"inline_policy[{index}].policy", IDENTITY, value, name if isinstance(name, str) else None
        )
        linker.attach(doc, [role])
    linker.managed(role, role.attr("managed_policy_arns"), "managed_policy_arns", [role])
    _boundary(linker, role, "permissions_boundary")


def _boundary(linker: Linker, principal: Resource, attr: str) -> None:
    value = principal.attr(attr)
    if value.is_set or value.is_unknown:
        linker.managed(principal, value, attr, [principal], BOUNDARY)


def _tf_user(linker: Linker, user: Resource) -> None:
    _boundary(linker, user, "permissions_boundary")


def _tf_inline(principal_attr: str, types: tuple[str, ...]) -> Callable[[Linker, Resource], None]:
    def handler(linker: Linker, holder: Resource) -> None:
        doc = linker.document(holder, "policy", IDENTITY, _str_or_none(holder.attr("name").raw))
        linker.attach(doc, linker.targets(holder, holder.attr(principal_attr).raw, types))

    return handler


def _tf_policy(linker: Linker, policy: Resource) -> None:
    doc = linker.document(policy, "policy", IDENTITY, _str_or_none(policy.attr("name").raw))
    if doc is not None:
        doc.via = "managed"


def _tf_attachment(principal_attr: str, types: tuple[str, ...]) -> Callable[[Linker, Resource], None]:
    def handler(linker: Linker, holder: Resource) -> None:
        principals = linker.targets(holder, holder.attr(principal_attr).raw, types)
        for principal in principals:
            linker.graph.link(holder, principal, "ref", principal_attr)
        linker.managed(holder, holder.attr("policy_arn"), "policy_arn", principals)

    return handler


def _tf_policy_attachment(linker: Linker, holder: Resource) -> None:
    principals = []
    for attr, types in (("users", USER), ("roles", ROLE), ("groups", GROUP)):
        principals.extend(linker.targets(holder, holder.attr(attr).raw, types))
    linker.managed(holder, holder.attr("policy_arn"), "policy_arn", principals)


def _tf_user_groups(linker: Linker, holder: Resource) -> None:
    for user in linker.targets(holder, holder.attr("user").raw, USER):
        for group in linker.targets(holder, holder.attr("groups").raw, GROUP):
            linker.graph.link(user, group, "member", holder.address)


def _tf_group_membership(linker: Linker, holder: Resource) -> None:
    for group in linker.targets(holder, holder.attr("group").raw, GROUP):
        for user in linker.targets(holder, holder.attr("users").raw, USER):
            linker.graph.link(user, group, "member", holder.address)


# -- CloudFormation ------------------------------------------------------------------------
def _cfn_principal(linker: Linker, principal: Resource) -> None:
    if principal.type == "AWS::IAM::Role":
        trust = linker.document(principal, "AssumeRolePolicyDocument", TRUST)
        if trust is not None:
            trust.targets.append(principal)
    _cfn_policies(linker, principal, [principal])
    linker.managed(principal, principal.attr("ManagedPolicyArns"), "ManagedPolicyArns", [principal])
    if principal.type != "AWS::IAM::Group":
        _boundary(linker, principal, "PermissionsBoundary")
    if principal.type == "AWS::IAM::User":
        for group in linker.targets(principal, principal.attr("Groups").raw, GROUP):
            linker.graph.link(principal, group, "member", "Groups")


def _cfn_policies(linker: Linker, holder: Resource, principals: list[Resource]) -> None:
    templates = holder.meta.get("SamPolicyTemplates") or {}  # a SAM execution role: entries SAM's templates wrote
    for index, item in enumerate(holder.attr("Policies").items()):
        name = item.get("PolicyName").raw
        doc = linker.value_document(
            holder,
            f"Policies[{index}].PolicyDocument",
            IDENTITY,
            item.get("PolicyDocument"),
            name if isinstance(name, str) else None,
        )
        if doc is not None and index in templates:
            doc.sam_template, fixed = templates[index]
            doc.sam_fixed = frozenset(fixed)
        linker.attach(doc, principals)


def _cfn_policy(linker: Linker, holder: Resource) -> None:
    principals = []
    for attr, types in (("Roles", ROLE), ("Users", USER), ("Groups", GROUP)):
        found = linker.targets(holder, holder.attr(attr).raw, types)
        for principal in found:
            linker.graph.link(holder, principal, "ref", attr)
        principals.extend(found)
    name_attr = "ManagedPolicyName" if holder.type == "AWS::IAM::ManagedPolicy" else "PolicyName"
    doc = linker.document(holder, "PolicyDocument", IDENTITY, _str_or_none(holder.attr(name_attr).raw) or holder.name)
    if doc is not None and holder.type == "AWS::IAM::ManagedPolicy":
        doc.via = "managed"
    linker.attach(doc, principals)


def _cfn_single_inline(principal_attr: str, types: tuple[str, ...]) -> Callable[[Linker, Resource], None]:
    def handler(linker: Linker, holder: Resource) -> None:
        doc = linker.document(holder, "PolicyDocument", IDENTITY, _str_or_none(holder.attr("PolicyName").raw))
        linker.attach(doc, linker.targets(holder, holder.attr(principal_attr).raw, types))

    return handler


def _permission_set_inline(attr: str) -> Callable[[Linker, Resource], None]:
    """The inline policy of an IAM Identity Center permission set: the permissions of the role it provisions
    in every account it is assigned to (``aws_ssoadmin_permission_set_inline_policy``,
    ``AWS::SSO::PermissionSet`` ``InlinePolicy``)."""

    def handler(linker: Linker, holder: Resource) -> None:
        linker.document(
            holder, attr, IDENTITY, _str_or_none(holder.attr("Name").raw) if attr == "InlinePolicy" else None
        )
        if attr == "InlinePolicy":  # the AWS managed policies the permission set attaches
            linker.managed(holder, holder.attr("ManagedPolicies"), "ManagedPolicies", [])

    return handler


def _permission_set_managed(linker: Linker, holder: Resource) -> None:
    """``aws_ssoadmin_managed_policy_attachment``: an AWS managed policy in a permission set."""
    linker.managed(holder, holder.attr("managed_policy_arn"), "managed_policy_arn", [])


def _cfn_user_to_group(linker: Linker, holder: Resource) -> None:
    for group in linker.targets(holder, holder.attr("GroupName").raw, GROUP):
        for user in linker.targets(holder, holder.attr("Users").raw, USER):
            linker.graph.link(user, group, "member", holder.address)


_HANDLERS: dict[str, Callable[[Linker, Resource], None]] = {
    "aws_iam_role": _tf_role,
    "aws_iam_user": _tf_user,
    "aws_iam_policy": _tf_policy,
    "aws_iam_role_policy": _tf_inline("role", ROLE),
    "aws_iam_user_policy": _tf_inline("user", USER),
    "aws_iam_group_policy": _tf_inline("group", GROUP),
    "aws_iam_role_policy_attachment": _tf_attachment("role", ROLE),
    "aws_iam_user_policy_attachment": _tf_attachment("user", USER),
    "aws_iam_group_policy_attachment": _tf_attachment("group", GROUP),
    "aws_iam_policy_attachment": _tf_policy_attachment,
    "aws_iam_user_group_membership": _tf_user_groups,
    "aws_iam_group_membership": _tf_group_membership,
    "AWS::IAM::Role": _cfn_principal,
    "AWS::IAM::User": _cfn_principal,
    "AWS::IAM::Group": _cfn_principal,
    "AWS::IAM::Policy": _cfn_policy,
    "AWS::IAM::ManagedPolicy": _cfn_policy,
    "AWS::IAM::RolePolicy": _cfn_single_inline("RoleName", ROLE),
    "AWS::IAM::UserPolicy": _cfn_single_inline("UserName", USER),
    "AWS::IAM::GroupPolicy": _cfn_single_inline("GroupName", GROUP),
    "AWS::IAM::UserToGroupAddition": _cfn_user_to_group,
    "aws_ssoadmin_permission_set_inline_policy": _permission_set_inline("inline_policy"),
    "AWS::SSO::PermissionSet": _permission_set_inline("InlinePolicy"),
    "aws_ssoadmin_managed_policy_attachment": _permission_set_managed,
}


def link(graph: Graph) -> None:
    # managed policies first, so attachments anywhere can find their documents
    linker = Linker(graph)
    for resource in list(graph.resources(MANAGED_POLICY)):
        _HANDLERS[resource.type](linker, resource)
    done = {r.id for r in graph.resources(MANAGED_POLICY)}
    for resource in list(graph.resources()):
        handler = _HANDLERS.get(resource.type)
        if handler is not None and resource.id not in done:
            handler(linker, resource)
    _resource_side(linker)
    _unattached(graph)


POLICY_DOCUMENT = "data.aws_iam_policy_document"


def _unattached(graph: Graph) -> None:
    """Policies written but attached by nothing in the scan are still policies.

    A ``data "aws_iam_policy_document"`` that no resource uses, or a module output encoding a
    policy (``jsonencode``, a document's ``json``) for callers outside the scan, is read as an
    identity policy (``via="unattached"``), so the policy-content rules check it at the document
    itself. A statement already read in an attached document (same place) is not read twice; a
    document merged into another one (``source_policy_documents``, ``override_policy_documents``)
    is part of that one, and is read only through it (an override may have replaced a statement).
    Documents naming a Principal are resource or trust policies: they are left to their owners.
    """
    covered = {_statement_key(stmt) for doc in graph.policies for stmt in doc.statements}
    holders = {doc.holder.id for doc in graph.policies}
    candidates: list[tuple[int, Resource, str, Any]] = []
    for data in graph.resources(POLICY_DOCUMENT):
        document = data.meta.get("document")
        if document is None:
            continue
        users = graph.referrers(data)
        if any(user.type == POLICY_DOCUMENT or user.id in holders for user in users):
            continue  # merged into another document, or attached: read there (and not read twice)
        candidates.append((0, data, "json", document))
    for output in graph.resources("output"):
        value = output.attrs.get("value") if isinstance(output.attrs, dict) else None
        structure = getattr(value, "doc", None)
        if isinstance(structure, dict) and "Statement" in structure:
            candidates.append((1, output, "value", value))
    for _order, holder, attr, value in sorted(candidates, key=lambda c: (c[0], c[1].span.path, c[1].span.start_line)):
        doc = _build_document(holder, attr, IDENTITY, value, holder.span)
        if not doc.statements or any(s.principal is not None or s.not_principal is not None for s in doc.statements):
            continue
        keys = {_statement_key(stmt) for stmt in doc.statements}
        if keys <= covered:
            continue
        doc.via = "unattached"
        graph.add_policy(doc)
        covered |= keys


def _statement_key(stmt: Any) -> tuple[str, int, int, str | None]:
    return (stmt.span.path, stmt.span.start_line, stmt.span.start_col, stmt.when)


def _resource_side(linker: Linker) -> None:
    graph = linker.graph
    for resource in list(graph.resources()):
        if resource.type in RESOURCE_POLICIES:
            attr, target_attr = RESOURCE_POLICIES[resource.type]
            doc = linker.document(resource, attr, RESOURCE)
            if doc is not None:
                if target_attr is None:
                    doc.targets.append(resource)
                else:
                    doc.targets.extend(
                        linker.targets(resource, resource.attr(target_attr).raw, BUCKET, same_scope=False)
                    )
        if resource.type in PERMISSION_STATEMENTS:
            _permission_statement(linker, resource)
        elif resource.type == "aws_lambda_function_url":
            _public_function_url(linker, resource)
        if resource.type in S3_SATELLITES:
            for bucket in linker.targets(resource, resource.attr("bucket").raw, BUCKET, same_scope=False):
                graph.link(resource, bucket, "configures", "bucket")
        elif resource.type == "AWS::S3::BucketPolicy":
            for bucket in linker.targets(resource, resource.attr("Bucket").raw, BUCKET, same_scope=False):
                graph.link(resource, bucket, "configures", "Bucket")
        writer_attr = _WRITER_ATTRS.get(resource.type)
        if writer_attr is not None:
            for bucket in linker.targets(resource, resource.attr(writer_attr).raw, BUCKET, same_scope=False):
                graph.link(resource, bucket, "writes_to", writer_attr)


_WRITER_ATTRS = {
    "aws_cloudtrail": "s3_bucket_name",
    "AWS::CloudTrail::Trail": "S3BucketName",
    "aws_cur_report_definition": "s3_bucket",
    "AWS::CUR::ReportDefinition": "S3Bucket",
    "aws_bcmdataexports_export": "export.destination_configurations.s3_destination.s3_bucket",
    "AWS::BCMDataExports::Export": "Export.DestinationConfigurations.S3Destination.S3Bucket",
}


def _permission_statement(linker: Linker, resource: Resource) -> None:
    """The one-statement resource policy a permission resource adds (see PERMISSION_STATEMENTS)."""
    principal_attr, action_attr, target_attr, condition_attrs = PERMISSION_STATEMENTS[resource.type]
    principal = resource.attr(principal_attr)
    if not principal.is_set and not principal.is_unknown:
        return
    statement = LDict(span=principal.span or resource.span)
    sid = resource.attr("statement_id")  # Terraform names the statement of the function's policy
    if sid.is_known and isinstance(sid.raw, str):
        statement.set("Sid", sid.raw, sid.span)
    statement.set("Effect", "Allow", None)
    raw = principal.raw
    if isinstance(raw, str) and not isinstance(raw, (Unknown, Choice)):
        text = str(raw)
        kind = "Service" if text.endswith((".amazonaws.com", ".amazonaws.com.cn")) else "AWS"
        statement.set("Principal", "*" if text == "*" else {kind: raw}, principal.span)
    else:
        statement.set("Principal", {"AWS": raw}, principal.span)
    action = resource.attr(action_attr)
    statement.set("Action", action.raw if action.is_set or action.is_unknown else "*", action.span)
    target = resource.attr(target_attr)
    if target.is_set or target.is_unknown:
        statement.set("Resource", target.raw, target.span)
    conditions: dict[str, Any] = {}
    for attr, (operator, key) in condition_attrs.items():
        value = resource.attr(attr)
        if value.is_set or value.is_unknown:
            conditions.setdefault(operator, {})[key] = value.raw
    if conditions:
        statement.set("Condition", conditions, None)
    document = LDict(span=statement.span)
    document.set("Version", "2012-10-17", None)
    document.set("Statement", LList([statement], span=statement.span, item_spans=[statement.span]), None)
    doc = _build_document(resource, "", RESOURCE, document, statement.span or resource.span)
    linker.graph.add_policy(doc)
    doc.targets.append(resource)


def _public_function_url(linker: Linker, resource: Resource) -> None:
    """``aws_lambda_function_url`` with ``authorization_type = "NONE"``: the AWS provider adds the statement
    ``FunctionURLAllowPublicAccess`` to the function's policy itself (lambda:InvokeFunctionUrl to ``*`` when the
    URL's auth type is NONE), located at ``authorization_type``. An auth type not known makes who may call
    not known."""
    auth = resource.attr("authorization_type")
    if not auth.is_unknown and not (auth.is_known and auth.raw == "NONE"):
        return  # AWS_IAM: the provider adds nothing
    span = auth.span or resource.span
    statement = LDict(span=span)
    statement.set("Sid", "FunctionURLAllowPublicAccess", span)
    statement.set("Effect", "Allow", None)
    statement.set("Principal", "*" if auth.is_known else {"AWS": auth.raw}, span)
    statement.set("Action", "lambda:InvokeFunctionUrl", span)
    target = resource.attr("function_name")
    if target.is_set or target.is_unknown:
        statement.set("Resource", target.raw, target.span)
    statement.set("Condition", {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}, None)
    document = LDict(span=span)
    document.set("Version", "2012-10-17", None)
    document.set("Statement", LList([statement], span=span, item_spans=[span]), None)
    doc = _build_document(resource, "authorization_type", RESOURCE, document, span)
    linker.graph.add_policy(doc)
    doc.targets.append(resource)


# -- helpers -------------------------------------------------------------------------------
_EXTERNAL_CAUSES: dict[str, Cause] = {}


def _external_policy(arn: str) -> Cause:
    """One root cause per customer managed policy the code attaches but does not define: said once,
    with every check it blocked, wherever it is attached."""
    cause = _EXTERNAL_CAUSES.get(arn)
    if cause is None:
        cause = Cause(
            f"customer managed policy {arn} is defined outside the scanned code (its content is not known)",
            None,
            "scan the code that defines it together with this code, or review what it grants by hand",
        )
        _EXTERNAL_CAUSES[arn] = cause
    return cause


_PARTITION_CAUSES: dict[tuple[str, str], Cause] = {}


def _other_partition(partition: str, name: str) -> Cause:
    """One root cause per AWS managed policy name of another partition (aws-cn, aws-us-gov) that the
    aws partition does not have: iamready's data cannot say whether it exists there, nor what it grants."""
    cause = _PARTITION_CAUSES.get((partition, name))
    if cause is None:
        from iamready.iam.aws_managed import count, snapshot_date, suggest

        nearest = suggest(name)
        hint = f"; the nearest is {nearest[0]}" if nearest else ""
        cause = Cause(
            f"AWS managed policy {name} ({partition} partition) is not among the aws partition's {count():,} AWS "
            f"managed policies that iamready knows ({snapshot_date()}){hint}; iamready's data does not list the "
            f"{partition} partition's policies: whether it exists there, and what it grants, is not known",
            None,
            f"check the name against the {partition} partition's AWS managed policies (a name that does not "
            "exist fails the apply); if it exists there, review what it grants by hand",
        )
        _PARTITION_CAUSES[(partition, name)] = cause
    return cause


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, list):
        out = []
        for item in value:
            out.extend(_flatten(item))
        return out
    if value is MISSING or value is None:
        return []
    return [value]


def _name_from(text: str) -> str:
    """A resource name from a name or an ARN (``arn:aws:iam::1:role/path/app`` -> ``app``)."""
    if text.startswith("arn:"):
        resource = text.split(":", 5)[-1]
        return resource.rsplit("/", 1)[-1]
    return text


def _names_of(resource: Resource, attr: str) -> list[str]:
    value = resource.attr(attr).raw
    if isinstance(value, str) and not isinstance(value, Unknown):
        return [str(value)]
    if resource.framework == CLOUDFORMATION and value is MISSING:
        return []
    return []


def _str_or_none(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and not isinstance(value, Unknown) else None


def is_symbolic(value: Any) -> bool:
    return isinstance(value, LStr) and value.ref is not None
