"""Configuration: defaults < config file < command line, resolved once into a frozen Config.

The file is ``[tool.iamready]`` in ``pyproject.toml`` or a ``.iamready.toml`` (top-level keys),
found by walking up from the first scanned path (up to the root of its git repository), or given
with ``--config``. Keys are the long command-line flags (``fail-on`` <-> ``--fail-on``). An
unknown key or a value of the wrong type is an error that names the key and the file; a file
that is not valid TOML is an error that names the file and the line.

Paths in the file (``output``, ``baseline``, ``var-files``, ``per-path-ignores`` globs, ...) are
relative to the file's directory; paths on the command line are relative to the working directory.
A value on the command line replaces the file's value (lists are not merged).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields, replace
from typing import Any

from iamready.rule import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class ConfigError(Exception):
    """A configuration problem; the CLI prints it and exits with status 2."""


FORMATS = ("text", "json", "sarif", "github", "markdown", "checklist", "gitlab")
PROFILES = ("default", "baseline", "all")


@dataclass(frozen=True)
class Config:
    paths: tuple[str, ...] = (".",)
    format: str = "text"
    output: str | None = None
    fail_on: str = "low"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    checklist: tuple[str, ...] = ()
    severity: str | None = None  # only run rules at or above this severity
    per_path_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    var_files: tuple[str, ...] = ()
    vars: dict[str, str] = field(default_factory=dict)
    cfn_params: dict[str, str] = field(default_factory=dict)
    cfn_param_files: tuple[str, ...] = ()
    profile: str = "default"
    baseline: str | None = None
    write_baseline: str | None = None
    no_inline_suppressions: bool = False
    show_suppressed: bool = False
    strict: bool = False
    no_cache: bool = False
    extra_rules: tuple[str, ...] = ()
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    diff_base: str | None = None
    color: bool | None = None
    progress: bool | None = None
    config_file: str | None = None
    cwd: str = field(default_factory=os.getcwd)
    per_path_root: str | None = None  # the directory per-path-ignores globs are relative to (default: cwd)
    reports: tuple[tuple[str, str], ...] = ()  # extra (format, file) reports written by the same scan
    link_base: str | None = None  # markdown links: URL prefix for repository paths (".../blob/<sha>/")
    link_root: str | None = None  # markdown links: the directory repository paths are relative to
    max_chars: int = 65_536  # markdown: the report's size limit (a pull-request comment holds 65,536 characters)
    base_dir: str | None = None  # SARIF: URIs are relative to this directory (default: the git top level)
    file_keys: tuple[str, ...] = ()  # fields whose value came from the config file (for error messages)

    @property
    def fail_on_severity(self) -> Severity:
        return Severity.parse(self.fail_on)


# file key -> (field name, converter); a converter raises TypeError("what it must be")
def _str_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise TypeError("a list of strings")


def _checklist(value: Any) -> tuple[str, ...]:
    if isinstance(value, list) and any(isinstance(v, float) for v in value):
        raise TypeError('a list of strings (quote the items: ["2.5", "2.10"]; 2.10 as a number is 2.1)')
    return _str_list(value)


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise TypeError("a string")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError("true or false")


def _str_map(value: Any) -> dict[str, str]:
    if isinstance(value, dict) and all(isinstance(v, (str, int, float, bool)) for v in value.values()):
        return {str(k): str(v) if not isinstance(v, bool) else str(v).lower() for k, v in value.items()}
    raise TypeError("a table of strings")


def _ignores_map(value: Any) -> dict[str, tuple[str, ...]]:
    if isinstance(value, dict):
        return {str(k): _str_list(v) for k, v in value.items()}
    raise TypeError("a table of glob = [rule ids]")


def _rule_options(value: Any) -> dict[str, dict[str, Any]]:
    if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
        return {str(k).upper(): dict(v) for k, v in value.items()}
    raise TypeError("a table of rule id = { option = value }")


def _size_limit(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= MIN_CHARS:
        return value
    raise TypeError(f"a whole number of characters, at least {MIN_CHARS}")


MIN_CHARS = 2_000  # the summary, the checklist table and the "left out" line need about this much


def _choice(*choices: str) -> Any:
    def convert(value: Any) -> str:
        if isinstance(value, str) and value.strip().lower() in choices:
            return value.strip().lower()
        raise TypeError(f"one of {', '.join(repr(c) for c in choices)}")

    return convert


_SEVERITIES = ("critical", "high", "medium", "low", "info")

KEYS = {
    "format": ("format", _choice(*FORMATS)),
    "output": ("output", _str),
    "fail-on": ("fail_on", _choice(*_SEVERITIES)),
    "select": ("select", _str_list),
    "ignore": ("ignore", _str_list),
    "checklist": ("checklist", _checklist),
    "severity": ("severity", _choice(*_SEVERITIES)),
    "per-path-ignores": ("per_path_ignores", _ignores_map),
    "exclude": ("exclude", _str_list),
    "var-files": ("var_files", _str_list),
    "vars": ("vars", _str_map),
    "cfn-params": ("cfn_params", _str_map),
    "cfn-param-files": ("cfn_param_files", _str_list),
    "profile": ("profile", _choice(*PROFILES)),
    "baseline": ("baseline", _str),
    "no-inline-suppressions": ("no_inline_suppressions", _bool),
    "show-suppressed": ("show_suppressed", _bool),
    "strict": ("strict", _bool),
    "no-cache": ("no_cache", _bool),
    "extra-rules": ("extra_rules", _str_list),
    "rules": ("rule_options", _rule_options),
    "max-chars": ("max_chars", _size_limit),
    "base-dir": ("base_dir", _str),
}
_PATH_KEYS = {"output", "var_files", "cfn_param_files", "baseline", "extra_rules", "base_dir"}


def find_config_file(start: str) -> str | None:
    """The nearest ``.iamready.toml``, or ``pyproject.toml`` with ``[tool.iamready]``, walking up.

    The walk stops at the root of the git repository the path is in (the directory holding
    ``.git``), so a configuration outside the project is never picked up by accident.
    """
    directory = os.path.abspath(start)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        candidate = os.path.join(directory, ".iamready.toml")
        if os.path.isfile(candidate):
            return candidate
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_iamready_table(pyproject):
            return pyproject
        parent = os.path.dirname(directory)
        if parent == directory or os.path.exists(os.path.join(directory, ".git")):
            return None
        directory = parent


def _has_iamready_table(pyproject: str) -> bool:
    try:
        with open(pyproject, "rb") as handle:
            raw = handle.read()
    except OSError:
        return False
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        if b"tool.iamready" in raw:  # ours, and broken: say so rather than silently ignore it
            raise ConfigError(_toml_error(shown_path(pyproject), exc)) from None
        return False
    tool = data.get("tool", {})
    return isinstance(tool, dict) and "iamready" in tool


def _toml_error(path: str, exc: Exception) -> str:
    import re

    text = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", text)
    if match:
        message = text[: match.start()].strip()
        return f"{path}:{match.group(1)}:{match.group(2)}: invalid TOML: {message}"
    if isinstance(exc, UnicodeDecodeError):
        return f"{path}: not UTF-8 text: {exc.reason}"
    return f"{path}: invalid TOML: {text}"


def shown_path(path: str) -> str:
    """A path for messages: relative to the working directory when it is below it."""
    rel = os.path.relpath(path) if os.path.isabs(path) else path
    return path if rel.startswith("..") else rel


def read_config_file(path: str) -> dict[str, Any]:
    """Values from a config file, converted and checked; paths made relative to the file."""
    file, path = path, shown_path(path)
    try:
        with open(file, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(_toml_error(path, exc)) from None
    if os.path.basename(file) == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "iamready" not in tool:
            raise ConfigError(f"{path}: has no [tool.iamready] table")
        table = tool["iamready"]
        where = "[tool.iamready]"
    else:
        table = data
        where = "top level"
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    base = os.path.dirname(os.path.abspath(file))
    values: dict[str, Any] = {}
    for key, raw_value in table.items():
        if key not in KEYS:
            import difflib

            if key == "tool" and where == "top level":
                hint = " (in .iamready.toml the keys are at the top level, without [tool.iamready])"
            else:
                close = difflib.get_close_matches(key.replace("_", "-"), list(KEYS), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{path}: unknown key {key!r} in {where}{hint}")
        name, convert = KEYS[key]
        try:
            value = convert(raw_value)
        except TypeError as exc:
            shown = f"{type(raw_value).__name__} {raw_value!r}"
            raise ConfigError(f"{path}: key {key!r} must be {exc}, not {shown}") from None
        if name in _PATH_KEYS:
            value = (
                tuple(os.path.join(base, v) for v in value) if isinstance(value, tuple) else os.path.join(base, value)
            )
        values[name] = value
    if "per_path_ignores" in values:
        values["per_path_root"] = base
    return values


def resolve(cli: dict[str, Any], cwd: str | None = None) -> Config:
    """Merge defaults < config file < command-line values (``None`` / empty means 'not given')."""
    cwd = cwd or os.getcwd()
    paths = tuple(cli.get("paths") or (".",))
    config_file = cli.get("config_file")
    if config_file:
        config_file = os.path.join(cwd, config_file)
        if not os.path.isfile(config_file):
            raise ConfigError(f"{cli.get('config_file')}: config file does not exist")
    else:
        config_file = find_config_file(os.path.join(cwd, paths[0]))
    values: dict[str, Any] = dict(read_config_file(config_file)) if config_file else {}
    from_file = {k for k in values if k != "per_path_root"}
    names = {f.name for f in fields(Config)}
    for key, value in cli.items():
        if key not in names or value is None:
            continue
        if isinstance(value, (tuple, list, dict)) and not value:
            continue
        values[key] = tuple(value) if isinstance(value, list) else value
        from_file.discard(key)
        if key == "per_path_ignores":
            values["per_path_root"] = cwd
    values["paths"] = paths
    values["config_file"] = config_file
    values["cwd"] = cwd
    values["file_keys"] = tuple(sorted(from_file))
    config = replace(Config(), **values)
    _validate(config)
    return config


def origin(config: Config, name: str) -> str:
    """Where a setting came from, for messages: ``"pyproject.toml: key 'select'"`` or ``"--select"``."""
    key = next((k for k, (n, _) in KEYS.items() if n == name), name.replace("_", "-"))
    if name in config.file_keys and config.config_file:
        return f"{shown_path(config.config_file)}: key {key!r}"
    return f"--{key}"


def _validate(config: Config) -> None:
    def where(name: str) -> str:
        return origin(config, name)

    if config.format not in FORMATS:
        raise ConfigError(f"{where('format')}: {config.format!r} must be one of {', '.join(FORMATS)}")
    if config.profile not in PROFILES:
        raise ConfigError(f"{where('profile')}: {config.profile!r} must be one of {', '.join(PROFILES)}")
    for name in ("fail_on", "severity"):
        value = getattr(config, name)
        if value is not None:
            try:
                Severity.parse(value)
            except ValueError as exc:
                raise ConfigError(f"{where(name)}: {exc}") from None
    for fmt, _ in config.reports:
        if fmt not in FORMATS:
            raise ConfigError(f"--report: format {fmt!r} must be one of {', '.join(FORMATS)}")
