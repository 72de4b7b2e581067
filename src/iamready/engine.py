"""scan(Config) -> ScanResult: discover, parse, link, run rules, suppress, sort.

Each phase is timed (``ScanResult.timings``). Rules run inside a guard: an exception in one
rule on one target becomes an internal-error notification naming the rule and the location,
and every other rule and target still runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from iamready.config import Config
from iamready.context import Context
from iamready.model.graph import Graph, Resource
from iamready.model.notes import INTERNAL_ERROR, INVALID_POLICY, LIMIT, PARSE_ERROR, SKIPPED, UNRESOLVED, Notification
from iamready.model.span import Span
from iamready.model.value import Cause, Value, cause_of
from iamready.rule import Finding, RuleMeta, Severity, Unresolved, locate


@dataclass
class Suppression:
    kind: str  # "inSource" | "external"
    justification: str
    source: str  # "comment", "metadata", "config", "baseline"
    location: Span | None = None
    status: str = "accepted"


@dataclass
class Result:
    rule: RuleMeta
    severity: Severity
    message: str
    span: Span
    address: str
    resource_type: str
    framework: str
    key: str
    fingerprint: str = ""
    related: list[tuple[Span, str]] = field(default_factory=list)
    flow: list[tuple[Span, str]] = field(default_factory=list)
    suppression: Suppression | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    # a finding traced out of a module: where it was found inside the module (its identity: fingerprint,
    # baseline entry and inline suppressions stay there), the module calls that instantiate that resource
    # (outermost first), and the root module it comes from
    anchor: Span | None = None
    calls: tuple[Any, ...] = ()
    root: str = ""
    via: str = ""  # "in module.app, called from envs/prod/main.tf:1": shown after the message

    @property
    def text(self) -> str:
        """The message as reports show it: with the module and the call it comes from."""
        return f"{self.message} ({self.via})" if self.via else self.message

    @property
    def home(self) -> Span:
        """Where the finding's identity lives: inside the module when it was traced out of one."""
        return self.anchor or self.span

    def provenance(self) -> Iterator[Span]:
        """Every place the finding comes from: its location, related locations, the module calls."""
        yield self.span
        if self.anchor is not None:
            yield self.anchor
        for span, _ in self.related:
            yield span
        for call in self.calls:
            yield call.span

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def sort_key(self) -> tuple:
        return (
            self.span.path,
            self.span.start_line,
            self.span.start_col,
            self.rule.id,
            self.address,
            self.message,
        )


@dataclass
class ScanResult:
    config: Config
    root: str  # paths in output are relative to this directory
    rules: list[RuleMeta]  # the rules that ran
    results: list[Result] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    graph: Graph | None = None
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)  # rule id -> {"targets": n}
    baseline_missing: list[dict[str, Any]] = field(default_factory=list)
    inputs: Any = None  # discovery.Discovered: what was scanned (baseline scope, pre-commit files)
    # root causes of unresolved values that rules needed: cause key -> (cause, [(rule id, address, span)])
    needed: dict[tuple[str, str, int], tuple[Cause, list[tuple[str, str, Span | None]]]] = field(default_factory=dict)

    @property
    def active(self) -> list[Result]:
        return [r for r in self.results if not r.suppressed]

    def failed(self, threshold: Severity) -> bool:
        return any(r.severity.rank >= threshold.rank for r in self.active)

    def relpath(self, path: str) -> str:
        try:
            rel = os.path.relpath(path, self.root)
        except ValueError:
            return path.replace(os.sep, "/")
        if rel.startswith(".."):
            return os.path.abspath(path).replace(os.sep, "/")
        return rel.replace(os.sep, "/")


class ScanError(Exception):
    """Nothing could be scanned, or the invocation cannot work (exit status 2)."""


def build_graph(
    config: Config,
    paths_info: Any,
    notes_sink: list[Notification],
    timings: dict[str, float],
    progress: Callable[[str], None] | None = None,
) -> Graph:
    from iamready.aws.links import link
    from iamready.cache import ParseCache
    from iamready.discovery import boundaries, within_roots
    from iamready.parsers import cloudformation as cfn
    from iamready.parsers.terraform.evaluator import Budget
    from iamready.parsers.terraform.files import load_module_dir, module_files
    from iamready.parsers.terraform.module import TerraformLoader, resolve_pending_refs

    graph = Graph()
    cache = ParseCache(enabled=not config.no_cache)
    from iamready.iam.catalog import catalog

    catalog().index_dir = cache.directory.parent if cache.directory is not None else None  # --no-cache: none
    budget = Budget()
    t0 = time.perf_counter()

    if not paths_info.boundaries:
        paths_info.boundaries = boundaries(paths_info.scan_roots, config.config_file)

    def parse_dir(directory: str) -> Any:  # a module read through a source: inside the repository only
        files = within_roots(module_files(directory), paths_info.boundaries, graph.notifications)
        return load_module_dir(directory, files, cache, graph.notifications)

    var_files = [os.path.join(config.cwd, v) for v in config.var_files] + list(paths_info.var_files)
    for path in var_files:
        if not os.path.isfile(path):
            problem = "not a regular file (a FIFO, socket or device)" if os.path.exists(path) else "file does not exist"
            raise ScanError(f"--var-file {path}: {problem}")
    loader = TerraformLoader(
        graph,
        paths_info.boundaries,
        variables=dict(config.vars),
        var_files=var_files,
        parse_dir=parse_dir,
        budget=budget,
    )
    if paths_info.plans:  # the plan reader is only imported for a scan that has plans
        from iamready.parsers import plan as tfplan
    plans = [tfplan.load_plan(path, graph.notifications) for path in paths_info.plans]
    # a plan's values are authoritative for the configuration beside it: do not evaluate it twice
    plan_dirs = {
        d for p in plans if p is not None for d in tfplan.configuration_dirs(p, paths_info.scan_roots).values()
    }
    from iamready.parsers.parallel import prefetch

    to_parse = [
        f
        for d, files in sorted(paths_info.terraform_dirs.items())
        if os.path.realpath(d) not in plan_dirs
        for f in files
    ]
    prefetch(cache, to_parse, list(paths_info.cloudformation), progress)  # in worker processes when it pays
    files_read = 0
    for index, (directory, files) in enumerate(sorted(paths_info.terraform_dirs.items())):
        if progress:
            progress(f"parsing Terraform module {index + 1}/{len(paths_info.terraform_dirs)}")
        if files and os.path.realpath(directory) not in plan_dirs:
            module = load_module_dir(directory, files, cache, graph.notifications)
            files_read += len(module.files)
            loader.add_module_dir(module)
    if paths_info.files_named:  # pre-commit: a module that needs a caller is read with its callers
        files_read += _with_callers(paths_info, loader, cache, graph)
    cfn_docs = []
    maybe = getattr(paths_info, "maybe_cloudformation", set())
    rejected: set[str] = set()
    for index, path in enumerate(paths_info.cloudformation):
        if progress:
            progress(f"parsing template {index + 1}/{len(paths_info.cloudformation)}")
        if path not in maybe:
            cfn_docs.append(cfn.load_template(path, cache, graph.notifications))
            continue
        # markers found indented: a template if its content says so, else skipped (said when named)
        found: list[Notification] = []
        template = cfn.load_template(path, cache, found)
        why = cfn.not_a_template(template)
        if why is None:
            graph.notifications.extend(found)
            cfn_docs.append(template)
        else:
            rejected.add(path)
        if why is not None and path in getattr(paths_info, "explicit", set()):
            graph.notifications.extend(n for n in found if n.kind == PARSE_ERROR)
            graph.notifications.append(
                Notification(
                    SKIPPED, f"not scanned: not recognised as a CloudFormation template ({why})", Span(path, 1), "note"
                )
            )
    if rejected:  # not templates: neither counted nor in the baseline's scope
        paths_info.cloudformation = [p for p in paths_info.cloudformation if p not in rejected]
    timings["parse"] = time.perf_counter() - t0
    _freeze()  # the parsed files live until the scan ends
    t1 = time.perf_counter()
    loader.run()
    resolve_pending_refs(graph)
    cfn_params = cfn.read_parameters(config, graph.notifications)
    for template in cfn_docs:
        if template is not None:
            files_read += 1
            _guarded(graph, template.path, "building the template", lambda t=template: cfn.build(t, graph, cfn_params))
    for plan, plan_path in zip(plans, paths_info.plans):
        if plan is not None:
            files_read += 1
            _guarded(
                graph,
                plan_path,
                "building the plan",
                lambda p=plan: tfplan.build(p, graph, cache, scan_roots=paths_info.scan_roots),
            )
    graph.files_read = files_read  # type: ignore[attr-defined]
    timings["resolve"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    _guarded(graph, None, "linking policies and resources", lambda: link(graph))
    timings["graph"] = time.perf_counter() - t2
    stats = {"hits": cache.hits, "misses": cache.misses}
    graph.cache_stats = stats  # type: ignore[attr-defined]
    return graph


def _with_callers(paths_info: Any, loader: Any, cache: Any, graph: Graph) -> int:
    """Pre-commit names the changed files; when one is in a module that has an input without a default
    (a module made to be called), the module directories of the repository that call it are read too, so
    it is instantiated with its callers' values. Returns the number of files read."""
    from iamready.discovery import callers_of
    from iamready.parsers.terraform.files import load_module_dir
    from iamready.parsers.terraform.module import _block_attr

    called = [
        module.directory
        for module in list(loader.modules.values())
        if any(_block_attr(node, "default") is None for node, _ in module.variables.values())
    ]
    if not called:
        return 0
    count = 0
    for directory, files in sorted(callers_of(called, paths_info, graph.notifications).items()):
        if files:
            paths_info.terraform_dirs[directory] = files
            module = load_module_dir(directory, files, cache, graph.notifications)
            count += len(module.files)
            loader.add_module_dir(module)
    return count


def _guarded(graph: Graph, path: str | None, what: str, step: Callable[[], Any]) -> None:
    """Run one build step; a bug of ours becomes an internal-error notification, not the end of the scan."""
    try:
        step()
    except Exception as exc:
        graph.notifications.append(
            Notification(
                INTERNAL_ERROR,
                f"internal error while {what} ({type(exc).__name__}: {exc}); what it would add is not checked",
                Span(path, 1) if path else None,
                "error",
            )
        )


def policy_notes(graph: Graph) -> list[Notification]:
    """What AWS would reject in a policy document (bad JSON, duplicate keys, wrong types), located."""
    return [
        Notification(INVALID_POLICY, f"{doc.label}: {problem}", span, "warning")
        for doc in graph.policies
        for problem, span in doc.problems
    ]


def scan(config: Config, rules: list[RuleMeta], progress: Callable[[str], None] | None = None) -> ScanResult:
    from iamready.cache import flush_writes

    try:
        with collector_tuned():
            return _scan(config, rules, progress)
    finally:
        flush_writes()  # parse-cache entries are written in the background while the scan goes on


_tuned_depth = 0


def _freeze() -> None:
    """Within :func:`collector_tuned`: what exists now lives until the scan ends; stop examining it."""
    if _tuned_depth:
        import gc

        gc.freeze()


@contextlib.contextmanager
def collector_tuned() -> Iterator[None]:
    """A scan makes millions of small objects that live until it ends (values, spans, the graph); with
    the garbage collector's default thresholds it walks them again and again, about a quarter of the
    scan's time. During a scan, young objects are collected less often, and what the graph holds is
    frozen once built (``gc.freeze``): no longer examined. Both are undone when the outermost use
    ends: the command line keeps them through reporting (a report of the 4,000-file estate spent
    2 s in full collections of the unfrozen graph)."""
    import gc

    global _tuned_depth
    if _tuned_depth:
        _tuned_depth += 1
        try:
            yield
        finally:
            _tuned_depth -= 1
        return
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    _tuned_depth = 1
    try:
        yield
    finally:
        _tuned_depth = 0
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _scan(config: Config, rules: list[RuleMeta], progress: Callable[[str], None] | None = None) -> ScanResult:
    from iamready.discovery import discover

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    found = discover(list(config.paths), list(config.exclude), config.cwd, config.config_file)
    timings["discovery"] = time.perf_counter() - t0
    if config.diff_base:
        from iamready.gitdiff import changed_files

        changed = changed_files(config.diff_base, config.cwd)
        found.report_only = changed if found.report_only is None else (found.report_only & changed)
    result = ScanResult(config=config, root=config.cwd, rules=rules, inputs=found)
    result.notifications.extend(found.notifications)
    if found.empty:
        errors = [n for n in found.notifications if n.level == "error"]
        if errors and not (found.files_seen or found.scan_roots):
            raise ScanError(
                "nothing to scan: " + "; ".join(f"{n.span.path if n.span else ''}: {n.message}" for n in errors)
            )
        result.stats = {"files": found.files_seen, "terraform_modules": 0, "templates": 0, "plans": 0}
        result.timings = timings
        return result
    graph = build_graph(config, found, result.notifications, timings, progress)
    _freeze()  # the graph lives until the scan ends: the collector need not look at it again
    result.graph = graph
    result.notifications.extend(graph.notifications)
    result.notifications.extend(policy_notes(graph))
    t3 = time.perf_counter()
    ctx = Context(graph, config)
    raw = run_rules(rules, graph, ctx, result, progress)
    result.notifications.extend(cause_notes(result))
    timings["rules"] = time.perf_counter() - t3
    t4 = time.perf_counter()
    from iamready.suppress import apply_suppressions

    results = apply_suppressions(raw, graph, config, rules, result)
    if found.report_only is not None:
        keep = set(found.report_only)
        for plan_path, sources in getattr(graph, "plan_sources", {}).items():
            if plan_path in keep:  # a named plan reports at the .tf lines its resources map to
                keep |= sources
        # a changed file sees every finding it takes part in: its location, a related location, a module call
        results = [r for r in results if any(os.path.realpath(s.path) in keep for s in r.provenance())]
        result.notifications = [
            n
            for n in result.notifications
            if n.span is None
            or os.path.realpath(n.span.path) in keep
            or any(os.path.realpath(span.path) in keep for _, span in n.dependents)
        ]
    results = once_per_cause(results, result)
    result.results = sorted(results, key=lambda r: r.sort_key)
    result.notifications = _cap_notes(_dedupe_notes(result.notifications))
    timings["suppress"] = time.perf_counter() - t4
    result.timings = timings
    result.stats = {
        "files": found.files_seen,
        "terraform_modules": len(found.terraform_dirs),
        "templates": len(found.cloudformation),
        "plans": len(found.plans),
        "resources": len(graph),
        "files_read": getattr(graph, "files_read", 0),
        "cache": getattr(graph, "cache_stats", {}),
    }
    if os.environ.get("IAMREADY_TIMINGS"):
        _print_timings_at_exit(result)
    return result


def _print_timings_at_exit(result: ScanResult) -> None:
    """``IAMREADY_TIMINGS=1``: one line of phase timings on stderr when the process ends (after reporting)."""
    import atexit
    import json
    import sys

    scan_end = time.perf_counter()

    def emit() -> None:
        phases = dict(result.timings)
        phases["report"] = time.perf_counter() - scan_end  # rendering and writing reports, until exit
        line = {k: round(v, 4) for k, v in phases.items()}
        cache = result.stats.get("cache") or {}
        sys.stderr.write(
            "iamready-timings: "
            + json.dumps({"phases": line, "resources": result.stats.get("resources", 0), "cache": cache})
            + "\n"
        )

    atexit.register(emit)


MAX_NOTES_PER_FILE = 200  # of one kind: a file of 100,000 repeated keys must not make a report of gigabytes


def _cap_notes(notes: list[Notification]) -> list[Notification]:
    """The first MAX_NOTES_PER_FILE notifications of each kind for each file, then one saying how many more."""
    counts: dict[tuple[str, str], int] = {}
    out = []
    for note in notes:
        key = (note.span.path if note.span else "", note.kind)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= MAX_NOTES_PER_FILE:
            out.append(note)
    extra = [
        Notification(
            LIMIT,
            f"{n - MAX_NOTES_PER_FILE} more {kind} notifications for this file are not listed",
            Span(path, 1) if path else None,
            "warning",
        )
        for (path, kind), n in counts.items()
        if n > MAX_NOTES_PER_FILE
    ]
    return sorted(out + extra, key=lambda n: n.sort_key) if extra else out


def _dedupe_notes(notes: list[Notification]) -> list[Notification]:
    seen = set()
    out = []
    for note in sorted(notes, key=lambda n: n.sort_key):
        key = (note.kind, note.message, note.span, note.rule_id)
        if key in seen:
            continue
        seen.add(key)
        out.append(note)
    return out


def once_per_cause(results: list[Result], scan: ScanResult) -> list[Result]:
    """Findings identical in rule, location, message and suppression are one finding: a module instantiated
    by several roots (an example and an environment, envs/dev and envs/prod) is reported once, naming every
    root and module call it comes from. Findings inside modules say which module and which call."""
    groups: dict[tuple[Any, ...], list[Result]] = {}
    for item in sorted(results, key=lambda r: r.sort_key):
        state = (item.suppression.source, item.suppression.justification) if item.suppression else None
        groups.setdefault((item.rule.id, item.span, item.message, item.severity, state), []).append(item)
    out = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1:
            first.properties["instances"] = [
                {"root": scan.relpath(r.root) if r.root else None, "address": r.address, "calledFrom": _called(scan, r)}
                for r in group
            ]
        if first.calls:
            sites = list(dict.fromkeys(_called(scan, r) for r in group if r.calls))
            module = first.calls[-1].address
            first.via = f"in {module}, called from {' and '.join(sites)}"
            if first.anchor is not None:
                first.related.insert(0, (first.anchor, f"found here, inside {module} ({first.address})"))
        out.append(first)
    return out


def _called(scan: ScanResult, result: Result) -> str | None:
    if not result.calls:
        return None
    span = result.calls[0].span
    return f"{scan.relpath(span.path)}:{span.start_line}"


def targets_for(meta: RuleMeta, graph: Graph) -> Iterator[Any]:
    if meta.on == "resource":
        for framework, types in meta.targets.items():
            yield from graph.resources(types, framework=framework)
    elif meta.on == "policy":
        for doc in graph.policies:
            if doc.kind in meta.policy_kinds:
                yield doc
    elif meta.on == "principal":
        from iamready.aws.links import PRINCIPAL_TYPES

        yield from graph.resources(PRINCIPAL_TYPES)
    elif meta.on == "project":
        yield graph


def run_rules(
    rules: Iterable[RuleMeta],
    graph: Graph,
    ctx: Context,
    result: ScanResult,
    progress: Callable[[str], None] | None = None,
) -> list[Result]:
    out: list[Result] = []
    rules = list(rules)
    for index, meta in enumerate(rules):
        if progress:
            progress(f"running rule {index + 1}/{len(rules)} {meta.id}")
        count = 0
        for target in targets_for(meta, graph):
            count += 1
            ctx.options = dict(result.config.rule_options.get(meta.id, {}))
            try:
                for item in meta.check(target, ctx):
                    converted = _convert(meta, target, item, result)
                    if converted is not None:
                        out.append(converted)
            except Exception as exc:
                span = _target_span(target)
                where = getattr(target, "address", None) or getattr(getattr(target, "holder", None), "address", "")
                result.notifications.append(
                    Notification(
                        INTERNAL_ERROR,
                        f"rule {meta.id} failed on {where}: {type(exc).__name__}: {exc}",
                        span,
                        "error",
                        meta.id,
                    )
                )
        result.coverage[meta.id] = {"targets": count}
    _unique_fingerprints(out)
    return out


def _target_span(target: Any) -> Span | None:
    span = getattr(target, "span", None)
    return span if isinstance(span, Span) else None


def _convert(meta: RuleMeta, target: Any, item: Any, result: ScanResult) -> Result | None:
    if isinstance(item, Unresolved):
        span = locate(item.at) or _target_span(target)
        address = _address(item.resource or _resource_of(target, item.at))
        cause = unresolved_cause(item.at)
        if cause is not None:  # said once for the cause, with every check that needed it
            entry = result.needed.setdefault(cause.key, (cause, []))
            entry[1].append((meta.id, address, span))
            return None
        result.notifications.append(
            Notification(UNRESOLVED, f"{address}: {item.message}" if address else item.message, span, "note", meta.id)
        )
        return None
    if not isinstance(item, Finding):
        raise TypeError(f"rule {meta.id} yielded {type(item).__name__}, not Finding or Unresolved")
    resource = item.resource or _resource_of(target, item.at)
    span = locate(item.at) or _target_span(target) or (resource.span if isinstance(resource, Resource) else None)
    if span is None:
        raise ValueError(f"rule {meta.id} produced a finding without a location")
    address = _address(resource)
    key = item.key if item.key is not None else _key_of(item.at)
    rel = result.relpath(span.path)
    calls: tuple[Any, ...] = ()
    anchor = None
    if isinstance(resource, Resource) and resource.meta:
        from iamready.provenance import module_calls, trace

        calls = module_calls(resource)
        if calls:
            traced = trace(item.at, calls, resource.span, span, item.message)
            if traced.moved:
                anchor, span = span, traced.primary
    identity = "\0".join((meta.id, rel, address, key)).encode("utf-8", "surrogatepass")  # lone surrogates: "\ud800"
    fingerprint = hashlib.sha256(identity).hexdigest()[:32]
    message = item.message if item.message.startswith(address + ":") or not address else f"{address}: {item.message}"
    related = [(s, m) for s, m in ((locate(at), msg) for at, msg in item.related) if s is not None]
    flow = [(s, m) for s, m in ((locate(at), msg) for at, msg in item.flow) if s is not None]
    return Result(
        rule=meta,
        severity=item.severity or meta.severity,
        message=message,
        span=span,
        address=address,
        resource_type=getattr(resource, "type", ""),
        framework=getattr(resource, "framework", ""),
        key=key,
        fingerprint=fingerprint,
        related=related,
        flow=flow,
        properties=dict(item.properties),
        anchor=anchor,
        calls=calls,
        root=getattr(resource, "scope", "") if calls else "",
    )


def unresolved_cause(at: Any) -> Cause | None:
    """The root cause of what an ``Unresolved`` points at: a value, a statement, a document."""
    found = cause_of(at)
    if found is not None:
        return found
    for _field, unknown in getattr(at, "unknowns", None) or ():  # a Statement
        found = cause_of(unknown)
        if found is not None:
            return found
    unknown = getattr(at, "unknown", None)  # a PolicyDocument, or a rule's own record
    return cause_of(unknown) if unknown is not None else None


MAX_DEPENDENTS_LISTED = 5


def cause_notes(result: ScanResult) -> list[Notification]:
    """One notification per root cause that rules needed: what is missing, which checks it
    decides (rule, resource, place), and the fix. Causes no rule needed are not said at all."""
    out = []
    for cause, dependents in result.needed.values():
        unique = sorted(
            {(rule_id, address, span) for rule_id, address, span in dependents},
            key=lambda d: (d[2].path if d[2] else "", d[2].start_line if d[2] else 0, d[1], d[0]),
        )
        places: dict[tuple[str, str, int], list[str]] = {}  # (address, file, line) -> rule ids
        for rule_id, address, span in unique:
            where = (address, result.relpath(span.path) if span else "", span.start_line if span else 0)
            places.setdefault(where, []).append(rule_id)
        listed = []
        for (address, path, line), rule_ids in list(places.items())[:MAX_DEPENDENTS_LISTED]:
            at = f" at {path}:{line}" if path else ""
            listed.append(f"{address or 'the template'}{at} ({', '.join(rule_ids)})")
        more = len(places) - len(listed)
        needed = "; ".join(listed) + (f"; and {more} more" if more > 0 else "")
        fix = f". To fix: {cause.fix}" if cause.fix else ""
        rules = {rule_id for rule_id, _, _ in unique}
        out.append(
            Notification(
                UNRESOLVED,
                f"{cause.message}, so these checks could not be made: {needed}{fix}",
                cause.span or next((span for _, _, span in unique if span is not None), None),
                cause.level,
                next(iter(rules)) if len(rules) == 1 else None,
                tuple((rule_id, span) for rule_id, _, span in unique if span is not None),
            )
        )
    return out


def _resource_of(target: Any, at: Any) -> Any:
    if isinstance(target, Resource):
        return target
    holder = getattr(target, "holder", None)
    if isinstance(holder, Resource):
        return holder
    document = getattr(at, "document", None)
    if document is not None:
        return document.holder
    holder = getattr(at, "holder", None)
    return holder if isinstance(holder, Resource) else None


def _address(resource: Any) -> str:
    return getattr(resource, "address", "") or ""


def _key_of(at: Any) -> str:
    if isinstance(at, Value):
        return at.path
    document = getattr(at, "document", None)
    if document is not None:  # a Statement
        return f"{document.attr}#{at.sid or at.index}"
    if hasattr(at, "statements") and hasattr(at, "attr"):
        return str(at.attr)
    return ""


def _unique_fingerprints(results: list[Result]) -> None:
    counts: dict[str, int] = {}
    for result in sorted(results, key=lambda r: r.sort_key):
        n = counts.get(result.fingerprint, 0)
        counts[result.fingerprint] = n + 1
        if n:
            result.fingerprint = hashlib.sha256(f"{result.fingerprint}\0{n}".encode()).hexdigest()[:32]
