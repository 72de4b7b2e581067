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


# -- registry and git modules installed by terraform init ---------------------------------------------
REGISTRY_TF = """\
module "app" {
  source  = "acme/role/aws"
  version = "1.4.0"

  name    = "app"
  trusted = ["arn:aws:iam::999988887777:root"]
  policy_arns = {
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
  }
}
"""

# as Terraform 1.11 writes it (keys are the module call names, directories relative to the root module)
MODULES_JSON = (
    '{"Modules":[{"Key":"","Source":"","Dir":"."},'
    '{"Key":"app","Source":"registry.terraform.io/acme/role/aws","Version":"1.4.0","Dir":".terraform/modules/app"}]}'
)


@pytest.fixture
def registry(project: Project) -> Project:
    (project.root / ".git").rmdir()
    git(project.root, "init", "-q", "-b", "main")
    project.write({"live/main.tf": REGISTRY_TF, ".gitignore": ".terraform/\n"})
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "live")
    return project


def test_a_registry_module_without_init_gets_one_note_naming_the_fix(registry: Project) -> None:
    code, data = registry.json("live", *RULES)
    assert code == 0
    assert data["results"] == []
    assert notes(data, "unresolved") == [
        (
            "live/main.tf",
            1,
            "note",
            "module.app comes from 'acme/role/aws', which is not installed: run terraform init -backend=false "
            "in this directory and scan again (iamready reads .terraform/modules and never downloads); "
            "its outputs and resources are not checked",
        )
    ]


def test_a_registry_module_is_read_from_its_installed_copy(registry: Project) -> None:
    registry.write(
        {"live/.terraform/modules/modules.json": MODULES_JSON, "live/.terraform/modules/app/main.tf": ROLE_MODULE}
    )
    code, data = registry.json("live", *RULES)
    assert code == 1
    assert sorted(r["rule_id"] for r in data["results"]) == ["AWS-IAM-001", "AWS-IAM-033"]
    assert notes(data, "unresolved") == []


def test_an_install_of_another_source_is_not_read(registry: Project) -> None:
    registry.write(
        {
            "live/.terraform/modules/modules.json": MODULES_JSON.replace("acme/role/aws", "acme/user/aws"),
            "live/.terraform/modules/app/main.tf": ROLE_MODULE,
        }
    )
    _code, data = registry.json("live", *RULES)
    assert data["results"] == []
    assert [n[3] for n in notes(data, "unresolved")] == [
        "module.app: .terraform/modules holds 'registry.terraform.io/acme/user/aws', but the source is now "
        "'acme/role/aws': run terraform init -backend=false again; its outputs and resources are not checked"
    ]
