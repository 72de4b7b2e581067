"""Allow statements open to everyone (``Principal "*"``, or ``NotPrincipal`` in an Allow) whose
conditions do not say who the callers are: the shape shared by the rules about resource policies
and trust policies that allow everyone.

:func:`open_to_everyone` reads a policy document and yields the notes a rule owes (the policy or a
statement cannot be read, who a statement admits is not known) and each statement open to
everyone that no condition narrows and no Deny covers, with the words the rule's message needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from iamready.iam.conditions import callers_narrowed, covering_denies
from iamready.iam.statements import deny_covers, document_unreadable, effect_unknown, label, why
from iamready.rule import Unresolved

if TYPE_CHECKING:
    from iamready.context import Context
    from iamready.iam.policy import PolicyDocument, Statement


@dataclass
class OpenStatement:
    """An Allow open to everyone that no condition narrows and no Deny covers."""

    stmt: Statement
    unknown: str | None  # why it is not known whether a condition limits the callers (None: it is known)
    narrowing_why: str  # why the conditions do not limit the callers, when the reading says ("" otherwise)

    @property
    def who(self) -> str:
        """``everyone (Principal "*")`` or ``everyone except X (NotPrincipal in an Allow)``."""
        if self.stmt.not_principal is not None:
            excluded = ", ".join(str(v) for v in self.stmt.not_principal.values())
            return f"everyone except {excluded} (NotPrincipal in an Allow)"
        return 'everyone (Principal "*")'

    def detail(self, conditions_do_not: str) -> str:
        """Why the statement's conditions let anyone in; ``conditions_do_not`` ends the sentence
        when it has conditions (``"do not limit who the callers are"``)."""
        if self.narrowing_why:
            return f"its conditions do not limit the callers ({self.narrowing_why})"
        if self.stmt.conditions:
            keys = ", ".join(dict.fromkeys(c.key for c in self.stmt.conditions))
            return f"its conditions ({keys}) {conditions_do_not}"
        return "no condition limits the callers"


def open_to_everyone(
    doc: PolicyDocument, ctx: Context, policy: str, who_is_unknown: str
) -> Iterator[OpenStatement | Unresolved]:
    """Notes and open statements of ``doc``; ``policy`` names the document in a note (``"trust
    policy"``), ``who_is_unknown`` says what is not known when a principal cannot be read
    (``"who may assume the role"``)."""
    unreadable = document_unreadable(doc)
    if unreadable:
        yield Unresolved(unreadable.replace("policy ", f"{policy} ", 1), at=doc)
        return
    for stmt in doc.statements:
        unknown = effect_unknown(stmt)
        if unknown is not None:
            yield Unresolved(f"{label(stmt)} could not be read ({why(unknown)})", at=stmt)
            continue
        if not stmt.allows:
            continue
        everyone = (stmt.principal is not None and stmt.principal.wildcard) or stmt.not_principal is not None
        if not everyone:
            unknown = stmt.unknown_in("Principal", "NotPrincipal")
            if unknown is not None:
                yield Unresolved(f"{label(stmt)}: {who_is_unknown} is not known ({why(unknown)})", at=stmt)
            continue
        reading = callers_narrowed(stmt)
        if reading.yes:
            continue
        cover = covering_denies(stmt, lambda deny, allow: deny_covers(deny, allow, ctx.catalog))
        if cover.statements:
            continue
        not_known = (reading.why or "a Deny condition is not known") if (reading.unknown or cover.unknown) else None
        yield OpenStatement(stmt, not_known, reading.why or "")
