"""S3 helpers for the log-bucket rules (checklist section 5).

A bucket's effective setting can be written three ways, and rules must not care which:

* Terraform AWS provider v4+: a separate resource per setting (``aws_s3_bucket_versioning``,
  ``aws_s3_bucket_logging``, ``aws_s3_bucket_acl``, ...), linked to its bucket by a
  ``configures`` edge (:mod:`iamready.aws.links`);
* Terraform, older providers: inline arguments of ``aws_s3_bucket`` (``versioning {}``,
  ``logging {}``, ``acl``, ``grant {}``, ``object_lock_configuration {}``, ``policy``);
* CloudFormation: properties of ``AWS::S3::Bucket``.

Every reader returns what is configured, where it is written (a :class:`Value` to point a
finding at) and which resource carries it, or says it is not known. A separate resource whose
``bucket`` argument cannot be resolved *may* configure any bucket of its module: readers
return those as ``maybe`` so rules report an unresolved note instead of a finding.

The second half reads bucket policies on these buckets: who a statement lets in (everyone, an
AWS service, the deploying account, another account), which S3 actions it grants, and whether
its conditions narrow it by meaning (``aws:SourceArn`` with a fixed value narrows;
``StringLike aws:SourceArn "*"``, ``...IfExists`` and negated operators do not). The condition
reading here is deliberately small and local; it is to be merged into the shared condition
helpers (``iamready.iam.conditions``) once those exist.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamready.aws.buckets import describe_writers
from iamready.iam import conditions
from iamready.iam.catalog import ActionInfo, Catalog
from iamready.iam.policy import RESOURCE, PolicyDocument, Statement
from iamready.iam.principals import EVERYONE, PrincipalRef, read_principal
from iamready.model.graph import CLOUDFORMATION, Graph, Resource
from iamready.model.value import MISSING, Choice, LStr, Unknown, Value
from iamready.rule import Unresolved

if TYPE_CHECKING:
    from iamready.context import Context

# the attribute of each log writer that names its bucket
WRITER_BUCKET_ATTRS = {
    "aws_cloudtrail": "s3_bucket_name",
    "AWS::CloudTrail::Trail": "S3BucketName",
    "aws_cur_report_definition": "s3_bucket",
    "AWS::CUR::ReportDefinition": "S3Bucket",
    "aws_bcmdataexports_export": "export.destination_configurations.s3_destination.s3_bucket",
    "AWS::BCMDataExports::Export": "Export.DestinationConfigurations.S3Destination.S3Bucket",
}
WRITER_TYPES = tuple(WRITER_BUCKET_ATTRS)
TF_WRITERS = tuple(t for t in WRITER_TYPES if not t.startswith("AWS::"))
CFN_WRITERS = tuple(t for t in WRITER_TYPES if t.startswith("AWS::"))
BUCKET_TYPES = ("aws_s3_bucket", "AWS::S3::Bucket")

# the service principals that deliver to each kind of writer's bucket
LOG_SERVICES = {
    "aws_cloudtrail": ("cloudtrail.amazonaws.com",),
    "AWS::CloudTrail::Trail": ("cloudtrail.amazonaws.com",),
    "aws_cur_report_definition": ("billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"),
    "AWS::CUR::ReportDefinition": ("billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"),
    "aws_bcmdataexports_export": ("bcm-data-exports.amazonaws.com", "billingreports.amazonaws.com"),
    "AWS::BCMDataExports::Export": ("bcm-data-exports.amazonaws.com", "billingreports.amazonaws.com"),
}
ALL_LOG_SERVICES = frozenset(s for services in LOG_SERVICES.values() for s in services)
# AWS services that deliver logs into a bucket the customer names, and share a log archive with a
# trail (AWS Control Tower's log-archive bucket receives CloudTrail and AWS Config): legitimate writers
# when pinned to a source (aws:SourceArn / aws:SourceAccount), like the trail itself. Service principals
# as the services' bucket-policy documentation writes them.
LOG_DELIVERY_SERVICES = {
    "config.amazonaws.com": "AWS Config",
    "delivery.logs.amazonaws.com": "vended logs (VPC flow logs, CloudFront, Route 53, WAF, ...)",
    "logging.s3.amazonaws.com": "S3 server access logging",
    "logdelivery.elasticloadbalancing.amazonaws.com": "Elastic Load Balancing access logs",
    "cloudfront.amazonaws.com": "CloudFront",
    "guardduty.amazonaws.com": "GuardDuty findings export",
    "securityhub.amazonaws.com": "Security Hub",
}
LEGITIMATE_LOG_WRITERS = ALL_LOG_SERVICES | frozenset(LOG_DELIVERY_SERVICES)

# S3 actions that erase logs, or remove the controls that protect them
TAMPER_ACTIONS = (
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:DeleteBucket",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutObjectAcl",
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketVersioning",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketObjectLockConfiguration",
    "s3:BypassGovernanceRetention",
)


# -- which buckets are in scope ------------------------------------------------------------
# the attribute of each writer that holds the key prefix it writes under
WRITER_PREFIX_ATTRS = {
    "aws_cloudtrail": "s3_key_prefix",
    "AWS::CloudTrail::Trail": "S3KeyPrefix",
    "aws_cur_report_definition": "s3_prefix",
    "AWS::CUR::ReportDefinition": "S3Prefix",
    "aws_bcmdataexports_export": "export.destination_configurations.s3_destination.s3_prefix",
    "AWS::BCMDataExports::Export": "Export.DestinationConfigurations.S3Destination.S3Prefix",
}
TRAIL_TYPES = ("aws_cloudtrail", "AWS::CloudTrail::Trail")


@dataclass
class LogTarget:
    """A bucket of checklist section 5 and the writers that put it in scope: a bucket of the code
    (``bucket`` set), or only the literal name a writer gives (the bucket is managed elsewhere)."""

    bucket: Resource | None
    name: str | None
    writers: list[tuple[Resource, str]]

    @property
    def why(self) -> str:
        """``written by CloudTrail trail aws_cloudtrail.main``."""
        return f"written by {describe_writers(self.writers)}"

    @property
    def services(self) -> tuple[str, ...]:
        """The service principals that deliver to this bucket."""
        out: list[str] = []
        for writer, _ in self.writers:
            for service in LOG_SERVICES.get(writer.type, ()):
                if service not in out:
                    out.append(service)
        return tuple(out)

    def label(self) -> str:
        """How a policy finding names the bucket: ``log bucket aws_s3_bucket.trail (written by ...)``."""
        what = self.bucket.address if self.bucket is not None else f'"{self.name}"'
        return f"log bucket {what} ({self.why})"

    def key_prefixes(self) -> list[str]:
        """The key prefixes the writers put objects under ("" when a prefix is not known)."""
        out = []
        for writer, _ in self.writers:
            value = writer.attr(WRITER_PREFIX_ATTRS.get(writer.type, ""))
            if value.is_unknown:
                prefix = ""
            else:
                raw = value.raw if isinstance(value.raw, str) else ""
                prefix = f"{str(raw).strip('/')}/" if raw and str(raw).strip("/") else ""
                if writer.type in TRAIL_TYPES:
                    prefix += "AWSLogs/"
            if prefix not in out:
                out.append(prefix)
        return out or [""]

    def covered_by(self, stmt: Statement, level: str) -> bool:
        """Do the statement's Resource / NotResource patterns reach this bucket (``bucket``) or the
        writers' log objects (``object``)?"""
        prefixes = self.key_prefixes() if level == "object" else [""]
        if stmt.resources is not None:
            return any(
                covers_bucket(p, self.bucket, self.name, level, prefix) for p in stmt.resources for prefix in prefixes
            )
        if stmt.not_resources is not None:
            return not all(
                any(covers_bucket(p, self.bucket, self.name, level, prefix, every=True) for p in stmt.not_resources)
                for prefix in prefixes
            )
        return False

    def named_by(self, stmt: Statement) -> bool:
        """Does a Resource pattern of the statement name this bucket itself (its name or a reference to
        it), rather than reach it through a wildcard such as ``*`` or ``arn:aws:s3:::*``?"""
        for pattern in stmt.resources or ():
            if not isinstance(pattern, str) or isinstance(pattern, Unknown):
                continue
            ref = pattern.ref if isinstance(pattern, LStr) else None
            if ref is not None and self.bucket is not None and ref[0] == self.bucket.id:
                return True
            text = normalise_arn(str(pattern))
            if any(text == arn or text.startswith(arn + "/") for arn in self._spellings()):
                return True
        return False

    def _spellings(self) -> tuple[str, ...]:
        """The ARNs that name this bucket (computed once: rules ask for every statement)."""
        cached = self.__dict__.get("_arn_spellings")
        if cached is None:
            spellings = bucket_arns(self.bucket) if self.bucket is not None else []
            if self.name:
                spellings.append(f"arn:aws:s3:::{self.name}")
            cached = self.__dict__["_arn_spellings"] = tuple(spellings)
        return cached


LogBucket = LogTarget  # one whose bucket the code defines


def log_bucket(ctx: Context, bucket: Resource) -> LogTarget | None:
    """The bucket as a log bucket, or None when no trail or report writes to it."""
    writers = ctx.log_buckets.get(bucket.id)
    return LogTarget(bucket, bucket_name(bucket), list(writers)) if writers else None


def log_buckets(ctx: Context) -> list[LogTarget]:
    out = []
    for bucket_id, writers in ctx.log_buckets.items():
        bucket = ctx.graph.get(bucket_id)
        if bucket is not None:
            out.append(LogTarget(bucket, bucket_name(bucket), list(writers)))
    return sorted(
        out, key=lambda b: (b.bucket.span.path, b.bucket.span.start_line, b.bucket.address) if b.bucket else ()
    )


def log_targets(ctx: Context) -> list[LogTarget]:
    """Every place a writer of the code delivers to: its bucket when the code defines it, else the
    literal bucket name it gives. Built once per scan (``ctx.memo``)."""
    cached = ctx.memo.get("s3.log_targets")
    if cached is None:
        cached = ctx.memo["s3.log_targets"] = _log_targets(ctx)
    return list(cached)


def _log_targets(ctx: Context) -> list[LogTarget]:
    out = log_buckets(ctx)
    literal: dict[str, list[tuple[Resource, str]]] = {}
    for writer in ctx.graph.resources(WRITER_TYPES):
        if ctx.graph.references(writer, kind="writes_to"):
            continue
        value = writer_bucket(writer)
        if value.is_known and isinstance(value.raw, str) and not (isinstance(value.raw, LStr) and value.raw.ref):
            literal.setdefault(str(value.raw), []).append((writer, _writer_kind(writer)))
    out += [LogTarget(None, name, writers) for name, writers in sorted(literal.items())]
    return out


def targets_named_by(ctx: Context, stmt: Statement) -> set[int]:
    """``id()`` of the log targets that a Resource pattern of the statement names: the same answer as
    :meth:`LogTarget.named_by` for each target, from an index built once per scan."""
    index = ctx.memo.get("s3.log_target_names")
    if index is None:
        by_arn: dict[str, list[LogTarget]] = {}
        by_bucket: dict[str, list[LogTarget]] = {}
        for target in log_targets(ctx):
            for arn in target._spellings():
                by_arn.setdefault(arn, []).append(target)
            if target.bucket is not None:
                by_bucket.setdefault(target.bucket.id, []).append(target)
        index = ctx.memo["s3.log_target_names"] = (by_arn, by_bucket)
    by_arn, by_bucket = index
    out: set[int] = set()
    for pattern in stmt.resources or ():
        if not isinstance(pattern, str) or isinstance(pattern, Unknown):
            continue
        ref = pattern.ref if isinstance(pattern, LStr) else None
        if ref is not None:
            out.update(id(t) for t in by_bucket.get(ref[0], ()))
        text = normalise_arn(str(pattern))
        out.update(id(t) for t in by_arn.get(text, ()))
        for at, char in enumerate(text):
            if char == "/":  # an ARN followed by a key: arn:aws:s3:::bucket/AWSLogs/*
                out.update(id(t) for t in by_arn.get(text[:at], ()))
    return out


def reachable_targets(ctx: Context, scope: str, stmt: Statement) -> list[LogTarget]:
    """The log targets a statement of a policy deployed in ``scope`` can reach, in ``log_targets`` order:
    those of the same deployment (root module or template), those whose bucket the code does not define,
    and those the statement names (:func:`targets_named_by`). From indexes built once per scan, so that
    each statement costs what it reaches, not the size of the estate."""
    targets = log_targets(ctx)
    index = ctx.memo.get("s3.log_target_scopes")
    if index is None:
        by_scope: dict[str, list[int]] = {}
        everywhere: list[int] = []
        for position, target in enumerate(targets):
            if target.bucket is None:
                everywhere.append(position)
            else:
                by_scope.setdefault(target.bucket.scope, []).append(position)
        positions = {id(target): position for position, target in enumerate(targets)}
        index = ctx.memo["s3.log_target_scopes"] = (by_scope, everywhere, positions)
    by_scope, everywhere, positions = index
    picked = set(by_scope.get(scope, ())) | set(everywhere)
    picked.update(positions[i] for i in targets_named_by(ctx, stmt))
    return [targets[position] for position in sorted(picked)]


def writer_bucket(writer: Resource) -> Value:
    """The value of the writer's attribute that names its bucket."""
    return writer.attr(WRITER_BUCKET_ATTRS.get(writer.type, ""))


def unresolved_writer(writer: Resource, what: str) -> Iterator[Unresolved]:
    """A note when a trail or report writes to a bucket the scan cannot identify.

    ``what`` says what could not be checked (``"versioning"``).
    """
    value = writer_bucket(writer)
    if not value.is_unknown:
        return
    kind = _writer_kind(writer)
    yield Unresolved(
        f"{kind} writes to a bucket that is not known ({value.why_unknown}); its {what} was not checked",
        at=value,
    )


def _writer_kind(writer: Resource) -> str:
    from iamready.aws.buckets import WRITERS

    return WRITERS.get(writer.type, writer.type)


def bucket_name(bucket: Resource) -> str | None:
    """The bucket's literal name, when the code gives one."""
    attr = "BucketName" if bucket.framework == CLOUDFORMATION else "bucket"
    raw = bucket.attr(attr).raw
    if isinstance(raw, str) and not isinstance(raw, Unknown) and not (isinstance(raw, LStr) and raw.ref):
        return str(raw)
    return None


# -- reading settings ------------------------------------------------------------------------
def satellites(graph: Graph, bucket: Resource, rtype: str) -> list[Resource]:
    """Terraform resources of ``rtype`` that configure ``bucket``."""
    return graph.referrers(bucket, type=rtype, kind="configures")


def maybe_satellites(graph: Graph, bucket: Resource, rtype: str) -> list[Resource]:
    """Resources of ``rtype`` in the bucket's module whose ``bucket`` argument is not known."""
    if bucket.framework == CLOUDFORMATION:
        return []
    out = []
    for resource in graph.resources_in(bucket.scope, rtype):
        if resource.module_path == bucket.module_path and resource.attr("bucket").is_unknown:
            out.append(resource)
    return out


@dataclass
class Reading:
    """One place a setting is written.

    ``value`` is the setting itself (unset when the carrier exists but omits it); ``source`` is
    the resource that carries it. ``maybe`` lists resources that might configure it too.
    """

    value: Value
    source: Resource
    maybe: list[Resource] = field(default_factory=list)

    @property
    def unknown(self) -> bool:
        return self.value.is_unknown

    @property
    def only_maybe(self) -> bool:
        """Nothing configures the bucket for sure; resources with an unknown bucket might."""
        return bool(self.maybe) and self.source in self.maybe


def maybe_note(maybe: list[Resource]) -> str:
    """Text for an unresolved note about resources whose bucket argument is not known."""
    names = ", ".join(r.address for r in maybe)
    why = maybe[0].attr("bucket").why_unknown if maybe else ""
    return f"{names} may configure it, but names its bucket with a value that is not known ({why})"


# versioning ---------------------------------------------------------------------------------
@dataclass
class Versioning:
    status: str | None  # "Enabled" | "Suspended" | "Disabled"; None: not configured or unknown
    mfa_delete: bool | None  # None: not known
    at: Value  # the status as written; when not configured, the bucket
    source: Resource
    unknown: Value | None = None  # the value that could not be resolved
    maybe: list[Resource] = field(default_factory=list)

    @property
    def enabled(self) -> bool:
        return self.status == "Enabled"


def versioning(graph: Graph, bucket: Resource) -> Versioning:
    if bucket.framework == CLOUDFORMATION:
        config = bucket.attr("VersioningConfiguration")
        if config.is_unknown:
            return Versioning(None, None, config, bucket, unknown=config)
        status = config.get("Status")
        if status.is_unknown:
            return Versioning(None, None, status, bucket, unknown=status)
        if not config.is_set:
            return Versioning(None, False, Value(MISSING, bucket.span, "VersioningConfiguration"), bucket)
        # CloudFormation has no MFA delete setting
        return Versioning(_status(status.raw), False, status if status.is_set else config, bucket)
    maybe = maybe_satellites(graph, bucket, "aws_s3_bucket_versioning")
    for sat in satellites(graph, bucket, "aws_s3_bucket_versioning"):
        status = sat.attr("versioning_configuration.status")
        if status.is_unknown:
            return Versioning(None, None, status, sat, unknown=status, maybe=maybe)
        mfa = sat.attr("versioning_configuration.mfa_delete")
        mfa_on = None if mfa.is_unknown else (_status(mfa.raw) == "Enabled")
        return Versioning(_status(status.raw), mfa_on, status if status.is_set else sat.attr(""), sat, maybe=maybe)
    block = bucket.attr("versioning")
    if block.is_unknown:
        return Versioning(None, None, block, bucket, unknown=block, maybe=maybe)
    if block.is_set and block.as_list():
        enabled = block.get("enabled")
        if enabled.is_unknown:
            return Versioning(None, None, enabled, bucket, unknown=enabled, maybe=maybe)
        mfa = block.get("mfa_delete")
        mfa_on = None if mfa.is_unknown else bool(mfa.truthy())
        status = "Enabled" if enabled.truthy() else ("Suspended" if enabled.is_set else None)
        return Versioning(status, mfa_on, enabled if enabled.is_set else block, bucket, maybe=maybe)
    return Versioning(None, False, Value(MISSING, bucket.span, "versioning"), bucket, maybe=maybe)


def _status(raw: Any) -> str | None:
    if isinstance(raw, bool):
        return "Enabled" if raw else "Disabled"
    if isinstance(raw, str) and not isinstance(raw, Unknown):
        text = str(raw).strip().lower()
        return {"enabled": "Enabled", "suspended": "Suspended", "disabled": "Disabled"}.get(text, str(raw))
    return None


# access logging -----------------------------------------------------------------------------
def access_logging(graph: Graph, bucket: Resource) -> Reading | None:
    """Where server access logging is configured, or None when it is not."""
    if bucket.framework == CLOUDFORMATION:
        config = bucket.attr("LoggingConfiguration")
        # an empty LoggingConfiguration logs to the bucket itself
        return Reading(config, bucket) if config.is_set or config.is_unknown else None
    maybe = maybe_satellites(graph, bucket, "aws_s3_bucket_logging")
    for sat in satellites(graph, bucket, "aws_s3_bucket_logging"):
        return Reading(sat.attr(""), sat, maybe)
    block = bucket.attr("logging")
    if block.is_unknown:
        return Reading(block, bucket, maybe)
    if block.is_set and block.as_list():
        return Reading(block, bucket, maybe)
    if maybe:
        return _maybe_reading(maybe)
    return None


def _maybe_reading(maybe: list[Resource]) -> Reading:
    return Reading(Value(Unknown(maybe_note(maybe)), maybe[0].attr("bucket").span), maybe[0], maybe)


# object ownership ---------------------------------------------------------------------------
def object_ownership(graph: Graph, bucket: Resource) -> Reading | None:
    """The ObjectOwnership setting, or None when the code leaves the S3 default (BucketOwnerEnforced)."""
    if bucket.framework == CLOUDFORMATION:
        value = bucket.attr("OwnershipControls.Rules.ObjectOwnership")
        return Reading(value, bucket) if value.is_set or value.is_unknown else None
    maybe = maybe_satellites(graph, bucket, "aws_s3_bucket_ownership_controls")
    for sat in satellites(graph, bucket, "aws_s3_bucket_ownership_controls"):
        return Reading(sat.attr("rule.object_ownership"), sat, maybe)
    if maybe:
        return _maybe_reading(maybe)
    return None


# ACLs ---------------------------------------------------------------------------------------
ALL_USERS = "AllUsers"
AUTHENTICATED_USERS = "AuthenticatedUsers"
GROUP_TEXT = {
    ALL_USERS: "everyone (AllUsers)",
    AUTHENTICATED_USERS: "every AWS account (AuthenticatedUsers)",
}
_CANNED = {
    "public-read": (ALL_USERS, ("READ",)),
    "public-read-write": (ALL_USERS, ("READ", "WRITE")),
    "authenticated-read": (AUTHENTICATED_USERS, ("READ",)),
    "publicread": (ALL_USERS, ("READ",)),
    "publicreadwrite": (ALL_USERS, ("READ", "WRITE")),
    "authenticatedread": (AUTHENTICATED_USERS, ("READ",)),
}


@dataclass
class PublicGrant:
    group: str  # ALL_USERS | AUTHENTICATED_USERS
    permissions: tuple[str, ...]  # READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL
    at: Value
    source: Resource
    canned: str | None = None  # the canned ACL it comes from

    @property
    def writes(self) -> bool:
        return any(p in ("WRITE", "WRITE_ACP", "FULL_CONTROL") for p in self.permissions)


def public_acl_grants(graph: Graph, bucket: Resource) -> tuple[list[PublicGrant], list[Reading]]:
    """Grants to AllUsers / AuthenticatedUsers (canned ACLs and explicit grants), and unknown ACLs."""
    grants: list[PublicGrant] = []
    unknown: list[Reading] = []
    if bucket.framework == CLOUDFORMATION:
        _canned(bucket.attr("AccessControl"), bucket, grants, unknown)
        return grants, unknown
    for sat in satellites(graph, bucket, "aws_s3_bucket_acl"):
        _canned(sat.attr("acl"), sat, grants, unknown)
        policy = sat.attr("access_control_policy")
        if policy.is_unknown:
            unknown.append(Reading(policy, sat))
            continue
        for grant in policy.get("grant").items():
            grantee = grant.get("grantee")
            _explicit(grantee.get("type"), grantee.get("uri"), grant.get("permission"), grant, sat, grants, unknown)
    _canned(bucket.attr("acl"), bucket, grants, unknown)
    inline = bucket.attr("grant")
    if inline.is_unknown:
        unknown.append(Reading(inline, bucket))
    else:
        for grant in inline.items():
            _explicit(grant.get("type"), grant.get("uri"), grant.get("permissions"), grant, bucket, grants, unknown)
    for sat in maybe_satellites(graph, bucket, "aws_s3_bucket_acl"):
        acl = sat.attr("acl")
        if acl.is_known and str(acl.raw).lower() not in _CANNED and not sat.attr("access_control_policy").is_set:
            continue  # a private ACL, whichever bucket it is for
        unknown.append(_maybe_reading([sat]))
    return grants, unknown


def _canned(value: Value, source: Resource, grants: list[PublicGrant], unknown: list[Reading]) -> None:
    if value.is_unknown:
        unknown.append(Reading(value, source))
        return
    if not value.is_known or not isinstance(value.raw, str):
        return
    found = _CANNED.get(str(value.raw).strip().lower())
    if found is not None:
        grants.append(PublicGrant(found[0], found[1], value, source, canned=str(value.raw)))


def _explicit(
    kind: Value,
    uri: Value,
    permissions: Value,
    at: Value,
    source: Resource,
    grants: list[PublicGrant],
    unknown: list[Reading],
) -> None:
    if uri.is_unknown or permissions.is_unknown:
        unknown.append(Reading(uri if uri.is_unknown else permissions, source))
        return
    if not uri.is_known or not isinstance(uri.raw, str):
        return
    group = str(uri.raw).rstrip("/").rsplit("/", 1)[-1]
    if group not in (ALL_USERS, AUTHENTICATED_USERS):
        return
    perms = tuple(str(p).upper() for p in permissions.as_list() if isinstance(p, str))
    grants.append(PublicGrant(group, perms, at, source))


# object lock --------------------------------------------------------------------------------
@dataclass
class ObjectLock:
    enabled: bool | None  # None: not known
    retention: Value | None  # the default retention block, when one is configured
    at: Value  # where object lock is (or would be) enabled
    source: Resource
    unknown: Value | None = None
    maybe: list[Resource] = field(default_factory=list)


def object_lock(graph: Graph, bucket: Resource) -> ObjectLock:
    if bucket.framework == CLOUDFORMATION:
        enabled = bucket.attr("ObjectLockEnabled")
        config = bucket.attr("ObjectLockConfiguration")
        for value in (enabled, config):
            if value.is_unknown:
                return ObjectLock(None, None, value, bucket, unknown=value)
        retention = config.get("Rule.DefaultRetention")
        if retention.is_unknown:
            return ObjectLock(True, None, retention, bucket, unknown=retention)
        on = enabled.truthy() is True or _status(config.get("ObjectLockEnabled").raw) == "Enabled"
        return ObjectLock(on, retention if retention.is_set else None, enabled if enabled.is_set else config, bucket)
    maybe = maybe_satellites(graph, bucket, "aws_s3_bucket_object_lock_configuration")
    enabled = bucket.attr("object_lock_enabled")
    legacy = bucket.attr("object_lock_configuration")
    for value in (enabled, legacy):
        if value.is_unknown:
            return ObjectLock(None, None, value, bucket, unknown=value, maybe=maybe)
    legacy_on = _status(legacy.get("object_lock_enabled").raw) == "Enabled"
    on = enabled.truthy() is True or legacy_on
    retention: Value | None = None
    for sat in satellites(graph, bucket, "aws_s3_bucket_object_lock_configuration"):
        value = sat.attr("rule.default_retention")
        if value.is_unknown:
            return ObjectLock(on, None, value, sat, unknown=value, maybe=maybe)
        if value.is_set:
            retention = value
    legacy_retention = legacy.get("rule.default_retention")
    if retention is None and legacy_retention.is_set:
        retention = legacy_retention
    at = enabled if enabled.is_set else legacy if legacy.is_set else Value(MISSING, bucket.span, "object_lock_enabled")
    return ObjectLock(on, retention, at, bucket, maybe=maybe)


# public access block ------------------------------------------------------------------------
BLOCK_FLAGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
_CFN_FLAGS = dict(
    zip(BLOCK_FLAGS, ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"))
)


def public_access_block(graph: Graph, bucket: Resource) -> dict[str, bool]:
    """The Block Public Access flags known to be on for the bucket (bucket-level or account-wide)."""
    out = dict.fromkeys(BLOCK_FLAGS, False)
    if bucket.framework == CLOUDFORMATION:
        config = bucket.attr("PublicAccessBlockConfiguration")
        for flag, name in _CFN_FLAGS.items():
            out[flag] = config.get(name).truthy() is True
        return out
    blocks = satellites(graph, bucket, "aws_s3_bucket_public_access_block")
    blocks += graph.resources_in(bucket.scope, "aws_s3_account_public_access_block")
    for block in blocks:
        for flag in BLOCK_FLAGS:
            out[flag] = out[flag] or block.attr(flag).truthy() is True
    return out


# -- bucket policies ---------------------------------------------------------------------------
def bucket_policies(graph: Graph, bucket: Resource) -> list[PolicyDocument]:
    """Resource policies that apply to ``bucket`` (inline ``policy``, bucket policy resources)."""
    return [d for d in graph.policies if d.kind == RESOURCE and any(t.id == bucket.id for t in d.targets)]


def policy_log_buckets(ctx: Context, doc: PolicyDocument) -> list[LogTarget]:
    """The log buckets a resource policy applies to (usually one, or none): buckets of the code it
    targets, or, for a bucket policy naming a bucket the code does not define, the bucket a writer
    names with the same literal name."""
    out = []
    for target in doc.targets:
        found = log_bucket(ctx, target)
        if found is not None:
            out.append(found)
    if not doc.targets and doc.holder.type in _POLICY_BUCKET_ATTRS:
        value = doc.holder.attr(_POLICY_BUCKET_ATTRS[doc.holder.type])
        if value.is_known and isinstance(value.raw, str) and not (isinstance(value.raw, LStr) and value.raw.ref):
            out += [t for t in log_targets(ctx) if t.bucket is None and t.name == str(value.raw)]
    return out


_POLICY_BUCKET_ATTRS = {"aws_s3_bucket_policy": "bucket", "AWS::S3::BucketPolicy": "Bucket"}


def describe_buckets(buckets: list[LogTarget]) -> str:
    return " and ".join(b.label() for b in buckets)


def allow_statements(doc: PolicyDocument, on: str) -> Iterator[Statement | Unresolved]:
    """The Allow statements of a policy on log buckets (``on`` names them for notes), and an
    :class:`Unresolved` for the document or any statement whose effect is not known."""
    if doc.unknown is not None:
        yield Unresolved(f"the policy on {on} could not be read ({why(doc.unknown)})", at=doc)
        return
    for stmt in doc.statements:
        if stmt.effect is None:
            unknown = stmt.unknown_in("Effect", "Statement")
            if unknown is not None:
                yield Unresolved(f"{stmt.label} of the policy on {on} could not be read ({why(unknown)})", at=stmt)
            continue
        if stmt.allows:
            yield stmt


def why(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.reason
    if isinstance(value, Choice):
        return f"depends on condition {value.condition}"
    return "not known"


def when(stmt: Statement) -> str:
    return f" ({stmt.when})" if stmt.when else ""


def statement_principals(stmt: Statement, graph: Graph | None = None) -> tuple[list[PrincipalRef], list[Any]]:
    """The statement's principals, classified (:mod:`iamready.iam.principals`), and the entries that
    are not known. ``NotPrincipal`` with Allow, and an ARN with a wildcard account, count as everyone."""
    refs: list[PrincipalRef] = []
    unknown: list[Any] = []
    if stmt.not_principal is not None and stmt.allows:
        refs.append(
            PrincipalRef("every principal but the NotPrincipal ones", EVERYONE, None, stmt.span_of("NotPrincipal"))
        )
    principal = stmt.principal
    if principal is not None:
        for kind, values in principal.entries.items():
            for value in values:
                if isinstance(value, (Unknown, Choice)):
                    unknown.append(value)
                    continue
                ref = read_principal(kind, value, graph)
                if ref.account is not None and ("*" in ref.account or "?" in ref.account):
                    ref = PrincipalRef(ref.text, EVERYONE, None, ref.span, ref.ref)
                refs.append(ref)
    hidden = stmt.unknown_in("Principal", "NotPrincipal")
    if hidden is not None and hidden not in unknown:
        unknown.append(hidden)
    return refs, unknown


# conditions: read by meaning in iamready.iam.conditions ------------------------------------
SOURCE_KEYS = conditions.SOURCE_KEYS


def callers_pinned(stmt: Statement, keys: frozenset[str] | None = None) -> conditions.Reading:
    """Does an Allow statement's condition pin its callers (:func:`conditions.callers_narrowed`)?

    With ``keys``, only the conditions on those keys count: ``SOURCE_KEYS`` asks "is this grant
    tied to a service acting for a given trail, report or account?"."""
    if keys is None:
        return conditions.callers_narrowed(stmt)
    only = dataclasses.replace(stmt, conditions=[c for c in stmt.conditions if c.key_lower in keys])
    return conditions.callers_narrowed(only)


def denied_unless(
    doc: PolicyDocument, action: ActionInfo, buckets: list[LogTarget], keys: frozenset[str] | None = None
) -> bool:
    """Does a Deny in ``doc`` take ``action`` on the buckets away from every caller but specific ones?

    Unconditional Denies for everyone, and Denies that :func:`conditions.deny_narrows_callers`
    reads as "everyone except these callers" (``StringNotEquals aws:SourceAccount``,
    ``NotPrincipal``), narrow every Allow of the same document. With ``keys``, the Deny's
    conditions must all be on those keys.
    """
    from iamready.iam.effective import statement_covers_action

    level = action_level(action)
    for stmt in doc.statements:
        if not stmt.denies or not statement_covers_action(stmt, action.full):
            continue
        everyone = stmt.not_principal is not None or (stmt.principal is not None and stmt.principal.wildcard)
        if not everyone or not all(statement_covers_bucket(stmt, b, level) for b in buckets):
            continue
        if not stmt.conditions and stmt.unknown_in("Condition") is None and stmt.not_principal is None:
            return True
        if keys is not None and any(c.key_lower not in keys for c in stmt.conditions):
            continue
        if conditions.deny_narrows_callers(stmt).yes:
            return True
    return False


def action_level(action: ActionInfo) -> str:
    """``object`` for actions on objects (``s3:GetObject``), else ``bucket``."""
    return "object" if "object" in action.resource_types else "bucket"


def statement_covers_bucket(stmt: Statement, found: LogTarget, level: str, key_prefix: str = "") -> bool:
    """Do the statement's Resource (or NotResource) patterns reach the bucket at ``level``?

    A bucket policy statement without either applies to its bucket."""
    if stmt.resources is not None:
        return any(covers_bucket(p, found.bucket, found.name, level, key_prefix) for p in stmt.resources)
    if stmt.not_resources is not None:
        return not any(
            covers_bucket(p, found.bucket, found.name, level, key_prefix, every=True) for p in stmt.not_resources
        )
    return stmt.document.kind == RESOURCE


# actions -----------------------------------------------------------------------------------
def s3_actions(catalog: Catalog, stmt: Statement) -> list[ActionInfo]:
    """The S3 actions a statement names (its Action, or the S3 complement of its NotAction)."""
    import fnmatch

    if stmt.actions is not None:
        found: dict[str, ActionInfo] = {}
        for pattern in stmt.action_patterns:
            service, sep, name = pattern.strip().partition(":")
            if pattern.strip() == "*":
                service, name = "*", "*"
            elif not sep:
                continue
            if fnmatch.fnmatchcase("s3", service.lower()):
                for info in catalog.expand(f"s3:{name}"):
                    found[info.full.lower()] = info
        return sorted(found.values(), key=lambda i: i.name)
    if stmt.not_actions is not None:
        from iamready.iam.catalog import action_matches

        excluded = stmt.not_action_patterns
        everything = catalog.expand("s3:*")
        return sorted(
            (i for i in everything if not any(action_matches(p, i.full) for p in excluded)), key=lambda i: i.name
        )
    return []


def writes(info: ActionInfo) -> bool:
    return "Write" in info.access_level or "Permissions management" in info.access_level


def is_tamper(info: ActionInfo) -> bool:
    return any(info.full.lower() == a.lower() for a in TAMPER_ACTIONS)


def action_names(infos: Iterable[ActionInfo], limit: int = 5) -> str:
    names = [f"s3:{i.name}" for i in infos]
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def tamper_order(infos: Iterable[ActionInfo]) -> list[ActionInfo]:
    """Tamper actions in the order of TAMPER_ACTIONS (deleting objects first)."""
    rank = {a.lower(): i for i, a in enumerate(TAMPER_ACTIONS)}
    return sorted(infos, key=lambda i: (rank.get(i.full.lower(), len(rank)), i.name))


def grant_text(stmt: Statement, shown: list[ActionInfo]) -> str:
    """The statement's actions as written, plus the ``shown`` actions a wildcard hides:
    ``s3:* (including s3:DeleteObject, s3:DeleteObjectVersion, ...)``."""
    written = describe_actions(stmt)
    literal = {p.strip().lower() for p in stmt.action_patterns}
    hidden = [a for a in shown if a.full.lower() not in literal]
    return f"{written} (including {action_names(hidden, 4)})" if hidden else written


def principal_text(principal: PrincipalRef, graph: Graph | None = None) -> str:
    """A principal for messages: the resource address when the code defines it."""
    if principal.ref is not None and graph is not None:
        target = graph.get(principal.ref[0])
        if target is not None:
            return target.address
    return principal.describe()


def describe_actions(stmt: Statement) -> str:
    """The statement's actions as written: ``s3:PutObject, s3:DeleteObject`` or ``every action except ...``."""
    if stmt.actions is not None:
        return ", ".join(stmt.action_patterns) or "actions that are not known"
    if stmt.not_actions is not None:
        return "every action except " + ", ".join(stmt.not_action_patterns)
    return "no action"


# resource ARNs ------------------------------------------------------------------------------
_PARTITION_RE = re.compile(r"^arn:(?:aws|aws-cn|aws-us-gov|\$\{AWS::Partition\}|\$\{[^}]*partition[^}]*\}):s3:::")


def bucket_arns(bucket: Resource) -> list[str]:
    """The ways code spells the bucket's ARN (normalised to the ``aws`` partition)."""
    out = []
    name = bucket_name(bucket)
    if name:
        out.append(f"arn:aws:s3:::{name}")
    if bucket.framework == CLOUDFORMATION:
        out += [f"${{{bucket.name}.Arn}}", f"arn:aws:s3:::${{{bucket.name}}}"]
    else:
        address = bucket.address
        out += [f"${{{address}.arn}}", f"arn:aws:s3:::${{{address}.id}}", f"arn:aws:s3:::${{{address}.bucket}}"]
    return out


def normalise_arn(pattern: str) -> str:
    return _PARTITION_RE.sub("arn:aws:s3:::", pattern)


_PROBE = "\x00any-key"


def covers_bucket(
    pattern: Any, bucket: Resource | None, name: str | None, level: str, key_prefix: str = "", every: bool = False
) -> bool:
    """Does a Resource pattern cover the bucket itself (``level="bucket"``) or its log objects
    (``level="object"``: some object under ``key_prefix``, or with ``every`` all of them, which is
    what excluding them with ``NotResource`` takes)?"""
    if not isinstance(pattern, str) or isinstance(pattern, Unknown):
        return False
    text = normalise_arn(str(pattern))
    if text == "*":
        return True
    ref = pattern.ref if isinstance(pattern, LStr) else None
    if ref is not None and bucket is not None and ref[0] == bucket.id:
        return level == "bucket" and ref[1] in ("arn", "Arn")
    spellings = bucket_arns(bucket) if bucket is not None else []
    if name and f"arn:aws:s3:::{name}" not in spellings:
        spellings.insert(0, f"arn:aws:s3:::{name}")
    for arn in spellings:
        if level == "bucket" and glob_match(text, arn):
            return True
        if level == "object" and every and glob_match(text, f"{arn}/{key_prefix}{_PROBE}"):
            return True
        if level == "object" and not every and glob_prefix(text, f"{arn}/{key_prefix}"):
            return True
    return False


def glob_match(pattern: str, text: str) -> bool:
    """IAM wildcard matching: ``*`` any run of characters (``/`` included), ``?`` one character."""
    regex = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.fullmatch(regex, text, re.DOTALL) is not None


def glob_prefix(pattern: str, prefix: str) -> bool:
    """Can some string that starts with ``prefix`` match ``pattern``?"""
    states = {0}
    for ch in prefix:
        states = _closure(pattern, states)
        nxt = set()
        for i in states:
            if i < len(pattern):
                if pattern[i] == "*":
                    nxt.add(i)
                elif pattern[i] == "?" or pattern[i] == ch:
                    nxt.add(i + 1)
        states = nxt
        if not states:
            return False
    return bool(_closure(pattern, states))


def _closure(pattern: str, states: set[int]) -> set[int]:
    out = set(states)
    stack = list(states)
    while stack:
        i = stack.pop()
        if i < len(pattern) and pattern[i] == "*" and i + 1 not in out:
            out.add(i + 1)
            stack.append(i + 1)
    return out


# -- settings of the writers (trails) -------------------------------------------------------
@dataclass
class Case:
    """One possible value of a setting: ``when`` is None for a plain value, or the condition of
    the ``Fn::If`` / conditional branch it comes from."""

    when: str | None
    value: Any  # the raw value (MISSING when unset); Unknown when it cannot be resolved


def cases(value: Value) -> list[Case]:
    """The values a setting can take: one for a plain value, one per branch of a Choice."""
    raw = value.raw
    if isinstance(raw, Choice):
        out = []
        for when_text, branch in raw.branches():
            for case in cases(Value(branch, value.span, value.path)):
                out.append(Case(when_text if case.when is None else f"{when_text} and {case.when}", case.value))
        return out
    return [Case(None, raw)]


def truth(raw: Any, default: bool) -> bool | None:
    """A boolean setting: its default when unset, None when not known."""
    if raw is MISSING or raw is None:
        return default
    return Value(raw, None).truthy()
