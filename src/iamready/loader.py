"""Find and load rules: one directory per rule, each with a ``rule.py``.

Built-in rules live in the repository's top-level ``rules/`` (shipped in the wheel as
``iamready/_rules``); ``--extra-rules DIR`` adds more, loaded exactly the same way. Every
``rule.py`` is imported under a unique synthetic module name derived from its path.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from iamready import rule as rule_api
from iamready.rule import RuleDefinitionError, RuleMeta


def builtin_rules_dir() -> Path:
    """The built-in rule pack: inside the installed package, or the source checkout's ``rules/``."""
    here = Path(__file__).resolve().parent
    packaged = here / "_rules"
    if packaged.is_dir():
        return packaged
    checkout = here.parent.parent / "rules"
    if checkout.is_dir():
        return checkout
    raise RuleDefinitionError("the built-in rules directory is missing from this installation")


def rule_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
        if "rule.py" in filenames:
            out.append(Path(dirpath) / "rule.py")
    return sorted(out)


def load_rule_file(path: Path, root: Path, prefix: str = "iamready_rules") -> list[RuleMeta]:
    relative = path.parent.relative_to(root)
    module_name = ".".join([prefix, *(_ident(p) for p in relative.parts)])
    if module_name in sys.modules and getattr(sys.modules[module_name], "__file__", None) == str(path):
        return _metas(sys.modules[module_name], path)
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise RuleDefinitionError(f"cannot load rule file {path}")
    module = importlib.util.module_from_spec(spec)
    collected: list[RuleMeta] = []
    previous = rule_api._collector
    rule_api._collector = collected
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except RuleDefinitionError:
        del sys.modules[module_name]
        raise
    except Exception as exc:  # a broken rule file must say which file
        del sys.modules[module_name]
        raise RuleDefinitionError(f"{path}: {type(exc).__name__}: {exc}") from exc
    finally:
        rule_api._collector = previous
    if not collected:
        raise RuleDefinitionError(f"{path} defines no rule (decorate a function with @rule)")
    return [_with_directory(meta, path.parent) for meta in collected]


def _metas(module: object, path: Path) -> list[RuleMeta]:
    metas = [v.__iamready_rule__ for v in vars(module).values() if hasattr(v, "__iamready_rule__")]
    return [_with_directory(m, path.parent) for m in metas]


def _with_directory(meta: RuleMeta, directory: Path) -> RuleMeta:
    from dataclasses import replace

    return replace(meta, directory=directory)


def _ident(part: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in part)
    return cleaned if cleaned and not cleaned[0].isdigit() else f"_{cleaned}"


def load_rules(extra_dirs: list[str] | tuple[str, ...] = ()) -> list[RuleMeta]:
    roots = [(builtin_rules_dir(), "iamready_rules")]
    for index, extra in enumerate(extra_dirs):
        roots.append((Path(extra).resolve(), f"iamready_extra_rules_{index}"))
    metas: list[RuleMeta] = []
    seen: dict[str, Path] = {}
    for root, prefix in roots:
        if not root.is_dir():
            raise RuleDefinitionError(f"rules directory {root} does not exist")
        for path in rule_files(root):
            for meta in load_rule_file(path, root, prefix):
                if meta.id in seen:
                    raise RuleDefinitionError(f"duplicate rule id {meta.id} in {path} and {seen[meta.id]}")
                seen[meta.id] = path
                metas.append(meta)
    return sorted(metas, key=lambda m: m.id)
