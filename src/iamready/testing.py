"""The rule-sample harness, public so authors of custom rules can reuse it.

Every ``pass*.tf|fail*.tf|pass*.cfn.yaml|fail*.cfn.yaml|pass*.cfn.json|fail*.cfn.json`` file in a
rule directory is a test: it is scanned with the real parsers, alone (plus the rule
directory's sub-directories, so samples can call local modules, and a ``<stem>.tfvars`` beside it
as a variables file), with only the rule that owns the directory. The findings must equal the
annotations exactly, in both directions:

* ``# expect: AWS-IAM-001`` at the end of a line expects a finding starting on that line;
* on a line of its own, it expects a finding on the next line that is not a comment;
* ``# expect+N: ...`` expects it N lines below (for heredoc JSON, which cannot hold comments);
* ``# expect-note: AWS-IAM-001`` expects an "unresolved" note from the rule instead, on the line where
  the rule needed the value (a note for a root cause is located at the cause and lists those places).

``pass*`` samples may hold no ``expect`` annotation and must yield nothing; ``fail*`` samples
need at least one. Rules about suppressions (``on="suppressions"``) judge other rules' findings:
their samples run with the rules that the sample's suppressions name, and only the owning rule's
findings are compared. The rule must have been called on at least one target (a misspelled type
or a resource the parser dropped cannot pass silently).

**Shared samples.** ``rules/<provider>/<service>/_samples/`` holds samples that every rule of the
service must pass (a locked-down trail for the CloudTrail rules), so that a rule's directory keeps
only what is particular to it. Each rule is run alone on each shared sample, and its findings must
equal the annotations that name it: ``# expect: ID`` marks the few rules a shared sample must fail,
and annotations naming other rules are theirs. A shared sample whose first lines say
``# shared with: s3`` (comma-separated service names) is also run by the rules of those services of
the same provider, so one sample serves several services without a copy.

Use from a ``conftest.py``::

    from iamready.testing import collect_rule_samples

    def pytest_collect_file(parent, file_path):
        return collect_rule_samples(parent, file_path)
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iamready.docs import SHARED_DIR, is_shared_sample, rules_sharing, shared_samples, shared_with

__all__ = [
    "SAMPLE_RE",
    "SHARED_DIR",
    "Expectation",
    "annotations",
    "check_sample",
    "collect_rule_samples",
    "is_shared_sample",
    "owning_rule",
    "rules_sharing",
    "run_sample",
    "sample_project",
    "shared_samples",
    "shared_with",
]

SAMPLE_RE = re.compile(r"^(pass|fail)(_[a-z0-9_]+)?\.(tf|cfn\.yaml|cfn\.json)$")
_RULE_ID_RE = re.compile(r"\b[A-Z]+-[A-Z0-9]+-\d{3}\b")
_EXPECT_RE = re.compile(r"(?:#|//)\s*expect(-note)?(?:\+(\d+))?:\s*([A-Z0-9,\s-]+?)\s*$")


@dataclass(frozen=True, order=True)
class Expectation:
    path: str  # relative to the sample's temporary project
    line: int
    rule_id: str
    note: bool = False


def annotations(path: Path, relative: str) -> set[Expectation]:
    """Expectations written in one file."""
    out: set[Expectation] = set()
    lines = path.read_text(encoding="utf-8").splitlines()
    pending: list[tuple[str, bool]] = []
    for number, line in enumerate(lines, start=1):
        match = _EXPECT_RE.search(line)
        stripped = line.strip()
        is_comment_only = stripped.startswith(("#", "//"))
        if match:
            ids = [i.strip() for i in match.group(3).split(",") if i.strip()]
            note = bool(match.group(1))
            if match.group(2):  # "# expect+N:" points N lines below (inside a heredoc, where comments cannot go)
                for rule_id in ids:
                    out.add(Expectation(relative, number + int(match.group(2)), rule_id, note))
                continue
            if is_comment_only:
                pending.extend((i, note) for i in ids)
                continue
            for rule_id in ids:
                out.add(Expectation(relative, number, rule_id, note))
        if pending and stripped and not is_comment_only:
            for rule_id, note in pending:
                out.add(Expectation(relative, number, rule_id, note))
            pending = []
    return out


def sample_project(sample: Path, workdir: Path) -> tuple[Path, list[str]]:
    """Copy a sample (and the rule directory's sub-directories) into ``workdir``.

    Returns the path of the copied sample and the extra variable files to pass.
    """
    rule_dir = sample.parent
    for child in rule_dir.iterdir():
        if child.is_dir() and not child.name.startswith((".", "__")):
            shutil.copytree(child, workdir / child.name)
    target = workdir / sample.name
    shutil.copy2(sample, target)
    var_files = []
    stem = sample.name.split(".")[0]
    sidecar = rule_dir / f"{stem}.tfvars"
    if sample.name.endswith(".tf") and sidecar.exists():
        shutil.copy2(sidecar, workdir / f"{stem}.tfvars")
        var_files.append(str(workdir / f"{stem}.tfvars"))
    params = rule_dir / f"{stem}.params.json"
    if params.exists():
        shutil.copy2(params, workdir / params.name)
        var_files.append(str(workdir / params.name))
    return target, var_files


def run_sample(sample: Path, rule_id: str, extra_rules: tuple[str, ...] = ()) -> dict[str, Any]:
    """Scan one sample with one rule. Returns expected and actual (path, line, rule) sets."""
    from iamready.config import Config
    from iamready.engine import scan
    from iamready.loader import load_rules
    from iamready.registry import find

    catalogue = load_rules(extra_rules)
    meta = find(catalogue, rule_id)
    with tempfile.TemporaryDirectory(prefix="iamready-sample-") as tmp:
        workdir = Path(tmp)
        target, var_files = sample_project(sample, workdir)
        expected: set[Expectation] = set()
        named: set[str] = set()
        for path in sorted(workdir.rglob("*")):
            if path.is_file() and path.suffix in (".tf", ".yaml", ".yml", ".tfvars", ".json"):
                expected |= annotations(path, path.relative_to(workdir).as_posix())
                named |= set(_RULE_ID_RE.findall(path.read_text(encoding="utf-8")))
        rules = [meta]
        if meta.on == "suppressions":
            rules += [r for r in catalogue if r.id in named and r.on != "suppressions"]
        tf_vars = tuple(v for v in var_files if v.endswith(".tfvars"))
        cfn_params = tuple(v for v in var_files if v.endswith(".params.json"))
        config = Config(
            paths=(str(workdir),),
            var_files=tf_vars,
            cfn_param_files=cfn_params,
            cwd=str(workdir),
            profile="all",
        )
        result = scan(config, rules)
        actual: set[Expectation] = set()
        for item in result.results:
            if item.rule.id == meta.id:
                actual.add(Expectation(result.relpath(item.span.path), item.span.start_line, item.rule.id))
        for note in result.notifications:
            if note.kind != "unresolved":
                continue
            if note.dependents:  # a root cause said once: expected where the rule needed the value
                for rule_id, span in note.dependents:
                    if rule_id == meta.id:
                        actual.add(Expectation(result.relpath(span.path), span.start_line, rule_id, True))
            elif note.rule_id == meta.id and note.span is not None:
                actual.add(Expectation(result.relpath(note.span.path), note.span.start_line, note.rule_id, True))
        problems = [
            n
            for n in result.notifications
            if n.kind in ("internal-error", "parse-error") or (n.kind == "suppression" and n.level == "error")
        ]
        return {
            "expected": expected,
            "actual": actual,
            "targets": result.coverage.get(meta.id, {}).get("targets", 0),
            "messages": [(r.span.start_line, r.message) for r in result.results],
            "problems": problems,
            "sample": target.name,
        }


def owning_rule(sample: Path, rule_dir: Path | None = None) -> str:
    """The id of the rule defined in ``rule_dir`` (by default the sample's directory)."""
    rule_file = (rule_dir or sample.parent) / "rule.py"
    text = rule_file.read_text(encoding="utf-8")
    match = re.search(r"""\bid\s*=\s*["']([A-Z]+-[A-Z0-9]+-\d{3})["']""", text)
    if not match:
        raise ValueError(f"{rule_file} declares no rule id")
    return match.group(1)


def check_sample(sample: Path, extra_rules: tuple[str, ...] = (), rule_dir: Path | None = None) -> None:
    """Run a sample and raise AssertionError with a readable diff when it does not match. A shared
    sample is run with the rule of ``rule_dir`` and compared with the annotations that name it."""
    shared = is_shared_sample(sample)
    rule_id = owning_rule(sample, rule_dir)
    outcome = run_sample(sample, rule_id, extra_rules)
    expected, actual = outcome["expected"], outcome["actual"]
    kind = sample.name.split("_")[0].split(".")[0]
    errors = []
    foreign = {e for e in expected if e.rule_id != rule_id}
    if shared:
        expected = expected - foreign  # the annotations of the service's other rules are theirs
    elif foreign:
        errors.append(f"annotations name other rules: {sorted(foreign)}")
    if kind == "pass" and expected and not shared:
        errors.append("a pass sample must not contain expect annotations")
    if kind == "fail" and not shared and not any(not e.note for e in expected):
        errors.append("a fail sample needs at least one '# expect:' annotation")
    if outcome["targets"] == 0:
        errors.append(
            f"{rule_id} was never called on this sample: its target is missing (wrong type? dropped by the parser?)"
        )
    if outcome["problems"]:
        errors.append(
            "the sample did not scan cleanly: " + "; ".join(f"{n.kind}: {n.message}" for n in outcome["problems"])
        )
    missing = sorted(expected - actual)
    unexpected = sorted(actual - expected)
    if missing:
        errors.append(
            "expected but not reported:\n"
            + "\n".join(f"  {e.path}:{e.line} {'note ' if e.note else ''}{e.rule_id}" for e in missing)
        )
    if unexpected:
        errors.append(
            "reported but not expected:\n"
            + "\n".join(f"  {e.path}:{e.line} {'note ' if e.note else ''}{e.rule_id}" for e in unexpected)
            + "\nmessages:\n"
            + "\n".join(f"  {line}: {msg}" for line, msg in outcome["messages"])
        )
    if errors:
        raise AssertionError(f"{sample}:\n" + "\n".join(errors))


def collect_rule_samples(parent: Any, file_path: Path) -> Any:
    """A ``pytest_collect_file`` hook body: one test item per rule sample (per rule, for a shared sample)."""
    import pytest

    shared = is_shared_sample(file_path)
    if not shared and (not SAMPLE_RE.match(file_path.name) or not (file_path.parent / "rule.py").exists()):
        return None

    class SampleItem(pytest.Item):
        rule_dir: Path | None = None

        def runtest(self) -> None:
            check_sample(self.path, rule_dir=self.rule_dir)

        def repr_failure(self, excinfo: Any, style: Any = None) -> Any:
            if isinstance(excinfo.value, AssertionError):
                return str(excinfo.value)
            return super().repr_failure(excinfo)

        def reportinfo(self) -> Any:
            return self.path, 0, self.name

    class SampleFile(pytest.File):
        def collect(self) -> Any:
            if not shared:
                yield SampleItem.from_parent(self, name=f"{owning_rule(self.path)}[{self.path.name}]")
                return
            for rule_dir in rules_sharing(self.path):
                item = SampleItem.from_parent(self, name=f"{owning_rule(self.path, rule_dir)}[{self.path.name}]")
                item.rule_dir = rule_dir
                yield item

    return SampleFile.from_parent(parent, path=file_path)


def isolated_cache_dir() -> str:
    """A cache directory for tests (set ``IAMREADY_CACHE_DIR`` to it before scanning)."""
    return os.environ.setdefault("IAMREADY_CACHE_DIR", tempfile.mkdtemp(prefix="iamready-test-cache-"))
