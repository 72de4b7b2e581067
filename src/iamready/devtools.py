"""Developer commands: ``python -m iamready.devtools docs [--check]`` regenerates docs/rules.md and
docs/escalation-methods.md."""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "rules.md"
ESCALATION_DOCS = DOCS.parent / "escalation-methods.md"


def generate() -> str:
    from iamready.docs import rules_index
    from iamready.loader import load_rules

    return rules_index(load_rules())


def generated() -> dict[Path, str]:
    """Every generated page and its text."""
    from iamready.docs import escalation_methods_page

    return {DOCS: generate(), ESCALATION_DOCS: escalation_methods_page()}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "docs":
        print("usage: python -m iamready.devtools docs [--check]", file=sys.stderr)
        return 2
    pages = generated()
    if "--check" in args:
        stale = [path for path, text in pages.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path} is stale: run python -m iamready.devtools docs", file=sys.stderr)
        return 1 if stale else 0
    for path, text in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
