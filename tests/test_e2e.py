"""End to end: each project in samples/ scanned through the CLI, SARIF validated and snapshot-tested.

Update the snapshots after an intended change with ``python -m pytest tests/test_e2e.py --snapshot-update``
and review the JSON diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from syrupy.extensions.json import JSONSnapshotExtension

from iamready.cli import main
from tests.sarif_check import validate_sarif

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "samples").glob("*/*") if p.is_dir() and not p.name.startswith(".")
) + sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "samples").glob("*") if (p / "main.tf").exists())


@pytest.fixture
def snapshot_json(snapshot: Any) -> Any:
    return snapshot.use_extension(JSONSnapshotExtension)


def _redact(log: dict[str, Any]) -> dict[str, Any]:
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        driver["version"] = "<version>"
        driver["semanticVersion"] = "<version>"
        for rule in driver.get("rules", []):
            rule["help"] = {"text": "<help>", "markdown": "<help>"}  # docs change often; covered by test_docs
    return log


def _scan(project: str, monkeypatch: pytest.MonkeyPatch, *extra: str) -> tuple[int, dict[str, Any]]:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["scan", project, "--format", "sarif", "--no-cache", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("project", PROJECTS)
def test_sample_project_sarif(project: str, monkeypatch: pytest.MonkeyPatch, snapshot_json: Any) -> None:
    exit_code, log = _scan(project, monkeypatch)
    validate_sarif(log)
    assert exit_code == 1, "the samples hold deliberate problems"
    assert log["runs"][0]["results"], f"{project} produced no findings"
    recorded = {"args": ["scan", project, "--format", "sarif"], "exit_code": exit_code, "sarif": _redact(log)}
    assert recorded == snapshot_json


def test_sample_findings_point_at_existing_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    for project in PROJECTS:
        _, log = _scan(project, monkeypatch)
        for result in log["runs"][0]["results"]:
            physical = result["locations"][0]["physicalLocation"]
            path = ROOT / physical["artifactLocation"]["uri"]
            lines = path.read_text(encoding="utf-8").splitlines()
            region = physical["region"]
            assert 1 <= region["startLine"] <= len(lines), result["message"]["text"]
            assert region.get("endLine", region["startLine"]) <= len(lines) + 1
            assert lines[region["startLine"] - 1].strip(), f"{path}:{region['startLine']} is blank"


def test_scan_output_is_identical_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    project = PROJECTS[0]
    assert _scan(project, monkeypatch) == _scan(project, monkeypatch)
