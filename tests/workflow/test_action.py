"""The composite GitHub Action: its interface, and its scan step run as GitHub would run it."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.sarif_check import validate_sarif
from tests.workflow.conftest import ADMIN_TF

ACTION = Path(__file__).resolve().parents[2] / "action.yml"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def _action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_action_interface() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {
        "paths",
        "fail-on",
        "sarif-file",
        "config",
        "baseline",
        "diff-base",
        "args",
        "summary",
        "python-version",
    }
    assert set(action["outputs"]) == {"sarif-file", "findings", "exit-code"}
    steps = {s.get("id") or s["name"]: s for s in action["runs"]["steps"]}
    assert steps["Set up Python"]["uses"].startswith("actions/setup-python@")
    assert 'pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH"' in steps["install"]["run"]
    # inputs reach the script only through the environment, never spliced into it (no script injection)
    assert "${{" not in steps["scan"]["run"]
    assert all(v.startswith("${{ inputs.") or v.startswith("${{ steps.") for v in steps["scan"]["env"].values())


def test_action_metadata_is_valid() -> None:
    """action.yml against GitHub's action metadata schema (SchemaStore's, vendored with its source in
    tests/schemas), and the rules the schema cannot express."""
    import re

    import jsonschema

    schemas = Path(__file__).resolve().parents[1] / "schemas"
    schema = json.loads((schemas / "github-action.schema.json").read_text(encoding="utf-8"))
    action = _action()
    jsonschema.Draft7Validator(schema).validate(action)
    text = ACTION.read_text(encoding="utf-8")
    steps = action["runs"]["steps"]
    ids = [s["id"] for s in steps if "id" in s]
    assert len(ids) == len(set(ids))
    for step in steps:
        assert ("run" in step) != ("uses" in step), step.get("name")
        if "run" in step:
            assert step.get("shell") == "bash", f"a composite run step needs a shell: {step.get('name')}"
    for name in re.findall(r"\$\{\{\s*inputs\.([\w-]+)", text):
        assert name in action["inputs"], f"inputs.{name} is not declared"
    for step_id, output in re.findall(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)", text):
        assert step_id in ids, f"steps.{step_id} does not exist"
        script = next(s for s in steps if s.get("id") == step_id)["run"]
        assert f"{output}=" in script, f"step {step_id} never writes output {output}"
    for name, output in action["outputs"].items():
        assert output["value"].startswith("${{ steps."), name


def test_the_warm_up_the_install_step_runs_exists() -> None:
    from iamready.parsers.terraform.hcl import warm

    warm()


@pytest.fixture
def runner(tmp_path, monkeypatch):
    """Run the action's scan step like GitHub does: bash, inputs as INPUT_* variables, output files."""
    workspace = tmp_path / "workspace"
    (workspace / ".git").mkdir(parents=True)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    wrapper = tmp_path / "bin" / "iamready"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m iamready "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    script = next(s for s in _action()["runs"]["steps"] if s.get("id") == "scan")["run"]

    def run(**inputs: str) -> tuple[int, str, dict[str, str], str]:
        summary = tmp_path / "step-summary.md"
        summary.write_text("## Earlier step\n", encoding="utf-8")
        outputs = tmp_path / "github-output"
        outputs.write_text("", encoding="utf-8")
        defaults = {k: str(v.get("default", "")) for k, v in _action()["inputs"].items()}
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", str(tmp_path)),
            "IAMREADY_CACHE_DIR": os.environ.get("IAMREADY_CACHE_DIR", str(tmp_path / "cache")),
            "RUNNER_TEMP": str(temp),
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "acme/infra",
            "GITHUB_SHA": "abc123",
            "IAMREADY_BIN": str(wrapper),
            "IAMREADY_PYTHON": sys.executable,
        }
        if os.environ.get("PYTHONPATH"):  # the iamready under test, not another installed copy
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        for key, value in {**defaults, **inputs}.items():
            env["INPUT_" + key.upper().replace("-", "_")] = value
        done = subprocess.run(["bash", "-c", script], cwd=workspace, env=env, capture_output=True, text=True)
        values = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines() if line)
        return done.returncode, done.stdout + done.stderr, values, summary.read_text(encoding="utf-8")

    run.workspace = workspace  # type: ignore[attr-defined]
    return run


def test_scan_step_writes_sarif_summary_and_outputs_and_fails(runner) -> None:
    (runner.workspace / "iam").mkdir()
    (runner.workspace / "iam" / "main.tf").write_text(ADMIN_TF, encoding="utf-8")
    code, log, outputs, summary = runner(**{"args": "--select AWS-IAM-001", "sarif-file": "results/iamready.sarif"})
    assert code == 1, log
    assert "iam/main.tf:2:3: high     AWS-IAM-001" in log
    assert outputs == {"sarif-file": "results/iamready.sarif", "findings": "2", "exit-code": "1"}
    validate_sarif(json.loads((runner.workspace / "results" / "iamready.sarif").read_text(encoding="utf-8")))
    assert summary.startswith("## Earlier step\n## iamready\n\n**2 findings** (2 high).")  # appended, not replaced
    assert "(https://github.com/acme/infra/blob/abc123/iam/main.tf#L28)" in summary


@pytest.mark.parametrize(("fail_on", "code"), [("critical", 0), ("high", 1), ("never", 0), ("", 1)])
def test_scan_step_gates_per_fail_on(runner, fail_on, code) -> None:
    (runner.workspace / "main.tf").write_text(ADMIN_TF, encoding="utf-8")
    status, log, outputs, _ = runner(**{"args": "--select AWS-IAM-001", "fail-on": fail_on})
    assert status == code, log
    assert outputs["exit-code"] == ("0" if fail_on == "critical" else "1")


def test_scan_step_config_errors_and_bad_fail_on_are_exit_2(runner) -> None:
    (runner.workspace / "main.tf").write_text(ADMIN_TF, encoding="utf-8")
    (runner.workspace / ".iamready.toml").write_text("fail_on = 'high'\n", encoding="utf-8")
    status, log, outputs, _ = runner()
    assert status == 2
    assert "unknown key 'fail_on'" in log
    assert outputs["exit-code"] == "2" and outputs["findings"] == ""
    status, log, _, _ = runner(**{"fail-on": "severe"})
    assert status == 2
    assert "::error title=iamready::fail-on must be critical, high, medium, low, info or never, not 'severe'" in log


def test_scan_step_paths_baseline_and_no_summary(runner) -> None:
    for name in ("a", "b", "c"):
        (runner.workspace / name).mkdir()
        (runner.workspace / name / "main.tf").write_text(ADMIN_TF, encoding="utf-8")
    status, log, outputs, summary = runner(
        **{"paths": "a b", "args": "--select AWS-IAM-001 --write-baseline baseline.json", "summary": "false"}
    )
    assert status == 0, log
    assert summary == "## Earlier step\n"
    entries = json.loads((runner.workspace / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert sorted({e["path"] for e in entries}) == ["a/main.tf", "b/main.tf"]
    status, log, outputs, _ = runner(**{"baseline": "baseline.json", "args": "--select AWS-IAM-001"})
    assert status == 1, log
    assert outputs["findings"] == "2"  # c/ is new
