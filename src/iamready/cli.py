"""Command line: thin. Parse flags, resolve Config once, scan, render, exit.

Exit status: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage, configuration or
baseline error, or nothing could be scanned (``--strict``: also any notification).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import click

from iamready import __version__, codecache

codecache.install()  # before the rest of iamready is imported (iamready.codecache says why)

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

SCAN_EPILOG = """\b
Examples:
  iamready scan .                                 scan a repository
  iamready scan infra/ --format sarif -o iamready.sarif
  iamready scan main.tf iam.tf                    pre-commit style: report only these files
  iamready scan . --select AWS-IAM --fail-on high
  iamready scan . --checklist 2.5,5.2
  iamready scan envs/prod --var-file envs/prod/prod.tfvars --var env=prod
  iamready scan stack.yaml --cfn-param Env=prod
  iamready scan . --write-baseline .iamready-baseline.json   adopt on a legacy repository
  iamready scan . --baseline .iamready-baseline.json         then report only new findings
  iamready scan . --diff-base origin/main --format markdown
  iamready scan . --format text --report sarif=iamready.sarif --report markdown=summary.md

\b
Environment:
  IAMREADY_CACHE_DIR=DIR      the cache (default ~/.cache/iamready): parsed files, rule catalogue,
                              compiled dataclass methods for a Python the wheel was not built with
  IAMREADY_JOBS=N             processes that parse a cold scan (default: the CPUs; 1: this one only)
  IAMREADY_NO_CODE_CACHE=1    compile dataclass methods at every start, as Python does
  IAMREADY_TIMINGS=1          print the time of each phase on stderr
  IAMREADY_NO_PROGRESS=1      no progress line on a terminal
"""


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(out)


def _pairs(values: tuple[str, ...], flag: str) -> dict[str, str]:
    out = {}
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=flag)
        name, _, text = value.partition("=")
        out[name.strip()] = text
    return out


def _path_ignores(values: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for value in values:
        glob, sep, ids = value.rpartition("=")
        if not sep or not glob.strip() or not ids.strip():
            raise click.BadParameter(f"expected GLOB=RULE-IDS, got {value!r}", param_hint="--per-path-ignores")
        out[glob.strip()] = out.get(glob.strip(), ()) + _split((ids,))
    return out


def _reports(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    from iamready.reporters import REPORTERS

    out = []
    for value in values:
        fmt, sep, path = value.partition("=")
        if not sep or not path or fmt not in REPORTERS:
            raise click.BadParameter(
                f"expected FORMAT=FILE with FORMAT one of {', '.join(REPORTERS)}, got {value!r}", param_hint="--report"
            )
        out.append((fmt, path))
    return tuple(out)


def _link_settings(given: str | None, cwd: str) -> tuple[str | None, str | None]:
    """Where markdown links point: --link-base, else the CI system's view of this commit."""
    env = os.environ
    base = given or env.get("IAMREADY_LINK_BASE") or None
    root = None
    if base is None and env.get("GITHUB_REPOSITORY") and env.get("GITHUB_SHA"):
        server = env.get("GITHUB_SERVER_URL") or "https://github.com"
        base = f"{server.rstrip('/')}/{env['GITHUB_REPOSITORY']}/blob/{env['GITHUB_SHA']}/"
        root = env.get("GITHUB_WORKSPACE")
    elif base is None and env.get("CI_PROJECT_URL") and env.get("CI_COMMIT_SHA"):
        base = f"{env['CI_PROJECT_URL'].rstrip('/')}/-/blob/{env['CI_COMMIT_SHA']}/"
        root = env.get("CI_PROJECT_DIR")
    if base is None:
        return None, None
    if not base.endswith(("/", "=")):
        base += "/"
    return base, root or _repository_root(cwd)


def _repository_root(start: str) -> str:
    return _git_top_level(start) or os.path.abspath(start)


def _git_top_level(start: str) -> str | None:
    """The directory holding ``.git`` at or above ``start`` (a file or a directory), if any."""
    directory = os.path.abspath(start)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _sarif_base(config: Any) -> str:
    """Where SARIF URIs start: --base-dir, else the git top level of the first scanned path, else the
    working directory (or the scanned directory when it is outside the working directory)."""
    if config.base_dir:
        return os.path.abspath(os.path.join(config.cwd, config.base_dir))
    first = os.path.abspath(os.path.join(config.cwd, config.paths[0]))
    top = _git_top_level(first)
    if top:
        return top
    cwd = os.path.abspath(config.cwd)
    if first == cwd or first.startswith(cwd.rstrip(os.sep) + os.sep):
        return cwd
    return first if os.path.isdir(first) else os.path.dirname(first)


def _input_options(command: Any) -> Any:
    """The options that say what to read and how to resolve it, shared by scan and permissions."""
    for option in reversed(
        (
            click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching GLOB (repeatable)."),
            click.option(
                "--var-file",
                "var_files",
                multiple=True,
                type=click.Path(),
                help="Terraform variables file (repeatable).",
            ),
            click.option(
                "--var", "variables", multiple=True, metavar="NAME=VALUE", help="Terraform variable value (repeatable)."
            ),
            click.option(
                "--cfn-param",
                "cfn_params",
                multiple=True,
                metavar="NAME=VALUE",
                help="CloudFormation parameter value (repeatable).",
            ),
        )
    ):
        command = option(command)
    return command


def _output_options(command: Any) -> Any:
    """-o/--output and --color/--no-color: every command takes them (scan has its own, with the same names)."""
    command = click.option(
        "--color/--no-color",
        default=None,
        help="Colour on a terminal (default: when writing to one and NO_COLOR is unset; only scan's text colours).",
    )(command)
    return click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")(
        command
    )


def _emit(text: str, output: str | None, what: str = "") -> None:
    """Write ``text`` to the file ``output``, or to standard output; ``what`` names it in the error."""
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            _fail(f"{output}: cannot write{' ' + what if what else ''}: {exc.strerror or exc}")
    else:
        click.echo(text, nl=False)


def _rule_options(values: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for value in values:
        rule_id, sep, rest = value.partition(":")
        if not sep or "=" not in rest:
            raise click.BadParameter(f"expected RULE-ID:key=value, got {value!r}", param_hint="--rule-option")
        key, _, text = rest.partition("=")
        out.setdefault(rule_id.strip().upper(), {})[key.strip()] = text
    return out


def _print_version(ctx: click.Context) -> None:
    """``iamready X.Y.Z`` and one line per shipped AWS data snapshot (its small sources file only)."""
    if ctx.resilient_parsing:
        return
    import json

    click.echo(f"iamready {__version__}")
    try:
        with open(os.path.join(os.path.dirname(__file__), "data", "sources.json"), encoding="utf-8") as handle:
            sources = json.load(handle)
    except (OSError, ValueError):
        sources = {}
    for key, what in (
        ("aws_managed_policies", "AWS managed policies"),
        ("sam_policy_templates", "SAM policy templates"),
    ):
        item = sources.get(key)
        if isinstance(item, dict):
            date = f", data of {item['date']}" if item.get("date") else ""
            click.echo(
                f"{what}: {item.get('count')} from {item.get('registry')} package {item.get('package')} "
                f"{item.get('version')}{date} ({item.get('licence')} licence)"
            )
    ctx.exit()


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["scan", "rules", "explain", "permissions"]


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
    help="Show the version, and where the AWS data shipped with it comes from, and exit.",
)
def main() -> None:
    """iamready: check Terraform and CloudFormation against the AWS IAM and
    forensic-readiness checklist before anything is deployed."""


@main.command(epilog=SCAN_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-f",
    "--format",
    "format_",
    type=click.Choice(["text", "json", "sarif", "github", "markdown", "checklist", "gitlab"]),
    help="Output format (default: text). gitlab: GitLab Code Quality report.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE instead of stdout.")
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT=FILE",
    help="Also write the report in FORMAT to FILE, from the same scan (repeatable).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["critical", "high", "medium", "low", "info"]),
    help="Exit 1 when a finding is at or above this severity (default: low).",
)
@click.option("--select", multiple=True, metavar="IDS", help="Only these rule ids or prefixes (AWS-IAM, AWS-S3-002).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids or prefixes.")
@click.option(
    "--per-path-ignores",
    "--per-path-ignore",
    "per_path_ignores",
    multiple=True,
    metavar="GLOB=IDS",
    help=(
        "Suppress these rule ids or prefixes for findings reported in files matching GLOB (their primary "
        "location; kept in the report as suppressed). Example: --per-path-ignores 'vendor/**=AWS-IAM'."
    ),
)
@click.option(
    "--checklist",
    multiple=True,
    metavar="ITEMS",
    help="Only rules enforcing these checklist items (2.5,5.2).",
)
@click.option(
    "--severity",
    type=click.Choice(["critical", "high", "medium", "low", "info"]),
    help="Only run rules at or above this severity.",
)
@_input_options
@click.option(
    "--cfn-param-file",
    "cfn_param_files",
    multiple=True,
    type=click.Path(),
    help="CloudFormation parameters file (JSON list of ParameterKey/ParameterValue, or an object).",
)
@click.option(
    "--profile",
    type=click.Choice(["default", "baseline", "all"]),
    help="baseline adds account-wide checks for the repository that manages an account's baseline.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="Report only findings not recorded in this baseline file.",
)
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings in FILE.")
@click.option(
    "--no-inline-suppressions",
    is_flag=True,
    default=None,
    help="Report inline suppressions instead of honouring them.",
)
@click.option("--show-suppressed", is_flag=True, default=None, help="List suppressed findings in text output.")
@click.option(
    "--strict",
    is_flag=True,
    default=None,
    help="Exit 2 when there is any notification (parse error, unresolved value).",
)
@click.option("--no-cache", is_flag=True, default=None, help="Do not read or write the parse cache.")
@click.option("--extra-rules", multiple=True, type=click.Path(file_okay=False), help="Load more rules from DIR.")
@click.option("--rule-option", "rule_options", multiple=True, metavar="ID:KEY=VALUE", help="Set a rule option.")
@click.option(
    "--diff-base", metavar="GIT_REF", help="Report only findings that files changed since GIT_REF take part in."
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Config file (default: nearest pyproject.toml [tool.iamready] or .iamready.toml).",
)
@click.option("--color/--no-color", default=None, help="Colour text output (default: when writing to a terminal).")
@click.option(
    "--link-base",
    metavar="URL",
    help="Markdown links: URL of the repository at this commit (default: from GitHub Actions or GitLab CI).",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=2_000),
    metavar="N",
    help="Markdown: keep the report within N characters, most severe findings first, and say what was left "
    "out (default: 65536, a pull-request comment; a job summary holds 1 MiB: 1000000).",
)
@click.option(
    "--base-dir",
    type=click.Path(file_okay=False),
    help="SARIF: file URIs are relative to DIR (default: the top level of the git repository).",
)
def scan(paths: tuple[str, ...], format_: str | None, **options: Any) -> None:
    """Scan Terraform, CloudFormation and plan JSON files under PATHS (default: .).

    Local modules are read anywhere inside the repository holding PATHS (its git top level); registry and
    git modules from .terraform/modules once `terraform init -backend=false` installed them (never downloaded).
    """
    from iamready.config import ConfigError, resolve

    cli: dict[str, Any] = {
        "paths": paths or (".",),
        "format": format_,
        "output": options["output"],
        "fail_on": options["fail_on"],
        "reports": _reports(options["reports"]),
        "select": _split(options["select"]),
        "ignore": _split(options["ignore"]),
        "per_path_ignores": _path_ignores(options["per_path_ignores"]),
        "checklist": _split(options["checklist"]),
        "severity": options["severity"],
        "exclude": options["exclude"],
        "var_files": options["var_files"],
        "vars": _pairs(options["variables"], "--var"),
        "cfn_params": _pairs(options["cfn_params"], "--cfn-param"),
        "cfn_param_files": options["cfn_param_files"],
        "profile": options["profile"],
        "baseline": options["baseline"],
        "write_baseline": options["write_baseline"],
        "no_inline_suppressions": options["no_inline_suppressions"],
        "show_suppressed": options["show_suppressed"],
        "strict": options["strict"],
        "no_cache": options["no_cache"],
        "extra_rules": options["extra_rules"],
        "rule_options": _rule_options(options["rule_options"]),
        "diff_base": options["diff_base"],
        "config_file": options["config_file"],
        "color": options["color"],
        "max_chars": options["max_chars"],
        "base_dir": options["base_dir"],
    }
    try:
        config = resolve(cli)
    except ConfigError as exc:
        _fail(str(exc))
    from dataclasses import replace

    link_base, link_root = _link_settings(options["link_base"], config.cwd)
    config = replace(config, link_base=link_base, link_root=link_root, base_dir=_sarif_base(config))
    _exit(run_scan(config))


def _ends_with_os_exit() -> bool:
    """A command-line run (not one under a test runner's captured streams) ends with ``os._exit``."""
    return sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__


def _exit(code: int) -> None:
    """End the process. A large scan leaves millions of objects whose one-by-one release at interpreter
    shutdown takes about a second; a command-line run skips it: flush, run the exit handlers, and
    ``os._exit``. Under a test runner's captured streams, a normal exit."""
    if not _ends_with_os_exit():
        sys.exit(code)
    import atexit
    import contextlib

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)


def run_scan(config: Any) -> int:
    from dataclasses import replace

    from iamready.config import ConfigError
    from iamready.engine import ScanError, collector_tuned
    from iamready.engine import scan as run
    from iamready.loader import load_rules
    from iamready.reporters import REPORTERS
    from iamready.rule import RuleDefinitionError

    try:
        all_rules = load_rules(config.extra_rules)
        rules = _select(config, all_rules)
    except (RuleDefinitionError, ConfigError) as exc:
        _fail(str(exc))
    first_write = (
        config.baseline
        and config.write_baseline
        and not os.path.exists(config.baseline)
        and os.path.abspath(config.baseline) == os.path.abspath(config.write_baseline)
    )
    if first_write:
        config = replace(config, baseline=None)  # creating the configured baseline for the first time
    failures: tuple[type[Exception], ...] = (ScanError, ConfigError)
    if config.baseline or config.write_baseline:  # the baseline module only when a baseline is used
        from iamready.baseline import BaselineError

        failures += (BaselineError,)
    if config.baseline:
        from iamready.baseline import load_baseline

        try:
            load_baseline(config.baseline)  # fail before a long scan, not after it
        except BaselineError as exc:
            _fail(str(exc))
    if config.color is None:
        stream_is_tty = config.output is None and sys.stdout.isatty()
        config = replace(config, color=stream_is_tty and config.format == "text" and "NO_COLOR" not in os.environ)
    progress = _Progress() if sys.stderr.isatty() and os.environ.get("IAMREADY_NO_PROGRESS") is None else None
    with collector_tuned():  # through reporting too: the scan's objects stay frozen until the reports are out
        try:
            result = run(config, rules, progress=progress, known_rules=all_rules)
        except failures as exc:
            if progress:
                progress.clear()
            _fail(str(exc))
        if progress:
            progress.clear()
        result.stats["all_rules"] = all_rules
        outputs = [(config.format, config.output), *config.reports]
        for fmt, path in outputs:
            _emit(_printable(REPORTERS[fmt](result)), path, "report")
        if _ends_with_os_exit():
            import gc

            gc.disable()  # leaving the block would collect the scan's objects, which os._exit drops anyway
    if result.baseline_missing:
        gone = len(result.baseline_missing)
        click.echo(
            f"iamready: {gone} baseline {'entry no longer occurs' if gone == 1 else 'entries no longer occur'}; "
            f"shrink the baseline with --baseline {config.baseline} --write-baseline {config.baseline}",
            err=True,
        )
    if config.write_baseline:
        from iamready.baseline import BaselineError, write_baseline

        try:
            count = write_baseline(config.write_baseline, result)
        except BaselineError as exc:
            _fail(str(exc))
        click.echo(f"iamready: wrote {count} finding(s) to baseline {config.write_baseline}", err=True)
    if config.strict and result.notifications:
        click.echo(f"iamready: --strict: {len(result.notifications)} notification(s)", err=True)
        return EXIT_ERROR
    nothing_scanned = (
        not result.stats.get("resources")
        and not result.results
        and any(n.level == "error" for n in result.notifications)
        and not _has_inputs(result)
    )
    if nothing_scanned:
        click.echo("iamready: nothing could be scanned: no input file could be read and parsed", err=True)
        return EXIT_ERROR
    inputs = result.inputs
    if inputs is not None and inputs.empty and not inputs.files_named and not result.results:
        # directories without a single Terraform file, template or plan (files named by a pre-commit hook
        # that are not infrastructure code are fine: there is nothing to check in them)
        from iamready.reporters.text import files_text

        click.echo(
            f"iamready: nothing could be scanned: no Terraform, CloudFormation or plan file under "
            f"{' '.join(config.paths)} ({files_text(result.stats)})",
            err=True,
        )
        return EXIT_ERROR
    if config.write_baseline:
        return EXIT_OK  # every finding is now recorded: adopting a baseline is not a failure
    return EXIT_FINDINGS if result.failed(config.fail_on_severity) else EXIT_OK


def _printable(text: str) -> str:
    """A report as UTF-8 can carry it: a file name that is not UTF-8 is shown escaped (\\udcff), never a crash."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _select(config: Any, all_rules: list[Any]) -> list[Any]:
    """The rules to run; a selector that matches nothing names where it came from (flag or config key)."""
    from iamready.config import ConfigError, origin, shown_path
    from iamready.registry import SelectionError, check_selectors, select, suggest
    from iamready.rule import Severity

    for name in ("select", "ignore"):
        try:
            check_selectors(getattr(config, name), all_rules, origin(config, name))
        except SelectionError as exc:
            raise ConfigError(str(exc)) from None
    for glob, ids in sorted(config.per_path_ignores.items()):
        try:
            check_selectors(ids, all_rules, f"{origin(config, 'per_path_ignores')} {glob!r}")
        except SelectionError as exc:
            raise ConfigError(str(exc)) from None
    known = {r.id for r in all_rules}
    for rule_id in sorted(config.rule_options):
        if rule_id not in known:
            close = suggest(rule_id, sorted(known))
            hint = f"; did you mean {close}?" if close else ""
            where = (
                f"{shown_path(config.config_file)}: [rules.{rule_id}]"
                if "rule_options" in config.file_keys
                else "--rule-option"
            )
            raise ConfigError(f"{where}: no rule {rule_id!r}{hint}")
    try:
        return select(
            all_rules,
            select=config.select,
            ignore=config.ignore,
            checklist=config.checklist,
            min_severity=Severity.parse(config.severity) if config.severity else None,
            profile=config.profile,
        )
    except SelectionError as exc:
        message = str(exc)
        if message.startswith("--checklist:") and "checklist" in config.file_keys:
            message = origin(config, "checklist") + message[len("--checklist") :]
        raise ConfigError(message) from None


def _has_inputs(result: Any) -> bool:
    """Whether some input file was read and parsed (files that failed to parse do not count)."""
    return bool(result.stats.get("files_read"))


class _Progress:
    """Progress on stderr, only on a terminal, only once a scan has taken about a second."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, message: str) -> None:
        if time.monotonic() - self.start < 1.0:
            return
        self.shown = True
        sys.stderr.write("\r\033[K" + f"iamready: {message}"[:120])
        sys.stderr.flush()

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _fail(message: str) -> Any:
    click.echo(f"iamready: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@main.command()
@click.option("-f", "--format", "format_", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--extra-rules", multiple=True, type=click.Path(file_okay=False), help="Load more rules from DIR.")
@click.option(
    "--profile",
    type=click.Choice(["default", "baseline", "all"]),
    default="all",
    show_default=True,
    help="Which rules to list.",
)
@_output_options
def rules(format_: str, extra_rules: tuple[str, ...], profile: str, output: str | None, color: bool | None) -> None:
    """List the rule catalogue.

    \b
    Examples:
      iamready rules
      iamready rules --format json | jq '.[] | select(.checklist | index("2.5"))'
    """
    import json

    from iamready.loader import load_rules
    from iamready.rule import RuleDefinitionError

    try:
        metas = load_rules(extra_rules)
    except RuleDefinitionError as exc:
        _fail(str(exc))
    metas = [m for m in metas if profile == "all" or m.profile in ("default", profile)]
    if format_ == "json":
        data = [
            {
                "id": m.id,
                "name": m.name,
                "severity": m.severity.value,
                "checklist": list(m.checklist),
                "title": m.title,
                "profile": m.profile,
                "frameworks": list(m.frameworks),
                "tags": list(m.tags),
                "targets": {k: list(v) for k, v in m.targets.items()},
            }
            for m in metas
        ]
        _emit(json.dumps(data, indent=2) + "\n", output)
        return
    id_width = max((len(m.id) for m in metas), default=2)
    checklist_width = max([9, *(len(",".join(m.checklist)) for m in metas)])
    width = max((len(m.name) for m in metas), default=4)
    lines = [f"{'ID':<{id_width}} {'SEVERITY':<9} {'CHECKLIST':<{checklist_width}} {'NAME':<{width}}  TITLE"]
    for m in metas:
        profile_mark = " [baseline]" if m.profile == "baseline" else ""
        checklist = ",".join(m.checklist)
        lines.append(
            f"{m.id:<{id_width}} {m.severity.value:<9} {checklist:<{checklist_width}} {m.name:<{width}}  "
            f"{m.title}{profile_mark}"
        )
    _emit("\n".join(lines) + "\n", output)


@main.command()
@click.argument("rule_id")
@click.option("--extra-rules", multiple=True, type=click.Path(file_okay=False), help="Load more rules from DIR.")
@_output_options
@click.option("--no-pager", is_flag=True, help="Print everything at once, even on a terminal.")
def explain(rule_id: str, extra_rules: tuple[str, ...], output: str | None, color: bool | None, no_pager: bool) -> None:
    """Show a rule's documentation and its failing and passing samples.

    On a terminal a long page goes through a pager, as git does: $IAMREADY_PAGER, else $PAGER,
    else less (with LESS=FRX unless LESS is set); PAGER=cat or --no-pager prints it all at once.

    \b
    Example:
      iamready explain AWS-IAM-001
    """
    from iamready.docs import rule_markdown
    from iamready.loader import load_rules
    from iamready.registry import SelectionError, find
    from iamready.rule import RuleDefinitionError

    try:
        meta = find(load_rules(extra_rules), rule_id)
    except (RuleDefinitionError, SelectionError) as exc:
        _fail(str(exc))
    text = rule_markdown(meta)
    if output or no_pager or not _stdout_is_terminal():
        _emit(text, output)
        return
    _page(text)


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _page(text: str) -> None:
    """Show ``text`` through the user's pager when it is longer than the terminal (as git does)."""
    import shutil
    import subprocess

    pager = os.environ.get("IAMREADY_PAGER", os.environ.get("PAGER", "less")).strip()
    if not pager or pager == "cat" or text.count("\n") < shutil.get_terminal_size().lines:
        click.echo(text, nl=False)
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # quit if it fits, keep colours, do not clear the screen
    try:
        # the user's own pager command, run by the shell as git runs $PAGER
        subprocess.run(pager, shell=True, input=text.encode("utf-8", "surrogateescape"), env=env, check=False)
    except OSError:
        click.echo(text, nl=False)


PERMISSIONS_EPILOG = """\b
Examples:
  iamready permissions .                                  who can do what, by access level
  iamready permissions infra/ --principal 'aws_iam_role.*'
  iamready permissions . --format markdown >> "$GITHUB_STEP_SUMMARY"
  iamready permissions . --format mermaid                 the principal graph for a PR comment
  iamready permissions . --format dot | dot -Tsvg > principals.svg
  iamready permissions . --diff-base origin/main          what this branch adds or removes
  iamready permissions new/ --compare old/ --format json
  iamready permissions . --admins                         who can reach administrator access, and how
  iamready permissions . --reach aws_iam_user.ci admin    can the CI user become administrator? by which steps?
  iamready permissions . --reach 'aws_iam_user.*' aws_iam_role.deployer --format json
  iamready permissions . --export graphml -o privileges.graphml   for Gephi, yEd, Cytoscape, networkx
  iamready permissions . --export dot | dot -Tsvg > privileges.svg
"""


@main.command(epilog=PERMISSIONS_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-f",
    "--format",
    "format_",
    type=click.Choice(["text", "json", "markdown", "mermaid", "dot"]),
    default="text",
    show_default=True,
    help="Output format; mermaid and dot draw the principal graph.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")
@click.option(
    "--principal",
    "principals",
    multiple=True,
    metavar="ADDRESS",
    help="Only principals whose address matches (glob, repeatable).",
)
@click.option(
    "--compare",
    "compare_path",
    metavar="OLD_PATH",
    type=click.Path(),
    help="Show what PATHS add or remove compared with OLD_PATH.",
)
@click.option("--diff-base", metavar="GIT_REF", help="Show what PATHS add or remove compared with GIT_REF.")
@click.option(
    "--admins",
    is_flag=True,
    help="Who can reach administrator access, each by its shortest chain of steps (text or json).",
)
@click.option(
    "--reach",
    nargs=2,
    metavar="FROM TO",
    help="Can FROM reach TO, and by which steps? Addresses or globs; TO may be 'admin'.",
)
@click.option(
    "--export",
    "export_format",
    type=click.Choice(["graphml", "json", "dot"]),
    help="Write the privilege graph (principals, steps, administrator access) as GraphML, node-link JSON or DOT.",
)
@_input_options
@click.option("--no-cache", is_flag=True, help="Do not read or write the parse cache.")
@click.option("--timings", is_flag=True, help="Print how long each phase took on stderr.")
@click.option(
    "--color/--no-color",
    default=None,
    help="Accepted as by every command; the permission review prints no colour.",
)
def permissions(paths: tuple[str, ...], format_: str, **options: Any) -> None:
    """Effective permissions of every user, group and role, by access level.

    Lists what each principal in PATHS (default: .) may do after IAM's evaluation logic
    (inline, attached and group policies, permission boundaries, Denies), grouped by service
    and access level, each grant traced to its policy line and marked when it needs a condition;
    and which principals can escalate to administrator access.
    """
    from iamready.config import Config
    from iamready.permissions.run import PermissionsError, run

    config = Config(
        paths=paths or (".",),
        exclude=tuple(options["exclude"]),
        var_files=tuple(options["var_files"]),
        vars=_pairs(options["variables"], "--var"),
        cfn_params=_pairs(options["cfn_params"], "--cfn-param"),
        no_cache=bool(options["no_cache"]),
    )
    queries = [name for name in ("admins", "reach", "export_format") if options[name]]
    try:
        if len(queries) > 1:
            raise PermissionsError("use one of --admins, --reach and --export at a time")
        if queries and (options["compare_path"] or options["diff_base"] or options["principals"]):
            raise PermissionsError(
                "--admins, --reach and --export do not combine with --compare, --diff-base or --principal"
            )
        if queries:
            from iamready.permissions.reach import query  # networkx is imported for these only

            outcome = query(
                config,
                format_,
                admins=bool(options["admins"]),
                reach=tuple(options["reach"]) if options["reach"] else None,
                export_format=options["export_format"],
            )
        else:
            outcome = run(
                config,
                format_,
                select=tuple(options["principals"]),
                compare_path=options["compare_path"],
                diff_base=options["diff_base"],
            )
    except PermissionsError as exc:
        _fail(str(exc))
    except Exception as exc:  # a bug must not end in a traceback on a developer's screen or in CI
        _fail(f"internal error while building the permission review: {type(exc).__name__}: {exc}")
    for note in outcome.notifications:
        if note.level == "error":
            where = f"{os.path.relpath(note.span.path)}:{note.span.start_line}: " if note.span else ""
            click.echo(f"iamready: {where}{note.message}", err=True)
    if options["timings"]:
        parts = ", ".join(f"{k} {v:.3f}s" for k, v in outcome.timings.items())
        click.echo(f"iamready: {outcome.principals} principal(s); {parts}", err=True)
    if options["output"]:
        try:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(outcome.text)
        except OSError as exc:
            _fail(f"{options['output']}: cannot write: {exc.strerror or exc}")
    else:
        click.echo(outcome.text, nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
