"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iamready.engine import ScanResult

_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(scan: ScanResult) -> str:
    lines = []
    for item in scan.active:
        span = item.span
        props = [f"file={_escape_property(scan.relpath(span.path))}", f"line={span.start_line}"]
        if span.end_line and span.end_line >= span.start_line:
            props.append(f"endLine={span.end_line}")
        if span.start_col and span.end_line == span.start_line:
            props.append(f"col={span.start_col}")
            if span.end_col > span.start_col:
                props.append(f"endColumn={span.end_col}")
        title = f"{item.rule.id} {item.rule.title} [{item.severity.value}]"
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{_LEVEL[item.severity.sarif_level]} {','.join(props)}::{_escape_data(item.text)}")
    for note in scan.notifications:
        if note.level == "note" and note.kind == "unresolved":
            continue
        level = {"error": "error", "warning": "warning"}.get(note.level, "notice")
        if note.span is not None:
            props = f"file={_escape_property(scan.relpath(note.span.path))},line={note.span.start_line}"
            title = _escape_property("iamready " + note.kind)
            lines.append(f"::{level} {props},title={title}::{_escape_data(note.message)}")
        else:
            lines.append(f"::{level} title={_escape_property('iamready ' + note.kind)}::{_escape_data(note.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
