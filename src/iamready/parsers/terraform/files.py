"""Read Terraform files (``.tf``, ``.tf.json``, ``.tfvars``, ``.tfvars.json``) into syntax trees.

Reading never raises: a file that cannot be read or parsed becomes a located notification and
is left out, and the rest of its module is still loaded.
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING, Any

from iamready.cache import ParseCache
from iamready.model.graph import TERRAFORM, Resource
from iamready.model.notes import PARSE_ERROR, SKIPPED, Notification
from iamready.model.span import Span
from iamready.model.value import LDict, LList
from iamready.parsers.terraform.hcl import HclSyntaxError, parse, parse_template
from iamready.parsers.terraform.moduledir import ModuleDir, TfFile

if TYPE_CHECKING:
    from iamready.parsers.terraform.loader import TerraformLoader
    from iamready.parsers.terraform.module import ModuleInstance

MAX_FILE_BYTES = 8 * 1024 * 1024
# HCL costs about 200 bytes of memory per byte while it is parsed: 4 MB stays under a gigabyte
MAX_HCL_BYTES = 4 * 1024 * 1024


def hcl_limit(path: str) -> int:
    """The size limit for a Terraform file: HCL is far costlier to parse than JSON."""
    return MAX_FILE_BYTES if path.endswith(".json") else MAX_HCL_BYTES


def read_text(path: str, notes: list[Notification], max_bytes: int = MAX_FILE_BYTES) -> str | None:
    """The file as text, or None with a notification saying why not."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block, a device never end
            notes.append(
                Notification(
                    SKIPPED, "not a regular file (a FIFO, socket or device); not scanned", Span(path, 1), "warning"
                )
            )
            return None
        size = info.st_size
        if size > max_bytes:
            notes.append(
                Notification(
                    SKIPPED,
                    f"file is {size // (1024 * 1024)} MB, larger than the "
                    f"{max_bytes // (1024 * 1024)} MB limit; not scanned",
                    Span(path, 1),
                    "warning",
                )
            )
            return None
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        notes.append(Notification(SKIPPED, f"cannot read file: {exc.strerror or exc}", Span(path, 1), "error"))
        return None
    return decode(data, path, notes)


def decode(data: bytes, path: str, notes: list[Notification]) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        notes.append(
            Notification(
                PARSE_ERROR,
                f"UTF-16 text (byte-order mark 0x{data[0]:02x} 0x{data[1]:02x}); "
                "Terraform and CloudFormation files must be UTF-8",
                Span(path, 1),
                "error",
            )
        )
        return None
    if b"\x00" in data[:8192]:
        notes.append(Notification(PARSE_ERROR, "binary file (contains NUL bytes); not scanned", Span(path, 1), "error"))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        notes.append(
            Notification(
                PARSE_ERROR,
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); Terraform and CloudFormation files must be UTF-8",
                Span(path, line),
                "error",
            )
        )
        return None


def load_tf_file(path: str, cache: ParseCache, notes: list[Notification]) -> TfFile | None:
    is_json = path.endswith(".json")
    kind = "tf-json-2" if is_json else "tf-2"
    ahead = cache.take_read_ahead(path, kind)
    if ahead is not None:
        text, key = ahead
    else:
        read = read_text(path, notes, hcl_limit(path))
        if read is None:
            return None
        text, key = read, cache.key(kind, read.encode("utf-8"))
    cached = cache.get(key)
    if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], tuple):
        body, comments = cached
        return TfFile(path, body, comments, is_json)
    try:
        if is_json:
            body, comments = _json_body(text, path), ()
        else:
            body, comments = parse(text)
    except HclSyntaxError as exc:
        notes.append(
            Notification(
                PARSE_ERROR,
                f"invalid HCL: {exc.message}",
                Span(path, max(exc.line, 1), max(exc.column, 1)),
                "error",
            )
        )
        return None
    except _JsonSyntaxError as exc:
        notes.append(
            Notification(PARSE_ERROR, f"invalid JSON: {exc.message}", Span(path, exc.line, exc.column), "error")
        )
        return None
    except RecursionError:
        notes.append(Notification(PARSE_ERROR, "nested too deeply to parse", Span(path, 1), "error"))
        return None
    cache.put(key, (body, comments))
    return TfFile(path, body, comments, is_json)


def load_module_dir(directory: str, files: list[str], cache: ParseCache, notes: list[Notification]) -> ModuleDir:
    module = ModuleDir(directory)
    for path in sorted(files):
        tf = load_tf_file(path, cache, notes)
        if tf is not None:
            module.files.append(tf)
    module.index(notes)
    return module


def module_files(directory: str) -> list[str]:
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(
        os.path.join(directory, n)
        for n in names
        if (n.endswith(".tf") or n.endswith(".tf.json")) and os.path.isfile(os.path.join(directory, n))
    )


# -- tfvars ---------------------------------------------------------------------------------
def read_tfvars(
    path: str, loader: TerraformLoader, instance: ModuleInstance
) -> tuple[list[tuple[str, Any, Span]], Resource | None]:
    from iamready.parsers.terraform.edges import link_refs
    from iamready.parsers.terraform.evaluator import Scope

    notes = loader.notes
    text = read_text(path, notes, hcl_limit(path))
    if text is None:
        return [], None
    out: list[tuple[str, Any, Span]] = []
    attrs = LDict(span=Span(path, 1))
    if path.endswith(".json"):
        from iamready.jsonpos import JsonPosError, loads

        try:
            value, _dups = loads(text, path)
        except JsonPosError as exc:
            notes.append(
                Notification(PARSE_ERROR, f"invalid JSON: {exc.message}", Span(path, exc.line, exc.column), "error")
            )
            return [], None
        if not isinstance(value, dict):
            notes.append(Notification(PARSE_ERROR, "a .tfvars.json file must hold an object", Span(path, 1), "error"))
            return [], None
        for name, item in value.items():
            span = value.key_spans.get(name, Span(path, 1))
            out.append((name, item, span))
            attrs.set(name, item, span)
    else:
        try:
            body, _comments = parse(text)
        except HclSyntaxError as exc:
            notes.append(
                Notification(
                    PARSE_ERROR,
                    f"invalid HCL: {exc.message}",
                    Span(path, max(exc.line, 1), max(exc.column, 1)),
                    "error",
                )
            )
            return [], None
        refs: dict[str, str] = {}
        scope = Scope(instance, path, None, refs)
        for item in body:
            if item[0] != "A":
                continue
            value = instance._eval_guarded(item[3], scope, f"{os.path.basename(path)}: {item[2]}")
            span = Span(path, *item[1])
            out.append((item[2], value, span))
            attrs.set(item[2], value, span)
    name = os.path.basename(path)
    node = Resource(
        id=f"{instance.root_dir}::tfvars:{path}",
        address=name,
        type="tfvars",
        framework=TERRAFORM,
        span=Span(path, 1),
        attrs=attrs,
        kind="tfvars",
        scope=instance.root_dir,
        name=name,
    )
    link_refs(loader.graph, node, {})
    return out, node


# -- Terraform JSON syntax --------------------------------------------------------------------
class _JsonSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _sp(span: Span | None) -> tuple[int, int, int, int]:
    if span is None:
        return (1, 1, 1, 1)
    return (span.start_line, span.start_col, span.end_line, span.end_col)


def _json_body(text: str, path: str) -> tuple[Any, ...]:
    from iamready.jsonpos import JsonPosError, loads

    try:
        doc, _dups = loads(text, path)
    except JsonPosError as exc:
        raise _JsonSyntaxError(exc.message, exc.line, exc.column) from None
    if not isinstance(doc, LDict):
        raise _JsonSyntaxError("a .tf.json file must hold an object", 1, 1)
    body: list[Any] = []
    for top, value in doc.items():
        top_span = doc.key_spans.get(top)
        if top in ("resource", "data"):
            for rtype, named in _objects(value):
                for name, config in _objects(named):
                    for cfg in _as_list(config):
                        body.append(
                            (
                                "B",
                                _sp(getattr(cfg, "span", None) or top_span),
                                top,
                                (rtype, name),
                                _attrs(cfg),
                            )
                        )
        elif top in ("variable", "output", "module", "provider"):
            for name, config in _objects(value):
                for cfg in _as_list(config):
                    body.append(("B", _sp(getattr(cfg, "span", None) or top_span), top, (name,), _attrs(cfg)))
        elif top == "locals":
            for cfg in _as_list(value):
                body.append(("B", _sp(getattr(cfg, "span", None) or top_span), "locals", (), _attrs(cfg)))
    return tuple(body)


def _objects(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list):
        return [item for v in value if isinstance(v, dict) for item in v.items()]
    return []


def _as_list(value: Any) -> list[Any]:
    return (
        [v for v in value if isinstance(v, dict)]
        if isinstance(value, list)
        else [value]
        if isinstance(value, dict)
        else []
    )


def _attrs(obj: Any) -> tuple[Any, ...]:
    out = []
    for key, value in obj.items():
        if key == "//":
            continue
        span = obj.key_spans.get(key) if isinstance(obj, LDict) else None
        out.append(("A", _sp(span), key, _json_expr(value, span)))
    return tuple(out)


def _json_expr(value: Any, span: Span | None, depth: int = 0) -> Any:
    sp = _sp(getattr(value, "span", None) or span)
    if depth > 200:
        raise _JsonSyntaxError("nested too deeply", sp[0], sp[1])
    if isinstance(value, str):
        if "${" not in value and "%{" not in value:
            return ("tmpl", sp, (value,) if value else ())
        try:
            parts = parse_template(value, sp[0], sp[1] + 1, positions=False)
        except HclSyntaxError as exc:
            raise _JsonSyntaxError(exc.message, exc.line, exc.column) from None
        return ("tmpl", sp, parts)
    if isinstance(value, list):
        spans = value.item_spans if isinstance(value, LList) else []
        return (
            "tuple",
            sp,
            tuple(_json_expr(v, spans[i] if i < len(spans) else None, depth + 1) for i, v in enumerate(value)),
        )
    if isinstance(value, dict):
        elems = []
        for key, item in value.items():
            kspan = value.key_spans.get(key) if isinstance(value, LDict) else None
            ksp = _sp(kspan)
            elems.append((("lit", ksp, key), _json_expr(item, kspan, depth + 1), ksp))
        return ("object", sp, tuple(elems))
    return ("lit", sp, value)
