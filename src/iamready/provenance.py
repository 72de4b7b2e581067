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


def trace(at: Any, calls: tuple[Any, ...], resource_span: Span, span: Span) -> Traced:
    """The primary location of a finding at ``at`` (located at ``span``) on a resource declared at
    ``resource_span`` inside the modules instantiated by ``calls``."""
    home = os.path.dirname(resource_span.path)
    if os.path.dirname(span.path) != home:  # already where a caller wrote it (a statement passed as an input)
        return Traced(span, False)
    depth_of = {os.path.dirname(call.span.path): index for index, call in enumerate(calls)}
    best: Span | None = None
    best_rank = len(calls) + 1
    for leaf in _leaves(at):
        directory = os.path.dirname(leaf.path)
        if directory == home:
            continue
        rank = depth_of.get(directory)
        if rank is None:  # a --var-file elsewhere is the outermost place; another module's output, the innermost
            rank = -1 if leaf.path.endswith((".tfvars", ".tfvars.json")) else len(calls)
        if rank < best_rank:
            best, best_rank = leaf, rank
    remote = next((index for index, call in enumerate(calls) if call.remote), None)
    if remote is not None and (best is None or INSTALLED in best.path):
        return Traced(calls[remote].span, True)  # the call that brings the installed module in
    if best is None:
        return Traced(span, False)
    return Traced(best, True)


def _leaves(at: Any) -> Iterator[Span]:
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


def _statement(statement: Any, budget: list[int]) -> Iterator[Span]:
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


def _walk(value: Any, budget: list[int]) -> Iterator[Span]:
    stack = [value]
    while stack and budget[0] > 0:
        current = stack.pop()
        budget[0] -= 1
        span = getattr(current, "span", None)
        if isinstance(span, Span) and span.path:
            yield span
        if isinstance(current, dict):
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            spans = getattr(current, "item_spans", None) or ()
            for item_span in spans:
                if isinstance(item_span, Span) and item_span.path:
                    yield item_span
            stack.extend(reversed(current))
