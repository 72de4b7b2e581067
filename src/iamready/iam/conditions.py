"""Policy conditions read by meaning, not by presence.

A condition only protects when it holds for the requests it is meant to stop. What decides that:

* **the operator**: ``StringEquals`` compares literally (a ``*`` in the value is a star, not a
  wildcard); ``StringLike`` / ``ArnLike`` treat ``*`` and ``?`` as wildcards, so ``repo:*`` matches
  every repository; negated operators (``StringNotEquals``, ``ArnNotLike``, ``NotIpAddress``) in an
  Allow admit everyone *except* the values;
* **absent keys**: a condition on a key that is missing from the request does not match, except
  with ``...IfExists`` (absent counts as a match) and ``ForAllValues:`` (an empty set matches).
  ``aws:SourceAccount`` is absent when a principal calls directly, ``sts:ExternalId`` when the caller
  does not send one, ``aws:MultiFactorAuthPresent`` when a request is signed with long-term access
  keys; claims of a web-identity token (``:sub``, ``:aud``) and ``SAML:aud`` are always present;
* **the effect**: in an Allow a condition narrows who or what is granted; in a Deny a *negated*
  condition (``StringNotEquals aws:PrincipalOrgID``) narrows the grants it covers, and a positive one
  (``BoolIfExists aws:MultiFactorAuthPresent false``) makes them conditional;
* **several conditions** in one statement must all hold (AND); several values of one key are
  alternatives (OR), so one broad value makes the whole condition broad.

Condition keys are case-insensitive; values of ``aws:SourceArn`` and friends are compared as
written. Every answer is a :class:`Reading`: ``verdict`` True, False, or None when a value the
answer depends on is not known (an unresolved variable), with the conditions that decided it and a
sentence that explains a False or None for messages.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from iamready.iam.policy import Condition, Statement
from iamready.iam.principals import arn_account, arn_resource
from iamready.model.value import Choice, Unknown

if TYPE_CHECKING:
    from iamready.iam.catalog import ActionInfo

# -- keys ------------------------------------------------------------------------------------
MFA_PRESENT = "aws:multifactorauthpresent"
MFA_AGE = "aws:multifactorauthage"
EXTERNAL_ID = "sts:externalid"
PASSED_TO_SERVICE = "iam:passedtoservice"
SAML_AUD = "saml:aud"

# keys that pin who is calling (Principal "*" made specific)
PRINCIPAL_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalarn",
        "aws:principalaccount",
        "aws:userid",
        "kms:calleraccount",
        "s3:dataaccesspointaccount",
        "s3:dataaccesspointarn",
    }
)
# keys that pin on whose behalf an AWS service calls (the confused-deputy guard)
SOURCE_KEYS = frozenset(
    {"aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths"}
)
# keys that pin the network a request comes from
NETWORK_KEYS = frozenset({"aws:sourcevpce", "aws:sourcevpc", "aws:sourceip"})
CALLER_KEYS = PRINCIPAL_KEYS | SOURCE_KEYS | NETWORK_KEYS

_ARN_KEYS = frozenset({"aws:principalarn", "aws:sourcearn", "s3:dataaccesspointarn"})
_ACCOUNT_KEYS = frozenset(
    {"aws:principalaccount", "aws:sourceaccount", "aws:sourceowner", "kms:calleraccount", "s3:dataaccesspointaccount"}
)
_PATH_KEYS = frozenset({"aws:principalorgpaths", "aws:sourceorgpaths"})

# global keys that narrow which resources a statement applies to, whatever the action
RESOURCE_KEY_PREFIXES = ("aws:resourcetag/", "aws:requesttag/")
RESOURCE_KEYS = frozenset({"aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths"})
# keys the catalogue lists for actions that restrict where, not what: no resource scoping
_NOT_SCOPING_SUFFIXES = (":region", ":requestedregion", ":availabilityzone", ":calledvia", ":viaservice")

_POSITIVE_STRING = ("StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike")
_LIKE = ("StringLike", "ArnLike", "ArnEquals")  # ArnEquals also treats * and ? as wildcards
_NEGATED_STRING = ("StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike")


@dataclass(frozen=True)
class Reading:
    """An answer about a statement's conditions."""

    verdict: bool | None
    by: tuple[Condition, ...] = ()
    why: str = ""

    @property
    def yes(self) -> bool:
        return self.verdict is True

    @property
    def no(self) -> bool:
        return self.verdict is False

    @property
    def unknown(self) -> bool:
        return self.verdict is None


# -- small readings ---------------------------------------------------------------------------
def key_is(cond: Condition, *keys: str) -> bool:
    return cond.key_lower in keys


def base(cond: Condition) -> str:
    """The operator without set prefix and IfExists, case-normalised: "StringLike"."""
    op = cond.base_operator
    for known in (*_POSITIVE_STRING, *_NEGATED_STRING, "Bool", "Null", "IpAddress", "NotIpAddress"):
        if op.lower() == known.lower():
            return known
    if op.lower().startswith("numeric") or op.lower().startswith("date"):
        return op
    return op


def is_negated(cond: Condition) -> bool:
    return base(cond) in _NEGATED_STRING or base(cond) == "NotIpAddress" or base(cond).startswith(("NumericNot",))


def is_like(cond: Condition) -> bool:
    return base(cond) in _LIKE


def wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def values_unknown(cond: Condition) -> bool:
    return any(isinstance(v, (Unknown, Choice)) for v in cond.values)


def known_values(cond: Condition) -> list[str]:
    return [str(v) for v in cond.values if not isinstance(v, (Unknown, Choice)) and v is not None]


def matches_when_absent(cond: Condition, always_present: bool = False) -> str | None:
    """Why the condition holds when its key is missing from the request, or None.

    ``...IfExists`` treats a missing key as a match; ``ForAllValues:`` over an empty set is true.
    Both only matter for keys that can be missing (``always_present`` is False).
    """
    if always_present:
        return None
    if cond.if_exists:
        return f"{cond.operator} also matches requests without {cond.key}"
    if cond.set_operator == "ForAllValues":
        return f"{cond.operator} also matches requests without {cond.key} (ForAllValues over no values is true)"
    return None


def _broad_value(key: str, value: str, cond: Condition) -> bool:
    """Does one value of a caller-narrowing key (under a wildcard-capable operator) admit anyone?"""
    if key == "aws:sourceip":
        try:
            return ipaddress.ip_network(value, strict=False).prefixlen == 0
        except ValueError:
            return value.strip() in ("*", "")
    if not is_like(cond) and base(cond) not in ("StringNotLike", "ArnNotLike", "ArnNotEquals"):
        return False  # StringEquals: "*" is a literal star, it matches nothing but itself
    if not wildcard(value):
        return False
    if value.strip("*?") == "":
        return True
    if key in _ARN_KEYS:
        account = arn_account(value)
        if account is None:
            return True  # "arn:aws:*" and the like: the account field is inside the wildcard
        if account:
            return wildcard(account)
        # S3-style ARNs without an account (bucket names are global): a wildcard in the name admits anyone's
        return wildcard(arn_resource(value).split("/", 1)[0])
    if key in _PATH_KEYS:
        return wildcard(value.split("/", 1)[0])
    if key == "aws:userid":
        return wildcard(value.split(":", 1)[0])
    return True  # account ids, organisation ids, VPC endpoints: any wildcard widens to strangers


def _narrows_callers(cond: Condition) -> Reading:
    """A single condition in an Allow: does it limit the callers to specific ones?"""
    key = cond.key_lower
    if key not in CALLER_KEYS:
        return Reading(False)
    op = base(cond)
    if is_negated(cond):
        return Reading(False, (cond,), f"{cond.operator} {cond.key} admits every caller except the ones listed")
    positive = op in _POSITIVE_STRING or (key == "aws:sourceip" and op == "IpAddress")
    if not positive:
        return Reading(False, (cond,), f"{cond.operator} does not compare {cond.key} with specific values")
    absent = matches_when_absent(cond)
    if absent:
        return Reading(False, (cond,), absent)
    broad = [v for v in known_values(cond) if _broad_value(key, v, cond)]
    if broad:
        return Reading(False, (cond,), f"{cond.operator} {cond.key} {broad[0]!r} admits callers of any account")
    if values_unknown(cond) and is_like(cond):
        return Reading(None, (cond,), f"a value of {cond.key} is not known")
    return Reading(True, (cond,))


def _combine(readings: Iterable[Reading], stmt: Statement) -> Reading:
    """AND of a statement's conditions: one that narrows is enough."""
    items = list(readings)
    for reading in items:
        if reading.yes:
            return reading
    unknown = [r for r in items if r.unknown]
    if unknown:
        return unknown[0]
    if stmt.unknown_in("Condition") is not None:
        return Reading(None, (), "a condition of the statement is not known")
    whys = [r.why for r in items if r.why]
    return Reading(False, tuple(c for r in items for c in r.by), "; ".join(whys))


def callers_narrowed(stmt: Statement) -> Reading:
    """Does an Allow statement's condition limit who may use it (Principal ``*`` made specific)?

    Counted: aws:PrincipalOrgID/OrgPaths/Arn/Account, aws:userid, kms:CallerAccount,
    s3:DataAccessPointAccount/Arn, aws:SourceArn/Account/Owner/OrgID/OrgPaths, aws:SourceVpce/Vpc/Ip,
    compared positively with values that do not wildcard the identifying part, without IfExists or
    ForAllValues (those keys can be missing from a request). ``aws:PrincipalTag`` and
    ``aws:username`` do not count: anyone can name or tag a principal in their own account.
    """
    return _combine((_narrows_callers(c) for c in stmt.conditions), stmt)


def deny_narrows_callers(stmt: Statement) -> Reading:
    """Does a Deny statement deny everyone except specific callers?

    True when it has a ``NotPrincipal`` and no condition, or when every one of its conditions is a
    negated comparison of a caller key (``StringNotEquals aws:PrincipalOrgID``): a Deny with any other
    condition only applies sometimes, so it does not narrow. Negated operators match when the key is
    missing, so IfExists does not weaken them here.
    """
    if not stmt.denies:
        return Reading(False)
    if stmt.not_principal is not None and not stmt.conditions:
        return Reading(True, (), "")
    if not stmt.conditions:
        return Reading(False)
    if stmt.unknown_in("Condition") is not None:
        return Reading(None, (), "a condition of the Deny is not known")
    for cond in stmt.conditions:
        if cond.key_lower not in CALLER_KEYS or not is_negated(cond):
            return Reading(False, (cond,), f"the Deny also depends on {cond.operator} {cond.key}")
        broad = [v for v in known_values(cond) if _broad_value(cond.key_lower, v, cond)]
        if broad:
            return Reading(False, (cond,), f"{cond.operator} {cond.key} {broad[0]!r} excepts every caller")
        if values_unknown(cond) and base(cond) in ("StringNotLike", "ArnNotLike", "ArnNotEquals"):
            return Reading(None, (cond,), f"a value of {cond.key} is not known")
    return Reading(True, tuple(stmt.conditions))


ORG_KEYS = frozenset({"aws:principalorgid", "aws:principalorgpaths"})


def requires_organization(stmt: Statement) -> Reading:
    """``aws:PrincipalOrgID`` / ``aws:PrincipalOrgPaths`` pinned: the caller must belong to a given
    organisation (same operator rules as :func:`callers_narrowed`)."""
    readings = [_narrows_callers(c) for c in stmt.conditions if c.key_lower in ORG_KEYS]
    if not readings:
        if stmt.unknown_in("Condition") is not None:
            return Reading(None, (), "a condition of the statement is not known")
        return Reading(False, (), "no aws:PrincipalOrgID condition")
    return _combine(readings, stmt)


# -- MFA ----------------------------------------------------------------------------------------
ALL = "all"  # every request needs MFA (console sessions and long-term access keys)
CONSOLE = "console"  # requests that carry MFA information (console, temporary credentials) need it


def mfa_requirement(cond: Condition, effect: str) -> str | None:
    """What one condition requires of MFA in a statement with ``effect``.

    Allow: ``Bool aws:MultiFactorAuthPresent true`` requires MFA for every request (with access
    keys the key is missing, so the Allow does not apply); ``BoolIfExists ... true`` lets requests
    without the key through (console only); ``NumericLessThan aws:MultiFactorAuthAge`` requires
    MFA (IfExists: nothing, the age is missing whenever MFA was not used). ``Bool ... false`` in an
    Allow grants *only without* MFA: no guard.

    Deny: ``BoolIfExists aws:MultiFactorAuthPresent false`` denies console sessions without MFA and
    long-term keys (key missing): every request; ``Bool ... false`` only matches when the key is
    present, so access keys slip through: console only. ``Null aws:MultiFactorAuthAge true`` denies
    whenever MFA was not used: every request. ``Null aws:MultiFactorAuthPresent true`` only denies
    long-term keys (a session without MFA carries the key, false): no MFA guard.
    ``NumericGreaterThanIfExists aws:MultiFactorAuthAge`` denies old or missing MFA: every request;
    without IfExists a missing age (no MFA) does not match: no guard.
    ``ForAllValues:`` matches a missing key like ``IfExists``; ``ForAnyValue:`` over this
    single-valued key works as the plain operator.
    """
    key = cond.key_lower
    if key not in (MFA_PRESENT, MFA_AGE) or values_unknown(cond):
        return None
    op = base(cond)
    values = {v.lower() for v in known_values(cond)}
    # a missing key matches with IfExists and with ForAllValues (empty set); ForAnyValue over a
    # single-valued key works as the plain operator
    absent_matches = cond.if_exists or cond.set_operator == "ForAllValues"
    if effect == "Allow":
        if key == MFA_PRESENT and op == "Bool" and values == {"true"}:
            return CONSOLE if absent_matches else ALL
        if key == MFA_AGE and op in ("NumericLessThan", "NumericLessThanEquals"):
            # the age is only in the request when MFA was used: with IfExists a console session
            # without MFA (no age) matches too, so it requires nothing
            return None if absent_matches else ALL
        return None
    if effect == "Deny":
        if key == MFA_PRESENT and op == "Bool" and values == {"false"}:
            return ALL if absent_matches else CONSOLE
        if key == MFA_AGE and op == "Null" and values == {"true"}:
            return ALL  # the age is only in the request when MFA was used
        if key == MFA_AGE and op in ("NumericGreaterThan", "NumericGreaterThanEquals"):
            return ALL if absent_matches else None
        # "Null aws:MultiFactorAuthPresent true" only denies long-term access keys: a console or
        # assumed-role session without MFA carries the key (false) and is not denied
    return None


def statement_mfa(stmt: Statement) -> str | None:
    """What a statement requires of MFA: ``ALL``, ``CONSOLE`` or None.

    An Allow needs one MFA condition (conditions are ANDed, so it holds whatever the others say).
    A Deny guards only when MFA is its only condition: ``BoolIfExists aws:MultiFactorAuthPresent
    false`` together with ``aws:RequestedRegion`` denies without MFA in one region only.
    """
    if stmt.effect == "Allow":
        found = [mfa_requirement(c, "Allow") for c in stmt.conditions]
        if ALL in found:
            return ALL
        return CONSOLE if CONSOLE in found else None
    if stmt.effect == "Deny":
        if len(stmt.conditions) != 1 or stmt.unknown_in("Condition") is not None:
            return None
        return mfa_requirement(stmt.conditions[0], "Deny")
    return None


# -- sts:ExternalId, iam:PassedToService, SAML:aud ----------------------------------------------
def _pins(cond: Condition, always_present: bool = False) -> Reading:
    """A positive comparison of the condition's key with specific (non-wildcard) values."""
    op = base(cond)
    if is_negated(cond) or op not in _POSITIVE_STRING:
        return Reading(False, (cond,), f"{cond.operator} does not require specific values of {cond.key}")
    absent = matches_when_absent(cond, always_present)
    if absent:
        return Reading(False, (cond,), absent)
    values = known_values(cond)
    if is_like(cond):
        broad = [v for v in values if v.strip("*?") == ""]
        if broad:
            return Reading(False, (cond,), f"{cond.operator} {cond.key} {broad[0]!r} matches any value")
        if values_unknown(cond):
            return Reading(None, (cond,), f"a value of {cond.key} is not known")
    if not values and not values_unknown(cond):
        return Reading(False, (cond,), f"{cond.key} is compared with no value")
    return Reading(True, (cond,))


def _key_reading(stmt: Statement, key: str, always_present: bool = False) -> Reading:
    readings = [_pins(c, always_present) for c in stmt.conditions if c.key_lower == key]
    if not readings:
        if stmt.unknown_in("Condition") is not None:
            return Reading(None, (), "a condition of the statement is not known")
        return Reading(False, (), f"no {key} condition")
    return _combine(readings, stmt)


def requires_external_id(stmt: Statement) -> Reading:
    """``sts:ExternalId`` compared with specific values (``StringEquals``), not IfExists/ForAllValues:
    without the key (a caller that sends no external id) those would match."""
    return _key_reading(stmt, EXTERNAL_ID)


def restricts_passed_to_service(stmt: Statement) -> Reading:
    """``iam:PassedToService`` compared with specific services."""
    return _key_reading(stmt, PASSED_TO_SERVICE)


def requires_saml_audience(stmt: Statement) -> Reading:
    """``SAML:aud`` compared with specific values (always present in a SAML assertion)."""
    return _key_reading(stmt, SAML_AUD, always_present=True)


# -- web identity (OIDC) claims ------------------------------------------------------------------
@dataclass(frozen=True)
class ClaimReading:
    """How a statement constrains one claim (``sub`` / ``aud``) of a web-identity token."""

    state: str  # "exact" | "scoped" | "broad" | "missing" | "unknown"
    conditions: tuple[Condition, ...] = ()
    values: tuple[str, ...] = ()
    why: str = ""
    problem: str = ""  # for a broad value: what it matches ("it matches every repository of my-org")

    @property
    def ok(self) -> bool:
        return self.state in ("exact", "scoped")


def claim_key(issuer: str, claim: str) -> str:
    return f"{issuer.lower()}:{claim}"


def claim_conditions(stmt: Statement, claim: str, issuer: str | None) -> list[Condition]:
    """Conditions on ``<issuer>:<claim>``; with an unknown issuer, on any ``...:<claim>`` key."""
    suffix = f":{claim}"
    out = []
    for cond in stmt.conditions:
        key = cond.key_lower
        if issuer is not None:
            if key == claim_key(issuer, claim):
                out.append(cond)
        elif key.endswith(suffix) and not key.startswith(("aws:", "sts:", "saml:")):
            out.append(cond)
    return out


def read_claim(stmt: Statement, claim: str, issuer: str | None, pinned: Any = None, anchor: Any = None) -> ClaimReading:
    """Read the conditions on a token claim.

    ``pinned(value) -> str | None`` says why a wildcard value is too broad for this issuer (None:
    the wildcard is in an acceptable place, e.g. ``repo:org/app:*``). Without it any wildcard is
    broad. Claims are always in the token, so IfExists and ForAllValues do not weaken them, and
    ForAnyValue over a single value works as the plain operator.
    """
    conditions = claim_conditions(stmt, claim, issuer)
    if not conditions:
        if stmt.unknown_in("Condition") is not None:
            return ClaimReading("unknown", why="a condition of the statement is not known")
        return ClaimReading("missing", why=f"no condition on the {claim} claim")
    # several conditions on one claim must all hold: the most restrictive one decides
    readings = [_claim_condition(cond, pinned, anchor) for cond in conditions]
    for state in ("exact", "scoped", "unknown", "broad"):
        for reading in readings:
            if reading.state == state:
                return reading
    return readings[0]


def _claim_condition(cond: Condition, pinned: Any, anchor: Any = None) -> ClaimReading:
    op = base(cond)
    if is_negated(cond) or op not in _POSITIVE_STRING:
        return ClaimReading("broad", (cond,), (), f"{cond.operator} does not pin {cond.key}")
    values = tuple(known_values(cond))
    if not is_like(cond):
        for value in values if anchor is not None else ():
            problem = anchor(value)
            if problem:
                return ClaimReading(
                    "broad", (cond,), (value,), f"{cond.operator} {cond.key} {value!r}: {problem}", problem
                )
        if values_unknown(cond):
            return ClaimReading("exact", (cond,), values, "")
        return ClaimReading("exact", (cond,), values) if values else ClaimReading("broad", (cond,), (), "no value")
    if values_unknown(cond):
        return ClaimReading("unknown", (cond,), values, f"a value of {cond.key} is not known")
    for value in values:
        if not wildcard(value):
            continue
        problem = pinned(value) if pinned is not None else "it contains a wildcard"
        if problem:
            return ClaimReading("broad", (cond,), (value,), f"{cond.operator} {cond.key} {value!r}: {problem}", problem)
    if any(wildcard(v) for v in values):
        return ClaimReading("scoped", (cond,), values)
    return ClaimReading("exact", (cond,), values)


# -- resource scoping by condition (2.10) --------------------------------------------------------
def _key_matches_template(key: str, template: str) -> bool:
    template = template.lower()
    if "${" in template:
        return key.startswith(template.split("${", 1)[0])
    return key == template


def scoping_condition(stmt: Statement, action: ActionInfo) -> Condition | None:
    """A condition that limits which resources ``action`` applies to, or None.

    Counted: ``aws:ResourceTag/*``, ``aws:RequestTag/*``, ``aws:ResourceAccount``,
    ``aws:ResourceOrgID``/``OrgPaths``, and keys the catalogue lists for the action or its resource
    types (``iam:PermissionsBoundary``, ``iam:PolicyARN``, ``ec2:ResourceTag/*``, ...), except keys
    about regions or calling services, compared positively, without IfExists/ForAllValues and
    without a value that is only a wildcard.
    """
    allowed = [*action.condition_keys, *action.resource_condition_keys]
    for cond in stmt.conditions:
        key = cond.key_lower
        if key.endswith(_NOT_SCOPING_SUFFIXES):
            continue
        applies = key.startswith(RESOURCE_KEY_PREFIXES) or key in RESOURCE_KEYS
        applies = applies or any(_key_matches_template(key, t) for t in allowed)
        if not applies:
            continue
        if _pins(cond).yes:
            return cond
    return None


# -- documents -----------------------------------------------------------------------------------
@dataclass
class DenyCover:
    """Deny statements of the same document that narrow an Allow."""

    statements: list[Statement] = field(default_factory=list)
    unknown: bool = False


def covering_denies(allow: Statement, covers: Any) -> DenyCover:
    """Deny statements in ``allow``'s document that deny everyone but specific callers for all of
    ``allow``'s actions: ``covers(deny, allow) -> bool`` decides action/resource coverage."""
    out = DenyCover()
    for stmt in allow.document.statements:
        if stmt is allow or not stmt.denies or not covers(stmt, allow):
            continue
        if stmt.principal is not None and not stmt.principal.wildcard and stmt.not_principal is None:
            continue  # a Deny for named principals only does not stop strangers
        reading = deny_narrows_callers(stmt)
        if reading.yes:
            out.statements.append(stmt)
        elif reading.unknown:
            out.unknown = True
    return out


# -- web identity issuers -----------------------------------------------------------------------
@dataclass(frozen=True)
class Issuer:
    """What a web-identity issuer's tokens look like, and how a trust policy must pin them."""

    name: str
    public: bool  # anyone on the internet can obtain a token from it (github.com, gitlab.com, ...)
    subject: str | None  # the claim that names the workload ("sub"), None: not the guard here
    audience_required: bool  # the audience is the guard (Cognito identity pools, Google client ids)
    example: str  # a subject (or audience) value that pins one workload
    check: Any = None  # value -> why a wildcard value is too broad, None when acceptable
    anchor: Any = None  # value -> why even an exact value is too broad (not anchored at a workload), or None


def _github(value: str, like: bool = True) -> str | None:
    """Why a GitHub Actions ``sub`` value can be satisfied by workflows it was not meant for, or None.

    The default format is ``repo:<owner>/<repo>:<context>``; an organisation or repository may
    customise it to other claims in ``claim:value`` pairs (``repository_owner_id:..:repository_id:..``,
    ``repo:<owner>/<repo>:environment:prod``, ``job_workflow_ref:...``). Anyone can customise their
    own tokens, so a value must name the repository: ``repo:`` / ``repository:`` with an owner and a
    name, or ``repository_id`` (unique across GitHub). ``like``: ``*`` and ``?`` are wildcards.
    """
    text = value.strip()
    is_wild = wildcard if like else (lambda _text: False)
    if like and (text.strip("*?") == "" or text.startswith(("*", "?"))):
        return "it matches any subject"
    parts = text.split(":")
    claims: dict[str, str] = {}
    for index in range(0, len(parts) - 1, 2):
        claims.setdefault(parts[index].lower(), parts[index + 1])
    repo = claims.get("repo", claims.get("repository"))
    if repo is not None:
        owner, _, name = repo.partition("/")
        if is_wild(owner):
            return "it matches repositories of any owner"
        if is_wild(name) or not name:
            return f"it matches every repository of {owner}"
        return None
    repository_id = claims.get("repository_id")
    if repository_id is not None and not is_wild(repository_id) and repository_id:
        return None
    owner = claims.get("repository_owner", claims.get("repository_owner_id"))
    if owner is not None and not is_wild(owner) and owner:
        return f"it matches every repository of {owner}"
    return (
        "it is not anchored at repo:<owner>/<repo> (nor repository_id), so a token of any organisation's "
        "repository that customises its subject the same way can match it"
    )


def _github_exact(value: str) -> str | None:
    return _github(value, like=False)


def _gitlab(value: str) -> str | None:
    if value.lower().startswith("project_path:"):
        path = value[len("project_path:") :].split(":", 1)[0]
        if wildcard(path):
            group = path.split("/", 1)[0]
            return "it matches projects of any group" if wildcard(group) else f"it matches every project under {group}"
        return None
    if value.startswith(("*", "?")):
        return "it matches any subject"
    return None


def _terraform_cloud(value: str) -> str | None:
    parts = value.split(":")
    fields = {parts[i].lower(): parts[i + 1] for i in range(0, len(parts) - 1, 2)}
    organization = fields.get("organization")
    if organization is None or wildcard(organization) or value.startswith(("*", "?")):
        return "it matches runs of any organization"
    project, workspace = fields.get("project", "*"), fields.get("workspace", "*")
    if wildcard(project) and wildcard(workspace):
        return f"it matches every workspace of organization {organization}"
    return None


def _eks(value: str) -> str | None:
    parts = value.split(":")
    if len(parts) != 4 or parts[0] != "system" or parts[1] != "serviceaccount":
        return "it matches more than one service account" if value.startswith(("*", "?")) else None
    namespace, account = parts[2], parts[3]
    if wildcard(namespace):
        return "it matches service accounts of any namespace"
    if wildcard(account):
        return f"it matches every service account of namespace {namespace}"
    return None


def _bitbucket(value: str) -> str | None:
    if wildcard(value.split(":", 1)[0]):
        return "it matches any repository of the workspace"
    return None


def _generic(value: str) -> str | None:
    if value.startswith(("*", "?")):
        return "it matches any subject"
    return None


def issuer_info(issuer: str | None) -> Issuer:
    """The known issuers (GitHub Actions, GitLab, Terraform Cloud, EKS, Bitbucket, Cognito, Google)."""
    host = (issuer or "").lower()
    if host == "token.actions.githubusercontent.com":
        return Issuer(
            "GitHub Actions", True, "sub", False, "repo:my-org/my-repo:ref:refs/heads/main", _github, _github_exact
        )
    if host.endswith("/_services/token") or host.startswith("token.actions."):
        return Issuer(
            "GitHub Enterprise", False, "sub", False, "repo:my-org/my-repo:environment:prod", _github, _github_exact
        )
    if host == "gitlab.com":
        return Issuer(
            "GitLab.com", True, "sub", False, "project_path:my-group/my-project:ref_type:branch:ref:main", _gitlab
        )
    if host.startswith("gitlab.") or ".gitlab." in host:
        return Issuer(
            "GitLab", False, "sub", False, "project_path:my-group/my-project:ref_type:branch:ref:main", _gitlab
        )
    if host == "app.terraform.io":
        return Issuer(
            "Terraform Cloud",
            True,
            "sub",
            False,
            "organization:my-org:project:my-project:workspace:my-workspace:run_phase:*",
            _terraform_cloud,
        )
    if host.startswith("oidc.eks.") or host.startswith("oidc-eks."):
        return Issuer("EKS (IRSA)", False, "sub", False, "system:serviceaccount:my-namespace:my-service-account", _eks)
    if host.startswith("api.bitbucket.org/2.0/workspaces/"):
        return Issuer("Bitbucket Pipelines", False, "sub", False, "{repository-uuid}:*", _bitbucket)
    if host == "cognito-identity.amazonaws.com":
        return Issuer("Cognito identity pools", True, None, True, "eu-west-1:identity-pool-id")
    if host == "accounts.google.com":
        return Issuer("Google", True, None, True, "your OAuth client id")
    return Issuer(issuer or "the identity provider", False, "sub", False, "the exact subject of the workload", _generic)


def issuer_from_keys(stmt: Statement) -> str | None:
    """The issuer named by the statement's claim keys (``<issuer>:sub``), when the principal does not
    say (a provider ARN built from an unknown value)."""
    for cond in stmt.conditions:
        head, sep, claim = cond.key.rpartition(":")
        if sep and claim.lower() in ("sub", "aud") and "." in head and not head.lower().startswith(("aws", "sts")):
            return head.lower()
    return None


def read_subject(stmt: Statement, issuer: str | None) -> ClaimReading:
    """How the statement pins the token subject for ``issuer`` (see :class:`ClaimReading`)."""
    info = issuer_info(issuer or issuer_from_keys(stmt))
    return read_claim(stmt, info.subject or "sub", issuer, info.check or _generic, info.anchor)


def read_audience(stmt: Statement, issuer: str | None) -> ClaimReading:
    """How the statement pins the token audience (any wildcard is too broad)."""
    return read_claim(stmt, "aud", issuer, lambda value: "it matches any audience" if value.strip("*?") == "" else None)


# -- time: conditions judged against the scan date -------------------------------------------------
CURRENT_TIME = "aws:currenttime"
EPOCH_TIME = "aws:epochtime"
TOKEN_ISSUE_TIME = "aws:tokenissuetime"
TIME_KEYS = frozenset({CURRENT_TIME, EPOCH_TIME, TOKEN_ISSUE_TIME})
# a session token in use at the scan may have been issued up to 36 hours earlier (GetSessionToken's
# longest duration): tokens issued after (scan date - this) are the ones that can still be presented
TOKEN_LIFETIME = timedelta(hours=36)
NEVER = "never"  # the condition cannot hold for any request made from the scan date on
ALWAYS = "always"  # it holds for every request made from the scan date on

_SCAN_TIME: ContextVar[datetime | None] = ContextVar("iamready_scan_time", default=None)


def scan_time() -> datetime:
    """The time conditions on dates are judged against: now (UTC), unless a test set another."""
    return _SCAN_TIME.get() or datetime.now(timezone.utc)


@contextmanager
def scan_time_set(when: datetime) -> Iterator[None]:
    """Judge time conditions as if the scan ran at ``when`` (tests, reproducible reports)."""
    token = _SCAN_TIME.set(when if when.tzinfo else when.replace(tzinfo=timezone.utc))
    try:
        yield
    finally:
        _SCAN_TIME.reset(token)


def _instant(value: Any) -> datetime | None:
    """A condition value as a point in time: ISO 8601 (``2020-01-01``, ``2020-01-01T00:00:00Z``) or
    seconds since the epoch."""
    if isinstance(value, (Unknown, Choice, bool)):
        return None
    text = str(value).strip()
    try:
        return datetime.fromtimestamp(float(text), timezone.utc)
    except (ValueError, OverflowError, OSError):
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def time_condition(cond: Condition, now: datetime | None = None) -> str | None:
    """``NEVER``, ``ALWAYS`` or None (depends on when, or not known) for a date or numeric condition
    on ``aws:CurrentTime``, ``aws:EpochTime`` or ``aws:TokenIssueTime``, judged for requests made
    from the scan date on. ``aws:TokenIssueTime`` is missing from requests signed with long-term
    access keys: without IfExists such a request does not match, so the condition never holds for
    every request."""
    key = cond.key_lower
    if key not in TIME_KEYS or cond.set_operator or values_unknown(cond):
        return None
    op = base(cond).lower()
    if not op.startswith(("date", "numeric")) or (op.startswith("numeric") and key != EPOCH_TIME):
        return None
    op = op.removeprefix("date").removeprefix("numeric")
    instants = [_instant(v) for v in cond.values]
    if not instants or any(i is None for i in instants):
        return None
    earliest = now or scan_time()
    if key == TOKEN_ISSUE_TIME:
        earliest -= TOKEN_LIFETIME
    # every value is an alternative (OR): the condition never holds when no value can, always when one always does
    readings = [_time_value(op, at, earliest) for at in instants if at is not None]
    if any(r == ALWAYS for r in readings):
        verdict: str | None = ALWAYS
    elif all(r == NEVER for r in readings):
        verdict = NEVER
    else:
        verdict = None
    if verdict == ALWAYS and key == TOKEN_ISSUE_TIME and not cond.if_exists:
        return None  # long-term keys carry no token issue time: not every request matches
    if verdict == NEVER and key == TOKEN_ISSUE_TIME and cond.if_exists:
        return None  # requests without the key (long-term keys) match
    return verdict


def _time_value(op: str, at: datetime, earliest: datetime) -> str | None:
    """One value: request times run from ``earliest`` to any later time."""
    if op in ("lessthan", "lessthanequals"):
        return NEVER if at <= earliest else None
    if op in ("greaterthan", "greaterthanequals"):
        return ALWAYS if at < earliest else None
    if op == "equals":
        return NEVER if at < earliest else None
    if op == "notequals":
        return ALWAYS if at < earliest else None
    return None


def settle_time(doc: Any, now: datetime | None = None) -> None:
    """Apply :func:`time_condition` to a document's statements, for every rule alike.

    A statement with a condition that can never hold again (an Allow that expired, a Deny whose
    window has passed) grants or denies nothing: it moves from ``doc.statements`` to
    ``doc.expired``. Conditions that always hold are moved from ``stmt.conditions`` to
    ``stmt.settled``: the statement is read as unconditional in those respects.
    """
    keep = []
    for stmt in doc.statements:
        if not any(c.key_lower in TIME_KEYS for c in stmt.conditions):
            keep.append(stmt)
            continue
        verdicts = [(c, time_condition(c, now)) for c in stmt.conditions]
        never = next((c for c, v in verdicts if v == NEVER), None)
        if never is not None:
            doc.expired.append((stmt, never))
            continue
        settled = [c for c, v in verdicts if v == ALWAYS]
        if settled:
            stmt.settled = settled
            stmt.conditions = [c for c, v in verdicts if v != ALWAYS]
        keep.append(stmt)
    if len(keep) != len(doc.statements):
        doc.statements = keep
