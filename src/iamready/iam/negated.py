"""Allow statements that name what they do *not* grant (``NotAction``, ``NotResource``): the shape
shared by the rules about them. :func:`allows_using` yields the notes a rule owes and each Allow of a
customer-written policy that uses the element; :func:`except_words` says what it leaves out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from iamready.iam.statements import aws_wording, document_unreadable, effect_unknown, label, summarise, why
from iamready.rule import Unresolved

if TYPE_CHECKING:
    from iamready.iam.policy import PolicyDocument, Statement

_ATTRS = {"NotAction": "not_actions", "NotResource": "not_resources"}


def allows_using(doc: PolicyDocument, element: str) -> Iterator[Statement | Unresolved]:
    """The Allow statements of ``doc`` that use ``element`` ("NotAction" or "NotResource"); a note
    when the policy, or the Effect of such a statement, cannot be read. AWS managed policies are
    left out (the user cannot change them)."""
    if doc.aws_managed:
        return
    unreadable = document_unreadable(doc)
    if unreadable:
        yield Unresolved(unreadable, at=doc)
        return
    attr = _ATTRS[element]
    for stmt in doc.statements:
        if getattr(stmt, attr) is None or aws_wording(stmt):  # a SAM policy template's own text
            continue
        unknown = effect_unknown(stmt)
        if unknown is not None:
            yield Unresolved(f"{label(stmt)} uses {element} and its Effect is not known ({why(unknown)})", at=stmt)
            continue
        if stmt.allows:
            yield stmt


def except_words(stmt: Statement, element: str, excluded: Iterable[str], limit: int = 6) -> str:
    """``s3:GetObject and iam:*`` (what the statement leaves out), ``nothing known`` when no value
    can be read, and a word when some values are not known."""
    names = list(excluded)
    text = summarise(names, limit=limit) if names else "nothing known"
    if stmt.unknown_in(element) is not None:
        text += " (and values that are not known)"
    return text
