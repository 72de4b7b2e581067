"""Markdown for pull-request comments and the job summary: counts, table, links to the scanned commit."""

from __future__ import annotations

from tests.workflow.conftest import ADMIN_TF

GITHUB = {
    "GITHUB_SERVER_URL": "https://github.example.com",
    "GITHUB_REPOSITORY": "acme/infra",
    "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
}


def test_summary_counts_table_and_relative_links(project) -> None:
    project.write({"iam/main.tf": ADMIN_TF})
    text = project.run("scan", ".", "--format", "markdown").stdout
    assert text == (
        "## iamready\n"
        "\n"
        "**2 findings** (2 high).\n"
        "\n"
        "| severity | findings |\n"
        "|---|---:|\n"
        "| 🟠 high | 2 |\n"
        "\n"
        "| checklist item | findings |\n"
        "|---|---:|\n"
        "| 2.5 Grant least privilege | 2 |\n"
        "\n"
        "| severity | rule | resource | location | message |\n"
        "|---|---|---|---|---|\n"
        "| 🟠 high | AWS-IAM-001 | `aws_iam_policy.admin` | [iam/main.tf:2](iam/main.tf#L2-L6) | "
        "aws_iam_policy.admin: statement 'Everything' allows every action (*) on every resource (*) |\n"
        "| 🟠 high | AWS-IAM-001 | `aws_iam_role_policy_attachment.ops_admin` | [iam/main.tf:28](iam/main.tf#L28) | "
        "aws_iam_role_policy_attachment.ops_admin: attaches AWS managed policy AdministratorAccess, which allows "
        "every action on every resource |\n"
    )


def test_links_point_at_the_scanned_commit_in_github_actions(project, monkeypatch) -> None:
    project.write({"infra/iam/main.tf": ADMIN_TF})
    monkeypatch.chdir(project.root / "infra")  # scanned from a sub-directory: links stay repository-relative
    env = {**GITHUB, "GITHUB_WORKSPACE": str(project.root)}
    text = project.run("scan", ".", "--format", "markdown", env=env).stdout
    base = "https://github.example.com/acme/infra/blob/0123456789abcdef0123456789abcdef01234567/"
    assert f"[iam/main.tf:2]({base}infra/iam/main.tf#L2-L6)" in text
    assert f"[iam/main.tf:28]({base}infra/iam/main.tf#L28)" in text


def test_link_base_flag_and_gitlab_variables(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    text = project.run(
        "scan", ".", "--format", "markdown", "--link-base", "https://code.example.com/x/-/blob/abc"
    ).stdout
    assert "[main.tf:28](https://code.example.com/x/-/blob/abc/main.tf#L28)" in text
    env = {
        "CI_PROJECT_URL": "https://gitlab.example.com/acme/infra",
        "CI_COMMIT_SHA": "feed",
        "CI_PROJECT_DIR": str(project.root),
    }
    text = project.run("scan", ".", "--format", "markdown", env=env).stdout
    assert "[main.tf:28](https://gitlab.example.com/acme/infra/-/blob/feed/main.tf#L28)" in text


def test_suppressed_missing_baseline_and_notes_are_listed(project) -> None:
    project.write({"main.tf": ADMIN_TF})
    assert project.run("scan", ".", "--write-baseline", "b.json").exit_code == 0
    text = ADMIN_TF.replace("AdministratorAccess", "ReadOnlyAccess").replace(
        "  statement {", "  # iamready:ignore[AWS-IAM-001] break-glass | <b>approved</b>\n  statement {"
    )
    project.write({"main.tf": text, "broken.tf": 'resource "aws_iam_role" "x" {\n'})
    out = project.run("scan", ".", "--format", "markdown", "--baseline", "b.json").stdout
    assert "No findings. 1 suppressed.\n" in out
    assert (
        "| AWS-IAM-001 | [main.tf:3](main.tf#L3-L7) | comment (inSource) | "
        "break-glass \\| &lt;b&gt;approved&lt;/b&gt; |\n"
    ) in out
    assert "<summary>1 baseline entry no longer found (the baseline can shrink)</summary>" in out
    assert "- AWS-IAM-001 `aws_iam_role_policy_attachment.ops_admin` in `main.tf`\n" in out
    assert "<summary>1 note(s) from the scan</summary>" in out
    assert "- error: [broken.tf:" in out
