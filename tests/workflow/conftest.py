"""Fixtures for the workflow tests: temporary projects and the CLI run in-process."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from iamready.cli import main

# A small, realistic Terraform module with two AWS-IAM-001 findings:
#   main.tf:2   the statement of data.aws_iam_policy_document.admin (reported on aws_iam_policy.admin)
#   main.tf:28  the AdministratorAccess attachment
ADMIN_TF = """\
data "aws_iam_policy_document" "admin" {
  statement {
    sid       = "Everything"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "admin" {
  name   = "platform-admin"
  policy = data.aws_iam_policy_document.admin.json
}

resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "ops_admin" {
  role       = aws_iam_role.ops.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""


SELECT = ("--select", "AWS-IAM-001,IAC-SUPPRESS")


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return self.root

    def read(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def run(self, *args: str, env: dict[str, str] | None = None, select: bool = True) -> Result:
        """Run the CLI. ``scan`` runs only SELECT unless the arguments select rules themselves or
        ``select=False``: other engineers add rules all the time, these tests must not see them."""
        argv = list(args)
        if argv and argv[0] == "scan" and select and "--select" not in argv:
            argv += list(SELECT)
        return CliRunner().invoke(main, argv, env=env, catch_exceptions=False)

    def json(self, *args: str, env: dict[str, str] | None = None, select: bool = True) -> tuple[int, dict[str, Any]]:
        result = self.run("scan", *args, "--format", "json", env=env, select=select)
        assert result.stdout.startswith("{"), result.output
        return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A temporary project directory, made the working directory, bounded as a repository root."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".git").mkdir()  # config discovery stops here, as at a real repository's root
    monkeypatch.chdir(root)
    for name in ("GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_SERVER_URL", "GITHUB_WORKSPACE", "IAMREADY_LINK_BASE"):
        monkeypatch.delenv(name, raising=False)
    for name in ("CI_PROJECT_URL", "CI_COMMIT_SHA", "CI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
    return Project(root)


def findings(data: dict[str, Any], suppressed: bool | None = None) -> list[tuple[str, int, str]]:
    """(path, line, rule id) of the results, optionally only (un)suppressed ones, sorted."""
    out = []
    for item in data["results"]:
        if suppressed is not None and ("suppressed" in item) != suppressed:
            continue
        out.append((item["location"]["path"], item["location"]["start_line"], item["rule_id"]))
    return sorted(out)


def by_rule(data: dict[str, Any], rule_id: str) -> list[dict[str, Any]]:
    return [r for r in data["results"] if r["rule_id"] == rule_id]


def notes(data: dict[str, Any], kind: str = "suppression") -> list[tuple[str, int, str, str]]:
    return sorted(
        (n["location"]["path"], n["location"]["start_line"], n["level"], n["message"])
        for n in data["notifications"]
        if n["kind"] == kind
    )


Writer = Callable[[dict[str, str]], Path]
