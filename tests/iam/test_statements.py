"""Statement readers shared by the IAM rules: broad resources, service wildcards, Deny coverage."""

from __future__ import annotations

from typing import Any

import pytest

from iamready.iam.catalog import catalog
from iamready.iam.policy import Statement, build_document
from iamready.iam.statements import (
    beyond_read,
    covers_every_resource,
    deny_covers,
    granted_actions,
    is_service_wildcard,
    summarise,
)
from iamready.model.graph import Resource
from iamready.model.span import Span

SPAN = Span("policy.json", 1)
HOLDER = Resource(id="t::p", address="aws_iam_policy.p", type="aws_iam_policy", framework="terraform", span=SPAN)


def statements(*items: dict[str, Any]) -> list[Statement]:
    return build_document(
        HOLDER, "policy", "identity", {"Version": "2012-10-17", "Statement": list(items)}, SPAN
    ).statements


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("*", True),
        ("arn:aws:s3:::*", True),
        ("arn:aws:iam::*:*", True),
        ("arn:${AWS::Partition}:dynamodb:*:${AWS::AccountId}:*", True),
        ("arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:*", True),
        ("arn:aws:s3:::example/*", False),
        ("arn:aws:dynamodb:eu-west-1:111122223333:*", True),  # every table of the account in a region
        ("arn:aws:iam::111122223333:*", True),
        ("arn:aws:iam::111122223333:role/*", False),
        ("arn:aws:ssm:eu-west-1:${AWS::AccountId}:parameter/app/*", False),
    ],
)
def test_covers_every_resource(pattern: str, expected: bool) -> None:
    assert covers_every_resource(pattern) is expected


def test_service_wildcards() -> None:
    assert [p for p in ["s3:*", "*", "*:*", "s3:Get*", "iam:*", "s3*:*"] if is_service_wildcard(p)] == [
        "s3:*",
        "iam:*",
        "s3*:*",
    ]


def test_not_action_grants_the_complement() -> None:
    (stmt,) = statements({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"})
    actions = {a.full for a in granted_actions(stmt, catalog())}
    assert "s3:DeleteBucket" in actions
    assert not any(a.startswith(("iam:", "organizations:")) for a in actions)


def test_beyond_read() -> None:
    read, write, wildcard = statements(
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteObject"], "Resource": "*"},
        {"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
    )
    assert [beyond_read(s, catalog()) for s in (read, write, wildcard)] == [False, True, True]


def test_deny_covers_actions_and_resources() -> None:
    allow, deny_all, deny_other_bucket, deny_not_action = statements(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::other/*"},
        {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"},
    )
    cat = catalog()
    assert deny_covers(deny_all, allow, cat) is True
    assert deny_covers(deny_other_bucket, allow, cat) is False
    assert deny_covers(deny_not_action, allow, cat) is False


def test_summarise() -> None:
    assert summarise(["a", "b", "a"]) == "a, b"
    assert summarise([f"x{i}" for i in range(9)], limit=3) == "x0, x1, x2 and 6 more"


def test_a_grant_shared_by_many_principals_is_expanded_once() -> None:
    """Each principal attached to AdministratorAccess holds its own copy of the statement; expanding
    ``*`` (every action of the catalogue) and selecting from it must not be repeated per copy: a plan
    of 600 such users spent 6.7 s doing that in one rule."""
    from iamready.iam.statements import selected_actions

    cat = catalog()
    copies = [statements({"Effect": "Allow", "Action": "*", "Resource": "*"})[0] for _ in range(50)]
    calls = 0

    def wanted(info: Any) -> bool:
        nonlocal calls
        calls += 1
        return info.service == "iam" and info.level == "Permissions management"

    selected = [selected_actions(stmt, cat, wanted) for stmt in copies]
    assert calls == len(cat.all_actions())
    assert all(s is selected[0] for s in selected)
    assert "iam:PutUserPolicy" in selected[0] and "s3:GetObject" not in selected[0]
    assert all(granted_actions(stmt, cat) is granted_actions(copies[0], cat) for stmt in copies)
    # NotAction and Action with the same patterns are different grants
    (complement,) = statements({"Effect": "Allow", "NotAction": "*", "Resource": "*"})
    assert selected_actions(complement, cat, wanted) == frozenset()


def test_resource_patterns_are_matched_against_the_resource_types_of_the_action() -> None:
    from iamready.iam.catalog import catalog
    from iamready.iam.statements import resource_applies

    cat = catalog()
    pass_role = cat.info("iam:PassRole")
    assert pass_role is not None
    assert not resource_applies("arn:aws:s3:::*", pass_role, cat)
    assert not resource_applies("arn:aws:iam::*:user/*", pass_role, cat)
    assert not resource_applies("arn:aws:iam:eu-west-1:111122223333:role/x", pass_role, cat)  # IAM has no region
    for pattern in ("*", "arn:aws:iam::*:*", "arn:aws:iam::111122223333:role/app/*", "arn:aws:*", "arn:*:iam::*:r*"):
        assert resource_applies(pattern, pass_role, cat), pattern
    assert resource_applies("${aws_iam_role.app.arn}", pass_role, cat)  # built by the code: not decided here
    get_object = cat.info("s3:GetObject")
    assert get_object is not None
    assert resource_applies("arn:aws:s3:::logs/*", get_object, cat)
    assert not resource_applies("arn:aws:dynamodb:*:*:table/*", get_object, cat)
