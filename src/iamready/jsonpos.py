"""JSON with positions: every object, array, key and item remembers its span.

Iterative (no recursion), so thousands of nesting levels cannot exhaust Python's stack.
Duplicate keys are kept last-wins, like most JSON readers, and reported.
"""

from __future__ import annotations

import bisect
import re
from json.decoder import scanstring
from typing import Any

from iamready.model.span import Span
from iamready.model.value import LDict, LList

_WS = re.compile(r"[ \t\r\n]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_WORDS = {"true": True, "false": False, "null": None}


class JsonPosError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.message = message
        self.line = line
        self.column = column


class _Locator:
    def __init__(self, text: str, path: str, line0: int, col0: int) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.path = path
        self.line0 = line0
        self.col0 = col0

    def pos(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        col = offset - self.starts[index] + 1
        if index == 0:
            col += self.col0 - 1
        return self.line0 + index, col

    def span(self, start: int, end: int) -> Span:
        line, col = self.pos(start)
        end_line, end_col = self.pos(end)
        return Span(self.path, line, col, end_line, end_col)


def loads(
    text: str, path: str = "", line0: int = 1, col0: int = 1, max_depth: int = 10000
) -> tuple[Any, list[tuple[str, Span]]]:
    """Parse ``text``. Returns the value and a list of duplicate keys ``(key, span)``."""
    loc = _Locator(text, path, line0, col0)
    duplicates: list[tuple[str, Span]] = []
    n = len(text)
    i = _WS.match(text, 0).end()  # type: ignore[union-attr]
    if text.startswith("\ufeff", i):
        i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
    # stack entries: [container, start_offset, pending_key, key_start]
    stack: list[list[Any]] = []
    result: Any = None
    have_result = False

    def fail(message: str, offset: int) -> JsonPosError:
        line, col = loc.pos(min(offset, n))
        return JsonPosError(message, line, col)

    while True:
        i = _WS.match(text, i).end()  # type: ignore[union-attr]
        if i >= n:
            raise fail("unexpected end of JSON", i)
        ch = text[i]
        top = stack[-1] if stack else None
        # inside an object, expecting a key (or the end)
        if top is not None and isinstance(top[0], dict) and top[2] is None:
            if ch == "}" and not top[0] and top[4] == 0:
                value, start = top[0], top[1]
                stack.pop()
                i += 1
                value.span = loc.span(start, i)
                value_end = i
                ch = ""
                # fall through to attach
                attached = value
            else:
                if ch != '"':
                    raise fail("expected a string key", i)
                key_start = i
                key, i = _string(text, i, fail)
                i = _WS.match(text, i).end()  # type: ignore[union-attr]
                if i >= n or text[i] != ":":
                    raise fail("expected ':' after key", i)
                i += 1
                top[2] = key
                top[3] = key_start  # the opening quote of the key
                continue
        else:
            attached = None
        if attached is None:
            value_start = i
            if ch == "{":
                if len(stack) >= max_depth:
                    raise fail(f"nesting deeper than {max_depth} levels", i)
                obj = LDict()
                stack.append([obj, i, None, 0, 0])
                i += 1
                stack[-1][3] = i
                continue
            if ch == "[":
                if len(stack) >= max_depth:
                    raise fail(f"nesting deeper than {max_depth} levels", i)
                arr = LList()
                stack.append([arr, i, None, 0, 0])
                i += 1
                j = _WS.match(text, i).end()  # type: ignore[union-attr]
                if j < n and text[j] == "]":
                    stack.pop()
                    i = j + 1
                    arr.span = loc.span(value_start, i)
                    attached = arr
                else:
                    continue
            elif ch == '"':
                attached, i = _string(text, i, fail)
            elif ch in "-0123456789":
                m = _NUMBER.match(text, i)
                if not m or m.end() == i:
                    raise fail("invalid number", i)
                token = m.group(0)
                try:
                    attached = float(token) if (m.group(1) or m.group(2)) else int(token)
                except ValueError:  # more digits than Python converts to an int (4300)
                    attached = float(token)
                i = m.end()
            else:
                for word, word_value in _WORDS.items():
                    if text.startswith(word, i):
                        attached = word_value
                        i += len(word)
                        break
                else:
                    raise fail(f"unexpected character {ch!r}", i)
                if attached is None and not text.startswith("null", i - 4):
                    raise fail(f"unexpected character {ch!r}", i)
            value_end = i
            value_span_start = value_start
        else:
            value_span_start = attached.span and _offset_of(loc, attached.span)  # type: ignore[assignment]
        # attach the value to its parent, then handle separators/closers
        while True:
            if not stack:
                result = attached
                have_result = True
                break
            top = stack[-1]
            container = top[0]
            if isinstance(container, dict):
                key = top[2]
                if key in container:
                    duplicates.append((key, loc.span(top[3], value_end)))
                container[key] = attached
                container.key_spans[key] = loc.span(top[3], value_end)
                top[2] = None
                top[4] += 1
            else:
                container.append(attached)
                container.item_spans.append(loc.span(value_span_start, value_end))
            i = _WS.match(text, value_end).end()  # type: ignore[union-attr]
            if i >= n:
                raise fail("unexpected end of JSON", i)
            sep = text[i]
            closer = "}" if isinstance(container, dict) else "]"
            if sep == ",":
                i += 1
                if isinstance(container, dict):
                    j = _WS.match(text, i).end()  # type: ignore[union-attr]
                    if j >= n:
                        raise fail("unexpected end of JSON", j)
                    if text[j] != '"':
                        raise fail("expected a string key", j)
                break
            if sep == closer:
                i += 1
                stack.pop()
                container.span = loc.span(top[1], i)
                attached = container
                value_end = i
                value_span_start = top[1]
                continue
            raise fail(f"expected ',' or '{closer}'", i)
        if have_result:
            break
    tail = _WS.match(text, value_end).end()  # type: ignore[union-attr]
    if tail < n:
        raise fail("extra data after JSON value", tail)
    return result, duplicates


def _offset_of(loc: _Locator, span: Any) -> int:
    line_index = span.start_line - loc.line0
    base = loc.starts[line_index] if 0 <= line_index < len(loc.starts) else 0
    col = span.start_col - (loc.col0 - 1 if line_index == 0 else 0)
    return base + col - 1


def _string(text: str, i: int, fail: Any) -> tuple[str, int]:
    try:
        value, end = scanstring(text, i + 1, True)
    except ValueError as exc:
        raise fail(f"invalid string: {exc.args[0].split(':')[0]}", i) from None
    return value, end
