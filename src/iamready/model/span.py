"""Source locations. Every value a rule can point at carries one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of a file. Lines and columns are 1-based; ``end_col`` is exclusive (as in SARIF)."""

    path: str
    start_line: int
    start_col: int = 1
    end_line: int = 0
    end_col: int = 0

    def __post_init__(self) -> None:
        if self.start_line < 1:
            object.__setattr__(self, "start_line", 1)
        if self.end_line < self.start_line:
            object.__setattr__(self, "end_line", self.start_line)

    @property
    def line(self) -> int:
        return self.start_line

    def with_path(self, path: str) -> Span:
        return Span(path, self.start_line, self.start_col, self.end_line, self.end_col)

    def __str__(self) -> str:
        return f"{self.path}:{self.start_line}"
