"""The ``iamready permissions`` command: formats, filters, --compare and --diff-base, errors."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamready.cli import main

BEFORE = """
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::data/*" }]
  })
}
"""

AFTER = BEFORE.replace(
    'Action = "s3:GetObject"', 'Action = ["s3:GetObject", "s3:PutObject", "iam:AttachRolePolicy"]'
).replace('Resource = "arn:aws:s3:::data/*"', 'Resource = "*"')


def _write(root: Path, text: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def _run(cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, ["permissions", *args, "--no-cache"])


def test_text_is_the_default_and_lists_the_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, BEFORE)
    result = _run(tmp_path, ".", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "aws_iam_role.app (role, main.tf:1)",
        "  List 0 · Read 1 · Write 0 · Permissions management 0 · Tagging 0",
        "  SERVICE  ACCESS LEVEL  ACTIONS    RESOURCES            CONDITIONS  SOURCE",
        "  s3       Read          GetObject  arn:aws:s3:::data/*  -           "
        "policy aws_iam_role_policy.app, statement 1 (main.tf:10)",
        "",
        "1 principal(s): 0 administrator(s), 0 that can escalate to administrator",
    ]


def test_principal_filter_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, AFTER)
    result = _run(tmp_path, ".", "--format", "json", "--principal", "aws_iam_role.*", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["address"] for p in data["principals"]] == ["aws_iam_role.app"]
    app = data["principals"][0]
    assert app["summary"] == {"List": 0, "Read": 1, "Write": 1, "Permissions management": 1, "Tagging": 0}
    assert [e["method"] for e in app["escalations"]] == ["iam-attach-role-policy"]
    none = _run(tmp_path, ".", "--principal", "aws_iam_user.*", monkeypatch=monkeypatch)
    assert none.output == "No IAM users, groups or roles found.\n"


def test_compare_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "old", BEFORE)
    _write(tmp_path / "new", AFTER)
    result = _run(tmp_path, "new", "--compare", "old", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "aws_iam_role.app (role, changed, new/main.tf:1)",
        "  + escalation: attach a managed policy to its own role (iam:AttachRolePolicy on itself)",
        "  + Read: s3: GetObject on *",
        "  + Write: s3: PutObject on *",
        "  + Permissions management: iam: AttachRolePolicy on *",
        "  - Read: s3: GetObject on arn:aws:s3:::data/*",
    ]


def _git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def test_diff_base_reads_the_old_tree_from_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    _write(repo / "infra", BEFORE)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "infra/main.tf")
    _git(repo, "commit", "-q", "-m", "before")
    _write(repo / "infra", AFTER)  # uncommitted change, as in a pre-commit hook or a PR checkout
    result = _run(repo / "infra", ".", "--diff-base", "main", "--format", "markdown", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "## iamready: permission changes",
        "",
        "### `aws_iam_role.app` (role)",
        "",
        "- ➕ escalation: attach a managed policy to its own role (iam:AttachRolePolicy on itself)",
        "- ➕ Read: `s3: GetObject` on `*`",
        "- ➕ Write: `s3: PutObject` on `*`",
        "- ➕ Permissions management: `iam: AttachRolePolicy` on `*`",
        "- ➖ Read: `s3: GetObject` on `arn:aws:s3:::data/*`",
    ]
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout == (
        " M infra/main.tf\n"
    )  # nothing written to the repository
    same = _run(repo / "infra", ".", "--diff-base", "HEAD", monkeypatch=monkeypatch)
    assert "iam: AttachRolePolicy" in same.output  # HEAD is the committed tree, the change is not in it


def test_diff_base_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    _write(repo, BEFORE)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "main.tf")
    _git(repo, "commit", "-q", "-m", "before")
    result = _run(repo, ".", "--diff-base", "no-such-branch", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert result.stderr == "iamready: error: --diff-base no-such-branch: git does not know this revision\n"
    both = _run(repo, ".", "--diff-base", "main", "--compare", ".", monkeypatch=monkeypatch)
    assert both.exit_code == 2
    assert both.stderr == "iamready: error: use either --compare or --diff-base, not both\n"
    missing = _run(repo, ".", "--compare", "nowhere", monkeypatch=monkeypatch)
    assert missing.exit_code == 2
    assert missing.stderr == "iamready: error: --compare nowhere: no such file or directory\n"


def test_mermaid_of_a_comparison_highlights_new_edges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "old", BEFORE)
    _write(tmp_path / "new", AFTER)
    result = _run(tmp_path, "new", "--compare", "old", "--format", "mermaid", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert '  p0 == "iam-attach-role-policy" ==> p0' in lines
    assert lines[-1] == "  linkStyle 0 stroke:#2f9e44,stroke-width:3px"


def _teams(count: int) -> str:
    """A platform account: one administrator, and ``count`` team users and roles (for_each over a
    list) whose policy lets them create access keys for any user and pass any role to Lambda."""
    names = ", ".join(f'"team-{n:03d}"' for n in range(count))
    return f"""
locals {{
  teams = [{names}]
}}

resource "aws_iam_user" "admin" {{
  name = "admin"
}}

resource "aws_iam_user_policy_attachment" "admin" {{
  user       = aws_iam_user.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}}

resource "aws_iam_user" "team" {{
  for_each = toset(local.teams)
  name     = each.key
}}

resource "aws_iam_user_policy" "team" {{
  for_each = toset(local.teams)
  user     = aws_iam_user.team[each.key].name
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = ["iam:CreateAccessKey", "iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
      Resource = "*"
    }}]
  }})
}}
"""


def _edges(text: str) -> int:
    return sum(1 for line in text.splitlines() if any(arrow in line for arrow in ("-->", "==>", "-.->")))


def test_mermaid_merges_and_groups_edges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, _teams(12))
    result = _run(tmp_path, ".", "--format", "mermaid", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # one node for "any Lambda function outside this code", shared by every team user
    assert sum('"any Lambda function<br/>outside this code"' in line for line in lines) <= 1
    # each team user may create keys for every user: one arrow to a node counting them, not 12 arrows
    groups = [line for line in lines if "users in this code" in line]
    assert len(groups) >= 1 and all(line.startswith("  g") for line in groups)
    for n in range(12):
        node = next(line.split("[")[0].strip() for line in lines if f"team[#quot;team-{n:03d}#quot;]" in line)
        targets = [line.split()[-1] for line in lines if line.startswith(f"  {node} ")]
        assert len(targets) == len(set(targets)), "parallel edges are merged"
    assert "more principal(s)" not in result.output


def test_mermaid_beyond_the_limits_draws_escalation_paths_and_says_what_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iamready.permissions import render

    _write(tmp_path, _teams(40))
    full = _run(tmp_path, ".", "--format", "mermaid", monkeypatch=monkeypatch).output
    assert "more principal(s)" not in full and _edges(full) > 40
    # GitHub renders Mermaid up to 50,000 characters and 500 edges; the same cut at a tenth of them
    monkeypatch.setattr(render, "MERMAID_MAX_CHARS", 5_000)
    monkeypatch.setattr(render, "MERMAID_MAX_EDGES", 40)
    result = _run(tmp_path, ".", "--format", "mermaid", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    text = result.output
    assert len(text) <= 5_000 and _edges(text) <= 40
    more = [line for line in text.splitlines() if line.startswith("  more{{")]
    assert len(more) == 1
    assert "more principal(s) and" in more[0] and "edge(s) not drawn" in more[0]
    assert "iamready permissions --format text" in more[0]
    # what is drawn are principals that can escalate, with their paths
    assert _edges(text) > 0 and "==>" in text


def test_principal_is_an_exact_address_first_then_a_glob(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(
        tmp_path,
        """
        resource "aws_iam_user" "u" {
          for_each = toset(["ro", "rw"])
          name     = each.key
        }
        """,
    )
    exact = _run(tmp_path, ".", "--principal", 'aws_iam_user.u["ro"]', "--format", "json", monkeypatch=monkeypatch)
    assert exact.exit_code == 0, exact.output
    assert [p["address"] for p in json.loads(exact.output)["principals"]] == ['aws_iam_user.u["ro"]']
    glob = _run(tmp_path, ".", "--principal", "aws_iam_user.u*", "--format", "json", monkeypatch=monkeypatch)
    assert [p["address"] for p in json.loads(glob.output)["principals"]] == [
        'aws_iam_user.u["ro"]',
        'aws_iam_user.u["rw"]',
    ]


def test_permissions_takes_the_same_output_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, BEFORE)
    for option in ("--no-color", "--color"):
        result = _run(tmp_path, ".", option, monkeypatch=monkeypatch)
        assert result.exit_code == 0, result.output
        assert "\033[" not in result.output
