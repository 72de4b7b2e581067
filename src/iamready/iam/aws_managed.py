"""AWS managed policies for the IAM layer: the snapshot reader lives in :mod:`iamready.awsdata` (core,
so parsers may use it too); this module is where ``iam/`` and the rules find it."""

from __future__ import annotations

from iamready.awsdata import (
    ManagedArn,
    ManagedPolicy,
    admin_equivalent,
    count,
    lookup,
    lookup_any_case,
    names,
    parse_aws_managed_arn,
    parse_managed_arn,
    snapshot_date,
    snapshot_info,
    suggest,
)

__all__ = [
    "ManagedArn",
    "ManagedPolicy",
    "admin_equivalent",
    "count",
    "lookup",
    "lookup_any_case",
    "names",
    "parse_aws_managed_arn",
    "parse_managed_arn",
    "snapshot_date",
    "snapshot_info",
    "suggest",
]
