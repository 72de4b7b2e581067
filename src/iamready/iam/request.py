"""Conditions on request keys whose value is known for the request a rule asks about.

Some condition keys describe the request itself, not the caller: ``iam:PolicyARN`` on
``iam:Attach*Policy`` is the policy being attached, ``iam:PassedToService`` on ``iam:PassRole`` the
service the role is handed to, ``iam:AssociatedResourceArn`` the resource the passed role will be
attached to. When a rule knows what the request would carry (an escalation attaches an
administrator policy, passes a role to ``ec2.amazonaws.com`` for an instance), such a condition
is not a guard to report but a fact to evaluate: it holds, or it never can.

A request value may be a pattern (``arn:aws:ec2:*:*:instance/*``): a part the caller chooses (the
name of the instance it launches). A key may have several alternative values (any administrator
policy the caller could attach). :func:`evaluate` answers, for the caller's best choice
(``mode="exists"``, what an Allow needs) or for every choice (``mode="forall"``, what makes a Deny
unavoidable): True (holds), False (cannot hold) or None (not known: an unresolved value, an
operator this module does not read).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iamready.iam.policy import Condition

POLICY_ARN = "iam:policyarn"
PERMISSIONS_BOUNDARY = "iam:permissionsboundary"
PASSED_TO_SERVICE = "iam:passedtoservice"
ASSOCIATED_RESOURCE_ARN = "iam:associatedresourcearn"

_REFERENCED = "\x01"  # a resource of the code: no new resource the caller creates is it (only a bare * is)
_EQUALS = ("StringEquals", "ArnEquals")
_LIKE = ("StringLike", "ArnLike")
_EQUALS_CASE = ("StringEqualsIgnoreCase",)
_NOT = {
    "StringNotEquals": "StringEquals",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
}

# the resource a new piece of compute of a service will have: ``*`` where the caller names it,
# ``\x00`` (only a wildcard matches) where AWS assigns the name (an EC2 instance id)
SERVICE_ARN_PREFIX = {
    "ec2.amazonaws.com": "arn:aws:ec2:*:*:instance/\x00",
    "lambda.amazonaws.com": "arn:aws:lambda:*:*:function:*",
    "glue.amazonaws.com": "arn:aws:glue:*:*:*",
    "sagemaker.amazonaws.com": "arn:aws:sagemaker:*:*:*",
    "ecs-tasks.amazonaws.com": "arn:aws:ecs:*:*:*",
    "codebuild.amazonaws.com": "arn:aws:codebuild:*:*:project/*",
    "cloudformation.amazonaws.com": "arn:aws:cloudformation:*:*:*",
    "datapipeline.amazonaws.com": "arn:aws:datapipeline:*:*:*",
    "tasks.apprunner.amazonaws.com": "arn:aws:apprunner:*:*:service/*",
    "states.amazonaws.com": "arn:aws:states:*:*:stateMachine:*",
    "bedrock-agentcore.amazonaws.com": "arn:aws:bedrock-agentcore:*:*:*",
}


def evaluate(cond: Condition, values: Sequence[str], mode: str = "exists") -> bool | None:
    """Does ``cond`` hold for a request whose key has one of ``values`` (patterns: the caller's
    choice)? ``mode`` "exists": for some choice; "forall": for every choice."""
    if cond.has_unknown():
        return None
    op = cond.base_operator
    if not values:  # the request does not carry the key
        if op == "Null":
            return all(v.lower() == "true" for v in cond.string_values) if cond.string_values else None
        return cond.if_exists or cond.negated
    if op == "Null":
        return all(v.lower() == "false" for v in cond.string_values) if cond.string_values else None
    # a reference to a resource of the code names that one resource, whose name the caller does not choose
    wanted = [
        _REFERENCED if getattr(v, "ref", None) is not None else str(v)
        for v in cond.values
        if isinstance(v, (str, bool, int, float))
    ]
    if not wanted:
        return None
    if op in _NOT:
        positive = _holds(_NOT[op], wanted, values, "forall" if mode == "exists" else "exists")
        return None if positive is None else not positive
    return _holds(op, wanted, values, mode)


def _holds(op: str, wanted: list[str], values: Sequence[str], mode: str) -> bool | None:
    if op in _EQUALS_CASE:
        wanted = [w.lower() for w in wanted]
        values = [v.lower() for v in values]
    elif op not in _EQUALS and op not in _LIKE:
        return None
    like = op in _LIKE or op == "ArnEquals"  # ArnEquals also reads * and ? as wildcards
    results = []
    for value in values:
        if mode == "exists":
            hit = any(patterns_overlap(value, w) if like else _equal_possible(value, w) for w in wanted)
        else:
            hit = any(pattern_within(value, w) if like else value == w for w in wanted)
        results.append(hit)
    return any(results) if mode == "exists" else all(results)


def _equal_possible(value: str, wanted: str) -> bool:
    """StringEquals against a request value the caller partly chooses: the literal condition value
    must be one of the strings the request pattern allows."""
    return value == wanted or ("*" in value and patterns_overlap(value, _escape(wanted)))


def _escape(text: str) -> str:
    return text.replace("*", "\x04").replace("?", "\x05")


@functools.lru_cache(maxsize=8192)
def patterns_overlap(a: str, b: str) -> bool:
    """Is there a string both IAM wildcard patterns (``*``, ``?``) match? Two ARNs are compared part
    by part (a wildcard in the region does not reach into the resource name); ``${...}`` variables
    of either side read as ``*``."""
    a, b = _VARIABLE.sub("*", a), _VARIABLE.sub("*", b)
    a_parts, b_parts = _arn_parts(a), _arn_parts(b)
    if a_parts is not None and b_parts is not None:
        return all(_overlap(x, y) for x, y in zip(a_parts, b_parts, strict=True))
    return _overlap(a, b)


def _arn_parts(text: str) -> list[str] | None:
    if not text.startswith("arn:"):
        return None
    parts = text.split(":", 5)
    return parts if len(parts) == 6 else None


def _overlap(a: str, b: str) -> bool:

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i] == "*" and (match(i + 1, j) or (j < len(b) and match(i, j + 1))):
            return True
        if j < len(b) and b[j] == "*" and (match(i, j + 1) or (i < len(a) and match(i + 1, j))):
            return True
        if i == len(a) or j == len(b) or "*" in (a[i], b[j]):
            return False
        return (a[i] == "?" or b[j] == "?" or a[i] == b[j]) and match(i + 1, j + 1)

    return match(0, 0)


def pattern_within(inner: str, outer: str) -> bool:
    """Does every string ``inner`` matches also match ``outer``? (Wildcards of ``inner`` read as
    characters ``outer``'s wildcards must cover: exact for the usual prefix and suffix patterns.)"""
    inner_parts, outer_parts = _arn_parts(inner), _arn_parts(outer)
    if inner_parts is not None and outer_parts is not None:
        return all(_within(x, y) for x, y in zip(inner_parts, outer_parts, strict=True))
    return _within(inner, outer)


def _within(inner: str, outer: str) -> bool:
    import fnmatch

    return fnmatch.fnmatchcase(inner, outer.replace("[", "[[]"))


_VARIABLE = re.compile(r"\$\{[^}]*\}")
