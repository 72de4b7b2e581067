"""Reporters render a ScanResult; they compute nothing (sorting, fingerprints, suppression are done)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iamready.results import ScanResult


def _text(result: ScanResult) -> str:
    from iamready.reporters.text import render

    return render(result)


def _json(result: ScanResult) -> str:
    from iamready.reporters.json import render

    return render(result)


def _sarif(result: ScanResult) -> str:
    from iamready.reporters.sarif import render

    return render(result)


def _github(result: ScanResult) -> str:
    from iamready.reporters.github import render

    return render(result)


def _markdown(result: ScanResult) -> str:
    from iamready.reporters.markdown import render

    return render(result)


def _checklist(result: ScanResult) -> str:
    from iamready.reporters.checklist import render

    return render(result)


def _gitlab(result: ScanResult) -> str:
    from iamready.reporters.gitlab import render

    return render(result)


REPORTERS: dict[str, Callable[[ScanResult], str]] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
    "markdown": _markdown,
    "checklist": _checklist,
    "gitlab": _gitlab,
}
