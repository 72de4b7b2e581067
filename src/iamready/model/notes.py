"""Things the scan wants the user to know that are not rule findings.

Parse errors, unresolved values, skipped files and internal errors become notifications. They
appear in every output format (SARIF: ``invocations[].toolExecutionNotifications``).
"""

from __future__ import annotations

from dataclasses import dataclass

from iamready.model.span import Span

# kinds
PARSE_ERROR = "parse-error"
UNRESOLVED = "unresolved"
SKIPPED = "skipped"
INTERNAL_ERROR = "internal-error"
CONFIG = "config"
SUPPRESSION = "suppression"
LIMIT = "limit"
INVALID_POLICY = "invalid-policy"  # a policy document AWS would reject (bad JSON, duplicate keys, wrong types)


@dataclass(frozen=True, slots=True)
class Notification:
    kind: str
    message: str
    span: Span | None = None
    level: str = "warning"  # "error" | "warning" | "note"
    rule_id: str | None = None
    # an unresolved value's root cause: the checks that needed it, (rule id, where it was needed)
    dependents: tuple[tuple[str, Span], ...] = ()
    # more places the one cause is written (the other uninstalled module calls of a directory): a changed file
    # holding one of them sees the note, and SARIF lists them as the notification's further locations
    related: tuple[Span, ...] = ()

    @property
    def sort_key(self) -> tuple:
        span = self.span
        return (
            span.path if span else "",
            span.start_line if span else 0,
            span.start_col if span else 0,
            self.kind,
            self.rule_id or "",
            self.message,
        )
