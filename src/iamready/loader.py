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
from typing import Any

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
    files: list[tuple[Path, Path, str]] = []
    for root, prefix in roots:
        if not root.is_dir():
            raise RuleDefinitionError(f"rules directory {root} does not exist")
        files.extend((path, root, prefix) for path in rule_files(root))
    cached = _read_catalogue(files)
    if cached is not None:
        return cached
    metas: list[RuleMeta] = []
    seen: dict[str, Path] = {}
    for path, root, prefix in files:
        for meta in load_rule_file(path, root, prefix):
            if meta.id in seen:
                raise RuleDefinitionError(f"duplicate rule id {meta.id} in {path} and {seen[meta.id]}")
            seen[meta.id] = path
            metas.append(meta)
    metas = sorted(metas, key=lambda m: m.id)
    _write_catalogue(files, metas)
    return metas


# -- the catalogue cache ------------------------------------------------------------------------
# Listing rules (``iamready rules``, ``explain``) needs their metadata, not their code: importing
# every rule module and the helpers they use costs more than the rest of the command. The metadata
# of a validated set of rule files is kept in the cache directory, keyed by each file's path, size
# and modification time (and by rule.py's and iamready's version); a rule's module is imported the
# first time its check runs. Any change to a rule file means a full load, with its errors.
_CATALOGUE_FORMAT = "1"
_FIELDS = ("id", "name", "checklist", "on", "targets", "policy_kinds", "tags", "profile", "precision", "doc")


class _LazyCheck:
    """A rule's check function, imported on first use."""

    __slots__ = ("_real", "path", "prefix", "root", "rule_id")

    def __init__(self, path: Path, root: Path, prefix: str, rule_id: str) -> None:
        self.path, self.root, self.prefix, self.rule_id = path, root, prefix, rule_id
        self._real: Any = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._real is None:
            metas = load_rule_file(self.path, self.root, self.prefix)
            found = [m.check for m in metas if m.id == self.rule_id]
            if not found:
                raise RuleDefinitionError(f"{self.path} no longer defines rule {self.rule_id}")
            self._real = found[0]
        return self._real(*args, **kwargs)


def _catalogue_path(files: list[tuple[Path, Path, str]]) -> Path | None:
    import hashlib

    from iamready import __version__
    from iamready.cache import cache_dir

    directory = cache_dir()
    if directory is None:
        return None
    digest = hashlib.sha256(f"{_CATALOGUE_FORMAT}\0{__version__}\0".encode())
    try:
        for path in [Path(rule_api.__file__), *(f[0] for f in files)]:
            info = path.stat()
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    except OSError:
        return None
    digest.update("\0".join(f"{root}\0{prefix}" for _, root, prefix in files).encode())
    return directory / f"rules-{digest.hexdigest()[:32]}.catalogue"


def _read_catalogue(files: list[tuple[Path, Path, str]]) -> list[RuleMeta] | None:
    import marshal

    from iamready.rule import Severity

    path = _catalogue_path(files)
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            entries = marshal.loads(handle.read())
        sources = {str(p): (p, root, prefix) for p, root, prefix in files}
        metas = []
        for entry in entries:
            source, root, prefix = sources[entry["source"]]
            values = {name: entry[name] for name in _FIELDS}
            metas.append(
                RuleMeta(
                    **values,
                    severity=Severity(entry["severity"]),
                    check=_LazyCheck(source, root, prefix, entry["id"]),
                    directory=Path(entry["directory"]),
                    frameworks=tuple(entry["frameworks"]),
                )
            )
        return metas
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None


def _write_catalogue(files: list[tuple[Path, Path, str]], metas: list[RuleMeta]) -> None:
    import marshal

    from iamready.cache import write_entry

    path = _catalogue_path(files)
    if path is None:
        return
    entries = []
    for meta in metas:
        if meta.directory is None:
            return
        entry: dict[str, Any] = {name: getattr(meta, name) for name in _FIELDS}
        entry.update(
            source=str(meta.directory / "rule.py"),
            severity=meta.severity.value,
            directory=str(meta.directory),
            frameworks=tuple(meta.frameworks),
        )
        entries.append(entry)
    try:
        data = marshal.dumps(entries)
    except ValueError:
        return
    write_entry(path, data)
