"""Parse many files at once in worker processes, before the loaders ask for them.

The engine hands over every Terraform file and CloudFormation template of the scan. Files whose
parse is already in the cache are left alone; when the rest is large enough to be worth it (about
half a second of parsing), worker processes parse them and send back the same marshal-able entries
the loaders keep in the parse cache. With less to parse (a cold pre-commit run on a module of tens
of files: about 30 ms of parsing and more), on Linux, the scan forks children that parse a share each
while it parses the first share itself; no pool is started. Entries land in ``ParseCache.memory`` (and
on disk when the cache is on), so the loaders then find them exactly as they find cached files:
results are the same whether a file was parsed here, by its loader, or taken from the cache.

A file that fails to parse in a worker is simply left to its loader, which reports the error with
its location. ``IAMREADY_JOBS`` sets the number of workers (``1``: no workers).
"""

from __future__ import annotations

import gc
import marshal
import os
import sys
from collections.abc import Callable
from typing import Any

from iamready.cache import ParseCache

# cache kinds, as the loaders key their entries (parsers/terraform/files.py, cloudformation/loader.py)
TF_KIND = "tf-2"
TF_JSON_KIND = "tf-json-2"
CFN_KIND = "cfn"

MIN_BYTES_SPLIT = 24 * 1024  # from this on (fork only), the scan splits the parsing with forked children
MIN_BYTES_FORK = 192 * 1024  # from this on, a pool of workers (its start costs more than a split saves)
MIN_BYTES_SPAWN = 1024 * 1024  # workers that start from scratch (no fork) cost more
BATCH_BYTES = 64 * 1024


def jobs() -> int:
    env = os.environ.get("IAMREADY_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _start_method() -> str:
    """fork on Linux (workers share the loaded parser); spawn elsewhere (fork is unsafe on macOS)."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def prefetch(
    cache: ParseCache,
    terraform_files: list[str],
    templates: list[str],
    progress: Callable[[str], None] | None = None,
) -> int:
    """Parse the files the cache does not have, in parallel when that pays. Returns how many were parsed."""
    workers = jobs()
    if workers < 2:
        return 0
    from iamready.parsers.terraform.files import MAX_FILE_BYTES, hcl_limit, read_text

    todo: list[tuple[str, str, str, str]] = []  # (path, kind, key, text)
    total = 0
    for kind_of, paths in ((_tf_kind, terraform_files), (lambda _p: CFN_KIND, templates)):
        for path in paths:
            limit = hcl_limit(path) if kind_of is _tf_kind else MAX_FILE_BYTES
            text = read_text(path, [], limit)  # problems are reported when the loader reads the file
            if text is None:
                continue
            kind = kind_of(path)
            data = text.encode("utf-8")
            key = cache.key(kind, data)
            cache.read_ahead[(path, kind)] = (text, key)  # its loader need not read and hash it again
            if cache.has(key):
                continue
            todo.append((path, kind, key, text))
            total += len(data)
    method = _start_method()
    if method == "fork" and MIN_BYTES_SPLIT <= total < MIN_BYTES_FORK and len(todo) >= 2 and _single_threaded():
        return _split(cache, todo, workers)
    if total < (MIN_BYTES_FORK if method == "fork" else MIN_BYTES_SPAWN) or len(todo) < 2 * workers:
        return 0
    batches = _batches(todo, workers)
    if method == "fork" and any(kind != CFN_KIND for _, kind, _, _ in todo):
        from iamready.parsers.terraform.hcl import warm

        warm()  # load the parser tables once; forked workers share them
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    parsed = 0
    done = 0
    with ProcessPoolExecutor(
        max_workers=min(workers, len(batches)),
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
    ) as pool:
        for results in pool.map(_parse_batch, batches):
            done += len(results)
            parsed += _take(cache, results)
            if progress:
                progress(f"parsing files {done}/{len(todo)}")
    return parsed


def _single_threaded() -> bool:
    """No other thread (the cache writer) that a fork could catch holding a lock."""
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _split(cache: ParseCache, todo: list[tuple[str, str, str, str]], workers: int) -> int:
    """A pre-commit scan's worth of parsing (tens of files): this process parses its share while forked
    children (``os.fork``, no pool to start) parse theirs and send them back through a pipe. A child
    that fails leaves its files to their loaders."""
    parts = _parts(todo, min(workers, len(todo)))
    if any(kind != CFN_KIND for _, kind, _, _ in todo):
        from iamready.parsers.terraform.hcl import warm

        warm()  # the children share the loaded parser tables
    children: list[tuple[int, int]] = []
    for part in parts[1:]:
        try:
            read_end, write_end = os.pipe()
        except OSError:
            break  # no pipe (too many open files): the loaders parse the rest
        try:
            pid = os.fork()
        except OSError:  # no process to be had: the loaders parse the rest
            os.close(read_end)
            os.close(write_end)
            break
        if pid == 0:  # the child: parse, send, and leave without running anything of the parent's
            try:
                os.close(read_end)
                gc.disable()
                with os.fdopen(write_end, "wb") as out:
                    out.write(marshal.dumps(_parse_items(part)))
            finally:
                os._exit(0)
        os.close(write_end)
        children.append((pid, read_end))
    parsed = 0
    for path, kind, key, text in parts[0]:
        try:
            value = _parse(path, kind, text)
        except Exception:  # the loader parses it again and reports the error
            continue
        if value is not None:
            cache.memory[key] = value
            cache.put(key, value)
            parsed += 1
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            sent = pipe.read()
        os.waitpid(pid, 0)
        try:
            results = marshal.loads(sent)
        except (EOFError, ValueError, TypeError):
            continue  # the child failed: its files are parsed by their loaders
        parsed += _take(cache, results if isinstance(results, list) else [])
    return parsed


def _take(cache: ParseCache, results: list[Any]) -> int:
    """Keep what a worker or child parsed, ``(key, marshalled entry or None)`` each: in memory for the
    loaders, and on disk through this process's background writer while the scan goes on (creating a
    file costs about a millisecond, which a worker would spend instead of parsing). Returns how many."""
    taken = 0
    for item in results:
        key, data = item if isinstance(item, tuple) and len(item) == 2 else (None, None)
        if not isinstance(key, str) or not isinstance(data, bytes):
            continue  # failed to parse (None): left to its loader, which reports why
        try:
            cache.memory[key] = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            continue
        cache.put_marshalled(key, data)
        taken += 1
    return taken


def _parts(todo: list[tuple[str, str, str, str]], count: int) -> list[list[tuple[str, str, str, str]]]:
    """``todo`` in ``count`` runs of about equal size, in order."""
    total = sum(len(item[3]) for item in todo)
    parts: list[list[tuple[str, str, str, str]]] = [[]]
    size = 0
    for item in todo:
        if size >= total * len(parts) / count and len(parts) < count:
            parts.append([])
        parts[-1].append(item)
        size += len(item[3])
    return parts


def _tf_kind(path: str) -> str:
    return TF_JSON_KIND if path.endswith(".json") else TF_KIND


def _batches(todo: list[tuple[str, str, str, str]], workers: int) -> list[list[tuple[str, str, str, str]]]:
    """Batches of about BATCH_BYTES, at least four per worker so that the work evens out."""
    total = sum(len(item[3]) for item in todo)
    limit = max(1, min(BATCH_BYTES, total // (workers * 4)))
    batches: list[list[tuple[str, str, str, str]]] = []
    current: list[tuple[str, str, str, str]] = []
    size = 0
    for item in todo:
        current.append(item)
        size += len(item[3])
        if size >= limit:
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    return batches


# -- in the worker ---------------------------------------------------------------------------------
def _init_worker() -> None:
    gc.disable()  # short-lived: collecting as we go costs ~15% of the parse


def _parse_batch(batch: list[tuple[str, str, str, str]]) -> list[tuple[str, bytes | None]]:
    out = _parse_items(batch)
    gc.collect()
    return out


def _parse_items(batch: list[tuple[str, str, str, str]]) -> list[tuple[str, bytes | None]]:
    """(key, marshalled parse) of each file; None where it fails (its loader reports why)."""
    out: list[tuple[str, bytes | None]] = []
    for path, kind, key, text in batch:
        try:
            value = _parse(path, kind, text)
            data = marshal.dumps(value) if value is not None else None
        except Exception:  # RecursionError, syntax errors, ...: the loader reports it
            data = None
        out.append((key, data))
    return out


def _parse(path: str, kind: str, text: str) -> Any:
    if kind == TF_KIND:
        from iamready.parsers.terraform.hcl import parse

        return parse(text)
    if kind == TF_JSON_KIND:
        from iamready.parsers.terraform.files import _json_body

        return (_json_body(text, path), ())
    from iamready.parsers.cloudformation.loader import _encode_entry, parse_template

    found: list[Any] = []
    template = parse_template(text, path, found)
    return _encode_entry(template, found)
