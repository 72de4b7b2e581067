"""What the analysis finds: steps (one move of one principal), paths (steps to administrator
access) and methods that may be complete but rest on a value that is not known."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iamready.iam.effective import Grant
    from iamready.iam.escalation.catalogue import Method
    from iamready.iam.policy import Statement
    from iamready.model.graph import Resource


@dataclass
class Support:
    """A grant of the caller that one requirement of a step rests on."""

    action: str
    grant: Grant
    guards: list[str] = field(default_factory=list)

    @property
    def statement(self) -> Statement:
        return self.grant.statement


@dataclass
class Step:
    """One move: ``source`` becomes ``target`` (or makes ``target`` administrator, for a
    ``policy`` method). ``method`` is None for ``sts:AssumeRole``."""

    source: Resource
    target: Resource | None  # None: a principal outside the code (broad steps)
    method: Method | None
    supports: list[Support] = field(default_factory=list)
    trust: Statement | None = None  # the target's trust statement that lets the source in
    via: Resource | None = None  # the compute resource or managed policy the step goes through
    on: str = ""  # what the target requirement applies to, in words
    broad: bool = False
    guards: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @functools.cached_property
    def makes_admin(self) -> bool:
        return self.method is not None and self.method.makes_admin

    @functools.cached_property
    def conditional(self) -> bool:
        """Has it a guard (``all_guards`` is not empty)? Asked for every step of every path search
        (kept: a step is not changed once made)."""
        return bool(self.guards) or any(support.guards for support in self.supports)

    @property
    def all_guards(self) -> list[str]:
        out = list(self.guards)
        for support in self.supports:
            out.extend(support.guards)
        return list(dict.fromkeys(out))

    @property
    def label(self) -> str:
        return "sts:AssumeRole" if self.method is None else self.method.id

    @property
    def primary(self) -> Statement | None:
        """The statement to point at: the grant of the step's key action, else the trust statement."""
        if self.method is not None:
            key = self.method.target_requirement.actions
            for support in self.supports:
                if support.action in key:
                    return support.statement
        if self.supports:
            return self.supports[0].statement
        return self.trust

    def describe(self) -> str:
        target = self.target.address if self.target is not None else self.on
        if self.method is None:
            return f"assume {target} (sts:AssumeRole)"
        actions = " + ".join(dict.fromkeys(s.action for s in self.supports)) or self.method.recipe
        return f"{self.method.title} ({actions} on {self.on})"


@dataclass
class Path:
    source: Resource
    steps: list[Step]
    admin: Resource | None  # the administrator principal reached (None: the last step grants admin)
    admin_guards: list[str] = field(default_factory=list)  # when the administrator is one only conditionally

    @property
    def conditional(self) -> bool:
        """``guards`` is not empty (without making it: every path found is sorted by this)."""
        return bool(self.admin_guards) or any(step.conditional for step in self.steps)

    @property
    def guards(self) -> list[str]:
        out: list[str] = []
        for step in self.steps:
            out.extend(step.all_guards)
        out.extend(self.admin_guards)
        return list(dict.fromkeys(out))

    @property
    def length(self) -> int:
        return len(self.steps)

    @property
    def signature(self) -> tuple[tuple[str, str], ...]:
        return tuple((s.label, s.target.id if s.target is not None else s.on) for s in self.steps)


@dataclass
class Maybe:
    """A method that may be complete: a grant of its key action applies to a resource whose value
    is not known."""

    principal: Resource
    method: Method
    statement: Statement
    reason: str
