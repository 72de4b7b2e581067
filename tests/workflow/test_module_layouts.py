"""Module layouts as real repositories hold them: environments calling shared modules, a module library
with examples, registry modules installed by ``terraform init``. Findings point at the line that causes
them, pre-commit and --diff-base see what a changed file causes, one cause is reported once."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.workflow.conftest import Project, notes

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

RULES = ("--select", "AWS-IAM-001,AWS-IAM-033")

ROLE_MODULE = """\
variable "name" {
  type = string
}

variable "trusted" {
  type = list(string)
}

variable "policy_arns" {
  type    = map(string)
  default = {}
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = var.trusted
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each   = var.policy_arns
  role       = aws_iam_role.this.name
  policy_arn = each.value
}
"""

# envs/prod trusts a whole foreign account and attaches AdministratorAccess; envs/dev does neither
PROD_TF = """\
module "app" {
  source  = "../../modules/role"
  name    = "app"
  trusted = ["arn:aws:iam::999988887777:root"]
  policy_arns = {
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
  }
}
"""

DEV_TF = """\
module "app" {
  source  = "../../modules/role"
  name    = "app-dev"
  trusted = ["arn:aws:iam::111122223333:role/deployer"]
  policy_arns = {
    read = "arn:aws:iam::aws:policy/ReadOnlyAccess"
  }
}
"""


def git(root: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def envs(project: Project) -> Project:
    """A git repository: envs/dev and envs/prod call ../../modules/role; one commit."""
    (project.root / ".git").rmdir()
    git(project.root, "init", "-q", "-b", "main")
    project.write({"modules/role/main.tf": ROLE_MODULE, "envs/prod/main.tf": PROD_TF, "envs/dev/main.tf": DEV_TF})
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "environments")
    return project


def test_a_module_above_the_scanned_directory_is_read_inside_the_repository(
    envs: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(envs.root / "envs" / "prod")
    code, data = envs.json(".", *RULES)
    assert code == 1
    assert {r["rule_id"] for r in data["results"]} == {"AWS-IAM-001", "AWS-IAM-033"}
    assert not [n for n in data["notifications"] if "outside" in n["message"]]


def test_a_module_outside_the_repository_stays_unread(envs: Project, tmp_path: Path, monkeypatch) -> None:
    outside = tmp_path / "elsewhere" / "role"
    outside.mkdir(parents=True)
    (outside / "main.tf").write_text(ROLE_MODULE, encoding="utf-8")
    envs.write({"envs/prod/main.tf": PROD_TF.replace("../../modules/role", "../../../elsewhere/role")})
    monkeypatch.chdir(envs.root / "envs" / "prod")
    code, data = envs.json(".", *RULES)
    assert code == 0
    assert data["results"] == []
    assert notes(data, "unresolved") == [
        (
            "main.tf",
            1,
            "note",
            "module.app source '../../../elsewhere/role' is outside the repository being scanned and is not read; "
            "its outputs and resources are not checked",
        )
    ]


def test_without_git_the_directory_of_the_configuration_file_bounds_the_scan(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project.root / ".git").rmdir()
    project.write(
        {
            ".iamready.toml": 'select = ["AWS-IAM-001"]\n',
            "modules/role/main.tf": ROLE_MODULE,
            "envs/prod/main.tf": PROD_TF,
        }
    )
    monkeypatch.chdir(project.root / "envs" / "prod")
    code, data = project.json(".", select=False)
    assert code == 1
    assert [r["rule_id"] for r in data["results"]] == ["AWS-IAM-001"]
