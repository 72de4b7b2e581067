"""The pre-commit hook: its manifest, which files it is given, and a real run through pre-commit itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.workflow.conftest import ADMIN_TF

REPOSITORY = Path(__file__).resolve().parents[2]
MANIFEST = REPOSITORY / ".pre-commit-hooks.yaml"

pre_commit = pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")


def _hook() -> dict:
    from pre_commit.clientlib import load_manifest

    [hook] = load_manifest(str(MANIFEST))
    return hook


def test_manifest_is_valid_and_keeps_its_id() -> None:
    hook = _hook()
    assert hook["id"] == "iamready"  # never renamed: users' configs name it
    assert hook["entry"] == "iamready scan"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True  # one process per commit: a module is parsed once
    assert hook["pass_filenames"] is True
    assert hook["types_or"] == ["terraform", "yaml", "json"]


@pytest.mark.parametrize(
    ("path", "given"),
    [
        ("iam/main.tf", True),
        ("envs/prod.tfvars", True),
        ("iam/main.tf.json", True),
        ("stacks/api.yaml", True),
        ("stacks/api.yml", True),
        ("stacks/api.json", True),
        ("iam/.terraform/modules/vpc/main.tf", False),
        (".terraform/providers.tf", False),
        ("live/.terragrunt-cache/abc/main.tf", False),
        (".terraform.lock.hcl", False),
        ("README.md", False),
        ("app.py", False),
    ],
)
def test_which_files_the_hook_is_given(path, given) -> None:
    from identify.identify import tags_from_filename

    hook = _hook()
    tags = tags_from_filename(os.path.basename(path)) | {"file"}
    selected = (
        re.search(hook["files"], path) is not None
        and re.search(hook["exclude"], path) is None
        and bool(tags & set(hook["types_or"]))
        and set(hook["types"]) <= tags
    )
    assert selected is given


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_hook_through_pre_commit_try_repo(tmp_path) -> None:
    """pre-commit builds the hook's environment from this repository (needs PyPI) and runs it on a commit."""
    repo = tmp_path / "infra"
    files = {
        ".iamready.toml": 'select = ["AWS-IAM-001", "IAC-SUPPRESS"]\n',
        "iam/variables.tf": (
            'variable "admin_policy_arn" {\n  default = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
        ),
        "iam/attach.tf": (
            'resource "aws_iam_role_policy_attachment" "ops" {\n'
            '  role       = "ops"\n'
            "  policy_arn = var.admin_policy_arn\n"
            "}\n"
        ),
        "iam/admin.tf": ADMIN_TF,  # has findings, but is not part of this commit
        "iam/.terraform/modules/legacy/main.tf": ADMIN_TF,  # vendored by terraform init: never given
        "deploy/web.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        "README.md": "# infra\n",
    }
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "NO_COLOR": "1",
    }
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    commit = ["iam/attach.tf", "iam/.terraform/modules/legacy/main.tf", "deploy/web.yaml", "README.md"]
    done = subprocess.run(
        [
            shutil.which("pre-commit") or "pre-commit",
            "try-repo",
            str(REPOSITORY),
            "iamready",
            "--color",
            "never",
            "--files",
            *commit,
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = done.stdout + done.stderr
    assert "iamready" in output and "Failed" in output, output
    assert done.returncode == 1, output
    report = output[output.index("- exit code: 1") :]
    # the attachment's ARN comes from variables.tf: the module was parsed whole
    assert (
        "iam/attach.tf:3:3: high     AWS-IAM-001 aws_iam_role_policy_attachment.ops: attaches AWS managed policy "
        "AdministratorAccess, which allows every action on every resource"
    ) in report
    assert "iam/admin.tf" not in report  # only the committed files are reported
    assert ".terraform" not in report  # excluded by the hook
    assert "1 finding (1 high)" in report
