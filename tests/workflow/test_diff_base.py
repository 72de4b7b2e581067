"""--diff-base: the whole module is parsed, only findings in files changed since the ref are reported."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.workflow.conftest import ADMIN_TF, findings

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

POLICY_TF = """\
data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
"""

ROLES_TF = """\
resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = data.aws_iam_policy_document.admin.json
}
"""


def git(root, *args: str) -> str:
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
def repo(project):
    (project.root / ".git").rmdir()
    git(project.root, "init", "-q", "-b", "main")
    project.write({"iam/policy.tf": POLICY_TF, "iam/roles.tf": ROLES_TF, "old/main.tf": ADMIN_TF})
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "base")
    git(project.root, "checkout", "-q", "-b", "feature")
    return project


def test_only_changed_files_are_reported(repo) -> None:
    repo.write(
        {
            "iam/roles.tf": ROLES_TF + '\nresource "aws_iam_role_policy_attachment" "x" {\n  role       = "x"\n'
            '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
        }
    )
    code, all_of_it = repo.json(".")
    assert findings(all_of_it) == [
        ("iam/policy.tf", 2, "AWS-IAM-001"),
        ("iam/roles.tf", 8, "AWS-IAM-001"),
        ("old/main.tf", 2, "AWS-IAM-001"),
        ("old/main.tf", 28, "AWS-IAM-001"),
    ]
    code, changed = repo.json(".", "--diff-base", "main")
    assert findings(changed) == [("iam/roles.tf", 8, "AWS-IAM-001")]
    assert code == 1


def test_commits_on_the_branch_staged_and_untracked_files_count(repo) -> None:
    repo.write(
        {"iam/policy.tf": POLICY_TF.replace('["*"]\n    resources', '["*"]\n    sid       = "All"\n    resources')}
    )
    git(repo.root, "commit", "-q", "-am", "name the statement")
    repo.write({"new/main.tf": ADMIN_TF})  # untracked
    _, data = repo.json(".", "--diff-base", "main")
    assert findings(data) == [
        ("iam/policy.tf", 2, "AWS-IAM-001"),
        ("new/main.tf", 2, "AWS-IAM-001"),
        ("new/main.tf", 28, "AWS-IAM-001"),
    ]


def test_the_merge_base_is_used_when_the_base_branch_moved_on(repo) -> None:
    git(repo.root, "checkout", "-q", "main")
    repo.write({"old/main.tf": ADMIN_TF.replace("platform-admin", "platform-admins")})
    git(repo.root, "commit", "-q", "-am", "change on main after the branch point")
    git(repo.root, "checkout", "-q", "feature")
    code, data = repo.json(".", "--diff-base", "main")
    assert (code, findings(data)) == (0, [])  # old/main.tf changed on main, not on this branch


def test_a_finding_from_a_changed_file_needs_the_unchanged_file_to_exist(repo) -> None:
    # roles.tf changed, policy.tf did not: the statement finding is located in policy.tf, so it is not reported,
    # but the module is still parsed whole (the reference from roles.tf to policy.tf resolves)
    repo.write({"iam/roles.tf": ROLES_TF.replace('"admin"\n  policy', '"admins"\n  policy')})
    code, data = repo.json(".", "--diff-base", "main")
    assert (code, findings(data)) == (0, [])
    assert data["notifications"] == []


def test_unknown_ref_and_not_a_repository_are_exit_2(repo, tmp_path, monkeypatch) -> None:
    result = repo.run("scan", ".", "--diff-base", "origin/nope")
    assert result.exit_code == 2
    assert result.stderr.startswith("iamready: error: --diff-base origin/nope: git does not know this revision")
    result = repo.run("scan", ".", "--diff-base", "--output=x")
    assert result.exit_code == 2
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "main.tf").write_text(ADMIN_TF, encoding="utf-8")
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = repo.run("scan", ".", "--diff-base", "main")
    assert result.exit_code == 2
    assert "is not in a git repository" in result.stderr
