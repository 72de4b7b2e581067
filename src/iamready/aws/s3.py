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

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamready.aws.buckets import describe_writers
from iamready.iam.catalog import ActionInfo, Catalog
from iamready.iam.policy import RESOURCE, Condition, PolicyDocument, Principal, Statement
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

OWN_ACCOUNT = "${AWS::AccountId}"

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
@dataclass
class LogBucket:
    """A bucket of checklist section 5 and the writers that put it in scope."""

    bucket: Resource
    writers: list[tuple[Resource, str]]

    @property
    def why(self) -> str:
        """``written by CloudTrail trail aws_cloudtrail.main``."""
        return f"written by {describe_writers(self.writers)}"

    @property
    def name(self) -> str | None:
        return bucket_name(self.bucket)

    @property
    def services(self) -> tuple[str, ...]:
        out: list[str] = []
        for writer, _ in self.writers:
            for service in LOG_SERVICES.get(writer.type, ()):
                if service not in out:
                    out.append(service)
        return tuple(out)

    def label(self) -> str:
        """How a policy finding names the bucket: ``log bucket aws_s3_bucket.trail (written by ...)``."""
        return f"log bucket {self.bucket.address} ({self.why})"


def log_bucket(ctx: Context, bucket: Resource) -> LogBucket | None:
    writers = ctx.log_buckets.get(bucket.id)
    return LogBucket(bucket, list(writers)) if writers else None


def log_buckets(ctx: Context) -> list[LogBucket]:
    out = []
    for bucket_id, writers in ctx.log_buckets.items():
        bucket = ctx.graph.get(bucket_id)
        if bucket is not None:
            out.append(LogBucket(bucket, list(writers)))
    return sorted(out, key=lambda b: (b.bucket.span.path, b.bucket.span.start_line, b.bucket.address))


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
    for resource in graph.resources(rtype):
        same_module = resource.scope == bucket.scope and resource.module_path == bucket.module_path
        if same_module and resource.attr("bucket").is_unknown:
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
    blocks += [r for r in graph.resources("aws_s3_account_public_access_block") if r.scope == bucket.scope]
    for block in blocks:
        for flag in BLOCK_FLAGS:
            out[flag] = out[flag] or block.attr(flag).truthy() is True
    return out


# -- bucket policies ---------------------------------------------------------------------------
def bucket_policies(graph: Graph, bucket: Resource) -> list[PolicyDocument]:
    """Resource policies that apply to ``bucket`` (inline ``policy``, bucket policy resources)."""
    return [d for d in graph.policies if d.kind == RESOURCE and any(t.id == bucket.id for t in d.targets)]


def policy_log_buckets(ctx: Context, doc: PolicyDocument) -> list[LogBucket]:
    out = []
    for target in doc.targets:
        found = log_bucket(ctx, target)
        if found is not None:
            out.append(found)
    return out


@dataclass
class Who:
    """One principal entry of a statement, classified."""

    kind: str  # "everyone" | "service" | "account" | "federated" | "canonical" | "unknown"
    text: str  # as written (or a description, for unknown values)
    account: str | None = None  # "${AWS::AccountId}" for the deploying account, else the 12 digits
    value: Any = None

    @property
    def own(self) -> bool:
        return self.account == OWN_ACCOUNT

    @property
    def other_account(self) -> bool:
        return self.kind == "account" and self.account is not None and not self.own


_ACCOUNT_RE = re.compile(r"^\d{12}$")


def principals_of(principal: Principal | None, stmt: Statement | None = None) -> list[Who]:
    """Classify every entry of a ``Principal`` block."""
    if principal is None:
        return []
    out: list[Who] = []
    if principal.wildcard:
        out.append(Who("everyone", "*"))
    for kind, values in principal.entries.items():
        for value in values:
            who = _classify(kind, value)
            if who is not None:
                out.append(who)
    if stmt is not None:
        unknown = stmt.unknown_in("Principal")
        if unknown is not None:
            reason = unknown.reason if isinstance(unknown, Unknown) else f"depends on condition {unknown.condition}"
            out.append(Who("unknown", reason, value=unknown))
    return out


def _classify(kind: str, value: Any) -> Who | None:
    if isinstance(value, (Unknown, Choice)):
        return Who("unknown", getattr(value, "reason", "a value that is not known"), value=value)
    if not isinstance(value, str):
        return None
    text = str(value)
    if kind == "Service":
        return Who("service", text.lower(), value=value)
    if kind == "Federated":
        return Who("federated", text, value=value)
    if kind == "CanonicalUser":
        return Who("canonical", text, value=value)
    if text == "*":
        return None  # already counted as everyone
    if isinstance(value, LStr) and value.ref is not None:
        return Who("account", text, OWN_ACCOUNT, value)  # a principal the scanned code creates
    if _ACCOUNT_RE.match(text):
        return Who("account", text, text, value)
    if text.startswith("arn:"):
        parts = text.split(":", 5)
        account = parts[4] if len(parts) > 4 else ""
        if account in ("", "*") or "*" in account:
            return Who("everyone", text, value=value)
        if account == OWN_ACCOUNT or "${AWS::AccountId}" in account:
            return Who("account", text, OWN_ACCOUNT, value)
        return Who("account", text, account, value)
    if text.startswith("${") and text.endswith("}"):
        return Who("account", text, OWN_ACCOUNT, value)  # symbolic: a resource of the scanned code
    return Who("unknown", text, value=value)


# conditions (small and local; see the module docstring) --------------------------------------
SOURCE_KEYS = frozenset({"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"})
PRINCIPAL_KEYS = frozenset(
    {
        "aws:principalarn",
        "aws:principalaccount",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:userid",
        "aws:username",
    }
)
NETWORK_KEYS = frozenset({"aws:sourcevpce", "aws:sourcevpc", "aws:sourceip"})
NARROWING_KEYS = SOURCE_KEYS | PRINCIPAL_KEYS | NETWORK_KEYS
_ARN_KEYS = frozenset({"aws:sourcearn", "aws:principalarn"})
_BROAD_IPS = frozenset({"0.0.0.0/0", "::/0"})


def narrows(cond: Condition, keys: Iterable[str] = NARROWING_KEYS) -> bool:
    """Does this Allow condition restrict who can use the grant to a fixed set?

    Only a positive operator on one of ``keys`` with a fixed value does. ``...IfExists`` lets
    requests without the key through; negated operators (``StringNotEquals``) allow everything
    else; ``ForAllValues`` is true when the key is absent; ``Null`` and ``Bool`` test presence,
    not identity. A value that is not known still names one specific source: it narrows.
    """
    if cond.key_lower not in set(keys):
        return False
    if cond.negated or cond.if_exists or cond.set_operator == "ForAllValues":
        return False
    base = cond.base_operator
    if not base.startswith(("String", "Arn", "IpAddress")):
        return False
    if cond.has_unknown():
        return True
    values = cond.string_values
    if not values:
        return False
    wildcards = base.endswith("Like") or base.startswith("Arn")
    return all(_specific(cond.key_lower, v, wildcards) for v in values)


def _specific(key: str, value: str, wildcards: bool) -> bool:
    if key == "aws:sourceip":
        return value not in _BROAD_IPS
    if not wildcards:
        return bool(value)
    if value.strip("*?") == "":
        return False
    if key in _ARN_KEYS and value.startswith("arn:"):
        parts = value.split(":", 5)
        account = parts[4] if len(parts) > 4 else ""
        if account == "" or "*" in account or "?" in account:
            return False
    return not (key in ("aws:sourceaccount", "aws:principalaccount") and ("*" in value or "?" in value))


def narrowing_conditions(stmt: Statement, keys: Iterable[str] = NARROWING_KEYS) -> list[Condition]:
    keys = set(keys)
    return [c for c in stmt.conditions if narrows(c, keys)]


def denied_unless(doc: PolicyDocument, action: str, keys: Iterable[str] = NARROWING_KEYS) -> bool:
    """Does a Deny for everyone in ``doc`` cover ``action`` unless the request comes from a fixed source?

    Unconditional Denies, and Denies whose conditions are all negated tests of ``keys``
    (``StringNotEquals aws:SourceAccount``, ``StringNotEquals aws:PrincipalOrgID``), narrow
    every Allow of the same document.
    """
    from iamready.iam.effective import statement_covers_action

    keys = set(keys)
    for stmt in doc.statements:
        if not stmt.denies or not statement_covers_action(stmt, action):
            continue
        if stmt.principal is None or not stmt.principal.wildcard:
            continue
        if not stmt.conditions:
            return True
        if all(c.negated and c.key_lower in keys and not c.has_unknown() for c in stmt.conditions):
            return True
    return False


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


def covers_bucket(pattern: Any, bucket: Resource | None, name: str | None, level: str, key_prefix: str = "") -> bool:
    """Does a Resource pattern cover the bucket itself (``level="bucket"``) or its log objects
    (``level="object"``, keys under ``key_prefix``)?"""
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
        if level == "object" and glob_prefix(text, f"{arn}/{key_prefix}"):
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
