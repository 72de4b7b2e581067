"""GitHub Actions workflow commands: annotations on the pull request, within GitHub's limits.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (and 50 per job) and
drops the rest without a word. This report annotates the most severe findings first (then the
scan's own notes) up to those limits, prints what is left as plain lines in the step's log, and ends
with a notice that says how many were not annotated and where they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iamready.results import Result, ScanResult

_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}
PER_STEP = 10  # annotations of each level GitHub shows per step
PER_JOB = 50  # annotations GitHub shows per job, all steps together


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _finding(scan: ScanResult, item: Result) -> tuple[str, str, str]:
    """(level, workflow command, the same as a plain log line)."""
    span = item.span
    path = scan.relpath(span.path)
    props = [f"file={_escape_property(path)}", f"line={span.start_line}"]
    if span.end_line and span.end_line >= span.start_line:
        props.append(f"endLine={span.end_line}")
    if span.start_col and span.end_line == span.start_line:
        props.append(f"col={span.start_col}")
        if span.end_col > span.start_col:
            props.append(f"endColumn={span.end_col}")
    title = f"{item.rule.id} {item.rule.title} [{item.severity.value}]"
    props.append(f"title={_escape_property(title)}")
    level = _LEVEL[item.severity.sarif_level]
    plain = f"{path}:{span.start_line}:{span.start_col}: {item.severity.value} {item.rule.id} {item.text}"
    return level, f"::{level} {','.join(props)}::{_escape_data(item.text)}", plain


def render(scan: ScanResult) -> str:
    candidates = [_finding(scan, item) for item in sorted(scan.active, key=lambda r: (-r.severity.rank, r.sort_key))]
    for note in scan.notifications:
        if note.level == "note" and note.kind == "unresolved":
            continue
        level = {"error": "error", "warning": "warning"}.get(note.level, "notice")
        title = _escape_property("iamready " + note.kind)
        if note.span is not None:
            path = scan.relpath(note.span.path)
            props = f"file={_escape_property(path)},line={note.span.start_line}"
            command = f"::{level} {props},title={title}::{_escape_data(note.message)}"
            plain = f"{path}:{note.span.start_line}: {note.level}: {note.message}"
        else:
            command = f"::{level} title={title}::{_escape_data(note.message)}"
            plain = f"{note.level}: {note.message}"
        candidates.append((level, command, plain))
    used = {"error": 0, "warning": 0, "notice": 0}
    room = {"error": PER_STEP, "warning": PER_STEP, "notice": PER_STEP}
    total_room = PER_JOB
    annotated: list[str] = []
    rest: list[str] = []
    wanted = {level: sum(1 for c in candidates if c[0] == level) for level in room}
    overflow = any(wanted[level] > room[level] for level in room)  # then one notice is kept for the closing word
    if overflow:
        room["notice"] -= 1
        total_room -= 1
    for level, command, plain in candidates:
        if used[level] < room[level] and sum(used.values()) < total_room:
            used[level] += 1
            annotated.append(command)
        else:
            rest.append(plain)
    lines = list(annotated)
    if rest:
        lines.append(f"iamready: {len(rest)} more, not annotated (GitHub shows {PER_STEP} of each level per step):")
        lines.extend(rest)
        message = (
            f"{len(rest)} more finding(s) and note(s) are not annotated: GitHub shows at most {PER_STEP} errors, "
            f"{PER_STEP} warnings and {PER_STEP} notices per step. They are listed in this step's log, "
            "and every finding is in the SARIF report (code scanning alerts)."
        )
        lines.append(f"::notice title={_escape_property('iamready: more findings')}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
