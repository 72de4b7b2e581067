"""Attributes Terraform only knows after apply, as far as a static scan can know them.

Some follow from configuration (an S3 bucket's ``arn`` from its ``bucket`` name). Identifiers
such as ``arn`` or ``id`` that do not become symbolic strings (``"${aws_iam_role.app.arn}"``)
that still say which resource they belong to. The account id, region and partition map to the
same pseudo parameters CloudFormation uses (``${AWS::AccountId}``), meaning "the deploying
account". Anything else is unknown.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from iamready.model.span import Span
from iamready.model.value import MISSING, LStr, Unknown

if TYPE_CHECKING:
    from iamready.parsers.terraform.refs import InstanceRef

# the fix for a value Terraform knows only after apply (or from a function iamready does not evaluate)
PLAN_FIX = "scan a plan, where it is known (terraform show -json tfplan > tfplan.json && iamready scan tfplan.json)"

# attributes that are strings identifying the resource
_IDENTIFIERS = {
    "arn",
    "id",
    "name",
    "bucket",
    "unique_id",
    "key_id",
    "invoke_arn",
    "qualified_arn",
    "url",
    "role",
    "user",
    "group",
    "policy_arn",
    "bucket_domain_name",
    "bucket_regional_domain_name",
    "home_region",
    "owner_id",
    "account_id",
    "secret",
    "ses_smtp_password_v4",
    "encrypted_secret",
    "private_key_pem",
    "private_key_openssh",
    "public_key_openssh",
    "public_key_pem",
    "access_key",
    "secret_key",
    "value",
    "key_name",
    "fingerprint",
    "role_arn",
    "instance_profile",
    "latest_version",
    "identifier",
    "function_name",
}

# attributes that are addresses of the resource (aws_ecr_repository.repository_url, an RDS endpoint): strings that
# identify it, never a credential
_IDENTIFIER_SUFFIXES = ("_arn", "_id", "_name", "_url", "endpoint", "address", "hostname")

_NAME_ATTR = {
    "aws_iam_role": "name",
    "aws_iam_user": "name",
    "aws_iam_group": "name",
    "aws_iam_policy": "name",
    "aws_iam_instance_profile": "name",
    "aws_s3_bucket": "bucket",
    "aws_cloudtrail": "name",
    "aws_lambda_function": "function_name",
    "aws_key_pair": "key_name",
}


def computed_attribute(inst: InstanceRef, name: str, span: Span) -> Any:
    rtype, kind = inst.rtype, inst.kind
    if kind == "data" and rtype == "aws_iam_policy":
        found = _iam_policy_data(inst, name, span)
        if found is not NotImplemented:
            return found
    if kind == "data":
        if rtype == "aws_caller_identity" and name == "account_id":
            return LStr("${AWS::AccountId}", span)
        if rtype == "aws_partition" and name == "partition":
            return LStr("aws", span)
        if rtype == "aws_region" and name in ("name", "region", "id"):
            return LStr("${AWS::Region}", span)
    name_attr = _NAME_ATTR.get(rtype)
    if name_attr is not None and name in ("id", "name", "bucket", "function_name", "key_name", "arn"):
        own = inst.attr_value(name_attr)
        if isinstance(own, str) and not isinstance(own, Unknown) and own is not MISSING:
            text = str(own)
            if name != "arn":
                return LStr(text, span, ref=(inst.id, name))
            if rtype == "aws_s3_bucket":
                return LStr(f"arn:aws:s3:::{text}", span, ref=(inst.id, name))
            if rtype in ("aws_iam_role", "aws_iam_user", "aws_iam_group", "aws_iam_policy"):
                kind_word = rtype.removeprefix("aws_iam_")
                path = inst.attr_value("path")
                path_text = str(path) if isinstance(path, str) and path else "/"
                return LStr(
                    f"arn:aws:iam::${{AWS::AccountId}}:{kind_word}{path_text}{text}",
                    span,
                    ref=(inst.id, name),
                )
    if name in _IDENTIFIERS or name.endswith(_IDENTIFIER_SUFFIXES):
        return LStr(f"${{{inst.address}.{name}}}", span, ref=(inst.id, name))
    from iamready.model.span import Span
    from iamready.model.value import Cause

    where = Span(inst.path, *inst.block[1])  # one cause per attribute, said at the resource it belongs to
    # named as written in its module: every instance of the module (and of count/for_each) shares the cause
    written = f"data.{rtype}.{inst.name}" if kind == "data" else f"{rtype}.{inst.name}"
    cause = Cause(f"{written}.{name} is only known after apply", where, PLAN_FIX)
    return Unknown(f"{inst.address}.{name} is only known after apply", span, cause)


def _iam_policy_data(inst: InstanceRef, name: str, span: Span) -> Any:
    """``data "aws_iam_policy"`` found by ``name`` (and ``path_prefix``) or ``arn``: an AWS managed
    policy's ARN, name, path and document come from the shipped snapshot. A name AWS does not have
    is a customer managed policy of the account, defined outside the scanned code (its ARN is
    known, its content is not), unless it is a near miss of an AWS managed name (a typo, reported
    by AWS-IAM-015 where the name is written)."""
    if name not in ("arn", "policy", "name", "path"):
        return NotImplemented
    from iamready import awsdata as aws_managed

    wanted = inst.attr_value("name")
    prefix = inst.attr_value("path_prefix")
    given_arn = inst.attr_value("arn")
    if _known_text(given_arn):
        parsed = aws_managed.parse_aws_managed_arn(str(given_arn))
        found = aws_managed.lookup(parsed.name) if parsed is not None else None
        if found is None or parsed is None or found.path != parsed.path:
            return NotImplemented  # a customer managed policy, or an AWS ARN AWS-IAM-015 reports
        at = getattr(given_arn, "span", None) or span
        if name == "policy":
            return LStr(json.dumps(found.document(parsed.partition)), at)
        return LStr({"name": found.name, "path": found.path}.get(name, str(given_arn)), at, ref=(inst.id, name))
    if not _known_text(wanted):
        if isinstance(wanted, Unknown):
            return Unknown(f"{inst.address}: which policy it finds is not known ({wanted.reason})", span)
        return NotImplemented  # found by arn (attr_value answers arn itself) or not at all
    text = str(wanted)
    at = getattr(wanted, "span", None) or span
    path = str(prefix) if _known_text(prefix) else "/"
    entry = aws_managed.lookup(text)
    if entry is not None and not entry.path.startswith(path):
        entry = None  # the data source finds nothing: the plan fails
    if entry is not None:
        values = {"arn": entry.arn(), "name": entry.name, "path": entry.path}
        if name == "policy":
            return LStr(json.dumps(entry.document()), at)
        return LStr(values[name], at, ref=(inst.id, name))
    if name == "name":
        return LStr(text, at, ref=(inst.id, name))
    if name == "path":
        return LStr(path, at, ref=(inst.id, name))
    if name == "arn":
        if aws_managed.suggest(text) or (_known_text(prefix) and aws_managed.lookup(text) is not None):
            return LStr(f"arn:aws:iam::aws:policy{path}{text}", at, ref=(inst.id, name))  # AWS-IAM-015
        return LStr(f"arn:aws:iam::${{AWS::AccountId}}:policy{path}{text}", at, ref=(inst.id, name))
    return Unknown(
        f"{inst.address} finds customer managed policy {text}, defined outside the scanned code: "
        "its content is not known to iamready",
        span,
    )


def _known_text(value: Any) -> bool:
    return isinstance(value, str) and not isinstance(value, Unknown) and value is not MISSING
