"""scan(Config) -> ScanResult: discover, parse, link, run rules, suppress, sort.

Each phase is timed (``ScanResult.timings``). Rules run inside a guard: an exception in one
rule on one target becomes an internal-error notification naming the rule and the location,
and every other rule and target still runs.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from iamready.config import Config
from iamready.context import Context
from iamready.model.graph import Graph
from iamready.model.notes import INTERNAL_ERROR, INVALID_POLICY, LIMIT, PARSE_ERROR, SKIPPED, Notification
from iamready.model.span import Span
from iamready.results import (
    Result,
    ScanError,
    ScanResult,
    Suppression,
    cause_notes,
    target_span,
    to_result,
    unique_fingerprints,
)
from iamready.rule import RuleMeta

# the findings live in iamready.results; these names stay importable from here for callers
__all__ = ["Result", "ScanError", "ScanResult", "Suppression", "build_graph", "collector_tuned", "scan"]


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
    from iamready.parsers.terraform.edges import resolve_pending_refs
    from iamready.parsers.terraform.evaluator import Budget
    from iamready.parsers.terraform.files import load_module_dir, module_files
    from iamready.parsers.terraform.loader import TerraformLoader

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

    def planned(directory: str) -> bool:  # realpath costs a system call per directory level: only with plans
        return bool(plan_dirs) and os.path.realpath(directory) in plan_dirs

    to_parse = [f for d, files in sorted(paths_info.terraform_dirs.items()) if not planned(d) for f in files]
    prefetch(cache, to_parse, list(paths_info.cloudformation), progress)  # in worker processes when it pays
    files_read = 0
    for index, (directory, files) in enumerate(sorted(paths_info.terraform_dirs.items())):
        if progress:
            progress(f"parsing Terraform module {index + 1}/{len(paths_info.terraform_dirs)}")
        if files and not planned(directory):
            module = load_module_dir(directory, files, cache, graph.notifications)
            files_read += len(module.files)
            loader.add_module_dir(module)
    if paths_info.files_named:  # pre-commit: a module that needs a caller is read with its callers
        files_read += _with_callers(paths_info, loader, cache, graph)
    if paths_info.cloudformation or config.cfn_param_files:  # CloudFormation only for a scan that has it
        from iamready.parsers import cloudformation as cfn
    cfn_docs = []
    maybe = getattr(paths_info, "maybe_cloudformation", set())
    rejected: set[str] = set()
    for index, path in enumerate(paths_info.cloudformation):
        if progress:
            progress(f"parsing template {index + 1}/{len(paths_info.cloudformation)}")
        # markers found indented: a template if its content says so, else skipped (said when named); markers
        # at the top level: a template unless what parsed says otherwise (a CodeDeploy AppSpec's Resources list)
        found: list[Notification] = []
        template = cfn.load_template(path, cache, found)
        why = cfn.not_a_template(template) if path in maybe or template is not None else None
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
    cfn_params = cfn.read_parameters(config, graph.notifications) if cfn_docs or config.cfn_param_files else {}
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
    """Pre-commit names the changed files; when one is in a module made to be called (no provider block, or
    an input without a default), the module directories of the repository that call it are read too, so it
    is instantiated with its callers' values. Returns the number of files read."""
    from iamready.discovery import callers_of
    from iamready.parsers.terraform.blocks import _block_attr
    from iamready.parsers.terraform.files import load_module_dir

    called = [  # a module without a provider block, or with an input that has no default, is made to be called
        module.directory
        for module in list(loader.modules.values())
        if not module.providers or any(_block_attr(node, "default") is None for node, _ in module.variables.values())
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


def property_notes(graph: Graph) -> list[Notification]:
    """CloudFormation properties the resource type does not have (misspelt settings), located."""
    if next(graph.resources(framework="cloudformation"), None) is None:
        return []  # nothing to check: do not load the snapshot
    from iamready.aws.cfn_schema import unknown_property_notes

    return unknown_property_notes(graph)


def scan(
    config: Config,
    rules: list[RuleMeta],
    progress: Callable[[str], None] | None = None,
    known_rules: list[RuleMeta] | None = None,
) -> ScanResult:
    """Scan with ``rules``. ``known_rules``: every rule iamready knows, selected or not (suppressions
    naming any of them are not typos); loaded here when the caller has not already."""
    from iamready.cache import flush_writes

    try:
        with collector_tuned():
            return _scan(config, rules, progress, known_rules)
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


def _scan(
    config: Config,
    rules: list[RuleMeta],
    progress: Callable[[str], None] | None = None,
    known_rules: list[RuleMeta] | None = None,
) -> ScanResult:
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
        result.stats = {
            "files": found.files_scanned,
            "skipped": dict(found.skipped),
            "terraform_modules": 0,
            "templates": 0,
            "plans": 0,
        }
        result.timings = timings
        return result
    graph = build_graph(config, found, result.notifications, timings, progress)
    _freeze()  # the graph lives until the scan ends: the collector need not look at it again
    result.graph = graph
    result.notifications.extend(graph.notifications)
    result.notifications.extend(policy_notes(graph))
    result.notifications.extend(property_notes(graph))
    t3 = time.perf_counter()
    ctx = Context(graph, config)
    raw = run_rules(rules, graph, ctx, result, progress)
    for cause in graph.causes:  # said even when nothing needed them
        result.needed.setdefault(cause.key, (cause, []))
    result.notifications.extend(cause_notes(result))
    timings["rules"] = time.perf_counter() - t3
    t4 = time.perf_counter()
    from iamready.suppress import apply_suppressions

    results = apply_suppressions(raw, graph, config, rules, result, known_rules)
    if found.report_only is not None:
        keep = set(found.report_only)
        for plan_path, sources in getattr(graph, "plan_sources", {}).items():
            if plan_path in keep:  # a named plan reports at the .tf lines its resources map to
                keep |= sources
        # a changed file sees every finding it takes part in: its location, a related location, a module call
        real = functools.lru_cache(maxsize=None)(os.path.realpath)  # a system call per directory level
        results = [r for r in results if any(real(s.path) in keep for s in r.provenance())]
        result.notifications = [
            n
            for n in result.notifications
            if n.span is None
            or real(n.span.path) in keep
            or any(real(span.path) in keep for _, span in n.dependents)
            or any(real(span.path) in keep for span in n.related)
        ]
    results = once_per_cause(results, result)
    result.results = sorted(results, key=lambda r: r.sort_key)
    result.notifications = _cap_notes(_dedupe_notes(result.notifications))
    timings["suppress"] = time.perf_counter() - t4
    result.timings = timings
    result.stats = {
        "files": found.files_scanned,
        "skipped": dict(found.skipped),
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
    """Findings identical in rule, location and message are one finding: a module instantiated
    by several roots (an example and an environment, envs/dev and envs/prod) is reported once, naming every
    root and module call it comes from. Findings inside modules say which module and which call."""
    groups: dict[tuple[Any, ...], list[Result]] = {}
    for item in sorted(results, key=lambda r: r.sort_key):
        groups.setdefault((item.rule.id, item.span, item.message, item.severity), []).append(item)
    out = []
    for group in groups.values():
        # one cause, one decision: a baseline entry or suppression that covers one instance covers the cause
        # (a baseline written from this report holds one entry for it)
        first = next((r for r in group if r.suppressed), group[0])
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
                    converted = to_result(meta, target, item, result)
                    if converted is not None:
                        out.append(converted)
            except Exception as exc:
                span = target_span(target)
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
    unique_fingerprints(out)
    return out
