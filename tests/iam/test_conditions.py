"""Conditions read by meaning: operators, absent keys, effects, and the traps other scanners fall into."""

from __future__ import annotations

from typing import Any

import pytest

from iamready.iam.catalog import catalog
from iamready.iam.conditions import (
    ALL,
    CONSOLE,
    callers_narrowed,
    covering_denies,
    deny_narrows_callers,
    issuer_info,
    mfa_requirement,
    read_audience,
    read_subject,
    requires_external_id,
    requires_saml_audience,
    restricts_passed_to_service,
    scoping_condition,
    statement_mfa,
)
from iamready.iam.policy import Condition, Statement, build_document
from iamready.model.graph import Resource
from iamready.model.span import Span
from iamready.model.value import Unknown

SPAN = Span("policy.json", 1)
HOLDER = Resource(
    id="t::aws_iam_policy.p", address="aws_iam_policy.p", type="aws_iam_policy", framework="terraform", span=SPAN
)


def statements(*items: dict[str, Any], kind: str = "identity") -> list[Statement]:
    doc = build_document(HOLDER, "policy", kind, {"Version": "2012-10-17", "Statement": list(items)}, SPAN)
    assert not doc.problems, doc.problems
    return doc.statements


def allow(condition: Any = None, **extra: Any) -> Statement:
    item: dict[str, Any] = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", **extra}
    if condition is not None:
        item["Condition"] = condition
    return statements(item)[0]


def deny(condition: Any = None, **extra: Any) -> Statement:
    item: dict[str, Any] = {"Effect": "Deny", "Action": "*", "Resource": "*", **extra}
    if condition is not None:
        item["Condition"] = condition
    return statements(item)[0]


# -- callers ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("condition", "verdict"),
    [
        ({"StringEquals": {"aws:SourceAccount": "111122223333"}}, True),
        ({"StringEquals": {"AWS:SOURCEACCOUNT": "111122223333"}}, True),  # keys are case-insensitive
        ({"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}, False),  # absent on direct calls
        ({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}, False),  # empty set is true
        ({"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}, True),  # single-valued: plain
        ({"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}, False),  # in an Allow: everyone else
        ({"StringLike": {"aws:PrincipalOrgID": "o-*"}}, False),
        ({"StringEquals": {"aws:PrincipalArn": "*"}}, True),  # StringEquals: a literal star
        ({"StringLike": {"aws:PrincipalArn": "*"}}, False),
        ({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/deploy"}}, False),  # any account's role
        ({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/ci-*"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/*"}}, False),
        ({"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::example-logs"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}, False),
        ({"StringLike": {"aws:PrincipalOrgPaths": "o-abc123/r-ab12/*"}}, True),
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, True),
        ({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "0.0.0.0/0"]}}, False),  # values are ORed
        ({"StringEquals": {"aws:PrincipalTag/team": "payments"}}, False),  # anyone can tag their own
        ({"StringEquals": {"aws:username": "alice"}}, False),
        ({"Bool": {"aws:SecureTransport": "true"}}, False),
        # conditions are ANDed: one narrowing condition is enough
        ({"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c"}}, True),
        ({"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "s3.eu-west-1.amazonaws.com"}}, True),
        ({"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}, False),
    ],
)
def test_callers_narrowed(condition: dict[str, Any], verdict: bool) -> None:
    assert callers_narrowed(allow(condition)).verdict is verdict


def test_callers_narrowed_explains_why_ifexists_does_not_count() -> None:
    reading = callers_narrowed(allow({"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}))
    assert reading.why == "StringEqualsIfExists also matches requests without aws:SourceAccount"


def test_callers_narrowed_with_unknown_values_depends_on_the_operator() -> None:
    value = Unknown("variable account has no value")
    assert callers_narrowed(allow({"StringEquals": {"aws:SourceAccount": value}})).verdict is True
    reading = callers_narrowed(allow({"StringLike": {"aws:SourceArn": value}}))
    assert reading.verdict is None
    assert reading.why == "a value of aws:SourceArn is not known"


def test_callers_narrowed_with_an_unknown_condition_block_is_undecided() -> None:
    stmt = allow(Unknown("local.condition is only known after apply"))
    assert callers_narrowed(stmt).verdict is None


@pytest.mark.parametrize(
    ("condition", "extra", "verdict"),
    [
        ({"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}, {}, True),
        ({"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}, {}, True),
        ({"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c"}}, {}, True),
        ({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {}, True),
        ({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}, {}, False),  # denies the org itself
        # only denies outsiders over plain HTTP: does not narrow
        ({"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}, "Bool": {"aws:SecureTransport": "false"}}, {}, False),
        ({"StringNotLike": {"aws:PrincipalArn": "*"}}, {}, False),
        (None, {"NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/admin"}}, True),
        (None, {}, False),
    ],
)
def test_deny_narrows_callers(condition: Any, extra: dict[str, Any], verdict: bool) -> None:
    assert deny_narrows_callers(deny(condition, **extra)).verdict is verdict


def test_covering_denies_finds_the_org_guard_of_a_public_statement() -> None:
    public, guard, unrelated = statements(
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::b/*",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        },
        {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "*", "Resource": "*"},
        kind="resource",
    )
    cover = covering_denies(public, lambda d, a: True)
    assert cover.statements == [guard]
    assert unrelated not in cover.statements
    assert cover.unknown is False


# -- MFA ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("effect", "operator", "key", "value", "expected"),
    [
        ("Allow", "Bool", "aws:MultiFactorAuthPresent", "true", ALL),
        ("Allow", "BoolIfExists", "aws:MultiFactorAuthPresent", "true", CONSOLE),  # keys: key absent, passes
        ("Allow", "Bool", "aws:MultiFactorAuthPresent", "false", None),  # grants only *without* MFA
        ("Allow", "NumericLessThan", "aws:MultiFactorAuthAge", "3600", ALL),
        (
            "Allow",
            "NumericLessThanIfExists",
            "aws:MultiFactorAuthAge",
            "3600",
            None,
        ),  # no age without MFA: IfExists matches
        ("Allow", "ForAllValues:Bool", "aws:MultiFactorAuthPresent", "true", CONSOLE),  # empty set: true
        ("Allow", "ForAnyValue:Bool", "aws:MultiFactorAuthPresent", "true", ALL),
        ("Deny", "BoolIfExists", "aws:MultiFactorAuthPresent", "false", ALL),  # the correct guard
        ("Deny", "Bool", "aws:MultiFactorAuthPresent", "false", CONSOLE),  # access keys slip through
        ("Deny", "Bool", "aws:multifactorauthpresent", "false", CONSOLE),  # case-insensitive key
        ("Deny", "Null", "aws:MultiFactorAuthAge", "true", ALL),
        ("Deny", "Null", "aws:MultiFactorAuthPresent", "true", None),  # only blocks long-term keys
        ("Deny", "NumericGreaterThan", "aws:MultiFactorAuthAge", "3600", None),  # no MFA: no age, no match
        ("Deny", "NumericGreaterThanIfExists", "aws:MultiFactorAuthAge", "3600", ALL),
        ("Deny", "BoolIfExists", "aws:MultiFactorAuthPresent", "true", None),
        ("Allow", "StringEquals", "aws:SourceAccount", "111122223333", None),
    ],
)
def test_mfa_requirement(effect: str, operator: str, key: str, value: str, expected: str | None) -> None:
    stmt = statements({"Effect": effect, "Action": "*", "Resource": "*", "Condition": {operator: {key: value}}})[0]
    assert mfa_requirement(stmt.conditions[0], effect) == expected
    assert statement_mfa(stmt) == expected


def test_deny_with_mfa_and_another_condition_guards_nothing() -> None:
    stmt = deny(
        {
            "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
            "StringEquals": {"aws:RequestedRegion": "eu-west-1"},
        }
    )
    assert statement_mfa(stmt) is None


def test_allow_with_mfa_and_another_condition_still_requires_mfa() -> None:
    stmt = allow({"Bool": {"aws:MultiFactorAuthPresent": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})
    assert statement_mfa(stmt) == ALL


def test_mfa_with_unknown_value_is_no_guard() -> None:
    stmt = allow({"Bool": {"aws:MultiFactorAuthPresent": Unknown("variable require_mfa has no value")}})
    assert statement_mfa(stmt) is None


# -- sts:ExternalId, iam:PassedToService, SAML:aud ---------------------------------------------
@pytest.mark.parametrize(
    ("condition", "verdict"),
    [
        ({"StringEquals": {"sts:ExternalId": "d9f8e7c6"}}, True),
        ({"StringEquals": {"STS:externalid": "d9f8e7c6"}}, True),
        ({"StringLike": {"sts:ExternalId": "*"}}, False),
        ({"StringEqualsIfExists": {"sts:ExternalId": "d9f8e7c6"}}, False),  # a caller that sends none passes
        ({"ForAllValues:StringEquals": {"sts:ExternalId": "d9f8e7c6"}}, False),
        ({"StringNotEquals": {"sts:ExternalId": "d9f8e7c6"}}, False),
        ({"Null": {"sts:ExternalId": "false"}}, False),  # present, any value
        ({"StringEquals": {"aws:SourceAccount": "111122223333"}}, False),
        (None, False),
    ],
)
def test_requires_external_id(condition: Any, verdict: bool) -> None:
    assert requires_external_id(allow(condition)).verdict is verdict


def test_passed_to_service() -> None:
    good = allow({"StringEquals": {"iam:PassedToService": ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"]}})
    assert restricts_passed_to_service(good).verdict is True
    assert restricts_passed_to_service(allow({"StringLike": {"iam:PassedToService": "*"}})).verdict is False
    assert restricts_passed_to_service(allow()).why == "no iam:passedtoservice condition"


def test_saml_audience_is_always_present_so_ifexists_still_pins() -> None:
    assert requires_saml_audience(allow({"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}})).yes
    assert requires_saml_audience(
        allow({"StringEqualsIfExists": {"SAML:aud": "https://signin.aws.amazon.com/saml"}})
    ).yes
    assert requires_saml_audience(allow({"StringLike": {"SAML:aud": "*"}})).no
    assert requires_saml_audience(allow()).no


# -- web identity tokens ------------------------------------------------------------------------
GITHUB = "token.actions.githubusercontent.com"


def web_identity(condition: Any) -> Statement:
    return statements(
        {
            "Effect": "Allow",
            "Principal": {"Federated": f"arn:aws:iam::111122223333:oidc-provider/{GITHUB}"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            **({"Condition": condition} if condition is not None else {}),
        },
        kind="trust",
    )[0]


@pytest.mark.parametrize(
    ("condition", "state", "why"),
    [
        ({"StringEquals": {f"{GITHUB}:sub": "repo:my-org/app:ref:refs/heads/main"}}, "exact", ""),
        ({"StringLike": {f"{GITHUB}:sub": "repo:my-org/app:*"}}, "scoped", ""),  # any ref of one repository
        (
            {"StringLike": {f"{GITHUB}:sub": "repo:my-org/*"}},
            "broad",
            f"StringLike {GITHUB}:sub 'repo:my-org/*': it matches every repository of my-org",
        ),
        (
            {"StringLike": {f"{GITHUB}:sub": "repo:*"}},
            "broad",
            f"StringLike {GITHUB}:sub 'repo:*': it matches repositories of any owner",
        ),
        # a wildcard in the wrong place: any repository of the org, on main
        ({"StringLike": {f"{GITHUB}:sub": "repo:my-org/*:ref:refs/heads/main"}}, "broad", None),
        # StringEquals does not expand wildcards: the star is literal, nothing else matches
        ({"StringEquals": {f"{GITHUB}:sub": "repo:my-org/*"}}, "exact", ""),
        ({"ForAnyValue:StringLike": {f"{GITHUB}:sub": "repo:my-org/app:*"}}, "scoped", ""),
        # claims are always in the token: IfExists does not weaken them
        ({"StringLikeIfExists": {f"{GITHUB}:sub": "repo:my-org/app:*"}}, "scoped", ""),
        # one broad value among several makes the condition broad (values are ORed)
        ({"StringLike": {f"{GITHUB}:sub": ["repo:my-org/app:*", "repo:*"]}}, "broad", None),
        # two conditions on sub are ANDed: the exact one decides
        (
            {
                "StringLike": {f"{GITHUB}:sub": "repo:*"},
                "StringEquals": {f"{GITHUB}:sub": "repo:my-org/app:environment:prod"},
            },
            "exact",
            "",
        ),
        ({"StringNotEquals": {f"{GITHUB}:sub": "repo:evil/repo:ref:refs/heads/main"}}, "broad", None),
        ({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}}, "missing", "no condition on the sub claim"),
        (None, "missing", "no condition on the sub claim"),
    ],
)
def test_github_subject(condition: Any, state: str, why: str | None) -> None:
    reading = read_subject(web_identity(condition), GITHUB)
    assert reading.state == state
    if why is not None:
        assert reading.why == why


def test_subject_with_unknown_issuer_matches_any_sub_key() -> None:
    stmt = web_identity({"StringLike": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:*:*"}})
    assert read_subject(stmt, None).state == "broad"


@pytest.mark.parametrize(
    ("issuer", "value", "problem"),
    [
        ("gitlab.com", "project_path:my-group/my-project:ref_type:branch:ref:main", None),
        ("gitlab.com", "project_path:my-group/*:ref_type:branch:ref:main", "it matches every project under my-group"),
        ("app.terraform.io", "organization:acme:project:infra:workspace:prod:run_phase:*", None),
        ("app.terraform.io", "organization:acme:project:infra:workspace:*:run_phase:*", None),
        (
            "app.terraform.io",
            "organization:acme:project:*:workspace:*:run_phase:*",
            "it matches every workspace of organization acme",
        ),
        (
            "app.terraform.io",
            "organization:*:project:*:workspace:prod:run_phase:apply",
            "it matches runs of any organization",
        ),
        ("oidc.eks.eu-west-1.amazonaws.com/id/abc", "system:serviceaccount:payments:api", None),
        (
            "oidc.eks.eu-west-1.amazonaws.com/id/abc",
            "system:serviceaccount:*:api",
            "it matches service accounts of any namespace",
        ),
        (
            "oidc.eks.eu-west-1.amazonaws.com/id/abc",
            "system:serviceaccount:payments:*",
            "it matches every service account of namespace payments",
        ),
        ("api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc", "{1b2c3d4e-aaaa}:*", None),
        (
            "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc",
            "*:{step}",
            "it matches any repository of the workspace",
        ),
    ],
)
def test_subject_formats_by_issuer(issuer: str, value: str, problem: str | None) -> None:
    info = issuer_info(issuer)
    assert info.check(value) == problem


def test_issuers_that_anyone_can_get_tokens_from() -> None:
    assert issuer_info(GITHUB).public is True
    assert issuer_info("gitlab.com").public is True
    assert issuer_info("gitlab.example.com").public is False
    assert issuer_info("oidc.eks.eu-west-1.amazonaws.com/id/abc").public is False
    cognito = issuer_info("cognito-identity.amazonaws.com")
    assert cognito.audience_required is True and cognito.subject is None


def test_audience() -> None:
    stmt = web_identity({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}})
    assert read_audience(stmt, GITHUB).state == "exact"
    assert read_audience(web_identity({"StringLike": {f"{GITHUB}:aud": "*"}}), GITHUB).state == "broad"
    assert read_audience(web_identity(None), GITHUB).state == "missing"


# -- resource scoping (2.10) --------------------------------------------------------------------
def test_scoping_condition_reads_resource_keys_and_catalogue_keys() -> None:
    create_role = catalog().info("iam:CreateRole")
    stop = catalog().info("ec2:StopInstances")
    assert create_role is not None and stop is not None
    boundary = allow({"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/b"}})
    assert scoping_condition(boundary, create_role) is boundary.conditions[0]
    tagged = allow({"StringEquals": {"aws:ResourceTag/team": "payments"}})
    assert scoping_condition(tagged, stop) is tagged.conditions[0]
    service_tag = allow({"StringEquals": {"ec2:ResourceTag/team": "payments"}})
    assert scoping_condition(service_tag, stop) is service_tag.conditions[0]
    # a missing tag matches with IfExists: untagged instances are covered
    assert scoping_condition(allow({"StringEqualsIfExists": {"aws:ResourceTag/team": "payments"}}), stop) is None
    # a region limits where, not which resources
    assert scoping_condition(allow({"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}), stop) is None
    assert scoping_condition(allow({"StringEquals": {"ec2:Region": "eu-west-1"}}), stop) is None
    assert scoping_condition(allow({"StringLike": {"aws:ResourceTag/team": "*"}}), stop) is None


# -- time conditions judged against the scan date ----------------------------------------------------
def _time_doc(*statements: dict[str, Any]) -> Any:
    from iamready.iam.conditions import settle_time

    doc = build_document(HOLDER, "policy", "identity", {"Version": "2012-10-17", "Statement": list(statements)}, SPAN)
    settle_time(doc)  # as the linker does for every document it reads
    return doc


def _allow(condition: dict[str, Any]) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*", "Condition": condition}


def test_time_conditions_are_judged_against_the_injected_scan_date() -> None:
    from datetime import datetime, timezone

    from iamready.iam.conditions import ALWAYS, NEVER, scan_time_set, time_condition

    def verdict(op: str, key: str, value: Any) -> str | None:
        return time_condition(Condition(op, key, [value]))

    with scan_time_set(datetime(2030, 6, 1, tzinfo=timezone.utc)):
        assert verdict("DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z") == NEVER
        assert verdict("DateLessThan", "aws:CurrentTime", "2031-01-01") is None  # holds until then
        assert verdict("DateGreaterThan", "aws:CurrentTime", "2030-01-01") == ALWAYS
        assert verdict("NumericLessThan", "aws:EpochTime", 1609459200) == NEVER
        assert verdict("DateGreaterThanEquals", "aws:EpochTime", "1609459200") == ALWAYS
        assert verdict("NumericLessThan", "aws:CurrentTime", 1) is None  # numeric on a date key: not read
        # token issue time: tokens still in use were issued up to 36 hours before the scan
        assert verdict("DateLessThan", "aws:TokenIssueTime", "2030-05-31T00:00:00Z") is None
        assert verdict("DateLessThan", "aws:TokenIssueTime", "2020-01-01") == NEVER
        assert verdict("DateLessThanIfExists", "aws:TokenIssueTime", "2020-01-01") is None  # long-term keys match
        assert verdict("DateGreaterThan", "aws:TokenIssueTime", "2020-01-01") is None  # long-term keys do not
        assert verdict("DateGreaterThanIfExists", "aws:TokenIssueTime", "2020-01-01") == ALWAYS
        assert verdict("DateLessThan", "aws:CurrentTime", "next tuesday") is None
        # several values are alternatives
        cond = Condition("DateLessThan", "aws:CurrentTime", ["2020-01-01", "2040-01-01"])
        assert time_condition(cond) is None
    with scan_time_set(datetime(2019, 6, 1)):  # naive: taken as UTC
        assert verdict("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z") is None


def test_statements_that_can_never_apply_again_leave_the_document() -> None:
    from datetime import datetime, timezone

    from iamready.iam.conditions import scan_time_set

    with scan_time_set(datetime(2030, 6, 1, tzinfo=timezone.utc)):
        doc = _time_doc(
            _allow({"DateLessThan": {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}}),
            _allow(
                {
                    "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
                    "Bool": {"aws:MultiFactorAuthPresent": "true"},
                }
            ),
            {
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2021-01-01"}},
            },
        )
    assert [s.index for s in doc.statements] == [1, 2]  # labels keep their positions
    assert [(s.index, c.key) for s, c in doc.expired] == [(0, "aws:TokenIssueTime")]
    assert [c.key for c in doc.statements[0].conditions] == ["aws:MultiFactorAuthPresent"]
    assert [c.key for c in doc.statements[0].settled] == ["aws:CurrentTime"]
    assert doc.statements[1].conditions == []  # a Deny that always applies is unconditional
    with scan_time_set(datetime(2019, 6, 1, tzinfo=timezone.utc)):  # before the dates: nothing settles
        doc = _time_doc(_allow({"DateLessThan": {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}}))
    assert len(doc.statements) == 1 and doc.expired == []
