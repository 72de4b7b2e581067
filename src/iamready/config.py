"""Configuration: defaults < config file < command line, resolved once into a frozen Config.

The file is ``[tool.iamready]`` in ``pyproject.toml`` or a ``.iamready.toml`` (top-level keys),
found by walking up from the first scanned path, or given with ``--config``. Keys are the long
command-line flags (``fail-on`` <-> ``--fail-on``). An unknown key or a value of the wrong type
is an error that names the key and the file.
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


FORMATS = ("text", "json", "sarif", "github", "markdown", "checklist")
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

    @property
    def fail_on_severity(self) -> Severity:
        return Severity.parse(self.fail_on)


# file key -> (field name, expected python type description, converter)
def _str_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(str(v) for v in value)
    raise TypeError("a list of strings")


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


KEYS = {
    "format": ("format", _str),
    "output": ("output", _str),
    "fail-on": ("fail_on", _str),
    "select": ("select", _str_list),
    "ignore": ("ignore", _str_list),
    "checklist": ("checklist", _str_list),
    "severity": ("severity", _str),
    "per-path-ignores": ("per_path_ignores", _ignores_map),
    "exclude": ("exclude", _str_list),
    "var-files": ("var_files", _str_list),
    "vars": ("vars", _str_map),
    "cfn-params": ("cfn_params", _str_map),
    "cfn-param-files": ("cfn_param_files", _str_list),
    "profile": ("profile", _str),
    "baseline": ("baseline", _str),
    "no-inline-suppressions": ("no_inline_suppressions", _bool),
    "show-suppressed": ("show_suppressed", _bool),
    "strict": ("strict", _bool),
    "no-cache": ("no_cache", _bool),
    "extra-rules": ("extra_rules", _str_list),
    "rules": ("rule_options", _rule_options),
}
_PATH_KEYS = {"output", "var_files", "cfn_param_files", "baseline", "extra_rules"}


def find_config_file(start: str) -> str | None:
    """The nearest ``.iamready.toml`` or ``pyproject.toml`` with ``[tool.iamready]``, walking up."""
    directory = os.path.abspath(start)
    if os.path.isfile(directory):
        directory = os.path.dirname(directory)
    while True:
        candidate = os.path.join(directory, ".iamready.toml")
        if os.path.isfile(candidate):
            return candidate
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject):
            try:
                with open(pyproject, "rb") as handle:
                    if "iamready" in tomllib.load(handle).get("tool", {}):
                        return pyproject
            except (OSError, tomllib.TOMLDecodeError):
                pass
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def read_config_file(path: str) -> dict[str, Any]:
    """Values from a config file, converted and checked; paths made relative to the file."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if os.path.basename(path) == "pyproject.toml":
        table = data.get("tool", {}).get("iamready", {})
        where = "[tool.iamready]"
    else:
        table = data
        where = "top level"
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    base = os.path.dirname(os.path.abspath(path))
    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{path}: unknown key {key!r} in {where}{hint}")
        name, convert = KEYS[key]
        try:
            value = convert(raw)
        except TypeError as exc:
            raise ConfigError(f"{path}: key {key!r} must be {exc}, not {type(raw).__name__} {raw!r}") from None
        if name in _PATH_KEYS:
            value = (
                tuple(os.path.join(base, v) for v in value) if isinstance(value, tuple) else os.path.join(base, value)
            )
        values[name] = value
    return values


def resolve(cli: dict[str, Any], cwd: str | None = None) -> Config:
    """Merge defaults < config file < command-line values (``None`` / empty means 'not given')."""
    cwd = cwd or os.getcwd()
    paths = tuple(cli.get("paths") or (".",))
    config_file = cli.get("config_file")
    if config_file:
        if not os.path.isfile(config_file):
            raise ConfigError(f"{config_file}: config file does not exist")
    else:
        config_file = find_config_file(os.path.join(cwd, paths[0]))
    values: dict[str, Any] = dict(read_config_file(config_file)) if config_file else {}
    names = {f.name for f in fields(Config)}
    for key, value in cli.items():
        if key not in names or value is None:
            continue
        if isinstance(value, (tuple, list, dict)) and not value:
            continue
        if value is False and key in values:
            continue  # a flag not given on the command line leaves the file's value
        values[key] = tuple(value) if isinstance(value, list) else value
    values["paths"] = paths
    values["config_file"] = config_file
    values["cwd"] = cwd
    config = replace(Config(), **values)
    _validate(config)
    return config


def _validate(config: Config) -> None:
    where = f" (from {config.config_file})" if config.config_file else ""
    if config.format not in FORMATS:
        raise ConfigError(f"format {config.format!r}{where} must be one of {', '.join(FORMATS)}")
    if config.profile not in PROFILES:
        raise ConfigError(f"profile {config.profile!r}{where} must be one of {', '.join(PROFILES)}")
    for name in ("fail_on", "severity"):
        value = getattr(config, name)
        if value is not None:
            try:
                Severity.parse(value)
            except ValueError as exc:
                raise ConfigError(f"{name.replace('_', '-')}{where}: {exc}") from None
