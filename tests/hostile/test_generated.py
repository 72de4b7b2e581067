"""Hostile inputs too big or too deep to commit, generated at test time: thousands of nesting levels,
very long lines, files of tens of MB and an alias bomb, the last ones scanned in a subprocess whose
peak memory and run time are measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iamready.jsonpos import JsonPosError, loads
from tests.hostile.conftest import CANARY_TF, CORPUS, Project, canary_hit

DEEP = 5000  # levels: far beyond Python's recursion limit (1000)
CHAIN = 2000  # operator chains parse slowly; 2000 levels are as deep for the parser's recursion

HCL_NESTINGS = {
    "list": "[" * DEEP + "]" * DEEP,
    "object": "{a = " * DEEP + "1" + "}" * DEEP,
    "parens": "(" * DEEP + "1" + ")" * DEEP,
    "calls": "tolist(" * DEEP + "[]" + ")" * DEEP,
    "for": "[for a in [1] : " * DEEP + "1" + "]" * DEEP,
    "template": '"${' * DEEP + "1" + '}"' * DEEP,
    "negation": "-(" * DEEP + "1" + ")" * DEEP,
    "sum": " + ".join(["1"] * CHAIN),
    "conditional": "".join(f"var.x == {i} ? {i} : " for i in range(CHAIN)) + "0",
    "index": "local.y" + "[0]" * CHAIN,
    "attribute": "local.y" + ".a" * CHAIN,
}


@pytest.mark.parametrize("kind", sorted(HCL_NESTINGS))
def test_deeply_nested_hcl_is_a_located_parse_error(project: Project, kind: str) -> None:
    project.canary()
    project.write({"deep.tf": "locals {\n  y = [1]\n  v = " + HCL_NESTINGS[kind] + "\n}\n"})
    outcome = project.scan(".")
    assert outcome.notes == {("parse-error", "error", "deep.tf", 1, "nested too deeply to parse")}
    assert outcome.findings == {canary_hit()}
    assert outcome.exit_code == 1


def test_deeply_nested_terraform_json(project: Project) -> None:
    project.canary()
    project.write({"deep.tf.json": '{"locals": {"v": ' + "[" * DEEP + "]" * DEEP + "}}"})
    outcome = project.scan(".")
    assert outcome.notes == {("parse-error", "error", "deep.tf.json", 1, "invalid JSON: nested too deeply")}
    assert outcome.findings == {canary_hit()}


CFN_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Deep:\n    Type: AWS::IAM::ManagedPolicy\n'


@pytest.mark.parametrize(
    ("name", "text", "note"),
    [
        (
            "flow.yaml",
            CFN_HEAD + "    Metadata:\n      X: " + "[" * DEEP + "]" * DEEP + "\n",
            (6, "nested more than 300 levels; not scanned"),
        ),
        (
            "block.yaml",
            CFN_HEAD + "    Metadata:\n" + "".join(" " * (6 + i) + "a:\n" for i in range(3000)) + " " * 3006 + "b: 1\n",
            (304, "nested more than 300 levels; not scanned"),
        ),
        (
            "sequence.yaml",
            CFN_HEAD + "    Metadata:\n      X:\n        " + "- " * 3000 + "1\n",
            (7, "nested more than 300 levels; not scanned"),
        ),
        (
            "deep.json",
            '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Deep": {"Type": "AWS::IAM::ManagedPolicy",'
            ' "Metadata": {"X": ' + "[" * DEEP + "]" * DEEP + "}}}}",
            (1, "invalid JSON: nesting deeper than 300 levels"),
        ),
        (
            "intrinsics.json",  # shallow enough to read, too deep to resolve: the value is unknown, with a note
            '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Deep": {"Type": "AWS::IAM::ManagedPolicy",'
            ' "Properties": {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Resource": "*", "Action": '
            + '{"Fn::Join": ["", ' * 140
            + '["*"]'
            + "]}" * 140
            + "}]}}}}}",
            (
                1,
                "Deep: statement 1: whether it allows every action on every resource depends on a value that is "
                "not known (nested more than 200 levels)",
            ),
        ),
    ],
)
def test_deeply_nested_templates(project: Project, name: str, text: str, note: tuple[int, str]) -> None:
    project.canary()
    project.write({name: text})
    outcome = project.scan(".")
    line, message = note
    kind, level = ("unresolved", "note") if name == "intrinsics.json" else ("parse-error", "error")
    assert outcome.notes == {(kind, level, name, line, message)}
    assert outcome.findings == {canary_hit()}


def test_jsonpos_is_iterative_and_locates_its_depth_limit() -> None:
    text = "\n" + "[" * 100_000 + "]" * 100_000
    value, _ = loads(text, "deep.json", max_depth=200_000)
    depth = 0
    while value:
        value, depth = value[0], depth + 1
    assert depth == 99_999  # the innermost list is empty
    with pytest.raises(JsonPosError) as caught:
        loads(text, "deep.json", max_depth=300)
    assert (caught.value.line, caught.value.column, caught.value.message) == (2, 301, "nesting deeper than 300 levels")


# -- very long lines ----------------------------------------------------------------------------------------
def test_very_long_lines_are_read_and_located(project: Project) -> None:
    sid = "x" * 300_000
    project.canary()
    project.write(
        {
            "long.tf": 'resource "aws_iam_policy" "long" {\n  name = "long"\n  policy = jsonencode({\n'
            f'    Statement = [{{ Sid = "{sid}", Effect = "Allow", Action = "*", Resource = "*" }}]\n'
            "  })\n}\n",
            # a minified template: everything on one line, a long description before the policy
            "minified.json": json.dumps(
                {
                    "AWSTemplateFormatVersion": "2010-09-09",
                    "Description": "d" * 1_000_000,
                    "Resources": {
                        "Admin": {
                            "Type": "AWS::IAM::ManagedPolicy",
                            "Properties": {
                                "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
                            },
                        }
                    },
                },
                separators=(",", ":"),
            ),
            "long.yaml": CFN_HEAD.replace("Deep", "Admin")
            + f"    Metadata:\n      Note: {'y' * 1_000_000}\n"
            + "    Properties:\n      PolicyDocument:\n        Statement:\n"
            + '          - {Effect: Allow, Action: "*", Resource: "*"}\n',
        }
    )
    start = time.perf_counter()
    outcome = project.scan(".")
    assert time.perf_counter() - start < 60
    assert outcome.notes == set()
    assert outcome.findings == {
        canary_hit(),
        ("long.tf", 4, "AWS-IAM-001"),
        ("minified.json", 1, "AWS-IAM-001"),
        ("long.yaml", 10, "AWS-IAM-001"),
    }
    minified = next(r for r in outcome.data["results"] if r["location"]["path"] == "minified.json")
    assert minified["location"]["start_column"] > 1_000_000  # the statement, far along the one line


# -- big files and the alias bomb: a subprocess, its peak memory and time measured ---------------------------
MEMORY_BOUND_KB = 200 * 1024  # a scan of the canary alone peaks at about 30 MB


def _scan_measured(root: Path, *args: str, timeout: float = 120) -> tuple[int, dict, int, float]:
    """Run ``python -m iamready scan`` in a child of a fresh interpreter; (exit code, JSON report, peak KB, seconds)."""
    report = root.parent / "measured.json"
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "start = time.monotonic()\n"
        "code = subprocess.run(sys.argv[1:]).returncode\n"
        "print(json.dumps([code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.monotonic() - start]))\n"
    )
    command = [sys.executable, "-c", wrapper, sys.executable, "-m", "iamready", "scan", *args]
    command += ["--format", "json", "--output", str(report), "--no-cache", "--select", "AWS-IAM-001"]
    env = {**os.environ, "IAMREADY_NO_PROGRESS": "1"}
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=timeout, env=env)
    assert "Traceback" not in done.stderr, done.stderr
    code, peak, seconds = json.loads(done.stdout.strip().splitlines()[-1])
    return code, json.loads(report.read_text(encoding="utf-8")), peak, seconds


def _write_big(path: Path, head: str, line: str, tail: str, size: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(head)
        written = len(head)
        block = line * 1000
        while written < size:
            handle.write(block)
            written += len(block)
        handle.write(tail)


def test_files_of_tens_of_megabytes_are_skipped_within_bounded_memory(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "canary.tf").write_text(CANARY_TF, encoding="utf-8")
    size = 24 * 1024 * 1024
    _write_big(root / "big.tf", "locals {\n", '  x = "0123456789abcdef0123456789abcdef"\n', "}\n", size)
    _write_big(root / "big.tf.json", '{"locals": {"x": [', '"0123456789abcdef0123456789",', '"end"]}}\n', size)
    _write_big(root / "terraform.tfvars", "", 'x = "0123456789abcdef0123456789abcdef"\n', "", size)
    _write_big(root / "big.yaml", CFN_HEAD + "    Metadata:\n", "      - 0123456789abcdef0123456789\n", "", size)
    _write_big(
        root / "big.json",
        '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket", "Metadata": [',
        '"0123456789abcdef0123456789",',
        '"end"]}}}\n',
        size,
    )
    code, report, peak, seconds = _scan_measured(root, ".")
    notes = {(n["kind"], n["level"], n["location"]["path"], n["message"]) for n in report["notifications"]}
    hcl = "file is 24 MB, larger than the 4 MB limit; not scanned"  # HCL: ~200 bytes of memory per byte
    json_or_yaml = "file is 24 MB, larger than the 8 MB limit; not scanned"
    assert notes == {("skipped", "warning", name, hcl) for name in ("big.tf", "terraform.tfvars")} | {
        ("skipped", "warning", name, json_or_yaml) for name in ("big.tf.json", "big.yaml", "big.json")
    }
    assert [(r["location"]["path"], r["rule_id"]) for r in report["results"]] == [("canary.tf", "AWS-IAM-001")]
    assert code == 1
    assert peak < MEMORY_BOUND_KB, f"peak memory {peak // 1024} MB"
    assert seconds < 60


def test_alias_bomb_is_refused_within_bounded_memory_and_time(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "canary.tf").write_text(CANARY_TF, encoding="utf-8")
    (root / "bomb.yaml").write_bytes((CORPUS / "cfn_alias_bomb" / "stack.yaml").read_bytes())  # 10^10 values expanded
    code, report, peak, seconds = _scan_measured(root, ".")
    assert {(n["location"]["path"], n["location"]["start_line"], n["level"]) for n in report["notifications"]} == {
        ("bomb.yaml", 6, "note"),
        ("bomb.yaml", 10, "error"),
    }
    assert [(r["location"]["path"], r["rule_id"]) for r in report["results"]] == [("canary.tf", "AWS-IAM-001")]
    assert code == 1
    assert peak < MEMORY_BOUND_KB, f"peak memory {peak // 1024} MB"
    assert seconds < 30


def test_measurement_sees_the_memory_of_the_scan(tmp_path: Path) -> None:
    """The bound above is meaningful: the measured peak is the scanning process's, not the wrapper's."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "canary.tf").write_text(CANARY_TF, encoding="utf-8")
    _, _, small, _ = _scan_measured(root, ".")
    assert 20 * 1024 < small < MEMORY_BOUND_KB  # an interpreter with iamready loaded, not the tiny wrapper


def test_a_flood_of_notifications_is_capped_per_file(project: Project) -> None:
    """5,000 repeated keys in a file: 200 notifications listed, one saying how many more, a report of kilobytes."""
    keys = ",\n".join(['"a": 1'] * 5001)  # one per line: each notification is a line of its own
    project.canary()
    project.write(
        {
            "flood.json": '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"U": {"Type": "AWS::IAM::User"}},'
            f' "Metadata": {{{keys}}}}}',
            "flood.yaml": CFN_HEAD.replace("Deep", "U").replace("ManagedPolicy", "User")
            + "    Metadata:\n"
            + "      a: 1\n" * 5001,
        }
    )
    outcome = project.scan(".")
    for name in ("flood.json", "flood.yaml"):
        notes = outcome.notes_of(name)
        duplicates = [n for n in notes if n[0] == "parse-error"]
        assert len(duplicates) == 200
        assert all("duplicate key 'a'" in n[4] for n in duplicates)
        assert (
            "limit",
            "warning",
            name,
            1,
            "4800 more parse-error notifications for this file are not listed",
        ) in notes
        assert len(notes) == 201
    assert len(outcome.sarif_notes) == 402
    assert len(json.dumps(outcome.sarif)) < 500_000
    assert outcome.findings == {canary_hit()}
