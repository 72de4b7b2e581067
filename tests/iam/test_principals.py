"""Who a Principal entry designates: the deploying account vs another account, code-defined principals, providers."""

from __future__ import annotations

import pytest

from iamready.iam.principals import (
    ACCOUNT,
    CODE,
    EVERYONE,
    OIDC,
    ROLE,
    SAML,
    SELF_ACCOUNT,
    SERVICE,
    arn_account,
    oidc_issuer,
    read_principal,
)
from iamready.model.graph import Graph, Resource
from iamready.model.span import Span
from iamready.model.value import LDict, LStr

SPAN = Span("main.tf", 1)


@pytest.mark.parametrize(
    ("kind", "text", "expected_kind", "account"),
    [
        ("AWS", "*", EVERYONE, None),
        ("AWS", "arn:aws:iam::444455556666:root", ACCOUNT, "444455556666"),
        ("AWS", "444455556666", ACCOUNT, "444455556666"),
        ("AWS", "arn:aws:iam::${AWS::AccountId}:root", ACCOUNT, SELF_ACCOUNT),
        ("AWS", "arn:${AWS::Partition}:iam::${AWS::AccountId}:root", ACCOUNT, SELF_ACCOUNT),
        ("AWS", "${AWS::AccountId}", ACCOUNT, SELF_ACCOUNT),
        ("AWS", "arn:aws:iam::444455556666:role/deployer", ROLE, "444455556666"),
        ("AWS", "arn:aws:sts::444455556666:assumed-role/deployer/session", "assumed-role", "444455556666"),
        ("Service", "ec2.amazonaws.com", SERVICE, None),
        (
            "Federated",
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
            OIDC,
            "111122223333",
        ),
        ("Federated", "arn:aws:iam::111122223333:saml-provider/okta", SAML, "111122223333"),
        ("Federated", "cognito-identity.amazonaws.com", OIDC, None),
    ],
)
def test_read_principal(kind: str, text: str, expected_kind: str, account: str | None) -> None:
    ref = read_principal(kind, text)
    assert (ref.kind, ref.account) == (expected_kind, account)


def test_the_deploying_account_is_not_another_account() -> None:
    assert read_principal("AWS", "arn:aws:iam::${AWS::AccountId}:root").other_account is False
    assert read_principal("AWS", "arn:aws:iam::444455556666:root").other_account is True


def test_symbolic_principals_are_defined_in_the_code() -> None:
    graph = Graph()
    role = graph.add(Resource("m::aws_iam_role.app", "aws_iam_role.app", "aws_iam_role", "terraform", SPAN))
    member = graph.add(
        Resource(
            "m::aws_organizations_account.dev",
            "aws_organizations_account.dev",
            "aws_organizations_account",
            "terraform",
            SPAN,
        )
    )
    ref = read_principal("AWS", LStr("${aws_iam_role.app.unique_id}", SPAN, ref=(role.id, "unique_id")), graph)
    assert (ref.kind, ref.same_account) == (ROLE, True)
    other = read_principal("AWS", LStr("${aws_organizations_account.dev.id}", SPAN, ref=(member.id, "id")), graph)
    assert other.kind == ACCOUNT and other.other_account is True
    unknown_target = read_principal("AWS", LStr("${module.x.role_arn}", SPAN, ref=("m::module.x", "role_arn")), graph)
    assert (unknown_target.kind, unknown_target.same_account) == (CODE, True)


def test_arn_account_survives_pseudo_parameters() -> None:
    assert arn_account("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x") == SELF_ACCOUNT
    assert arn_account("arn:aws:s3:::bucket") == ""
    assert arn_account("not-an-arn") is None


def test_oidc_issuer_from_arn_and_from_provider_resource() -> None:
    graph = Graph()
    attrs = LDict({"url": "https://Token.Actions.GithubUserContent.com/"})
    provider = graph.add(
        Resource(
            "m::aws_iam_openid_connect_provider.gh",
            "aws_iam_openid_connect_provider.gh",
            "aws_iam_openid_connect_provider",
            "terraform",
            SPAN,
            attrs=attrs,
        )
    )
    by_ref = read_principal(
        "Federated", LStr("${aws_iam_openid_connect_provider.gh.arn}", SPAN, ref=(provider.id, "arn")), graph
    )
    assert by_ref.kind == OIDC
    assert oidc_issuer(by_ref, graph) == "token.actions.githubusercontent.com"
    by_arn = read_principal(
        "Federated", "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
    )
    assert oidc_issuer(by_arn) == "oidc.eks.eu-west-1.amazonaws.com/id/abc"
