"""What a statement grants, in the words rules use: expanded actions, broad resources, summaries.

Shared by the IAM policy rules so that "``s3:*`` on ``*``", "the actions ``NotAction`` leaves" and
"an unknown value in ``Resource``" mean the same thing in every rule and every message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from iamready.iam.catalog import ActionInfo, Catalog, action_matches, pattern_matcher
from iamready.iam.principals import ACCOUNT, EVERYONE, PrincipalRef, arn_resource, normalise, statement_principals
from iamready.model.value import Choice, Unknown

if TYPE_CHECKING:
    from iamready.iam.policy import PolicyDocument, Statement

FULL_ADMIN_PATTERNS = ("*", "*:*")


def why(unknown: Any) -> str:
    """A short reason for an unknown value, for notes."""
    if isinstance(unknown, Unknown):
        return unknown.reason
    if isinstance(unknown, Choice):
        return f"depends on condition {unknown.condition}"
    return "not known"


def summarise(items: Iterable[str], limit: int = 6) -> str:
    """``a, b, c and 12 more``: long action lists stay readable in a one-line message."""
    names = list(dict.fromkeys(items))
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def is_full_admin_pattern(pattern: str) -> bool:
    return pattern.strip() in FULL_ADMIN_PATTERNS


def is_service_wildcard(pattern: str) -> bool:
    """``s3:*``, ``iam:*``, ``s3*:*``: every action of one or more services (not ``*`` itself)."""
    text = pattern.strip()
    if is_full_admin_pattern(text):
        return False
    service, sep, name = text.partition(":")
    return bool(sep) and name == "*" and bool(service)


def covers_every_resource(pattern: str) -> bool:
    """``*``, or an ARN that wildcards every resource of its service: ``arn:aws:s3:::*``,
    ``arn:aws:iam::*:*``, ``arn:aws:dynamodb:eu-west-1:111122223333:*`` (every table of the account in
    that region; the account written literally may well be the deploying one)."""
    text = pattern.strip()
    if text == "*":
        return True
    norm = normalise(text)
    if not norm.startswith("arn:") or len(norm.split(":", 5)) != 6:
        return False
    return arn_resource(text) in ("*", "*/*")


def resource_applies(pattern: str, info: ActionInfo, catalog: Catalog) -> bool:
    """Can ``Resource`` pattern ``pattern`` name a resource that action ``info`` applies to (the resource
    types the catalogue gives it)? ``arn:aws:s3:::*`` names no role, so it grants no ``iam:PassRole``."""
    from iamready.iam.catalog import arn_pattern_may_match

    formats = catalog.resource_arns(info)
    if not formats:
        return True  # the action takes "*" only, or the catalogue does not say: do not narrow
    return any(arn_pattern_may_match(pattern, arn) for arn in formats)


def broad_resources(stmt: Statement) -> list[str]:
    """The statement's ``Resource`` patterns that cover every resource (see covers_every_resource), with
    those partly known whose known parts decide it (``arn:aws:logs:${var.region}:111122223333:*``)."""
    out = [p for p in stmt.resource_patterns if covers_every_resource(p)]
    for name, unknown in stmt.unknowns:
        if name == "Resource" and decided(unknown, covers_every_resource):
            out.append(unknown.fill(SHOWN_UNKNOWN) or "")
    return out


# what the unknown parts of a partly known string are replaced by to see whether its known parts decide a
# question: nothing, a word, a wildcard, a path. An unknown part of an ARN is taken to hold values of the
# field it is written in (a region, an account, a name), never the ":" that separates fields.
PROBES = ("", "x", "*", "x/*")
SHOWN_UNKNOWN = "${...}"  # how messages show an unknown part


def decided(value: Any, question: Callable[[str], bool]) -> bool | None:
    """The answer to ``question`` about a string value whatever its unknown parts hold; None when they
    could change it (or nothing of the value is known)."""
    if isinstance(value, str) and not isinstance(value, Unknown):
        return bool(question(value))
    if not isinstance(value, Unknown) or not value.fill(""):
        return None  # nothing of it is known
    answers = set()
    for probe in PROBES:
        text = value.fill(probe)
        if text is None:
            return None
        answers.add(bool(question(text)))
        if len(answers) > 1:
            return None
    return answers.pop() if answers else None


def undecided(stmt: Statement, field_name: str, question: Callable[[str], bool]) -> Unknown | Choice | None:
    """The first unknown value of ``field_name`` whose known parts do not decide ``question``."""
    for name, unknown in stmt.unknowns:
        if name == field_name and decided(unknown, question) is None:
            return unknown
    return None


def granted_actions(stmt: Statement, catalog: Catalog) -> list[ActionInfo]:
    """Concrete actions of ``Action`` (expanded), or every action ``NotAction`` leaves.

    Computed once per set of patterns (the same policy, an AWS managed one above all, is attached
    to many principals as separate documents); the list is shared, so callers must not change it."""
    key = _pattern_key(stmt)
    return _granted(*key, catalog) if key is not None else []


def selected_actions(stmt: Statement, catalog: Catalog, wanted: Callable[[ActionInfo], bool]) -> frozenset[str]:
    """The names of the statement's granted actions that ``wanted`` selects; computed once per set of
    patterns and selector (an administrator grant expands to every action of the catalogue). A selector
    that only ever selects actions of some services says so (:func:`of_services`): then only those services
    are read, however many others the patterns name (ReadOnlyAccess names about 400)."""
    key = _pattern_key(stmt)
    if key is None:
        return frozenset()
    services = getattr(wanted, "services", None)
    if services is not None:
        return _selected_in(*key, wanted, services, catalog)
    return _selected(*key, wanted, catalog)


def of_services(*services: str) -> Callable[[Callable[[ActionInfo], bool]], Callable[[ActionInfo], bool]]:
    """Mark an action selector as selecting actions of ``services`` only (lower case), for
    :func:`selected_actions`."""

    def mark(wanted: Callable[[ActionInfo], bool]) -> Callable[[ActionInfo], bool]:
        wanted.services = tuple(sorted(services))  # type: ignore[attr-defined]
        return wanted

    return mark


def _pattern_key(stmt: Statement) -> tuple[tuple[str, ...], bool] | None:
    """(patterns as plain strings, whether they are NotAction's), or None without either field."""
    if stmt.actions is not None:
        return tuple(str(p) for p in stmt.action_patterns), False
    if stmt.not_actions is not None:
        return tuple(str(p) for p in stmt.not_action_patterns), True
    return None


@functools.lru_cache(maxsize=2048)
def _granted(patterns: tuple[str, ...], negated: bool, catalog: Catalog) -> list[ActionInfo]:
    if negated:
        return [a for a in catalog.all_actions() if not any(action_matches(p, a.full) for p in patterns)]
    out: dict[str, ActionInfo] = {}
    for pattern in patterns:
        for info in catalog.expand(pattern):
            out.setdefault(info.full, info)
    return list(out.values())


@functools.lru_cache(maxsize=2048)
def _selected(
    patterns: tuple[str, ...], negated: bool, wanted: Callable[[ActionInfo], bool], catalog: Catalog
) -> frozenset[str]:
    return frozenset(info.full for info in _granted(patterns, negated, catalog) if wanted(info))


@functools.lru_cache(maxsize=2048)
def _selected_in(
    patterns: tuple[str, ...],
    negated: bool,
    wanted: Callable[[ActionInfo], bool],
    services: tuple[str, ...],
    catalog: Catalog,
) -> frozenset[str]:
    """:func:`_selected` for a selector of a few services: the same answer, reading only those services."""
    matches = pattern_matcher(tuple(p.strip() for p in patterns))
    return frozenset(
        info.full
        for service in services
        for info in catalog.service_actions(service).values()
        if matches(info.full) != negated and wanted(info)
    )


def granting_pattern(stmt: Statement, action: str) -> str | None:
    """The first ``Action`` pattern of the statement that matches ``action``."""
    for pattern in stmt.action_patterns:
        if action_matches(pattern, action):
            return pattern
    return None


def effect_unknown(stmt: Statement) -> Any:
    """The unknown that hides the statement's effect (or the whole statement), if any."""
    if stmt.effect is None:
        return stmt.unknown_in("Effect", "Statement")
    return None


def document_unreadable(doc: PolicyDocument) -> str | None:
    """Why a document written in the scanned code cannot be read, or None."""
    if doc.unknown is not None and not doc.outside_code:
        return f"policy {doc.label} could not be read ({why(doc.unknown)})"
    return None


def when_suffix(stmt: Statement) -> str:
    return f" ({stmt.when})" if stmt.when else ""


def aws_wording(stmt: Statement) -> bool:
    """Is the statement AWS's text, which the author chooses by name but cannot change: a statement of an AWS
    managed policy, or one of a SAM policy template in which no parameter the author gives appears
    (``CloudWatchPutMetricPolicy``'s ``Resource: "*"``)? The statement-content rules leave it out, as they
    leave AWS managed policies; what it grants still counts for the principal (escalation, MFA, permissions)."""
    doc = stmt.document
    return bool(doc.aws_managed) or (doc.sam_template is not None and stmt.index in doc.sam_fixed)


def label(stmt: Statement) -> str:
    """How messages name a statement: its Sid or position, and the inline policy it is in when the
    resource carries several (``inline_policy`` blocks, CloudFormation ``Policies``); for a SAM policy
    template, the template (what the author chose, and would replace: its statements are SAM's)."""
    doc = stmt.document
    if doc.sam_template:
        return f"{stmt.label} of SAM policy template {doc.sam_template} (policy {doc.name!r})"
    if doc.name and "[" in doc.attr:
        return f"{stmt.label} of policy {doc.name!r}"
    return stmt.label


def beyond_read(stmt: Statement, catalog: Catalog) -> bool:
    """Does the statement grant more than reading: a wildcard, NotAction, or a Write, Permissions
    management or Tagging action?"""
    from iamready.iam.catalog import LIST, READ

    if stmt.not_actions is not None:
        return True
    for pattern in stmt.action_patterns:
        if is_full_admin_pattern(pattern) or is_service_wildcard(pattern):
            return True
        for info in catalog.expand(pattern):
            if info.level not in (LIST, READ):
                return True
    return False


def deny_covers(deny: Statement, allow: Statement, catalog: Catalog) -> bool:
    """Does Deny statement ``deny`` apply to every action and resource that ``allow`` grants?"""
    from fnmatch import fnmatchcase

    from iamready.iam.effective import statement_covers_action

    if deny.unknown_in("Action", "NotAction", "Resource", "NotResource") is not None:
        return False
    actions = granted_actions(allow, catalog)
    if not actions:
        if not any(is_full_admin_pattern(p) for p in deny.action_patterns):
            return False
    elif not all(statement_covers_action(deny, a.full) for a in actions):
        return False
    if deny.not_resources is not None:
        return False
    if deny.resources is None:
        return True  # resource policies may leave Resource implicit
    patterns = deny.resource_patterns
    if "*" in patterns:
        return True
    if allow.resources is None or allow.not_resources is not None:
        return False
    return all(any(fnmatchcase(r, p) for p in patterns) for r in allow.resource_patterns)


def principal_covers(denied: PrincipalRef, other: PrincipalRef) -> bool:
    """Does a Deny naming ``denied`` apply to requests of ``other``? Everyone covers all; an account
    (``arn:aws:iam::111122223333:root``) covers its roles, users and sessions; anything else only itself."""
    if denied.kind == EVERYONE:
        return True
    if denied.kind == ACCOUNT and denied.account is not None:
        return other.account == denied.account
    return denied.text == other.text


def denied_principals(allow: Statement, principals: list[PrincipalRef], catalog: Catalog) -> list[PrincipalRef]:
    """Those of ``principals`` (taken from Allow statement ``allow``) that an unconditional Deny of the
    same document shuts out for everything ``allow`` grants: a Deny naming them, their whole account
    (the account root stands for every role and user in it) or everyone."""
    out: list[PrincipalRef] = []
    for deny in allow.document.statements:
        if deny is allow or not deny.denies or deny.conditions or deny.unknowns or deny.not_principal is not None:
            continue
        if deny.principal is None or not deny_covers(deny, allow, catalog):
            continue
        denied = statement_principals(deny.principal)
        out.extend(p for p in principals if p not in out and any(principal_covers(d, p) for d in denied))
    return out
