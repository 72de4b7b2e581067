"""A boolean setting of a resource, as rules judge it: read for each deployment case (a
CloudFormation condition gives one case per branch), off, or not known.

A rule about one setting then reads as its decision and its messages::

    yield from setting_off(trail, ATTR, default=False, off="trail records its home region only",
                           unknown="whether the trail covers every region is not known")
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from iamready.aws.s3 import cases, truth, why
from iamready.rule import Finding, Unresolved

if TYPE_CHECKING:
    from iamready.model.graph import Resource


def setting_off(
    resource: Resource, attrs: dict[str, str], *, default: bool, off: str, unknown: str
) -> Iterator[Finding | Unresolved]:
    """A finding for each case where the setting (``attrs``: framework -> attribute name) is off,
    saying whether it is false or unset (and so ``default``); a note where it is not known."""
    name = attrs[resource.framework]
    value = resource.attr(name)
    for case in cases(value):
        on = truth(case.value, default=default)
        when = f" ({case.when})" if case.when else ""
        if on is None:
            yield Unresolved(f"{unknown} ({why(case.value)}){when}", at=value)
        elif not on:
            state = "is false" if value.is_set else f"is not set, and defaults to {str(default).lower()}"
            yield Finding(f"{off} ({name} {state}){when}", at=value)
