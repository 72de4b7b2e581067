"""The rule authoring API.

A rule is a generator function in ``rules/<provider>/<service>/<name>/rule.py``, decorated with
:func:`rule`. The module docstring is the rule's documentation: its first line is the title,
and it has the sections ``## Why is this bad?``, ``## How to fix`` and ``## References``.

What a rule is called on (``on=``):

* ``"resource"``: each resource of the types in ``targets`` (per framework);
* ``"policy"``: each normalised policy document whose kind is in ``policy_kinds``;
* ``"principal"``: each IAM user, group and role, with its effective permissions;
* ``"project"``: once per scan, with the whole graph (baseline checks);
* ``"suppressions"``: each inline suppression (comment or CloudFormation metadata), after the
  other rules ran and suppressions were matched (the IAC-SUPPRESS meta rules).

The function receives the target and a :class:`~iamready.context.Context`, and yields
:class:`Finding` (a problem) or :class:`Unresolved` (it could not decide because a value is
unknown; shown as a note, never as a pass).
"""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iamready.model.span import Span


class Severity(enum.Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"critical": 5, "high": 4, "medium": 3, "low": 2, "info": 1}[self.value]

    @property
    def security_severity(self) -> str:
        """GitHub code scanning reads > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, <= 3.9 low."""
        return {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}[self.value]

    @property
    def sarif_level(self) -> str:
        return {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r}; use one of {', '.join(s.value for s in cls)}") from None


ID_RE = re.compile(r"^[A-Z]+-[A-Z0-9]+-\d{3}$")
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DOC_SECTIONS = ("## Why is this bad?", "## How to fix", "## References")
TARGET_KINDS = ("resource", "policy", "principal", "project", "suppressions")
FRAMEWORKS = ("terraform", "cloudformation")


@dataclass(frozen=True)
class RuleMeta:
    id: str
    name: str
    severity: Severity
    checklist: tuple[str, ...]
    on: str
    targets: dict[str, tuple[str, ...]]
    policy_kinds: tuple[str, ...]
    tags: tuple[str, ...]
    profile: str
    precision: str
    doc: str
    check: Callable[..., Iterator[Any]] = field(compare=False, repr=False)
    directory: Path | None = None
    frameworks: tuple[str, ...] = FRAMEWORKS

    @property
    def title(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.name

    @property
    def body(self) -> str:
        """The documentation after the title line."""
        lines = self.doc.strip().splitlines()
        return "\n".join(lines[1:]).strip()

    def section(self, heading: str) -> str:
        text = self.body
        start = text.find(heading)
        if start < 0:
            return ""
        start += len(heading)
        end = text.find("\n## ", start)
        return text[start : end if end >= 0 else len(text)].strip()

    @property
    def summary(self) -> str:
        """The text before the first section: a sentence or two on what the rule finds."""
        text = self.body
        cut = text.find("## ")
        return (text[:cut] if cut >= 0 else text).strip()


class RuleDefinitionError(Exception):
    pass


_collector: list[RuleMeta] | None = None


def rule(
    *,
    id: str,
    name: str,
    severity: Severity,
    checklist: tuple[str, ...] | list[str],
    on: str = "resource",
    targets: dict[str, list[str] | tuple[str, ...]] | None = None,
    policy_kinds: tuple[str, ...] | list[str] = (),
    tags: tuple[str, ...] | list[str] = (),
    profile: str = "default",
    precision: str = "high",
    frameworks: tuple[str, ...] | list[str] = FRAMEWORKS,
) -> Callable[[Callable[..., Iterator[Any]]], Callable[..., Iterator[Any]]]:
    """Declare a rule. Metadata is validated when the rule module is loaded."""

    def decorate(func: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        module = sys.modules.get(func.__module__)
        doc = (module.__doc__ if module is not None else None) or func.__doc__ or ""
        problems = []
        if not ID_RE.match(id):
            problems.append(f"id {id!r} does not match PROVIDER-SERVICE-NNN")
        if not NAME_RE.match(name):
            problems.append(f"name {name!r} is not kebab-case")
        if not isinstance(severity, Severity):
            problems.append("severity must be a Severity")
        if on not in TARGET_KINDS:
            problems.append(f"on={on!r} must be one of {TARGET_KINDS}")
        if on == "resource" and not targets:
            problems.append("a resource rule needs targets")
        if on == "policy" and not policy_kinds:
            problems.append("a policy rule needs policy_kinds")
        if profile not in ("default", "baseline"):
            problems.append(f"profile {profile!r} must be 'default' or 'baseline'")
        for item in checklist:
            if not re.fullmatch(r"[1-5]\.\d{1,2}", str(item)):
                problems.append(f"checklist item {item!r} is not of the form '2.5'")
        if not doc.strip():
            problems.append("the rule module needs a docstring (title line, then sections)")
        if problems:
            raise RuleDefinitionError(f"rule {id}: " + "; ".join(problems))
        meta = RuleMeta(
            id=id,
            name=name,
            severity=severity,
            checklist=tuple(str(c) for c in checklist),
            on=on,
            targets={k: tuple(v) for k, v in (targets or {}).items()},
            policy_kinds=tuple(policy_kinds),
            tags=tuple(tags),
            profile=profile,
            precision=precision,
            doc=doc,
            check=func,
            frameworks=tuple(frameworks if on != "resource" else (targets or {}).keys()),
        )
        func.__iamready_rule__ = meta  # type: ignore[attr-defined]
        if _collector is not None:
            _collector.append(meta)
        return func

    return decorate


@dataclass
class Finding:
    """A problem. ``at`` is what to point at: a Value, a Statement, a PolicyDocument, a Resource or a Span.

    ``resource`` overrides which resource the finding is about (default: the rule's target, or the
    holder of the policy). ``key`` distinguishes several findings on the same resource for the
    fingerprint (default: the attribute path or statement of ``at``). ``related`` and ``flow``
    are extra locations (SARIF ``relatedLocations`` and ``codeFlows``).
    """

    message: str
    at: Any = None
    resource: Any = None
    key: str | None = None
    severity: Severity | None = None
    related: list[tuple[Any, str]] = field(default_factory=list)
    flow: list[tuple[Any, str]] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Unresolved:
    """The rule could not decide: ``at`` is the unknown value, ``why`` says what is missing."""

    message: str
    at: Any = None
    resource: Any = None


def locate(at: Any) -> Span | None:
    """The span of whatever a finding points at."""
    if at is None:
        return None
    if isinstance(at, Span):
        return at
    span = getattr(at, "span", None)
    if isinstance(span, Span):
        return span
    return None
