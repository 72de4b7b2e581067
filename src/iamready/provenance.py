"""Where a finding about a resource inside a module comes from.

A resource in a module exists because module calls instantiate it, and its values may be written by a
caller (an input, the call's ``for_each``) rather than in the module. The finding is reported where the
offending value is written: the argument in the caller (the outermost caller when calls nest, a tfvars
file when the root's variable is set there). The resource inside the module stays a related location,
and the finding keeps its identity there (fingerprint, baseline entry, inline suppressions), so moving
the primary location changes nothing for code scanning alerts and baselines.

A module installed by ``terraform init`` (registry, git) is not the user's code: a finding inside it
is reported at the module call that brings it in when no value of the caller causes it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from iamready.model.span import Span
from iamready.model.value import Value

MAX_LEAVES = 256  # a finding's value is small; a whole document of thousands of entries is not walked
INSTALLED = f"{os.sep}.terraform{os.sep}modules{os.sep}"


@dataclass(frozen=True)
class Traced:
    primary: Span  # where the finding is reported
    moved: bool  # primary is not the location inside the module


def module_calls(resource: Any) -> tuple[Any, ...]:
    """The module calls that instantiate ``resource``, outermost first; () outside modules."""
    meta = getattr(resource, "meta", None)
    return meta.get("module_calls", ()) if isinstance(meta, dict) else ()


def trace(at: Any, calls: tuple[Any, ...], resource_span: Span, span: Span, message: str = "") -> Traced:
    """The primary location of a finding at ``at`` (located at ``span``) on a resource declared at
    ``resource_span`` inside the modules instantiated by ``calls``. A value the message names (the one
    principal of several it is about) is preferred; then the outermost caller."""
    home = os.path.dirname(resource_span.path)
    if os.path.dirname(span.path) != home:  # already where a caller wrote it (a statement passed as an input)
        return Traced(span, False)
    depth_of = {os.path.dirname(call.span.path): index for index, call in enumerate(calls)}
    best: Span | None = None
    best_rank = (3, len(calls) + 1)
    home_named = 2  # how well the message names a value written inside the module itself
    for leaf, value in _leaves(at):
        directory = os.path.dirname(leaf.path)
        if directory == home:
            home_named = min(home_named, _named(value, message))
            continue
        depth = depth_of.get(directory)
        if depth is None:  # a --var-file elsewhere is the outermost place; another module's output, the innermost
            depth = -1 if leaf.path.endswith((".tfvars", ".tfvars.json")) else len(calls)
        rank = (_named(value, message), depth)
        if rank < best_rank:
            best, best_rank = leaf, rank
    if best is not None and best_rank[0] == 2 and home_named < 2:
        best = None  # the message is about what the module wrote, not about what its callers passed
    remote = next((index for index, call in enumerate(calls) if call.remote), None)
    if remote is not None and (best is None or INSTALLED in best.path):
        return Traced(calls[remote].span, True)  # the call that brings the installed module in
    if best is None:
        return Traced(span, False)
    return Traced(best, True)


def _named(value: Any, message: str) -> int:
    """0 when the message quotes the value, 1 when it quotes a part of it (the account of an ARN), else 2."""
    if not isinstance(value, str) or len(value) < 4 or not message:
        return 2
    if value in message:
        return 0
    return 1 if any(len(part) >= 6 and part in message for part in re.split(r"[:/]", value)) else 2


def _leaves(at: Any) -> Iterator[tuple[Span, Any]]:
    """Where the parts of what a finding points at were written, most telling first."""
    budget = [MAX_LEAVES]
    if isinstance(at, Value):
        yield from _walk(at.raw, budget)
    elif hasattr(at, "statements") and hasattr(at, "holder"):  # a policy document
        if at.source is not None:  # an AWS managed policy: where its ARN is written
            yield from _walk(at.source, budget)
        for statement in at.statements:
            yield from _statement(statement, budget)
            if budget[0] <= 0:
                return
    elif hasattr(at, "document") and hasattr(at, "actions"):  # a statement
        yield from _statement(at, budget)


def _statement(statement: Any, budget: list[int]) -> Iterator[tuple[Span, Any]]:
    if statement.document.source is not None:
        yield from _walk(statement.document.source, budget)
    for principal in (statement.principal, statement.not_principal):
        if principal is not None:
            yield from _walk(principal.values(), budget)
    for values in (statement.actions, statement.not_actions, statement.resources, statement.not_resources):
        if values:
            yield from _walk(values, budget)
    for condition in statement.conditions:
        yield from _walk(condition.values, budget)


def _walk(value: Any, budget: list[int]) -> Iterator[tuple[Span, Any]]:
    """(where it is written, the value) for ``value`` and what it holds."""
    stack: list[tuple[Any, Span | None]] = [(value, None)]
    while stack and budget[0] > 0:
        current, placed = stack.pop()
        budget[0] -= 1
        span = getattr(current, "span", None)
        if isinstance(span, Span) and span.path:
            yield span, current
        elif placed is not None:  # a number or a plain string: where its list put it
            yield placed, current
        if isinstance(current, dict):
            stack.extend((item, None) for item in reversed(list(current.values())))
        elif isinstance(current, list):
            spans = getattr(current, "item_spans", None) or ()
            items = [
                (item, spans[i] if i < len(spans) and isinstance(spans[i], Span) else None)
                for i, item in enumerate(current)
            ]
            stack.extend(reversed(items))
