"""The file system as an attacker shapes it: symbolic links out of the tree and in loops, FIFOs and devices,
unreadable files and directories, trees of pathological size. Nothing outside the scanned tree is read,
nothing blocks, and the canary beside it is still reported."""

from __future__ import annotations

import builtins
import os
import time
from pathlib import Path
from typing import Any

import pytest

import iamready.discovery
from iamready.config import Config
from iamready.engine import scan
from iamready.loader import load_rules
from tests.hostile.conftest import CANARY_TF, Project, canary_hit

OUTSIDE = "symbolic link points outside the scanned directory; not followed"
NOT_REGULAR = "not a regular file (a FIFO, socket or device); not scanned"

# what lives outside the scanned tree: a policy that would be reported, and text that must never be read
SECRET_TF = """\
resource "aws_iam_policy" "outside" {
  name   = "OUTSIDE-SECRET"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
"""
SECRET_TEXT = 'secret_token = "hunter2-outside"\nroot:x:0:0:root:/root:/bin/bash\n'


@pytest.fixture
def outside(project: Project) -> Path:
    """A directory beside the repository (``repo/scan/`` is scanned), holding what must not be read."""
    path = project.root.parent / "outside"
    path.mkdir()
    (path / "main.tf").write_text(SECRET_TF, encoding="utf-8")
    (path / "secret.txt").write_text(SECRET_TEXT, encoding="utf-8")
    (path / "policy.json").write_text('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}')
    (project.root / "scan").mkdir()
    return path


def _never_mentions_the_outside(project: Project, outcome: Any) -> None:
    text = repr(outcome.data) + repr(outcome.sarif)
    assert "OUTSIDE-SECRET" not in text and "hunter2" not in text and "root:x:0:0" not in text
    assert "aws_iam_policy.outside" not in text


def test_symbolic_links_out_of_the_tree_are_not_followed(project: Project, outside: Path) -> None:
    project.canary("scan")
    scan_dir = project.root / "scan"
    (scan_dir / "linked-dir").symlink_to("../../outside")
    (scan_dir / "linked.tf").symlink_to("../../outside/main.tf")
    (scan_dir / "stack.yaml").symlink_to("../../outside/secret.txt")
    (scan_dir / "terraform.tfvars").symlink_to("../../outside/secret.txt")  # auto-loaded variables
    outcome = project.scan("scan")
    assert outcome.notes == {
        ("skipped", "note", f"scan/{name}", 1, OUTSIDE)
        for name in ("linked-dir", "linked.tf", "stack.yaml", "terraform.tfvars")
    }
    assert outcome.findings == {canary_hit("scan")}
    _never_mentions_the_outside(project, outcome)


def test_file_functions_do_not_follow_links_out_of_the_tree(project: Project, outside: Path) -> None:
    project.canary("scan")
    (project.root / "scan" / "linked").symlink_to("../../outside")
    (project.root / "scan" / "policy.json").symlink_to("../../outside/policy.json")
    project.write(
        {
            "scan/files.tf": 'resource "aws_iam_policy" "via_dir" {\n  name   = "via-dir"\n'
            '  policy = file("${path.module}/linked/policy.json")\n}\n\n'
            'resource "aws_iam_policy" "via_file" {\n  name   = "via-file"\n'
            '  policy = templatefile("${path.module}/policy.json", {})\n}\n'
        }
    )
    outcome = project.scan("scan")
    assert outcome.notes_of("scan/files.tf") == {
        (
            "unresolved",
            "note",
            "scan/files.tf",
            3,
            "file('./linked/policy.json') points outside the repository being scanned and is not read",
        ),
        (
            "unresolved",
            "note",
            "scan/files.tf",
            3,
            "aws_iam_policy.via_dir: policy aws_iam_policy.via_dir.policy could not be read "
            "(file('./linked/policy.json') is outside the repository being scanned)",
        ),
        (
            "unresolved",
            "note",
            "scan/files.tf",
            8,
            "templatefile('./policy.json') points outside the repository being scanned and is not read",
        ),
        (
            "unresolved",
            "note",
            "scan/files.tf",
            8,
            "aws_iam_policy.via_file: policy aws_iam_policy.via_file.policy could not be read "
            "(templatefile('./policy.json') is outside the repository being scanned)",
        ),
    }
    assert outcome.findings == {canary_hit("scan")}


def test_module_sources_out_of_the_tree_or_linked_out_are_not_read(project: Project, outside: Path) -> None:
    project.canary("scan")
    scan_dir = project.root / "scan"
    (scan_dir / "linked-module").symlink_to("../../outside")
    (scan_dir / "inner").mkdir()
    (scan_dir / "inner" / "main.tf").symlink_to("../../../outside/main.tf")  # a module inside, its file linked out
    project.write(
        {
            "scan/modules.tf": 'module "up" {\n  source = "../../outside"\n}\n\n'
            'module "linked" {\n  source = "./linked-module"\n}\n\n'
            'module "inner" {\n  source = "./inner"\n}\n'
        }
    )
    outcome = project.scan("scan")
    suffix = "is outside the repository being scanned and is not read; its outputs and resources are not checked"
    assert outcome.notes == {
        ("skipped", "note", "scan/linked-module", 1, OUTSIDE),
        ("skipped", "note", "scan/inner/main.tf", 1, OUTSIDE),
        ("unresolved", "note", "scan/modules.tf", 1, f"module.up source '../../outside' {suffix}"),
        ("unresolved", "note", "scan/modules.tf", 5, f"module.linked source './linked-module' {suffix}"),
    }
    assert outcome.findings == {canary_hit("scan")}
    _never_mentions_the_outside(project, outcome)


def test_named_files_bring_in_their_module_without_its_links_out(project: Project, outside: Path) -> None:
    """Pre-commit names files: the module directory is read, but not its files linked out of the tree."""
    project.canary("scan")
    (project.root / "scan" / "shared.tf").symlink_to("../../outside/main.tf")
    (project.root / "scan" / "named.tf").symlink_to("../../outside/secret.txt")
    rules = [r for r in load_rules(()) if r.id == "AWS-IAM-001"]
    result = scan(Config(paths=("scan/canary.tf", "scan/named.tf"), cwd=str(project.root), no_cache=True), rules)
    assert result.graph is not None
    addresses = {r.address for r in result.graph.resources()}
    assert "aws_iam_policy.canary" in addresses and "aws_iam_policy.outside" not in addresses
    assert [(result.relpath(r.span.path), r.span.start_line) for r in result.results] == [("scan/canary.tf", 2)]
    assert {(n.kind, n.level, result.relpath(n.span.path), n.message) for n in result.notifications} == {
        ("skipped", "note", "scan/named.tf", OUTSIDE)  # the named file; shared.tf's note is not for these files
    }


def test_symbolic_link_loops_end(project: Project) -> None:
    project.canary()
    os.symlink("loop-b", project.root / "loop-a")
    os.symlink("loop-a", project.root / "loop-b")
    os.symlink(".", project.root / "self")
    (project.root / "nested").mkdir()
    os.symlink("..", project.root / "nested" / "up")
    start = time.perf_counter()
    outcome = project.scan(".")
    assert time.perf_counter() - start < 10
    again = "symbolic link loop (or a directory reached twice); not scanned again"
    assert outcome.notes == {
        ("skipped", "warning", "loop-a", 1, "cannot read: Too many levels of symbolic links"),
        ("skipped", "warning", "loop-b", 1, "cannot read: Too many levels of symbolic links"),
        ("skipped", "note", "self", 1, again),
        ("skipped", "note", "nested/up", 1, again),
    }
    assert outcome.findings == {canary_hit()}


# -- FIFOs and devices: opening them would block or never end -----------------------------------------------
def test_fifos_in_the_tree_are_skipped_not_opened(project: Project) -> None:
    project.canary()
    for name in ("pipe.tf", "pipe.yaml", "pipe.json", "x.auto.tfvars"):
        os.mkfifo(project.root / name)
    os.mkfifo(project.root / "policy.json.fifo")
    project.write(
        {
            "reads.tf": 'resource "aws_iam_policy" "piped" {\n  name   = "piped"\n'
            '  policy = file("${path.module}/policy.json.fifo")\n}\n'
        }
    )
    start = time.perf_counter()
    outcome = project.scan(".")
    assert time.perf_counter() - start < 10
    assert outcome.notes == {
        ("skipped", "note", "pipe.tf", 1, NOT_REGULAR),
        ("skipped", "note", "pipe.yaml", 1, NOT_REGULAR),
        ("skipped", "note", "pipe.json", 1, NOT_REGULAR),
        ("skipped", "note", "x.auto.tfvars", 1, NOT_REGULAR),
        ("unresolved", "note", "reads.tf", 3, "file('./policy.json.fifo') is not a regular file and is not read"),
        (
            "unresolved",
            "note",
            "reads.tf",
            3,
            "aws_iam_policy.piped: policy aws_iam_policy.piped.policy could not be read "
            "(file('./policy.json.fifo') is not a regular file)",
        ),
    }
    assert outcome.findings == {canary_hit()}


def test_a_fifo_named_on_the_command_line_is_an_error_not_a_hang(project: Project) -> None:
    project.canary()
    os.mkfifo(project.root / "stack.yaml")
    os.mkfifo(project.root / "main.tf")
    both = project.scan("stack.yaml", "canary.tf")
    assert both.notes == {("skipped", "error", "stack.yaml", 1, NOT_REGULAR)}
    assert both.findings == {canary_hit()}
    assert both.exit_code == 1
    alone = project.scan("main.tf")
    assert alone.notes == {("skipped", "error", "main.tf", 1, NOT_REGULAR)}
    assert alone.exit_code == 2  # nothing could be scanned
    assert "nothing could be scanned" in alone.stderr


def test_a_fifo_given_as_variables_file_is_an_error_not_a_hang(project: Project) -> None:
    project.canary()
    os.mkfifo(project.root / "prod.tfvars")
    outcome = project.scan(".", "--var-file", "prod.tfvars")
    assert outcome.exit_code == 2
    assert "prod.tfvars: not a regular file (a FIFO, socket or device)" in outcome.stderr


def test_a_device_linked_into_the_tree_is_not_read(project: Project) -> None:
    project.canary()
    (project.root / "zero.tf").symlink_to("/dev/zero")  # outside the tree, and endless
    (project.root / "inner").mkdir()
    outcome = project.scan(".")
    assert outcome.notes == {("skipped", "note", "zero.tf", 1, OUTSIDE)}
    assert outcome.findings == {canary_hit()}


# -- unreadable files and directories ---------------------------------------------------------------------------
@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: file permissions are not enforced for root")
def test_unreadable_files_and_directories_with_real_permissions(project: Project) -> None:
    project.canary()
    project.write({"locked.tf": CANARY_TF.replace("canary", "locked"), "closed/main.tf": CANARY_TF})
    (project.root / "locked.tf").chmod(0)
    (project.root / "closed").chmod(0)
    try:
        outcome = project.scan(".")
    finally:
        (project.root / "locked.tf").chmod(0o644)
        (project.root / "closed").chmod(0o755)
    assert outcome.notes == {
        ("skipped", "error", "locked.tf", 1, "cannot read file: Permission denied"),
        ("skipped", "warning", "closed", 1, "cannot read directory: Permission denied"),
    }
    assert outcome.findings == {canary_hit()}


def test_unreadable_files_and_directories_simulated(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, for any user (root included): opening these paths fails as a permission error would."""
    project.canary()
    project.write({"locked.tf": CANARY_TF.replace("canary", "locked"), "closed/main.tf": CANARY_TF})
    locked, closed = str(project.root / "locked.tf"), str(project.root / "closed")
    real_open, real_scandir = builtins.open, os.scandir

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str) and os.path.abspath(file) == locked:
            raise PermissionError(13, "Permission denied", file)
        return real_open(file, *args, **kwargs)

    def guarded_scandir(path: Any = ".") -> Any:
        if os.path.abspath(path) == closed:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "scandir", guarded_scandir)
    outcome = project.scan(".")
    assert outcome.notes == {
        ("skipped", "error", "locked.tf", 1, "cannot read file: Permission denied"),
        ("skipped", "warning", "closed", 1, "cannot read directory: Permission denied"),
    }
    assert outcome.findings == {canary_hit()}
    assert outcome.exit_code == 1


# -- trees of pathological size ---------------------------------------------------------------------------------
def test_a_tree_past_the_file_limit_stops_with_a_clear_message(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(iamready.discovery, "MAX_FILES", 40)
    project.canary("a")  # walked first
    for i in range(60):
        project.write({f"b/{i // 10}/notes{i % 10:02d}.md": "text\n"})
    outcome = project.scan(".")
    assert outcome.notes == {
        (
            "limit",
            "warning",
            "b/3/notes09.md",  # the 41st file seen: a/canary.tf, then b/0/ .. b/3/ in order
            1,
            "more than 40 files under the scanned paths; the rest were not scanned (narrow the paths or add --exclude)",
        )
    }
    assert outcome.findings == {canary_hit("a")}


def test_a_path_longer_than_the_system_allows(project: Project) -> None:
    project.canary()
    fds = [os.open(project.root, os.O_RDONLY)]
    try:
        for _ in range(20):  # 20 names of 250 characters: a path of 5,000, past PATH_MAX (4096)
            os.mkdir("d" * 250, dir_fd=fds[-1])
            fds.append(os.open("d" * 250, os.O_RDONLY, dir_fd=fds[-1]))
        with open(os.open("deep.tf", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fds[-1]), "w") as handle:
            handle.write(CANARY_TF)
    finally:
        for fd in fds:
            os.close(fd)
    outcome = project.scan(".")
    [(kind, level, path, line, message)] = outcome.notes
    assert (kind, level, line, message) == ("skipped", "warning", 1, "cannot read directory: File name too long")
    assert path.startswith("d" * 250 + "/") and len(path) > 4000
    assert outcome.findings == {canary_hit()}


def test_a_deep_directory_chain_is_walked_in_linear_time(project: Project) -> None:
    """700 nested directories (kept below the depth at which recursive clean-up would fail): walking them
    once took cubic time, realpath() of every directory; 6 s here then, a fraction of a second now."""
    project.canary()
    fds = [os.open(project.root, os.O_RDONLY)]
    try:
        for _ in range(700):
            os.mkdir("d", dir_fd=fds[-1])
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        with open(os.open("deep.tf", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fds[-1]), "w") as handle:
            handle.write(CANARY_TF)
    finally:
        for fd in fds:
            os.close(fd)
    start = time.perf_counter()
    outcome = project.scan(".")
    assert time.perf_counter() - start < 3
    assert outcome.notes == set()
    assert outcome.findings == {canary_hit(), ("/".join(["d"] * 700) + "/deep.tf", 2, "AWS-IAM-001")}


def test_many_files_in_many_directories(project: Project) -> None:
    project.canary()
    for d in range(200):
        for f in range(40):
            project.write({f"many/{d:03d}/file{f:02d}.txt": ""})
        project.write({f"many/{d:03d}/data.json": '{"name": "not a template"}'})
    start = time.perf_counter()
    outcome = project.scan(".")
    assert time.perf_counter() - start < 30
    assert outcome.notes == set()
    assert outcome.findings == {canary_hit()}
    assert outcome.data["summary"]["files"] == 1  # the canary: what was scanned
    assert outcome.data["summary"]["skipped"] == {".txt": 200 * 40, "YAML/JSON, not CloudFormation or a plan": 200}


# -- file names -------------------------------------------------------------------------------------------------
def test_file_names_that_are_not_utf8_or_hold_newlines(project: Project) -> None:
    """A name's bytes are kept: percent-encoded in SARIF URIs, escaped in text; every format renders."""
    from click.testing import CliRunner

    from iamready.cli import main

    root = os.fsencode(project.root)
    os.makedirs(root + b"/caf\xe9")
    with open(root + b"/caf\xe9/m\xff.tf", "wb") as handle:
        handle.write(CANARY_TF.encode())
    with open(root + b"/new\nline.tf", "wb") as handle:
        handle.write(CANARY_TF.replace("canary", "nl").encode())
    with open(root + b"/bad\xfe.yaml", "wb") as handle:
        handle.write(b'AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n')
    outcome = project.scan(".")
    # JSON carries the escaped name (\\udce9), which reads back as the name Python had
    assert outcome.findings == {("caf\udce9/m\udcff.tf", 2, "AWS-IAM-001"), ("new\nline.tf", 2, "AWS-IAM-001")}
    assert outcome.notes == {
        (
            "parse-error",
            "error",
            "bad\udcfe.yaml",
            3,
            "invalid YAML: while parsing a flow node: did not find expected node content",
        )
    }
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in outcome.sarif["runs"][0]["results"]
    }
    assert uris == {"caf%E9/m%FF.tf", "new%0Aline.tf"}
    for fmt in ("text", "github", "markdown", "gitlab", "checklist"):
        for target in (["--output", str(project.root.parent / f"out.{fmt}")], []):
            args = ["scan", ".", "--format", fmt, "--no-cache", "--select", "AWS-IAM-001", *target]
            result = CliRunner().invoke(main, args, catch_exceptions=False)
            assert result.exit_code == 1, (fmt, result.output)
    text = (project.root.parent / "out.text").read_text(encoding="utf-8")
    assert "caf\\udce9/m\\udcff.tf:2:3: high" in text
    github = (project.root.parent / "out.github").read_text(encoding="utf-8")
    assert "::error file=new%0Aline.tf,line=2," in github
