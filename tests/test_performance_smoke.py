"""What keeps iamready fast, checked without timing anything (the figures live in benchmarks/run.py):
commands import only what they need, the wheel ships the HCL parser tables, progress is shown on a
terminal only, and the graph answers reference queries in networkx's order without networkx."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from iamready import cli
from iamready.config import resolve
from iamready.model.graph import Graph, Resource
from iamready.model.span import Span

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("networkx", "lark", "hcl2", "yaml", "attr", "sarif_om", "multiprocessing", "concurrent.futures")

MODULE_TF = """\
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
"""


def imported_modules(args: list[str], cwd: Path, env_extra: dict[str, str] | None = None) -> set[str]:
    env = dict(os.environ, **(env_extra or {}))
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "iamready.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m in HEAVY or m.split(".")[0] in ("networkx", "lark", "hcl2", "sarif_om"))


def test_version_imports_nothing_heavy(tmp_path: Path) -> None:
    modules = imported_modules(["--version"], tmp_path)
    assert "click" in modules
    assert heavy(modules) == []
    # the command line and the small module that keeps compiled dataclass methods (installed before the rest)
    assert not [m for m in modules if m.startswith("iamready.") and m not in ("iamready.cli", "iamready.codecache")]


def test_rules_listing_imports_no_parser_graph_or_report_library(tmp_path: Path) -> None:
    env = {"IAMREADY_CACHE_DIR": str(tmp_path / "cache")}
    first = imported_modules(["rules"], tmp_path, env)
    assert "iamready.loader" in first
    assert heavy(first) == []
    assert "iamready.iam.effective" in first  # no catalogue yet: every rule module and its helpers are loaded
    again = imported_modules(["rules"], tmp_path, env)
    assert heavy(again) == []
    assert [m for m in again if m.startswith(("iamready.iam", "iamready.aws"))] == []  # from the catalogue


RULE_TEMPLATE = '''"""Role named forbidden

A role whose name is forbidden.

## Why is this bad?
Because.

## How to fix
Rename it.

## References
- https://example.com
"""

from iamready.rule import Finding, Severity, rule


@rule(
    id="ACME-IAM-001",
    name="acme-iam-role-named-forbidden",
    severity=Severity.SEVERITY,
    checklist=("3.1",),
    targets={"terraform": ("aws_iam_role",)},
)
def check(role, ctx):
    if role.attr("name").raw == "forbidden":
        yield Finding("the role is named forbidden", at=role.attr("name"))
'''


def test_the_rule_catalogue_cache_gives_the_same_rules_and_follows_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iamready import loader
    from iamready.cache import cache_dir
    from iamready.engine import scan

    monkeypatch.setenv("IAMREADY_CACHE_DIR", str(tmp_path / "cache"))
    cache_dir.cache_clear()
    extra = tmp_path / "extra" / "acme" / "iam" / "role_named_forbidden"
    extra.mkdir(parents=True)
    rule_file = extra / "rule.py"
    rule_file.write_text(RULE_TEMPLATE.replace("SEVERITY", "LOW"), encoding="utf-8")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "main.tf").write_text(
        MODULE_TF + '\nresource "aws_iam_role" "bad" {\n  name = "forbidden"\n}\n', encoding="utf-8"
    )
    try:
        eager = loader.load_rules([str(tmp_path / "extra")])
        assert not [m for m in eager if isinstance(m.check, loader._LazyCheck)]
        lazy = loader.load_rules([str(tmp_path / "extra")])
        assert all(isinstance(m.check, loader._LazyCheck) for m in lazy)
        assert lazy == eager  # every field but the function
        assert [m.directory for m in lazy] == [m.directory for m in eager]
        config = resolve({"paths": ("main.tf",), "no_cache": True}, cwd=str(tmp_path / "repo"))
        eager_results = [(r.rule.id, r.span.start_line, r.message) for r in scan(config, eager).results]
        lazy_results = [(r.rule.id, r.span.start_line, r.message) for r in scan(config, lazy).results]
        assert lazy_results == eager_results
        assert ("ACME-IAM-001", 18, "aws_iam_role.bad: the role is named forbidden") in lazy_results
        # an edited rule file is loaded again, not taken from the catalogue
        rule_file.write_text(RULE_TEMPLATE.replace("SEVERITY", "CRITICAL"), encoding="utf-8")
        os.utime(rule_file, ns=(rule_file.stat().st_atime_ns, rule_file.stat().st_mtime_ns + 10**9))
        sys.modules.pop("iamready_extra_rules_0.acme.iam.role_named_forbidden")  # as in a new process
        edited = {m.id: m for m in loader.load_rules([str(tmp_path / "extra")])}
        assert edited["ACME-IAM-001"].severity.value == "critical"
    finally:
        cache_dir.cache_clear()


def test_a_text_scan_of_a_small_module_imports_neither_networkx_nor_sarif_nor_workers(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MODULE_TF, encoding="utf-8")
    env = {"IAMREADY_CACHE_DIR": str(tmp_path / "cache")}
    first = imported_modules(["scan", "main.tf"], tmp_path, env)  # builds the parse tables, with Lark
    assert "iamready.engine" in first and "lark" in first
    assert [m for m in heavy(first) if not m.startswith(("lark", "hcl2"))] == []
    assert "hcl2" not in first  # only its grammar file is read: python-hcl2's package is not imported
    (tmp_path / "main.tf").write_text(MODULE_TF + "# edited\n", encoding="utf-8")
    modules = imported_modules(["scan", "main.tf"], tmp_path, env)
    assert "iamready.parsers.terraform.lalr" in modules  # it did parse, with the tables built before
    assert heavy(modules) == []  # Lark is needed to build the tables, not to parse
    assert "iamready.parsers.plan" not in modules  # no plan in the scan


def test_a_sarif_scan_imports_no_object_model_library(tmp_path: Path) -> None:
    """SARIF is written as plain dictionaries: attrs and sarif-om cost 60 ms of every CI scan."""
    (tmp_path / "main.tf").write_text(MODULE_TF, encoding="utf-8")
    env = {"IAMREADY_CACHE_DIR": str(tmp_path / "cache")}
    imported_modules(["scan", "main.tf"], tmp_path, env)  # builds the parse tables, with Lark
    modules = imported_modules(["scan", "main.tf", "--format", "sarif", "-o", "out.sarif"], tmp_path, env)
    assert "iamready.reporters.sarif" in modules
    assert heavy(modules) == []
    assert json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_the_wheel_ships_parser_tables_and_the_catalogue_that_a_fresh_machine_uses(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheel = next(tmp_path.glob("iamready-*.whl"))
    archive = zipfile.ZipFile(wheel)
    tables = [n for n in archive.namelist() if n.startswith("iamready/parsers/terraform/_tables/")]
    from iamready.parsers.terraform.hcl import _grammar

    assert tables == [f"iamready/parsers/terraform/_tables/{_grammar()[1]}"]
    unpacked = tmp_path / "site"
    archive.extractall(unpacked)
    cache = tmp_path / "fresh-cache"
    done = subprocess.run(
        [sys.executable, "-c", "from iamready.parsers.terraform import hcl; print(hcl.parse('a = 1')[0][0][2])"],
        env=dict(os.environ, PYTHONPATH=str(unpacked), IAMREADY_CACHE_DIR=str(cache)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout == "a\n", done.stderr
    assert not list(cache.glob("hcl2-*"))  # nothing built: the shipped parser was used
    from iamready.iam.catalog import Catalog

    snapshots = [n for n in archive.namelist() if n.startswith("iamready/iam/_catalog/")]
    assert snapshots == [f"iamready/iam/_catalog/{Catalog().snapshot_name()}"]
    probe = (
        "from pathlib import Path; from iamready.iam.catalog import Catalog; c = Catalog(); "
        "c.index_dir = Path('CACHE'); print(c.info('iam:PassRole').level, len(c.all_actions()) > 15000)"
    ).replace("CACHE", str(cache))
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=dict(os.environ, PYTHONPATH=str(unpacked), IAMREADY_CACHE_DIR=str(cache)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout == "Write True\n", done.stderr
    assert not list(cache.glob("actions-*"))  # nothing built: the shipped snapshot was used

    # the compiled dataclass methods: a command-line scan on a fresh machine compiles none of its classes
    from iamready import codecache

    assert f"iamready/_codecache/{codecache.NAME}" in archive.namelist()
    (tmp_path / "module").mkdir()
    (tmp_path / "module" / "main.tf").write_text(MODULE_TF, encoding="utf-8")
    outputs = []
    for setting in ("", "1"):  # with the wheel's table, then without any
        done = subprocess.run(
            [sys.executable, "-m", "iamready", "scan", "main.tf", "--format", "json"],
            cwd=tmp_path / "module",
            env=dict(
                os.environ, PYTHONPATH=str(unpacked), IAMREADY_CACHE_DIR=str(cache), IAMREADY_NO_CODE_CACHE=setting
            ),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode in (0, 1), done.stderr
        outputs.append(done.stdout)
        assert not (cache / codecache.NAME).exists()  # nothing missing from the wheel's table: nothing written
    assert outputs[0] == outputs[1]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def scan_with_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stderr: io.StringIO) -> tuple[int, str]:
    (tmp_path / "main.tf").write_text(MODULE_TF, encoding="utf-8")
    monkeypatch.delenv("IAMREADY_NO_PROGRESS", raising=False)
    clock = iter(x * 1.5 for x in range(100_000))  # each call 1.5 s later: past the one-second delay at once
    monkeypatch.setattr(cli.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(sys, "stderr", stderr)
    config = resolve({"paths": ("main.tf",), "format": "json", "output": str(tmp_path / "out.json")}, cwd=str(tmp_path))
    return cli.run_scan(config), stderr.getvalue()


def test_progress_is_shown_on_a_terminal_and_cleared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = scan_with_stderr(tmp_path, monkeypatch, FakeTerminal())
    assert code == 1
    assert "\r\x1b[Kiamready: parsing Terraform module 1/1" in err
    assert "\r\x1b[Kiamready: running rule " in err
    assert err.endswith("\r\x1b[K")  # the line is cleared before the report
    assert '"results"' in (tmp_path / "out.json").read_text(encoding="utf-8")


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = scan_with_stderr(tmp_path, monkeypatch, io.StringIO())
    assert code == 1
    assert err == ""


def _resource(name: str, line: int) -> Resource:
    return Resource(id=f"m::{name}", address=name, type="t", framework="terraform", span=Span("a.tf", line))


def test_graph_queries_keep_networkx_order_and_attributes() -> None:
    graph = Graph()
    a, b, c = (_resource(n, i) for i, n in ((3, "a"), (2, "b"), (1, "c")))
    for node in (a, b, c):
        graph.add(node)
    graph.link(a, c, "ref", "x")
    graph.link(a, b, "ref", "y")
    graph.link(a, b, "member")
    graph.link(a, c, "ref", "z")
    graph.link(a, c, "ref", "x")
    graph.link(a, a, "ref")  # a reference to itself is dropped
    assert graph.references(a) == [c, b]  # sorted by file and line
    assert graph.references(a, type="t", kind="member") == [b]
    assert graph.references(a, type="other") == []
    assert graph.referrers(c) == [a]
    assert graph.referrers(a) == []
    assert graph.edge_attrs(a, c) == ["x", "z"]
    assert graph.edge_attrs(a, b, "member") == []
    assert graph.edge_attrs(c, a) == []
    # nodes as added, neighbours as first linked, edge kinds as added
    assert [(s.address, t.address, k) for s, t, k in graph.edges()] == [
        ("a", "c", "ref"),
        ("a", "b", "ref"),
        ("a", "b", "member"),
    ]
    assert [(s.address, t.address) for s, t, _ in graph.edges("member")] == [("a", "b")]


LOG_TREE_TF = """\
resource "aws_s3_bucket" "logs" {
  for_each = toset(["team/a", "team-b"])
  bucket   = "logs-${replace(each.key, "/", "-")}"
}

resource "aws_cloudtrail" "a" {
  name           = "a"
  s3_bucket_name = aws_s3_bucket.logs["team/a"].id
}

resource "aws_cloudtrail" "b" {
  name           = "b"
  s3_bucket_name = aws_s3_bucket.logs["team-b"].bucket
}

resource "aws_cloudtrail" "elsewhere" {
  name           = "elsewhere"
  s3_bucket_name = "central-trail-logs"
}

data "aws_iam_policy_document" "ops" {
  statement {
    actions   = ["s3:DeleteObject"]
    resources = ["${aws_s3_bucket.logs["team/a"].arn}/AWSLogs/*", "arn:aws:s3:::central-trail-logs"]
  }
  statement {
    actions   = ["s3:PutBucketPolicy"]
    resources = [aws_s3_bucket.logs["team-b"].arn, "arn:aws:s3:::logs-team-b/x"]
  }
  statement {
    actions   = ["s3:*"]
    resources = ["*", "arn:aws:s3:::central-trail-logs/AWSLogs/1/*", "arn:aws:s3:::unrelated"]
  }
}

resource "aws_iam_policy" "ops" {
  policy = data.aws_iam_policy_document.ops.json
}
"""


def test_the_log_target_name_index_answers_like_named_by(tmp_path: Path) -> None:
    from iamready.aws.s3 import log_targets, reachable_targets, targets_named_by
    from iamready.context import Context
    from iamready.discovery import discover
    from iamready.engine import build_graph

    (tmp_path / "main.tf").write_text(LOG_TREE_TF, encoding="utf-8")
    config = resolve({"paths": (".",), "no_cache": True}, cwd=str(tmp_path))
    graph = build_graph(config, discover(["."], [], str(tmp_path)), [], {})
    ctx = Context(graph, config)
    targets = log_targets(ctx)
    assert sorted(t.bucket.address if t.bucket else t.name for t in targets) == [
        'aws_s3_bucket.logs["team-b"]',
        'aws_s3_bucket.logs["team/a"]',
        "central-trail-logs",
    ]
    statements = [s for doc in graph.policies if doc.holder.type == "aws_iam_policy" for s in doc.statements]
    assert len(statements) == 3
    named = []
    for stmt in statements:
        expected = {id(t) for t in targets if t.named_by(stmt)}
        assert targets_named_by(ctx, stmt) == expected
        for scope in (str(tmp_path), "elsewhere"):
            reachable = [t for t in targets if t.bucket is None or t.bucket.scope == scope or id(t) in expected]
            assert reachable_targets(ctx, scope, stmt) == reachable
        named.append(sorted(t.bucket.address if t.bucket else t.name for t in targets if id(t) in expected))
    assert named == [
        ['aws_s3_bucket.logs["team/a"]', "central-trail-logs"],
        ['aws_s3_bucket.logs["team-b"]'],
        ["central-trail-logs"],
    ]


def test_a_command_line_scan_skips_teardown_but_keeps_output_exit_code_and_exit_handlers(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MODULE_TF, encoding="utf-8")
    env = dict(os.environ, IAMREADY_CACHE_DIR=str(tmp_path / "cache"), IAMREADY_TIMINGS="1")
    done = subprocess.run(
        [sys.executable, "-m", "iamready.cli", "scan", "main.tf", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1  # findings
    import json

    report = json.loads(done.stdout)  # the whole report was flushed before the process ended
    assert [r["rule_id"] for r in report["results"]].count("AWS-IAM-001") == 1
    assert done.stderr.startswith("iamready-timings: {")  # exit handlers still ran


def test_resources_in_a_scope_are_indexed_in_the_order_they_were_added() -> None:
    graph = Graph()

    def add(scope: str, rtype: str, name: str) -> Resource:
        return graph.add(
            Resource(f"{scope}::{rtype}.{name}", f"{rtype}.{name}", rtype, "terraform", Span("m.tf", 1), scope=scope)
        )

    a1 = add("a", "aws_iam_user", "one")
    b1 = add("b", "aws_iam_user", "one")
    a2 = add("a", "aws_iam_access_key", "k")
    a3 = add("a", "aws_iam_user", "two")
    assert graph.resources_in("a", "aws_iam_user") == [a1, a3]
    assert graph.resources_in("a", ("aws_iam_access_key", "aws_iam_user")) == [a2, a1, a3]
    assert graph.resources_in("a", ("aws_iam_access_key", "aws_iam_user")) == [
        r for r in graph.resources(("aws_iam_access_key", "aws_iam_user")) if r.scope == "a"
    ]
    assert graph.resources_in("b", "aws_iam_user") == [b1]
    assert graph.resources_in("c", "aws_iam_user") == []
    a4 = add("a", "aws_iam_user", "three")  # added after the index was built: still found
    assert graph.resources_in("a", "aws_iam_user") == [a1, a3, a4]


def test_the_tuned_collector_is_restored_by_its_outermost_use_only() -> None:
    import gc

    from iamready.engine import collector_tuned

    before = gc.get_threshold()
    with collector_tuned():
        tuned = gc.get_threshold()
        assert tuned != before
        with collector_tuned():  # the scan inside the command line's reporting block
            gc.freeze()
        assert gc.get_threshold() == tuned and gc.get_freeze_count() > 0  # still frozen for the reports
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
