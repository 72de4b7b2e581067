"""Compiled dataclass methods, kept between runs like the interpreter keeps ``.pyc`` files.

``@dataclass`` writes the methods of each class (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``
and, when frozen, ``__setattr__``/``__delattr__``) as source text and compiles it while the module is
imported. Compiling costs about 3.5 million instructions per frozen class; a pre-commit scan creates
56 classes on its way, a tenth of its time (measured with callgrind on BishopFox/iam-vulnerable's
privesc-paths). The text is the same on every run, so the compiled code can be kept:
:func:`install` gives the ``dataclasses`` module an ``exec`` that looks the text up in a table of
code objects compiled earlier and compiles only what it has not seen. The same text compiles to the
same code object, so classes are exactly what ``@dataclass`` makes without the table.

The table is marshal data, valid only for the interpreter that wrote it (its name carries
``sys.implementation.cache_tag`` and its content ``sys.hexversion``). It comes from the wheel (built at
packaging time by ``hatch_build.py``, for the Python that built it) or from the user cache directory,
where a run that compiled something new writes the merged table when it ends. A table that does not
load is ignored; ``IAMREADY_NO_CODE_CACHE=1`` turns the table off. :func:`install` is called by the
command line only, before it imports the rest of iamready; a program that imports iamready as a
library gets the standard behaviour.
"""

from __future__ import annotations

import marshal
import os
import sys
from types import CodeType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

_FORMAT = b"iamready-dataclass-code-1"
NAME = f"dataclass-code-{sys.implementation.cache_tag}.marshal"
SHIPPED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_codecache", NAME)  # no pathlib: --version

# source text -> its code, marshalled (unmarshalled when a class asks for it: most of the table's
# classes are not on a given command's way)
_table: dict[str, bytes] = {}
_compiled: dict[str, bytes] = {}  # texts compiled in this run (in no table), for the user cache
_installed = False
_loaded: set[str] = set()  # "wheel", "user": tables read so far
_used: set[str] = set()  # texts asked for in this process


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    if type(source) is str:
        source = _code(source)
    exec(source, globals, locals)


def _code(source: str) -> CodeType:
    _used.add(source)
    data = _table.get(source)
    for name in ("wheel", "user"):  # the wheel's table read at the first class, the user's at the first miss
        if data is not None or name in _loaded:
            continue
        _loaded.add(name)
        path = SHIPPED if name == "wheel" else _user_file()
        if path is not None:
            _table.update(load(path))
        data = _table.get(source)
    if data is not None:
        try:
            code = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            code = None
        if isinstance(code, CodeType):
            return code
    # not in a table, or damaged there: compiled, and kept for the next run
    code = compile(source, "<string>", "exec")
    if not _compiled:
        import atexit

        atexit.register(save)
    _table[source] = _compiled[source] = marshal.dumps(code)
    return code


def install() -> None:
    """Make ``@dataclass`` take compiled code from the table (once per process)."""
    global _installed
    if _installed or os.environ.get("IAMREADY_NO_CODE_CACHE"):
        return  # IAMREADY_NO_CODE_CACHE=1: every class compiled, as Python does, and nothing written
    _installed = True
    import dataclasses

    if getattr(dataclasses, "exec", exec) is not exec:
        return  # somebody else replaced it: leave it alone
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # a module global shadows the builtin


def load(path: str | Path) -> dict[str, bytes]:
    """The table in ``path``; empty when it is missing, written by another interpreter or damaged."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return {}
    header, _, body = data.partition(b"\n")
    if header != _FORMAT + b" " + str(sys.hexversion).encode():
        return {}
    try:
        table = marshal.loads(body)  # texts and marshalled code: nothing in it runs unless a class asks
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, bytes)}


def dump(table: dict[str, bytes]) -> bytes:
    return _FORMAT + b" " + str(sys.hexversion).encode() + b"\n" + marshal.dumps(table)


def save() -> None:
    """Add what this run compiled to the user cache directory's table."""
    if not _compiled or os.environ.get("IAMREADY_NO_CODE_CACHE"):
        return
    target = _user_file()
    if target is None:
        return
    from iamready.cache import write_entry

    write_entry(target, dump({**load(target), **_compiled}))


def _user_file() -> Path | None:
    if os.environ.get("IAMREADY_NO_CODE_CACHE"):
        return None
    from iamready.cache import cache_dir

    base = cache_dir()
    return base / NAME if base is not None else None


def write_table(directory: Path) -> Path:
    """Write the code of the classes this process created to ``directory`` (the wheel's table, made by
    ``hatch_build.py`` after it has imported every module and rule with the table installed)."""
    target = directory / NAME
    target.write_bytes(dump({source: _table[source] for source in sorted(_used)}))
    return target
