"""Credentials in configuration: AWS access keys, secret keys, secret-looking names and values.

Shared by the rules on hard-coded credentials (provider blocks, variables, Lambda environments,
ECS task definitions, user data, SSM parameters, CloudFormation parameters) and on access keys
handed around (outputs, files, compute, CI).

Two kinds of evidence:

* *literal* credentials written in the code: an access key id (``AKIA...``/``ASIA...``), a
  secret access key (40 characters, recognised only next to a name that says so, e.g.
  ``secret_key`` or ``AWS_SECRET_ACCESS_KEY=``), or any non-placeholder value under a
  secret-looking name (``db_password``, ``API_TOKEN``);
* *references* to the credentials of an ``aws_iam_access_key`` / ``AWS::IAM::AccessKey``: symbolic
  values (:class:`~iamready.model.value.LStr` with ``ref``) and their text form
  (``"${aws_iam_access_key.ci.secret}"``) inside larger strings.

False positives cost users' trust, so placeholders (``"changeme"``, ``"<your-key>"``, ``"xxxx"``),
references (``"${var.x}"``, ``"$DB_PASSWORD"``, ``{{resolve:secretsmanager:...}}``), pointers to a
secret (ARNs, SSM parameter paths) and symbolic values are never reported as secrets. Messages
never show a secret: :func:`mask` keeps at most a key id's first and last four characters.
"""

from __future__ import annotations

import functools
import itertools
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from iamready.model.span import Span
from iamready.model.value import Choice, LDict, LList, LStr, Unknown, Value

if TYPE_CHECKING:
    from iamready.model.graph import Graph, Resource

# kinds of hits
ACCESS_KEY_ID = "access-key-id"
SECRET_ACCESS_KEY = "secret-access-key"
SECRET = "secret"

ACCESS_KEY_TYPES = ("aws_iam_access_key", "AWS::IAM::AccessKey")
# attributes of an access key resource that are secrets, and those that are the public key id
KEY_SECRET_ATTRS = {
    "aws_iam_access_key": ("secret", "ses_smtp_password_v4"),
    "AWS::IAM::AccessKey": ("SecretAccessKey",),
}
KEY_ID_ATTRS = {"aws_iam_access_key": ("id",), "AWS::IAM::AccessKey": ("", "Ref", "Id")}

_KEY_ID_RE = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])")
_SECRET_KEY_RE = re.compile(r"[A-Za-z0-9/+]{40}")
# NAME=VALUE, NAME: VALUE, "NAME": "VALUE", NAME VALUE (aws configure set) with a secret-key name
_SECRET_ASSIGN_RE = re.compile(
    r"""(?ix)
    (?<![A-Za-z0-9])
    (?:aws_?)?secret_?access_?key
    ["']?
    (?:\s*[:=]\s*|\s+)
    ["']?
    (?P<value>[A-Za-z0-9/+]{40})
    (?![A-Za-z0-9/+=])
    """
)
_REF_TEXT_RE = re.compile(r"\$\{(?P<expr>[^${}]+)\}")

_STRONG_TOKENS = {
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "secrets",
    "token",
    "apikey",
    "credential",
    "credentials",
    "creds",
    "privatekey",
    "secretkey",
    "accesskey",
}
_SECRET_BIGRAMS = {
    ("api", "key"),
    ("access", "key"),
    ("secret", "key"),
    ("private", "key"),
    ("auth", "key"),
    ("signing", "key"),
    ("client", "secret"),
    ("session", "token"),
}
# a name ending in one of these designates or describes a secret, it does not hold one
_POINTER_TOKENS = {
    "arn",
    "arns",
    "id",
    "ids",
    "name",
    "names",
    "path",
    "paths",
    "url",
    "uri",
    "endpoint",
    "file",
    "filename",
    "length",
    "len",
    "ttl",
    "policy",
    "version",
    "param",
    "params",
    "parameter",
    "parameters",
    "alias",
    "aliases",
    "settings",
    "config",
    "ref",
    "type",
    "enabled",
    "enable",
    "required",
    "rotation",
    "expiry",
    "expiration",
    "expires",
    "age",
    "count",
    "location",
    "prefix",
    "suffix",
    "header",
    "field",
    "format",
    "hint",
    "reset",
    "min",
    "max",
    "size",
    "mode",
    "source",
    "store",
    "manager",
    "rule",
    "rules",
    "kms",
    "hash",
    "algorithm",
    "pattern",
    "description",
}
_PLACEHOLDER_WORDS = (
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "replace",
    "placeholder",
    "your_",
    "your-",
    "yourpassword",
    "dummy",
    "fake",
    "sample",
    "example",
    "redacted",
    "todo",
    "tbd",
    "fixme",
    "notset",
    "not_set",
    "not-set",
    "insert",
    "xxx",
    "***",
    "...",
)
_GENERIC_VALUES = {"null", "none", "nil", "n/a", "na", "undefined", "secret", "password", "token", "default", "unset"}
_POINTER_RE = re.compile(
    r"""(?ix)^(
        arn:                                  # an ARN (Secrets Manager, SSM, KMS)
      | \{\{\s*resolve:                       # a CloudFormation dynamic reference
      | (ssm|secretsmanager|vault|aws-sm|kms|env|file|s3)://?   # a secret-store or file pointer
      | alias/
      | https?://(?![^/\s]*:[^/\s]*@)         # a URL without user:password@
      | /[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+/?$  # an SSM parameter path
    )"""
)
_REFERENCE_RE = re.compile(r"\$\{|\{\{|\$\(|^\$[A-Za-z_]|^%[A-Za-z_]+%$|^#\{|^<.*>$|^\[.*\]$|^__.*__$")


# -- names ------------------------------------------------------------------------------------
_CAMEL_RE = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM_RE = re.compile(r"([A-Z]+)([A-Z][a-z])")
_SEPARATOR_RE = re.compile(r"[^A-Za-z0-9]+")


def name_tokens(name: str) -> list[str]:
    """``"AWS_SECRET_ACCESS_KEY"``, ``"dbPassword"``, ``"APIKey"`` -> lower-case word tokens."""
    return list(_name_tokens(str(name)))


@functools.lru_cache(maxsize=8192)  # attribute and key names repeat across thousands of resources
def _name_tokens(name: str) -> tuple[str, ...]:
    text = _ACRONYM_RE.sub(r"\1 \2", _CAMEL_RE.sub(r"\1 \2", name))
    return tuple(t for t in _SEPARATOR_RE.split(text.lower()) if t)


def is_secret_name(name: Any) -> bool:
    """True for names that say they hold a secret (``db_password``, ``API_TOKEN``, ``secret_key``).

    Names that designate or describe a secret (``password_secret_arn``, ``token_ttl``,
    ``max_password_age``, ``secret_name``) are not secret names.
    """
    if not isinstance(name, str) or not name:
        return False
    tokens = name_tokens(name)
    if not tokens or tokens[-1] in _POINTER_TOKENS:
        return False
    if "secretsmanager" in tokens or ("secrets", "manager") in itertools.pairwise(tokens):
        return False  # SecretsManagerSecretForMQ: designates a Secrets Manager secret (its ARN or name)
    if any(t in _STRONG_TOKENS for t in tokens):
        return True
    if any(pair in _SECRET_BIGRAMS for pair in itertools.pairwise(tokens)):
        return True
    # "db_pass", "DbPass": "pass" as the last word; "MYSECRET", "DBPASS", "adminpwd": a secret word glued
    # to a short prefix without a separator
    if tokens[-1] == "pass" and len(tokens) > 1 and tokens[-2] in _GLUED_PREFIXES:
        return True
    return any(_glued_secret(t) for t in tokens)


_GLUED_PREFIXES = (
    "my",
    "db",
    "admin",
    "root",
    "user",
    "app",
    "api",
    "master",
    "mysql",
    "pg",
    "postgres",
    "redis",
    "smtp",
    "ldap",
    "sa",
    "svc",
    "service",
    "client",
    "private",
)
_GLUED_SUFFIXES = ("secret", "password", "passwd", "pwd", "pass", "token", "privatekey")


def _glued_secret(token: str) -> bool:
    return any(token.endswith(suffix) and token[: -len(suffix)] in _GLUED_PREFIXES for suffix in _GLUED_SUFFIXES)


def is_secret_key_name(name: Any) -> bool:
    """True for names of an AWS secret access key (``secret_key``, ``AWS_SECRET_ACCESS_KEY``, ``SecretAccessKey``)."""
    if not isinstance(name, str):
        return False
    tokens = name_tokens(name)
    joined = "".join(tokens)
    return joined.endswith(("secretkey", "secretaccesskey")) or joined in ("secret", "awssecret")


# -- values -----------------------------------------------------------------------------------
def is_literal(value: Any) -> bool:
    """A string written in the code: not unknown, not symbolic, not a template reference."""
    if not isinstance(value, str) or isinstance(value, (Unknown, Choice)):
        return False
    if isinstance(value, LStr) and value.ref is not None:
        return False
    return "${" not in value


_CONSTANT_POINTER_RE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def is_placeholder(value: Any) -> bool:
    """True for values that are obviously not a real secret: empty, placeholders, references, pointers."""
    if not isinstance(value, str):
        return True
    text = value.strip()
    if len(text) < 6:
        return True
    low = text.lower()
    if low in _GENERIC_VALUES or len(set(low)) <= 2:
        return True
    if any(word in low for word in _PLACEHOLDER_WORDS):
        return True
    if _REFERENCE_RE.search(text) or _POINTER_RE.match(text):
        return True
    if re.fullmatch(r"[0-9.,:-]+|true|false|yes|no", low):
        return True
    if _CONSTANT_POINTER_RE.fullmatch(text) and low.rsplit("_", 1)[-1] in _POINTER_TOKENS:
        return True  # ACTIVEMQ_SECRET_ARN, DB_PASSWORD_NAME: a name to replace with the real ARN or name
    return text.count(" ") >= 3  # a sentence, not a secret


def is_access_key_id(text: Any) -> bool:
    return isinstance(text, str) and _KEY_ID_RE.fullmatch(str(text).strip()) is not None


def is_secret_access_key(text: Any) -> bool:
    """40 characters of the secret-key alphabet, with both cases (so not a hex digest)."""
    if not isinstance(text, str):
        return False
    text = str(text).strip()
    if not _SECRET_KEY_RE.fullmatch(text):
        return False
    return any(c.islower() for c in text) and any(c.isupper() for c in text)


def mask(secret: str) -> str:
    """What a message may show of a credential: ``AKIA...MPLE`` for a key id, nothing else of a secret."""
    text = str(secret).strip()
    if _KEY_ID_RE.fullmatch(text):
        return f"{text[:4]}...{text[-4:]}"
    return f"{len(text)} characters"


class _HasSpan(Protocol):
    @property
    def span(self) -> Span | None: ...


_Placed = TypeVar("_Placed", bound=_HasSpan)


# -- hits -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    """A literal credential found in a value."""

    kind: str  # ACCESS_KEY_ID | SECRET_ACCESS_KEY | SECRET
    masked: str
    span: Span | None
    path: str  # where inside the scanned value ("" for the value itself)
    name: str  # the name it was found under (attribute, map key, environment variable), or ""
    written: Span | None = None  # where the literal itself is written (a variable default, a local, ...)

    def written_within(self, bounds: Span) -> bool:
        """True when the literal is written inside ``bounds`` (not brought in from elsewhere)."""
        return _within(self.written, bounds)

    def what(self) -> str:
        """What was found, without an article: ``AWS access key id (AKIA...MPLE)``."""
        if self.kind == ACCESS_KEY_ID:
            return f"AWS access key id ({self.masked})"
        if self.kind == SECRET_ACCESS_KEY:
            return "AWS secret access key"
        return f"secret ({self.masked})"

    def describe(self) -> str:
        if self.kind == SECRET:
            return f"a hard-coded {self.what()}"
        return f"an {self.what()}"


def by_place(found: Iterable[_Placed]) -> list[list[_Placed]]:
    """Credentials grouped by where a finding about them points, in the order found: an access key
    id and its secret on one ``aws configure`` line, or in one block of user data whose lines
    cannot be told apart, are one place, and one finding there names both."""
    groups: dict[tuple[str, int, int] | None, list[_Placed]] = {}
    for item in found:
        span = item.span
        groups.setdefault(None if span is None else (span.path, span.start_line, span.start_col), []).append(item)
    return list(groups.values())


def listing(words: Iterable[str]) -> str:
    """``a, b and c``, each named once."""
    items = list(dict.fromkeys(words))
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _within(span: Span | None, bounds: Span | None) -> bool:
    if span is None:
        return False
    if bounds is None:
        return True
    return span.path == bounds.path and bounds.start_line <= span.start_line <= bounds.end_line


def _line_span(value: Any, offset: int, fallback: Span | None) -> Span | None:
    """The line of ``offset`` inside a multi-line string whose first character is at ``value.origin``."""
    origin = getattr(value, "origin", None)
    if isinstance(origin, Span):
        line = origin.start_line + str(value).count("\n", 0, offset)
        return Span(origin.path, line, 1, line, 1)
    span = getattr(value, "span", None)
    if isinstance(span, Span):
        # a YAML block scalar (``|``): the indicator's line, then one source line per text line
        lines = str(value).rstrip("\n").count("\n") + 1
        if lines > 1 and span.end_line - span.start_line == lines:
            line = span.start_line + 1 + str(value).count("\n", 0, offset)
            return Span(span.path, line, 1, line, 1)
    return span or fallback


def _join(path: str, part: Any) -> str:
    if isinstance(part, int):
        return f"{path}[{part}]"
    return f"{path}.{part}" if path else str(part)


def _concat(head: str, tail: str) -> str:
    if not tail:
        return head
    return f"{head}{tail}" if tail.startswith("[") or not head else f"{head}.{tail}"


def _pair_name(item: dict) -> tuple[str | None, str | None]:
    """For ``{"name": N, "value": V}`` items (ECS environment, CodeBuild variables): (N, value key)."""
    keys = {str(k).lower(): k for k in item}
    if "name" in keys and "value" in keys and isinstance(item[keys["name"]], str):
        return str(item[keys["name"]]), keys["value"]
    return None, None


def find_secrets(
    value: Any,
    name: str = "",
    span: Span | None = None,
    path: str = "",
    bounds: Span | None = None,
    names: bool = True,
) -> list[Hit]:
    """Literal credentials inside ``value`` (strings, maps, lists, JSON strings built by ``jsonencode``).

    ``name`` is the name the value is held under (an attribute, a variable). ``span`` locates the
    value; ``bounds`` (a resource's block) keeps locations of nested entries inside it when the
    value came from elsewhere. ``names=False`` ignores secret-looking names and reports only
    AWS key material.
    """
    out: list[Hit] = []
    _walk(value, name, span, path, bounds, names, out, 0)
    return out


def _child_span(container: Any, key: Any, item: Any, parent: Span | None, bounds: Span | None) -> Span | None:
    candidate = None
    if isinstance(container, LDict):
        candidate = container.key_spans.get(key)
    elif isinstance(container, LList) and isinstance(key, int):
        candidate = container.span_of(key)
    candidate = candidate or getattr(item, "span", None)
    return candidate if _within(candidate, bounds) else parent


def _walk(
    value: Any, name: str, span: Span | None, path: str, bounds: Span | None, names: bool, out: list[Hit], depth: int
) -> None:
    if depth > 100 or isinstance(value, (Unknown, Choice)):
        return
    if isinstance(value, dict):
        pair_name, value_key = _pair_name(value)
        for key, item in value.items():
            child = _child_span(value, key, item, span, bounds)
            if value_key is not None and key == value_key:
                _walk(item, pair_name or "", child, _join(path, key), bounds, names, out, depth + 1)
            else:
                _walk(item, str(key), child, _join(path, key), bounds, names, out, depth + 1)
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            child = _child_span(value, index, item, span, bounds)
            _walk(item, name, child, _join(path, index), bounds, names, out, depth + 1)
        return
    if not isinstance(value, str):
        return
    doc = getattr(value, "doc", None)
    if doc is not None:  # jsonencode(...): the structure, with its own spans
        _walk(doc, name, span, path, bounds, names, out, depth + 1)
        return
    _scan_string(value, name, span, path, bounds, names, out)


def _scan_string(
    value: str, name: str, span: Span | None, path: str, bounds: Span | None, names: bool, out: list[Hit]
) -> None:
    if isinstance(value, LStr) and value.ref is not None:
        return
    text = str(value)
    literal_span = getattr(value, "span", None) or span
    here = literal_span if _within(literal_span, bounds) or bounds is None else span
    here = here or span
    found_key_material = False
    for match in _KEY_ID_RE.finditer(text):
        where = _line_span(value, match.start(), here) if "\n" in text else here
        out.append(
            Hit(ACCESS_KEY_ID, mask(match.group(0)), where, path, name, _line_span(value, match.start(), literal_span))
        )
        found_key_material = True
    for match in _SECRET_ASSIGN_RE.finditer(text):
        secret = match.group("value")
        if is_secret_access_key(secret):
            where = _line_span(value, match.start(), here) if "\n" in text else here
            out.append(
                Hit(SECRET_ACCESS_KEY, mask(secret), where, path, name, _line_span(value, match.start(), literal_span))
            )
            found_key_material = True
    if found_key_material or not is_literal(value):
        return
    if is_secret_key_name(name) and is_secret_access_key(text):
        out.append(Hit(SECRET_ACCESS_KEY, mask(text), here, path, name, literal_span))
        return
    if names and is_secret_name(name) and not is_placeholder(text) and "\n" not in text.strip():
        out.append(Hit(SECRET, mask(text), here, path, name, literal_span))


# -- references to access keys ------------------------------------------------------------------
@dataclass(frozen=True)
class KeyRef:
    """A reference to an access key's secret or id inside a value."""

    key: Resource
    attr: str  # "secret", "ses_smtp_password_v4", "id", "SecretAccessKey", ...
    span: Span | None
    path: str

    @property
    def is_secret(self) -> bool:
        return self.attr in KEY_SECRET_ATTRS.get(self.key.type, ())

    def describe(self) -> str:
        if self.attr == "ses_smtp_password_v4":
            what = "the SES SMTP password"
        else:
            what = "the secret" if self.is_secret else "the key id"
        return f"{what} of {self.key.address}"


def find_key_refs(
    value: Any, graph: Graph, scope: str, span: Span | None = None, bounds: Span | None = None
) -> list[KeyRef]:
    """References to ``aws_iam_access_key`` / ``AWS::IAM::AccessKey`` attributes inside ``value``."""
    return find_refs(value, graph, scope, ACCESS_KEY_TYPES, span, bounds)


def find_refs(
    value: Any,
    graph: Graph,
    scope: str,
    types: tuple[str, ...],
    span: Span | None = None,
    bounds: Span | None = None,
) -> list[KeyRef]:
    """References to attributes of resources of ``types`` (of the same scan scope) inside ``value``.

    Symbolic values are recognised by their ``ref``; inside larger strings (templates, user
    data, ``Fn::Sub``) by their text form ``${address.attribute}``.
    """
    keys = _addresses(graph, scope, types)
    if not keys:
        return []
    out: list[KeyRef] = []
    _walk_refs(value, graph, keys, span, "", bounds, out, 0)
    return out


_ADDRESSES: weakref.WeakKeyDictionary[Any, dict[tuple[str, tuple[str, ...]], dict[str, Resource]]] = (
    weakref.WeakKeyDictionary()
)


def _addresses(graph: Graph, scope: str, types: tuple[str, ...]) -> dict[str, Resource]:
    """Resources of ``types`` in ``scope`` by address, once per graph (asked for every value scanned)."""
    per_graph = _ADDRESSES.setdefault(graph, {})
    found = per_graph.get((scope, types))
    if found is None:
        found = per_graph[(scope, types)] = {r.address: r for r in graph.resources_in(scope, types)}
    return found


def _walk_refs(
    value: Any,
    graph: Graph,
    keys: dict[str, Resource],
    span: Span | None,
    path: str,
    bounds: Span | None,
    out: list[KeyRef],
    depth: int,
) -> None:
    if depth > 100 or isinstance(value, (Unknown, Choice)):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            child = _child_span(value, key, item, span, bounds)
            _walk_refs(item, graph, keys, child, _join(path, key), bounds, out, depth + 1)
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            child = _child_span(value, index, item, span, bounds)
            _walk_refs(item, graph, keys, child, _join(path, index), bounds, out, depth + 1)
        return
    if not isinstance(value, str):
        return
    doc = getattr(value, "doc", None)
    if doc is not None:
        _walk_refs(doc, graph, keys, span, path, bounds, out, depth + 1)
        return
    ref = getattr(value, "ref", None)
    if ref is not None:
        target = graph.get(ref[0])
        if target is not None and target.address in keys and keys[target.address] is target:
            own = getattr(value, "span", None)
            out.append(KeyRef(target, ref[1], own if _within(own, bounds) and bounds else span, path))
            return
    text = str(value)
    if "${" not in text:
        return
    for match in _REF_TEXT_RE.finditer(text):
        # the text form of a symbolic value: "${aws_iam_access_key.ci.secret}" (Terraform),
        # "${PartnerKey.SecretAccessKey}" or "${PartnerKey}" (CloudFormation GetAtt and Ref)
        expr = match.group("expr").strip()
        target, attr = keys.get(expr), "Ref"
        if target is None and "." in expr:
            address, attr = expr.rsplit(".", 1)
            target = keys.get(address)
        if target is not None:
            where = _line_span(value, match.start(), span) if "\n" in text else span
            if not _within(where, bounds):
                where = span
            out.append(KeyRef(target, attr, where, path))


# -- who uses an access key ----------------------------------------------------------------------
@dataclass(frozen=True)
class Usage:
    consumer: Resource
    ref: KeyRef


_USAGES: weakref.WeakKeyDictionary[Any, dict[str, list[Usage]]] = weakref.WeakKeyDictionary()
# node types that only carry values along (their consumers are found directly)
_PASS_THROUGH = {"locals", "variable", "tfvars", "module"}


def key_usages(graph: Graph) -> dict[str, list[Usage]]:
    """Access key id -> every place its secret or id is used (resources, root outputs), in file order."""
    cached = _USAGES.get(graph)
    if cached is not None:
        return cached
    result: dict[str, list[Usage]] = {}
    keys = list(graph.resources(ACCESS_KEY_TYPES))
    if keys:
        scopes = {k.scope for k in keys}
        for resource in graph.resources():
            if resource.scope not in scopes or resource.type in ACCESS_KEY_TYPES or resource.kind in _PASS_THROUGH:
                continue
            if resource.type == "output" and resource.module_path:
                continue  # a child module's output reaches users only through the root
            for name, item in resource.attrs.items():
                attr_span = resource.attrs.key_spans.get(name, resource.span)
                for ref in find_key_refs(item, graph, resource.scope, attr_span, resource.span):
                    full = KeyRef(ref.key, ref.attr, ref.span, _concat(str(name), ref.path))
                    result.setdefault(ref.key.id, []).append(Usage(resource, full))
    for usages in result.values():
        usages.sort(key=lambda u: (u.consumer.span.path, u.consumer.span.start_line, u.consumer.address, u.ref.path))
    _USAGES[graph] = result
    return result


def iter_key_usages(graph: Graph, key: Resource) -> Iterator[Usage]:
    yield from key_usages(graph).get(key.id, ())


# -- declarations of module instances ---------------------------------------------------------------
_FIRST: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def first_instance(graph: Graph, resource: Resource) -> bool:
    """False for the second and later nodes of one declaration (a module called twice, a var file
    shared by several root modules), so a literal written once is reported once."""
    firsts = _FIRST.get(graph)
    if firsts is None:
        seen: dict[tuple[str, Span], Resource] = {}
        for node in sorted(graph.resources(), key=lambda r: (len(r.module_path), r.address, r.id)):
            seen.setdefault((node.type, node.span), node)
        firsts = {node.id for node in seen.values()}
        _FIRST[graph] = firsts
    return resource.id in firsts


# -- where a value came from -----------------------------------------------------------------------
_NO_VALUE_RE = re.compile(r"\bvariable ([A-Za-z0-9_-]+) has no value")


def value_origin(graph: Graph, holder: Resource, raw: Any) -> tuple[str, str] | None:
    """The variable or local a value assigned in ``holder`` came from: ``("variable", "root_key")``.

    Found from where the literal is written (a variable's default, a tfvars assignment, a local
    of the same module), or, for a variable without a value, from the unknown's reason.
    """
    if isinstance(raw, Unknown):
        match = _NO_VALUE_RE.search(raw.reason)
        return ("variable", match.group(1)) if match else None
    span = getattr(raw, "span", None)
    if not isinstance(span, Span):
        return None
    for node in graph.resources(("variable", "locals", "tfvars")):
        if node.scope != holder.scope:
            continue
        if node.type == "tfvars":
            if holder.module_path:
                continue
            for name, where in node.attrs.key_spans.items():
                if where.path == span.path and where.start_line <= span.start_line <= where.end_line:
                    return ("variable", str(name))
        elif node.module_path == holder.module_path and _within(span, node.span):
            return ("variable" if node.type == "variable" else "local", node.name)
    return None


# -- IAM users' credentials ------------------------------------------------------------------------
USER_TYPES = ("aws_iam_user", "AWS::IAM::User")
LOGIN_PROFILE_TYPES = ("aws_iam_user_login_profile",)
_USER_ATTR = {"aws_iam_access_key": "user", "aws_iam_user_login_profile": "user", "AWS::IAM::AccessKey": "UserName"}


def user_name(user: Resource) -> str:
    """The user's name as written, else its Terraform name / logical id."""
    value = user.attr("UserName" if user.type == "AWS::IAM::User" else "name").raw
    if isinstance(value, str) and not isinstance(value, Unknown) and is_literal(value):
        return str(value)
    return user.name or user.address


def _designation(value: Any) -> tuple[str, str] | None:
    """How a credential's ``user`` value names a user: ("ref", resource id) or ("name", user name)."""
    ref = getattr(value, "ref", None)
    if ref is not None:
        return ("ref", ref[0])
    if not isinstance(value, str) or isinstance(value, (Unknown, Choice)):
        return None
    return ("name", str(value).rsplit("/", 1)[-1])


def _own_name(user: Resource) -> str | None:
    own = user.attr("UserName" if user.type == "AWS::IAM::User" else "name").raw
    return str(own) if isinstance(own, str) and not isinstance(own, Unknown) else None


# per graph, built on first use: a scope with thousands of users and keys (for_each over a team list)
# made matching every user against every key quadratic
_CREDENTIALS: weakref.WeakKeyDictionary[
    Any, dict[tuple[str, tuple[str, ...]], dict[Any, list[tuple[int, Resource]]]]
] = weakref.WeakKeyDictionary()
_USERS: weakref.WeakKeyDictionary[Any, dict[str, dict[Any, Resource]]] = weakref.WeakKeyDictionary()


def credentials_of(graph: Graph, user: Resource, types: tuple[str, ...]) -> list[Resource]:
    """Access keys (``ACCESS_KEY_TYPES``) or login profiles (``LOGIN_PROFILE_TYPES``) of ``user``."""
    per_graph = _CREDENTIALS.setdefault(graph, {})
    index = per_graph.get((user.scope, types))
    if index is None:
        index = per_graph[(user.scope, types)] = {}
        for position, item in enumerate(graph.resources_in(user.scope, types)):
            key = _designation(item.attr(_USER_ATTR[item.type]).raw)
            if key is not None:
                index.setdefault(key, []).append((position, item))
    found = list(index.get(("ref", user.id), ()))
    own = _own_name(user)
    if own is not None:
        found += index.get(("name", own), ())
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def owner_of(graph: Graph, credential: Resource) -> Resource | None:
    """The user an access key or login profile belongs to, when the code defines it."""
    key = _designation(credential.attr(_USER_ATTR.get(credential.type, "user")).raw)
    if key is None:
        return None
    per_graph = _USERS.setdefault(graph, {})
    users = per_graph.get(credential.scope)
    if users is None:
        users = per_graph[credential.scope] = {}
        for user in graph.resources_in(credential.scope, USER_TYPES):  # the first of a name wins
            users.setdefault(("ref", user.id), user)
            own = _own_name(user)
            if own is not None:
                users.setdefault(("name", own), user)
    return users.get(key)


def console_access(graph: Graph, user: Resource) -> Any:
    """Where the user gets a console password: a login profile resource, or CloudFormation's
    ``LoginProfile`` property (a :class:`~iamready.model.value.Value`); None without one."""
    if user.type == "AWS::IAM::User":
        value = user.attr("LoginProfile")
        return value if value.is_set or value.is_unknown else None
    profiles = credentials_of(graph, user, LOGIN_PROFILE_TYPES)
    return profiles[0] if profiles else None


_HUMAN_CONSUMERS = ("output",)


def machine_usages(graph: Graph, user: Resource) -> list[Usage]:
    """Where the code hands the user's access keys to something other than a person reading an
    output: compute, CI secrets, parameter stores, files."""
    out: list[Usage] = []
    for key in credentials_of(graph, user, ACCESS_KEY_TYPES):
        out.extend(u for u in iter_key_usages(graph, key) if u.consumer.type not in _HUMAN_CONSUMERS)
    return out


SERVICE_NAME_TOKENS = {
    "svc",
    "service",
    "bot",
    "robot",
    "ci",
    "cd",
    "cicd",
    "deploy",
    "deployer",
    "deployment",
    "pipeline",
    "automation",
    "jenkins",
    "github",
    "gitlab",
    "circleci",
    "bitbucket",
    "terraform",
    "build",
    "builder",
    "app",
    "application",
    "system",
    "lambda",
    "worker",
    "integration",
    "sync",
    "backup",
    "export",
    "upload",
    "sftp",
    "smtp",
    "ses",
}


def service_name(name: str) -> bool:
    """A user name that says it is for software (``ci-deployer``, ``svc_backup``, ``github-actions``)."""
    return any(t in SERVICE_NAME_TOKENS for t in name_tokens(name))


# -- user data ----------------------------------------------------------------------------------------
# resource type -> user data attributes; ``True`` marks attributes that hold base64 text
USER_DATA_ATTRS: dict[str, tuple[tuple[str, bool], ...]] = {
    "aws_instance": (("user_data", False), ("user_data_base64", True)),
    "aws_spot_instance_request": (("user_data", False), ("user_data_base64", True)),
    "aws_launch_template": (("user_data", True),),
    "aws_launch_configuration": (("user_data", False), ("user_data_base64", True)),
    "AWS::EC2::Instance": (("UserData", False),),  # Fn::Base64 is read as the text it encodes
    "AWS::EC2::LaunchTemplate": (("LaunchTemplateData.UserData", False),),
    "AWS::AutoScaling::LaunchConfiguration": (("UserData", False),),
}


@dataclass
class UserData:
    """What one user data attribute reveals."""

    value: Any  # the attribute (a Value)
    hits: list[Hit]
    refs: list[KeyRef]
    unknown: str | None = None  # why the text could not be read


def _decode_base64(value: Any) -> Any:
    import base64
    import binascii

    text = "".join(str(value).split())  # base64 wrapped over several lines
    try:
        decoded = base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return value  # not base64 after all: read it as it is
    return LStr(decoded, getattr(value, "span", None))


_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/]+={0,2}")


def _looks_base64(value: Any) -> bool:
    """Literal user data that is base64 text (CloudFormation requires it, some paste it in Terraform):
    only base64 characters, a whole number of 4-character groups, at least 16, decoding to text."""
    text = "".join(str(value).split())
    if len(text) < 16 or len(text) % 4 or not _BASE64_TEXT.fullmatch(text):
        return False
    decoded = _decode_base64(text)
    if decoded is text or not isinstance(decoded, str):
        return False
    return all(c.isprintable() or c in "\r\n\t" for c in str(decoded))


def user_data(graph: Graph, resource: Resource) -> list[UserData]:
    """AWS key material and access-key references in a resource's user data."""
    out: list[UserData] = []
    for attr, encoded in USER_DATA_ATTRS.get(resource.type, ()):
        value = resource.attr(attr)
        if isinstance(value.raw, Unknown) and value.raw.supplied:
            # its unknown parts are parameters or variables: whatever they hold, no key is written there;
            # the known parts are read (the unknown ones as line breaks, so nothing is glued together)
            known = value.raw.fill("\n")
            if not known:
                continue
            value = Value(LStr(known, value.span), value.span, value.path)
        if value.is_unknown:
            out.append(UserData(value, [], [], value.why_unknown))
            continue
        if not value.is_known or not isinstance(value.raw, str):
            continue
        literal = is_literal(value.raw)
        # base64 text is decoded before secrets are looked for (Fn::Base64 is already read as its text)
        raw = _decode_base64(value.raw) if literal and (encoded or _looks_base64(value.raw)) else value.raw
        hits = find_secrets(raw, attr, value.span, "", resource.span, names=False)
        refs = find_key_refs(raw, graph, resource.scope, value.span, resource.span)
        if hits or refs:
            out.append(UserData(value, hits, refs))
    return out


# other credentials in scripts: assignments and options with a secret-looking name, private keys,
# and tokens whose documented prefix says what they are
_SCRIPT_ASSIGN_RE = re.compile(
    r"""(?<![A-Za-z0-9_$-])(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*(?:=|:[ \t])[ \t]*"""
    r"""(?P<q>["']?)(?P<value>[^"'\s;|&]+)(?P=q)"""
)
_SCRIPT_OPTION_RE = re.compile(
    r"""(?<![A-Za-z0-9_-])--(?P<name>[a-z][a-z0-9-]*)(?:=|[ \t]+)(?P<q>["']?)(?P<value>[^"'\s;|&-][^"'\s;|&]*)(?P=q)"""
)
_PRIVATE_KEY_RE = re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")
_TOKEN_RES = (
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})\b")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20}\b")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b")),
    ("a Stripe secret key", re.compile(r"\bsk_live_[A-Za-z0-9]{24,}\b")),
)


@dataclass(frozen=True)
class ScriptSecret:
    what: str  # "DATABASE_PASSWORD", "a private key", "a GitHub token"
    span: Span | None


def script_secrets(value: Any, span: Span | None) -> list[ScriptSecret]:
    """Credentials other than AWS keys written into a script (user data): ``DB_PASSWORD=...``,
    ``--password ...``, private key blocks, tokens with a documented prefix. Values that are
    references (``$DB_PASSWORD``, ``${var.x}``, ``{{resolve:...}}``) or placeholders are not secrets."""
    if not isinstance(value, str) or isinstance(value, (Unknown, Choice)):
        return []
    text = str(value)
    out: list[ScriptSecret] = []
    for regex in (_SCRIPT_ASSIGN_RE, _SCRIPT_OPTION_RE):
        for match in regex.finditer(text):
            name, secret = match.group("name"), match.group("value")
            secret_name = is_secret_name(name) or (regex is _SCRIPT_OPTION_RE and name in ("pass", "pw"))
            if not secret_name or is_placeholder(secret) or secret.startswith(("$", "%", "`")):
                continue
            if is_access_key_id(secret) or is_secret_access_key(secret):
                continue  # AWS key material: AWS-EC2-001
            out.append(ScriptSecret(name, _line_span(value, match.start(), span)))
    for match in _PRIVATE_KEY_RE.finditer(text):
        out.append(ScriptSecret("a private key", _line_span(value, match.start(), span)))
    for what, regex in _TOKEN_RES:
        for match in regex.finditer(text):
            where = _line_span(value, match.start(), span)
            if not any(found.span == where for found in out):  # the same line, already named
                out.append(ScriptSecret(what, where))
    return out


def user_data_texts(resource: Resource) -> list[tuple[Any, Any]]:
    """(attribute Value, the text as the instance receives it) for each user data attribute."""
    out = []
    for attr, encoded in USER_DATA_ATTRS.get(resource.type, ()):
        value = resource.attr(attr)
        if value.is_unknown or (value.is_known and isinstance(value.raw, str)):
            raw = _decode_base64(value.raw) if encoded and is_literal(value.raw) else value.raw
            out.append((value, raw))
    return out


INSTANCE_PROFILE_ATTRS = {
    "aws_instance": "iam_instance_profile",
    "aws_spot_instance_request": "iam_instance_profile",
    "aws_launch_template": "iam_instance_profile",
    "aws_launch_configuration": "iam_instance_profile",
    "AWS::EC2::Instance": "IamInstanceProfile",
    "AWS::EC2::LaunchTemplate": "LaunchTemplateData.IamInstanceProfile",
    "AWS::AutoScaling::LaunchConfiguration": "IamInstanceProfile",
}


# -- TLS private keys ---------------------------------------------------------------------------------
PRIVATE_KEY_TYPES = ("tls_private_key",)
PRIVATE_KEY_ATTRS = ("private_key_pem", "private_key_openssh", "private_key_pem_pkcs8")


def private_key_refs(graph: Graph, resource: Resource, attr: str) -> list[KeyRef]:
    """References to a ``tls_private_key``'s private key material in ``resource.attr``."""
    value = resource.attr(attr)
    span = value.span or resource.span
    refs = [
        r
        for r in find_refs(value.raw, graph, resource.scope, PRIVATE_KEY_TYPES, span, resource.span)
        if r.attr in PRIVATE_KEY_ATTRS
    ]
    if refs or not value.is_unknown:
        return refs
    # attributes iamready does not model become unknowns that still name what they are
    reason = value.why_unknown
    for key in graph.references(resource, PRIVATE_KEY_TYPES):
        for name in PRIVATE_KEY_ATTRS:
            if f"{key.address}.{name}" in reason:
                refs.append(KeyRef(key, name, span, ""))
    return refs
