"""Developer commands: ``python -m iamready.devtools docs [--check]`` regenerates docs/rules.md."""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "rules.md"


def generate() -> str:
    from iamready.docs import rules_index
    from iamready.loader import load_rules

    return rules_index(load_rules())


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "docs":
        print("usage: python -m iamready.devtools docs [--check]", file=sys.stderr)
        return 2
    text = generate()
    if "--check" in args:
        current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
        if current != text:
            print(f"{DOCS} is stale: run python -m iamready.devtools docs", file=sys.stderr)
            return 1
        return 0
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")
    print(f"wrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
