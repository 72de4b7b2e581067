"""Attributes Terraform only knows after apply, as far as a static scan can know them.

Some follow from configuration (an S3 bucket's ``arn`` from its ``bucket`` name). Identifiers
such as ``arn`` or ``id`` that do not become symbolic strings (``"${aws_iam_role.app.arn}"``)
that still say which resource they belong to. The account id, region and partition map to the
same pseudo parameters CloudFormation uses (``${AWS::AccountId}``), meaning "the deploying
account". Anything else is unknown.
"""

from __future__ import annotations

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
    if name in _IDENTIFIERS or name.endswith(("_arn", "_id", "_name")):
        return LStr(f"${{{inst.address}.{name}}}", span, ref=(inst.id, name))
    from iamready.model.span import Span
    from iamready.model.value import Cause

    where = Span(inst.path, *inst.block[1])  # one cause per attribute, said at the resource it belongs to
    cause = Cause(f"{inst.address}.{name} is only known after apply", where, PLAN_FIX)
    return Unknown(f"{inst.address}.{name} is only known after apply", span, cause)
