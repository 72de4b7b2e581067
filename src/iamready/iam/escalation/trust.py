"""Reading trust policies: which principals of the code a role's trust policy lets assume it
(and under which conditions), and whether it lets a service assume it."""

from __future__ import annotations

import fnmatch
import re
from typing import TYPE_CHECKING, Any

from iamready.iam.effective import (
    UNKNOWN_PART,
    Target,
    allow_guards,
    describe_unknown,
    iam_arn,
    resource_name,
    split_arn,
    statement_covers_action,
)
from iamready.iam.escalation.compute import ROLE_TYPES
from iamready.iam.policy import TRUST, Statement

if TYPE_CHECKING:
    from iamready.iam.escalation.analysis import EscalationAnalysis
    from iamready.model.graph import Graph, Resource

USER_TYPES = ("aws_iam_user", "AWS::IAM::User")

# a trust statement: (statement, ids of the principals it admits or None for every principal of the
# account, whether it names them (then they need no identity grant), guards)
Admission = tuple[Statement, set[str] | None, bool, list[str]]


def trusted(analysis: EscalationAnalysis, role: Resource) -> list[Admission]:
    """Trust statements that allow sts:AssumeRole to AWS principals: (statement, ids of the
    principals it admits or None for every principal of the account, whether it names them
    (then they need no identity grant), guards)."""
    out = []
    for doc in analysis.graph.policies_of(role):
        if doc.kind != TRUST:
            continue
        if doc.unknown is not None:
            analysis.note_trust(role, doc, f"the trust policy could not be read ({describe_unknown(doc.unknown)})")
            continue
        for stmt in doc.statements:
            if not stmt.allows or not statement_covers_action(stmt, "sts:AssumeRole"):
                continue
            principal = stmt.principal
            if principal is None:
                continue
            explicit: set[str] = set()
            account = principal.wildcard
            literal_accounts: list[str] = []  # accounts named by number, not as "this account"
            for value in principal.aws:
                kind, ids = _trust_entry(analysis, value)
                if kind == "account":
                    number = _literal_account(value)
                    if number is None:
                        account = True
                    else:
                        literal_accounts.append(number)
                elif kind == "principals":
                    explicit |= ids
            if literal_accounts and not account:
                account = True
                literal_guard = (
                    f"only if account {', '.join(dict.fromkeys(literal_accounts))} is the one these "
                    "principals are in (the code does not say)"
                )
            else:
                literal_guard = None
            unknown = stmt.unknown_in("Principal")
            if unknown is not None and not account and not explicit:
                analysis.note_trust(
                    role, stmt, f"who the trust policy admits is not known ({describe_unknown(unknown)})"
                )
            if not account and not explicit:
                continue
            guards = [g.summary for g in allow_guards(stmt) if not _is_principal_condition(g.text)]
            if literal_guard is not None:
                guards.append(literal_guard)
            admitted: set[str] | None = None if account else explicit
            restricted = _principal_condition(stmt)
            if restricted is not None:
                allowed = {p.id for p in analysis.principals if _matches_any(restricted, analysis.target_of(p))}
                admitted = allowed if admitted is None else admitted & allowed
            out.append((stmt, admitted, not account, guards))
    return out


def _trust_entry(analysis: EscalationAnalysis, value: Any) -> tuple[str, set[str]]:
    ref = getattr(value, "ref", None)
    if ref is not None:
        target = analysis.graph.get(ref[0])
        if target is not None and target.type in ROLE_TYPES + USER_TYPES:
            return "principals", {target.id}
        if target is not None and target.type in ("aws_caller_identity",):
            return "account", set()
    if not isinstance(value, str):
        return "unknown", set()
    text = str(value)
    if text == "*" or re.fullmatch(r"\d{12}|\$\{AWS::AccountId\}", text):
        return "account", set()
    parts = split_arn(text)
    if parts is not None:
        resource = parts[5]
        if resource == "root":
            return "account", set()
        kind, _, rest = resource.partition("/")
        if kind == "assumed-role":
            kind, rest = "role", rest.split("/", 1)[0]
        name = rest.rsplit("/", 1)[-1]
        pool = analysis.roles if kind == "role" else analysis.users if kind == "user" else []
        ids = {p.id for p in pool if resource_name(p) == name or iam_arn(p).endswith("/" + name)}
        if "*" in name:
            ids = {p.id for p in pool if fnmatch.fnmatchcase(resource_name(p) or UNKNOWN_PART, name)}
        return "principals", ids
    return "unknown", set()


def trusts_service(graph: Graph, role: Resource, service: str) -> bool:
    docs = [d for d in graph.policies_of(role) if d.kind == TRUST]
    if not docs:
        return True
    for doc in docs:
        if doc.unknown is not None:
            return True
        for stmt in doc.statements:
            if not stmt.allows or not statement_covers_action(stmt, "sts:AssumeRole") or stmt.principal is None:
                continue
            if stmt.principal.wildcard:
                return True
            for value in stmt.principal.services:
                if isinstance(value, str) and fnmatch.fnmatchcase(str(value).lower(), service):
                    return True
            if stmt.unknown_in("Principal") is not None:
                return True
    return False


def _literal_account(value: Any) -> str | None:
    """The account number a trust principal names literally (``111122223333``,
    ``arn:aws:iam::111122223333:root``); None for "this account" and for ``*``."""
    if not isinstance(value, str) or getattr(value, "ref", None) is not None:
        return None
    text = str(value)
    if re.fullmatch(r"\d{12}", text):
        return text
    parts = split_arn(text)
    if parts is not None and parts[5] == "root" and re.fullmatch(r"\d{12}", parts[4]):
        return parts[4]
    return None


_PRINCIPAL_KEYS = ("aws:principalarn",)


def _is_principal_condition(text: str) -> bool:
    return text.lower().split(" (")[0].endswith(_PRINCIPAL_KEYS)


def _principal_condition(stmt: Statement) -> list[str] | None:
    """ARN patterns an ``aws:PrincipalArn`` condition restricts a trust statement to."""
    for cond in stmt.conditions:
        if cond.key_lower in _PRINCIPAL_KEYS and not cond.negated and not cond.set_operator:
            return cond.string_values
    return None


def _matches_any(patterns: list[str], target: Target) -> bool:
    from iamready.iam.effective import arn_matches

    return any(arn_matches(p, target) for p in patterns)
