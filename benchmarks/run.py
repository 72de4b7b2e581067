"""iamready's benchmark: whole-process runs on synthetic estates, side by side with Checkov.

Run from the repository root::

    python benchmarks/run.py                      # sizes 100, 1000, 2000, 4000 Terraform files
    python benchmarks/run.py --checkov /path/to/venv/bin/checkov
    python benchmarks/run.py --sizes 100,1000 --checkov-max 1000 --repeat 3

Checkov is looked for in ``--checkov``, then ``$CHECKOV``, then ``checkov`` on ``PATH``; when it is
not found its columns are skipped with a message. Install it in its own environment, never in
iamready's: ``python -m venv /work/checkov-venv && /work/checkov-venv/bin/pip install checkov``.
Measure iamready the same way, installed from the checkout in a venv of its own (``--iamready``): the
interpreter of a development environment may start slower than a user's (``.pth`` files of other
packages run at every start-up)::

    python -m venv /tmp/iamready-venv && /tmp/iamready-venv/bin/pip install .
    python benchmarks/run.py --iamready /tmp/iamready-venv/bin/iamready

Every figure comes from running the tools as a user does, as child processes:

* wall time (``time.perf_counter`` around the process), CPU time (user + system, ``os.wait4``,
  children of the child included), peak memory (the larger of the child's ``ru_maxrss`` and the
  sampled sum of the proportional set sizes of the whole process tree, so tools that fork workers are
  measured whole), files/s and MB/s (Terraform and CloudFormation files and bytes of the estate);
* iamready's own phases (``IAMREADY_TIMINGS=1``): discovery, parse, resolve, graph, rules,
  suppress, report; "start-up" is the wall time not spent in them (interpreter, imports, rules);
* cold: an empty parse cache (``IAMREADY_CACHE_DIR`` a new directory holding only the parser
  tables, as on any machine after the first run or with a wheel that ships them); warm: the same
  command again;
* the pre-commit cases: one changed file of a module, ``iamready scan <file>`` as the hook runs it
  (the file is edited before every run, so it is parsed again; its neighbours come from the cache
  when warm) against ``checkov -f <file>``: a synthetic 50-file module, and BishopFox/iam-vulnerable's
  ``modules/free-resources/privesc-paths`` (34 files, 209 resources);
* a module repository: terraform-aws-modules/terraform-aws-iam (99 files), ``iamready scan .``
  against ``checkov -d .``;
* start-up: ``iamready --version`` and ``iamready rules``.

The two public repositories are used when a copy is found under ``--repos`` (default
``benchmarks/repos/``, git-ignored)::

    git clone https://github.com/BishopFox/iam-vulnerable benchmarks/repos/iam-vulnerable
    git clone https://github.com/terraform-aws-modules/terraform-aws-iam benchmarks/repos/terraform-aws-iam

Without them, synthetic layouts of the same shape and size stand in (``estate.generate_privesc_module``,
``estate.generate_module_collection``); the output says which was measured.

Estates are written under ``benchmarks/estates/`` (git-ignored) and reused when already there;
results are also saved as JSON under ``benchmarks/results/``. ``PYTHONDONTWRITEBYTECODE`` is
removed from the children's environment so both tools run from compiled bytecode, as after a
normal ``pip install``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import estate  # noqa: E402

ESTATES = HERE / "estates"
RESULTS = HERE / "results"
REPOS = HERE / "repos"
PRIVESC_DIR = "modules/free-resources/privesc-paths"
PRIVESC_FILE = "privesc4-CreateAccessKey.tf"
PHASES = ("discovery", "parse", "resolve", "graph", "rules", "suppress", "report")


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    returncode: int
    phases: dict[str, float] = field(default_factory=dict)
    stderr_tail: str = ""


# -- measuring one process ------------------------------------------------------------------------
def _resident_kb(pid: int) -> int:
    """A process's proportional set size (PSS, ``smaps_rollup``): a page shared with a forked worker
    counts half in each, so a tree's sum is the memory it really holds. The resident set where the
    kernel gives no PSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _tree_rss_kb(pid: int) -> int:
    """Memory of a process and all its descendants, in KiB (0 when it is gone): the sum of their
    proportional set sizes, so copy-on-write pages of forked workers are not counted twice."""
    total = 0
    stack = [pid]
    seen = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            total += _resident_kb(current)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 3600.0) -> Run:
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=str(cwd), env=env, stdout=subprocess.DEVNULL, stderr=err)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                done.wait(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.002)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    phases: dict[str, float] = {}
    for line in stderr.splitlines():
        if line.startswith("iamready-timings: "):
            phases = json.loads(line[len("iamready-timings: ") :])["phases"]
    if "Traceback (most recent call last)" in stderr:
        # a crashed tool exits 1 like a scan with findings: never report its start-up as a scan time
        raise SystemExit(f"{' '.join(cmd)} crashed in {cwd}:\n{stderr[-2000:]}")
    peak_kb = max(peak[0], usage.ru_maxrss)
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=peak_kb / 1024,
        returncode=proc.returncode,
        phases=phases,
        stderr_tail="\n".join(stderr.strip().splitlines()[-3:]),
    )


def best(runs: list[Run]) -> Run:
    """The run with the median wall time (the minimum for two runs)."""
    ordered = sorted(runs, key=lambda r: r.wall)
    return ordered[(len(ordered) - 1) // 2]


# -- tools ----------------------------------------------------------------------------------------
def iamready_cmd(given: str | None = None) -> list[str]:
    """``--iamready`` (an installed ``iamready`` executable, e.g. in its own venv as users install it), else
    the one beside this interpreter, else ``python -m iamready.cli``."""
    if given:
        if not Path(given).exists():
            raise SystemExit(f"--iamready {given}: no such file")
        return [given]
    script = Path(sys.executable).parent / "iamready"
    return [str(script)] if script.exists() else [sys.executable, "-m", "iamready.cli"]


def find_checkov(given: str | None) -> str | None:
    for candidate in (given, os.environ.get("CHECKOV"), shutil.which("checkov")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def child_env(cache_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["IAMREADY_TIMINGS"] = "1"
    env["IAMREADY_NO_PROGRESS"] = "1"
    env["BC_SKIP_MAPPING"] = "TRUE"  # Checkov: no attempt to download its guideline mapping
    env["CHECKOV_NO_OUTPUT_WARNINGS"] = "1"
    if cache_dir is not None:
        env["IAMREADY_CACHE_DIR"] = str(cache_dir)
    return env


class Caches:
    """Fresh iamready cache directories that hold what any earlier run leaves besides parsed files: the
    HCL parse tables, the rule catalogue and the AWS action catalogue snapshot, as on any machine after
    its first scan or with a wheel that ships them (``warm_tables`` makes them once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        self.tables = root / "tables"

    def warm_tables(self, cmd: list[str]) -> None:
        self.tables.mkdir(parents=True, exist_ok=True)
        probe = self.root / "probe"
        probe.mkdir(parents=True, exist_ok=True)
        (probe / "main.tf").write_text(  # a policy: the rules look its action up in the catalogue
            'resource "aws_iam_policy" "probe" {\n  policy = jsonencode({\n'
            '    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]\n  })\n}\n'
        )
        subprocess.run(
            [*cmd, "scan", "main.tf"],  # builds the parse tables and both catalogues (parse/ is not copied)
            cwd=probe,
            env=child_env(self.tables),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )

    def empty(self) -> Path:
        """A cache directory with nothing in it, not even the parser tables: an editable install's first run."""
        self.count += 1
        directory = self.root / f"empty-{self.count}"
        directory.mkdir(parents=True)
        return directory

    def fresh(self) -> Path:
        self.count += 1
        directory = self.root / f"cache-{self.count}"
        directory.mkdir(parents=True)
        for item in self.tables.iterdir():
            if item.is_file():  # everything but the parse cache (parse/)
                shutil.copy2(item, directory / item.name)
        return directory


# -- cases ----------------------------------------------------------------------------------------
def own_repository(root: Path) -> Path:
    """Make ``root`` a git repository of its own, as a user's checkout is. Estates live inside this
    project's checkout, and a pre-commit scan looks for the callers of a changed module across its whole
    repository: without this, it would walk iamready's own tree."""
    if not (root / ".git").exists():
        done = subprocess.run(["git", "init", "-q", str(root)], capture_output=True, check=False)
        if done.returncode != 0:
            print(f"  note: git init {root} failed; scans there see this checkout as their repository")
    return root


def estate_for(size: int) -> tuple[Path, dict[str, int]]:
    root = ESTATES / f"estate-{size}"
    marker = root / ".estate.json"
    if marker.exists():
        own_repository(root)
        return root, json.loads(marker.read_text())
    if root.exists():
        shutil.rmtree(root)
    info = estate.generate(root, size)
    marker.write_text(json.dumps(info))
    own_repository(root)
    return root, info


def module_for_precommit() -> tuple[Path, str]:
    root = ESTATES / "precommit"
    module = root / "infra" / "platform"
    if not (module / "roles.tf").exists():
        if root.exists():
            shutil.rmtree(root)
        estate.generate_module(module, 50)
    own_repository(root)
    return root, "infra/platform/roles.tf"


def privesc_module(repos: Path) -> tuple[Path, str, str]:
    """(root, changed file, what it is): iam-vulnerable's privesc-paths module, copied so that editing the
    changed file never touches the clone; or a synthetic module of the same shape and size."""
    source = repos / "iam-vulnerable" / PRIVESC_DIR
    if (source / PRIVESC_FILE).is_file():
        root = ESTATES / "precommit-iam-vulnerable"
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(source, root / "privesc-paths")
        own_repository(root)
        return root, f"privesc-paths/{PRIVESC_FILE}", f"BishopFox/iam-vulnerable {PRIVESC_DIR} ({_commit(source)})"
    root = ESTATES / "precommit-privesc"
    module = root / "privesc-paths"
    if not (module / "privesc04.tf").exists():
        if root.exists():
            shutil.rmtree(root)
        estate.generate_privesc_module(module)
    own_repository(root)
    return root, "privesc-paths/privesc04.tf", "synthetic, the shape of iam-vulnerable's privesc-paths"


def module_repository(repos: Path) -> tuple[Path, str]:
    """(root, what it is): terraform-aws-iam when a copy is there, else a synthetic module collection."""
    source = repos / "terraform-aws-iam"
    if (source / "modules").is_dir():
        return source, f"terraform-aws-modules/terraform-aws-iam ({_commit(source)})"
    root = ESTATES / "module-collection"
    if not (root / "wrappers").is_dir():
        if root.exists():
            shutil.rmtree(root)
        estate.generate_module_collection(root)
    own_repository(root)
    return root, "synthetic, the shape of terraform-aws-iam"


def _commit(path: Path) -> str:
    found = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return found.stdout.strip() or "not a git checkout"


def tree_size(root: Path) -> tuple[int, int]:
    """Terraform files and their bytes under ``root``."""
    files = [p for p in root.rglob("*.tf") if ".terraform" not in p.parts]
    return len(files), sum(p.stat().st_size for p in files)


def iamready_scan(cmd: list[str], target: str, hook: bool = False) -> list[str]:
    """As CI runs it (SARIF to a file), or as the pre-commit hook does (``iamready scan FILE``, text)."""
    return [*cmd, "scan", target] if hook else [*cmd, "scan", target, "--format", "sarif", "-o", os.devnull]


def checkov_scan(checkov: str, target: str, is_file: bool, out: Path) -> list[str]:
    """``checkov -f FILE`` as its pre-commit hook runs it (CLI output), or ``checkov -d DIR`` writing SARIF."""
    if is_file:
        return [checkov, "-f", target, "--framework", "terraform", "--quiet", "--compact", "--skip-download"]
    return [
        checkov,
        "-d",
        target,
        "--framework",
        "terraform",
        "cloudformation",
        "--quiet",
        "--compact",
        "--skip-download",
        "-o",
        "sarif",
        "--output-file-path",
        str(out),
    ]


def fmt_s(value: float) -> str:
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def ratio(slow: float, fast: float) -> str:
    return f"{slow / fast:.1f}x" if fast > 0 else "-"


def show(label: str, run: Run, files: int = 0, size: int = 0, runs: list[Run] | None = None) -> None:
    extra = ""
    if files and run.wall > 0:
        extra = f"  {files / run.wall:7.0f} files/s  {size / run.wall / 1e6:5.2f} MB/s"
    print(
        f"  {label:<34} wall {fmt_s(run.wall):>9}  cpu {fmt_s(run.cpu):>9}  peak {run.peak_mb:7.1f} MB{extra}"
        + (f"  (exit {run.returncode})" if run.returncode not in (0, 1) else "")
    )
    if run.phases:
        total = sum(run.phases.get(p, 0.0) for p in PHASES)
        parts = [f"start-up {fmt_s(max(run.wall - total, 0.0))}"]
        parts += [f"{p} {fmt_s(run.phases[p])}" for p in PHASES if p in run.phases]
        print(f"  {'':<34} " + ", ".join(parts))
    if runs and len(runs) > 1:
        walls = sorted(r.wall for r in runs)
        print(f"  {'':<34} {len(runs)} runs: wall min {fmt_s(walls[0])}, max {fmt_s(walls[-1])}")
    if run.returncode not in (0, 1) and run.stderr_tail:
        print("    " + run.stderr_tail.replace("\n", "\n    "))


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return {
        "date": datetime.date.today().isoformat(),
        "cpus": str(os.cpu_count()),
        "cpu_model": model or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_before": load,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,2000,4000", help="Terraform files per estate")
    parser.add_argument("--checkov", help="path of the checkov executable (default: $CHECKOV, then PATH)")
    parser.add_argument("--checkov-max", type=int, default=1000, help="largest estate Checkov runs on")
    parser.add_argument("--repeat", type=int, default=1, help="runs per full-estate case (median is shown)")
    parser.add_argument("--quick-repeat", type=int, default=5, help="runs per start-up and pre-commit case")
    parser.add_argument("--skip-checkov", action="store_true", help="do not run Checkov even when installed")
    parser.add_argument(
        "--iamready",
        help="path of the iamready executable to measure, e.g. one installed in its own venv as users do "
        "(default: the one beside this Python)",
    )
    parser.add_argument(
        "--repos",
        default=str(REPOS),
        help="where copies of iam-vulnerable and terraform-aws-iam are looked for (else synthetic stand-ins)",
    )
    parser.add_argument(
        "--people",
        default="500,1500",
        help="users (and roles) of the one-deployment cases: one root module, for_each; empty to skip",
    )
    parser.add_argument(
        "--managed",
        default="200",
        help="distinct AWS managed policies attached in the managed-policy case (one root module); empty to skip",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    cmd = iamready_cmd(args.iamready)
    checkov = None if args.skip_checkov else find_checkov(args.checkov)
    info = machine()
    print(f"iamready benchmark  {info['date']}  {info['cpus']} CPUs ({info['cpu_model']})  Python {info['python']}")
    print(f"  load average before the run: {info['load_before']}")
    print(f"  iamready: {' '.join(cmd)}")
    if checkov:
        version = subprocess.run([checkov, "--version"], capture_output=True, text=True, check=False).stdout.strip()
        print(f"  checkov:  {checkov} ({version})")
        info["checkov"] = version
    else:
        print("  checkov:  not found (give --checkov PATH or set CHECKOV); its columns are skipped")
    results: dict[str, dict[str, object]] = {}
    work = Path(tempfile.mkdtemp(prefix="iamready-bench-"))
    caches = Caches(work)
    caches.warm_tables(cmd)
    try:
        # -- start-up ------------------------------------------------------------------------------
        print("\nstart-up")
        for label, extra in (("iamready --version", ["--version"]), ("iamready rules", ["rules"])):
            runs = [measure([*cmd, *extra], HERE, child_env(caches.fresh())) for _ in range(args.quick_repeat)]
            run = best(runs)
            show(label, run, runs=runs)
            results[label] = {"iamready": asdict(run)}
        if checkov:
            runs = [measure([checkov, "--version"], HERE, child_env()) for _ in range(min(args.quick_repeat, 3))]
            show("checkov --version", best(runs), runs=runs)
            results["iamready --version"]["checkov"] = asdict(best(runs))

        # -- pre-commit ----------------------------------------------------------------------------
        root, changed = module_for_precommit()
        results["pre-commit"] = precommit_case(
            f"pre-commit: one changed file of a 50-file module ({changed})", root, changed, cmd, checkov, caches, args
        )
        root, changed, what = privesc_module(Path(args.repos))
        results["pre-commit-privesc"] = precommit_case(
            f"pre-commit: one changed file of a 34-file module, 209 resources ({what})",
            root,
            changed,
            cmd,
            checkov,
            caches,
            args,
        )
        results["pre-commit-privesc"]["source"] = what

        # -- a module repository -----------------------------------------------------------------
        root, what = module_repository(Path(args.repos))
        files, size = tree_size(root)
        print(f"\nmodule repository: {files} Terraform files ({size / 1e3:.0f} KB), {what}")
        entry = repository_case(root, files, size, cmd, checkov, caches, args.quick_repeat, min(args.quick_repeat, 3))
        entry["source"] = what
        results["module-repository"] = entry

        # -- full estates --------------------------------------------------------------------------
        for size in sizes:
            root, counts = estate_for(size)
            files = counts["terraform_files"] + counts["templates"]
            print(
                f"\nestate of {counts['terraform_files']} Terraform files and {counts['templates']} templates "
                f"({counts['bytes'] / 1e6:.2f} MB)"
            )
            runs = 1 if size <= args.checkov_max else 0
            entry = repository_case(root, files, counts["bytes"], cmd, checkov, caches, args.repeat, runs)
            if checkov and not runs:
                print(f"  checkov skipped above --checkov-max {args.checkov_max}")
            results[f"estate-{size}"] = entry
        _growth(sizes, results)

        # -- one deployment: every principal in one scope ----------------------------------------------
        people_sizes = [int(p) for p in args.people.split(",") if p.strip()]
        for people in people_sizes:
            root = ESTATES / f"one-deployment-{people}"
            if not (root / "main.tf").exists():
                estate.generate_one_deployment(root, people)
            own_repository(root)
            print(f"\none deployment: {people} users with keys, passwords and AdministratorAccess, {people} roles")
            cache = caches.fresh()
            cold = measure(iamready_scan(cmd, "."), root, child_env(cache))
            warm = measure(iamready_scan(cmd, "."), root, child_env(cache))
            show("iamready scan . (cold cache)", cold)
            show("iamready scan . (warm cache)", warm)
            results[f"one-deployment-{people}"] = {"iamready_cold": asdict(cold), "iamready_warm": asdict(warm)}
        if len(people_sizes) > 1:
            a, b = people_sizes[0], people_sizes[-1]
            ra, rb = results[f"one-deployment-{a}"]["iamready_cold"], results[f"one-deployment-{b}"]["iamready_cold"]
            print(
                f"  growth {a} -> {b} people (x{b / a:g}): wall x{rb['wall'] / ra['wall']:.2f}, "
                f"peak memory x{rb['peak_mb'] / ra['peak_mb']:.2f}"
            )
        # -- AWS managed policies: many distinct ones, read from the snapshot -----------------------------
        for count in [int(m) for m in args.managed.split(",") if m.strip()]:
            root = ESTATES / f"managed-{count}"
            if not (root / "main.tf").exists():
                estate.generate_managed_policies(root, count)
            own_repository(root)
            print(f"\nAWS managed policies: {count} distinct ones, each on a role and all on one group")
            cache = caches.fresh()
            cold = measure(iamready_scan(cmd, "."), root, child_env(cache))
            warm = measure(iamready_scan(cmd, "."), root, child_env(cache))
            show("iamready scan . (cold cache)", cold)
            show("iamready scan . (warm cache)", warm)
            results[f"managed-{count}"] = {"iamready_cold": asdict(cold), "iamready_warm": asdict(warm)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"machine": info, "results": results}, indent=2))
    print(f"\nresults saved to {out.relative_to(HERE.parent)}")
    print("\n" + markdown(info, results, sizes))
    return 0


def precommit_case(
    title: str, root: Path, changed: str, cmd: list[str], checkov: str | None, caches: Caches, args: argparse.Namespace
) -> dict[str, object]:
    """``iamready scan <file>`` cold, warm and on a first run ever, beside ``checkov -f <file>``."""
    print(f"\n{title}")
    path = root / changed
    original = path.read_text()
    entry: dict[str, object] = {}
    try:
        cold_runs, warm_runs = [], []
        for i in range(args.quick_repeat):
            cache = caches.fresh()
            path.write_text(original + f"# edit {i}a\n")
            cold_runs.append(measure(iamready_scan(cmd, changed, hook=True), root, child_env(cache)))
            path.write_text(original + f"# edit {i}b\n")
            warm_runs.append(measure(iamready_scan(cmd, changed, hook=True), root, child_env(cache)))
        cold, warm = best(cold_runs), best(warm_runs)
        show("iamready scan <file> (cold cache)", cold, runs=cold_runs)
        show("iamready scan <file> (warm cache)", warm, runs=warm_runs)
        first = measure(iamready_scan(cmd, changed, hook=True), root, child_env(caches.empty()))
        show("iamready scan <file> (first run ever)", first)
        entry["iamready_first"] = asdict(first)
        entry["iamready_cold"] = asdict(cold)
        entry["iamready"] = asdict(warm)
        if checkov:
            runs = []
            for i in range(min(args.quick_repeat, 3)):
                path.write_text(original + f"# edit {i}c\n")
                runs.append(measure(checkov_scan(checkov, changed, True, caches.root / "ck"), root, child_env()))
            show("checkov -f <file>", best(runs), runs=runs)
            entry["checkov"] = asdict(best(runs))
            ck = best(runs)
            print(
                f"  {'ratio':<34} cold {ratio(ck.wall, cold.wall)}, warm {ratio(ck.wall, warm.wall)} faster "
                f"(CPU time: cold {ratio(ck.cpu, cold.cpu)}, warm {ratio(ck.cpu, warm.cpu)})"
            )
    finally:
        path.write_text(original)
    return entry


def repository_case(
    root: Path,
    files: int,
    size: int,
    cmd: list[str],
    checkov: str | None,
    caches: Caches,
    repeat: int,
    checkov_runs: int,
) -> dict[str, object]:
    """``iamready scan .`` (SARIF, as in CI) cold and warm, beside ``checkov -d .`` (median of each)."""
    entry: dict[str, object] = {"files": files, "bytes": size}
    cold_runs, warm_runs = [], []
    for _ in range(max(repeat, 1)):
        cache = caches.fresh()
        cold_runs.append(measure(iamready_scan(cmd, "."), root, child_env(cache)))
        warm_runs.append(measure(iamready_scan(cmd, "."), root, child_env(cache)))
    cold, warm = best(cold_runs), best(warm_runs)
    show("iamready scan . (cold cache)", cold, files, size, runs=cold_runs)
    show("iamready scan . (warm cache)", warm, files, size, runs=warm_runs)
    entry["iamready_cold"], entry["iamready_warm"] = asdict(cold), asdict(warm)
    print(f"  {'warm vs cold':<34} {ratio(cold.wall, warm.wall)}")
    if checkov and checkov_runs:
        command = checkov_scan(checkov, ".", False, caches.root / "ck")
        runs = [measure(command, root, child_env()) for _ in range(checkov_runs)]
        run = best(runs)
        show("checkov -d .", run, files, size, runs=runs)
        entry["checkov"] = asdict(run)
        print(
            f"  {'ratio':<34} cold {ratio(run.wall, cold.wall)}, warm {ratio(run.wall, warm.wall)} faster "
            f"(CPU time: cold {ratio(run.cpu, cold.cpu)}, warm {ratio(run.cpu, warm.cpu)}); "
            f"memory {run.peak_mb / max(cold.peak_mb, 1):.1f}x less"
        )
    return entry


def _growth(sizes: list[int], results: dict[str, dict[str, object]]) -> None:
    print("\ngrowth (iamready, cold): time and memory per doubling of the estate")
    previous = None
    for size in sorted(sizes):
        entry = results.get(f"estate-{size}")
        if not entry:
            continue
        cold = entry["iamready_cold"]
        if previous is not None:
            psize, prun = previous
            factor = size / psize
            print(
                f"  {psize} -> {size} files (x{factor:g}): wall x{cold['wall'] / prun['wall']:.2f}, "
                f"cpu x{cold['cpu'] / prun['cpu']:.2f}, peak memory x{cold['peak_mb'] / prun['peak_mb']:.2f}"
            )
        previous = (size, cold)


def markdown(info: dict[str, str], results: dict[str, dict[str, object]], sizes: list[int]) -> str:
    """The README's table: cold (an empty parse cache, as in CI or after a pull) first, then warm."""

    def cell(run: object) -> str:
        if not isinstance(run, dict):
            return "-"
        return f"{fmt_s(run['wall'])} ({run['peak_mb']:.0f} MB)"

    def row(label: str, cold: object, warm: object, ck: object) -> str:
        times = [r for r in (cold, warm) if isinstance(r, dict)]
        ours = " / ".join(fmt_s(r["wall"]) for r in times)
        if times:
            ours += f" ({max(r['peak_mb'] for r in times):.0f} MB)"
        faster = " / ".join(ratio(ck["wall"], r["wall"]) for r in times) if isinstance(ck, dict) and times else "-"
        return f"| {label} | {ours or '-'} | {cell(ck)} | {faster} |"

    lines = [
        f"Machine: {info['cpus']} CPUs ({info['cpu_model']}), Python {info['python']}, {info['date']}"
        + (f", Checkov {info['checkov']}" if info.get("checkov") else ""),
        "",
        "| case | iamready, cold / warm | Checkov | faster, cold / warm |",
        "| --- | --- | --- | --- |",
    ]
    pre = results.get("pre-commit-privesc", {})
    if pre:
        label = "pre-commit: 1 changed file of iam-vulnerable's privesc-paths (34 files, 209 resources)"
        if "synthetic" in str(pre.get("source", "")):
            label += ", synthetic"
        lines.append(row(label, pre.get("iamready_cold"), pre.get("iamready"), pre.get("checkov")))
    pre = results.get("pre-commit", {})
    if pre:
        label = "pre-commit: 1 changed file of a 50-file module"
        lines.append(row(label, pre.get("iamready_cold"), pre.get("iamready"), pre.get("checkov")))
    repo = results.get("module-repository", {})
    if repo:
        label = f"module repository: terraform-aws-iam ({repo['files']} files)"
        if "synthetic" in str(repo.get("source", "")):
            label += ", synthetic"
        lines.append(row(label, repo.get("iamready_cold"), repo.get("iamready_warm"), repo.get("checkov")))
    for size in sizes:
        entry = results.get(f"estate-{size}")
        if entry:
            label = f"{size} `.tf` + {size // 10} templates"
            lines.append(row(label, entry.get("iamready_cold"), entry.get("iamready_warm"), entry.get("checkov")))
    for name, entry in results.items():
        if name.startswith("one-deployment-"):
            people = name.rsplit("-", 1)[1]
            label = f"one deployment, {people} users and {people} roles"
            lines.append(row(label, entry.get("iamready_cold"), entry.get("iamready_warm"), None))
        if name.startswith("managed-"):
            count = name.rsplit("-", 1)[1]
            label = f"{count} distinct AWS managed policies on {count} roles and 1 group"
            lines.append(row(label, entry.get("iamready_cold"), entry.get("iamready_warm"), None))
    for label in ("iamready --version", "iamready rules"):
        entry = results.get(label, {})
        lines.append(row(f"`{label.split(' ', 1)[1]}`", entry.get("iamready"), None, entry.get("checkov")))
    lines.append("")
    lines.append("Wall time (peak memory of the process tree); median of the runs.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
