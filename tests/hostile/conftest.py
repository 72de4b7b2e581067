"""Helpers for the hostile-input tests: a project with a canary beside the hostile files, scanned in-process.

Every hostile case is scanned next to a valid *canary*: a Terraform policy (and, for CloudFormation
cases, a template) allowing ``*`` on ``*``. Rule AWS-IAM-001 reports it, so each test proves both
what the hostile file produced and that the rest of the scan went on.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from iamready.cli import main
from tests.sarif_check import validate_sarif

CORPUS = Path(__file__).parent / "corpus"

CANARY_TF = """\
data "aws_iam_policy_document" "canary" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "canary" {
  name   = "canary"
  policy = data.aws_iam_policy_document.canary.json
}
"""
CANARY_TF_LINE = 2  # the statement block

CANARY_CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  CanaryPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
"""
CANARY_CFN_LINE = 9  # the statement

Note = tuple[str, str, str, int, str]  # kind, level, path, line, message
Hit = tuple[str, int, str]  # path, line, rule id


@dataclass
class Outcome:
    exit_code: int
    data: dict[str, Any]
    sarif: dict[str, Any]
    stderr: str

    @property
    def findings(self) -> set[Hit]:
        return {(r["location"]["path"], r["location"]["start_line"], r["rule_id"]) for r in self.data["results"]}

    @property
    def notes(self) -> set[Note]:
        out = set()
        for n in self.data["notifications"]:
            loc = n["location"] or {}
            out.add((n["kind"], n["level"], loc.get("path", ""), loc.get("start_line", 0), n["message"]))
        return out

    def notes_of(self, path: str) -> set[Note]:
        return {n for n in self.notes if n[2] == path}

    @property
    def sarif_notes(self) -> list[dict[str, Any]]:
        return self.sarif["runs"][0]["invocations"][0].get("toolExecutionNotifications", [])


class Project:
    """A temporary repository (the working directory) that the CLI scans in-process."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return self.root

    def copy_case(self, case: str, into: str = ".") -> Path:
        target = self.root / into
        shutil.copytree(CORPUS / case, target, dirs_exist_ok=True, symlinks=True)
        return target

    def canary(self, into: str = ".", cfn: bool = False) -> None:
        self.write({f"{into}/canary.tf": CANARY_TF})
        if cfn:
            self.write({f"{into}/canary.yaml": CANARY_CFN})

    def scan(self, *args: str, select: str | None = "AWS-IAM-001") -> Outcome:
        """``iamready scan ARGS --format json`` with a SARIF report beside it; never a traceback."""
        sarif_path = self.root.parent / "report.sarif"
        argv = ["scan", *args, "--format", "json", "--no-cache", "--report", f"sarif={sarif_path}"]
        if select and "--select" not in args:
            argv += ["--select", select]
        result = CliRunner().invoke(main, argv, catch_exceptions=False)
        assert "Traceback" not in result.output and "Traceback" not in result.stderr, result.stderr
        data = json.loads(result.stdout) if result.stdout.startswith("{") else {"results": [], "notifications": []}
        sarif = json.loads(sarif_path.read_text(encoding="utf-8")) if sarif_path.exists() else {}
        if sarif:
            validate_sarif(sarif)
            sarif_path.unlink()
        return Outcome(result.exit_code, data, sarif, result.stderr)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".git").mkdir()  # config discovery stops here
    monkeypatch.chdir(root)
    monkeypatch.setenv("IAMREADY_NO_PROGRESS", "1")
    for name in ("GITHUB_REPOSITORY", "GITHUB_SHA", "IAMREADY_LINK_BASE", "CI_PROJECT_URL", "CI_COMMIT_SHA"):
        monkeypatch.delenv(name, raising=False)
    return Project(root)


def canary_hit(directory: str = ".", cfn: bool = False) -> Hit:
    prefix = "" if directory in (".", "") else directory.rstrip("/") + "/"
    if cfn:
        return (f"{prefix}canary.yaml", CANARY_CFN_LINE, "AWS-IAM-001")
    return (f"{prefix}canary.tf", CANARY_TF_LINE, "AWS-IAM-001")
