"""One config file: discovery, precedence (defaults < file < CLI), strict keys and types, clear errors."""

from __future__ import annotations

import json

import pytest

from iamready.config import Config, find_config_file, resolve
from tests.workflow.conftest import ADMIN_TF, findings

USER_TF = """\
resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy" "ci" {
  name = "ci"
  user = aws_iam_user.ci.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-artifacts/*" }]
  })
}
"""


def test_pyproject_table_is_found_walking_up_from_the_scanned_path(project) -> None:
    project.write({"pyproject.toml": '[tool.iamready]\nfail-on = "critical"\n', "infra/envs/prod/main.tf": ADMIN_TF})
    config = resolve({"paths": ("infra/envs/prod",)}, cwd=str(project.root))
    assert config.config_file == str(project.root / "pyproject.toml")
    assert config.fail_on == "critical"
    assert config.file_keys == ("fail_on",)
    result = project.run("scan", "infra/envs/prod")
    assert result.exit_code == 0  # two high findings, but the file gates on critical


def test_iamready_toml_wins_over_pyproject_in_the_same_directory(project) -> None:
    project.write(
        {
            "pyproject.toml": '[tool.iamready]\nfail-on = "critical"\n',
            ".iamready.toml": 'fail-on = "info"\n',
            "infra/main.tf": ADMIN_TF,
        }
    )
    assert find_config_file(str(project.root / "infra")) == str(project.root / ".iamready.toml")


def test_nearest_file_wins_and_pyproject_without_our_table_is_skipped(project) -> None:
    project.write(
        {
            ".iamready.toml": 'fail-on = "info"\n',
            "infra/pyproject.toml": "[tool.black]\nline-length = 100\n",
            "infra/team/.iamready.toml": 'fail-on = "high"\n',
            "infra/team/main.tf": ADMIN_TF,
        }
    )
    assert find_config_file(str(project.root / "infra/team/main.tf")) == str(project.root / "infra/team/.iamready.toml")
    assert find_config_file(str(project.root / "infra")) == str(project.root / ".iamready.toml")


def test_discovery_stops_at_the_repository_root(tmp_path) -> None:
    (tmp_path / ".iamready.toml").write_text('fail-on = "critical"\n', encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "main.tf").write_text(ADMIN_TF, encoding="utf-8")
    assert find_config_file(str(repo)) is None
    assert find_config_file(str(tmp_path / "elsewhere")) == str(tmp_path / ".iamready.toml")


def test_precedence_defaults_file_cli(project) -> None:
    project.write(
        {
            "main.tf": ADMIN_TF,
            "pyproject.toml": '[tool.iamready]\nfail-on = "critical"\nformat = "json"\nselect = ["AWS-IAM-001"]\n',
        }
    )
    defaults = Config()
    assert (defaults.fail_on, defaults.format, defaults.select) == ("low", "text", ())
    from_file = resolve({"paths": (".",)}, cwd=str(project.root))
    assert (from_file.fail_on, from_file.format, from_file.select) == ("critical", "json", ("AWS-IAM-001",))
    cli = resolve({"paths": (".",), "fail_on": "high", "select": ("AWS-IAM-001", "IAC")}, cwd=str(project.root))
    assert (cli.fail_on, cli.format, cli.select) == ("high", "json", ("AWS-IAM-001", "IAC"))
    assert cli.file_keys == ("format",)
    # through the command line: the file says json and critical (exit 0), the flags say high (exit 1)
    result = project.run("scan", ".", select=False)
    assert (result.exit_code, result.stdout[:1]) == (0, "{")
    assert [r["rule_id"] for r in json.loads(result.stdout)["results"]] == ["AWS-IAM-001", "AWS-IAM-001"]
    result = project.run("scan", ".", "--fail-on", "high", "--format", "text", "--no-color", select=False)
    assert result.exit_code == 1
    assert result.stdout.startswith("main.tf\nmain.tf:2:3: high     AWS-IAM-001")


def test_explicit_config_overrides_discovery(project) -> None:
    project.write(
        {
            "main.tf": ADMIN_TF,
            ".iamready.toml": 'fail-on = "info"\n',
            "ci/strict.toml": 'fail-on = "critical"\n',
        }
    )
    assert project.run("scan", ".").exit_code == 1
    assert project.run("scan", ".", "--config", "ci/strict.toml").exit_code == 0
    assert project.run("scan", ".", "--config", "ci/strict.toml", "--fail-on", "high").exit_code == 1


def test_no_flag_given_keeps_the_file_boolean(project) -> None:
    project.write({"main.tf": ADMIN_TF, ".iamready.toml": "no-inline-suppressions = true\nshow-suppressed = true\n"})
    config = resolve({"paths": (".",), "no_inline_suppressions": None, "show_suppressed": None}, cwd=str(project.root))
    assert (config.no_inline_suppressions, config.show_suppressed) == (True, True)


def test_per_path_ignores_from_the_file_are_relative_to_it_and_kept_as_suppressed(project) -> None:
    project.write(
        {
            "infra/.iamready.toml": '[per-path-ignores]\n"legacy/**" = ["AWS-IAM-001"]\n"*/sandbox" = "AWS-IAM"\n',
            "infra/legacy/old/main.tf": ADMIN_TF,
            "infra/team/sandbox/main.tf": ADMIN_TF,
            "infra/current/main.tf": ADMIN_TF,
            "legacy/main.tf": ADMIN_TF,  # outside the config file's directory: not matched
        }
    )
    code, data = project.json("infra")
    assert findings(data, suppressed=False) == [
        ("infra/current/main.tf", 2, "AWS-IAM-001"),
        ("infra/current/main.tf", 28, "AWS-IAM-001"),
    ]
    reasons = {r["suppressed"]["reason"] for r in data["results"] if "suppressed" in r}
    assert reasons == {
        "per-path-ignores 'legacy/**' = [AWS-IAM-001] in infra/.iamready.toml",
        "per-path-ignores '*/sandbox' = [AWS-IAM] in infra/.iamready.toml",
    }
    assert {r["suppressed"]["kind"] for r in data["results"] if "suppressed" in r} == {"external"}
    assert code == 1


def test_per_path_ignores_on_the_command_line(project) -> None:
    project.write({"legacy/main.tf": ADMIN_TF, "main.tf": USER_TF})
    code, data = project.json(".", "--per-path-ignores", "legacy/*.tf=AWS-IAM-001", "--select", "AWS-IAM-001")
    assert findings(data, suppressed=True) == [
        ("legacy/main.tf", 2, "AWS-IAM-001"),
        ("legacy/main.tf", 28, "AWS-IAM-001"),
    ]
    assert data["results"][0]["suppressed"]["reason"] == (
        "per-path-ignores 'legacy/*.tf' = [AWS-IAM-001] in the command line"
    )
    assert code == 0


# a vendored role module: what it deploys is decided by its caller's arguments
VENDORED_ROLE = """\
variable "name" {
  type = string
}

variable "policy_arns" {
  type    = list(string)
  default = []
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "this" {
  count      = length(var.policy_arns)
  role       = aws_iam_role.this.name
  policy_arn = var.policy_arns[count.index]
}
"""

# a vendored module that writes its own administrator policy
VENDORED_ADMIN = """\
resource "aws_iam_policy" "ops" {
  name = "ops-admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
"""

CALLER = """\
module "app" {
  source      = "./vendor/modules/role"
  name        = "app"
  policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

module "ops" {
  source = "./vendor/modules/admin"
}
"""


def test_per_path_ignores_match_where_the_finding_is_reported_not_its_related_places(project) -> None:
    """ "Ignore vendor/" silences what the vendored code does by itself; a finding the user's own arguments
    cause is located in the user's code (the module's line is only a related location) and stays reported."""
    project.write(
        {
            "main.tf": CALLER,
            "vendor/modules/role/main.tf": VENDORED_ROLE,
            "vendor/modules/admin/main.tf": VENDORED_ADMIN,
            ".iamready.toml": '[per-path-ignores]\n"vendor/**" = ["AWS-IAM"]\n',
        }
    )
    code, data = project.json(".", "--select", "AWS-IAM-001")
    assert findings(data, suppressed=False) == [("main.tf", 4, "AWS-IAM-001")]
    (reported,) = [r for r in data["results"] if "suppressed" not in r]
    related = [(r["location"]["path"], r["location"]["start_line"]) for r in reported["related"]]
    assert related == [("vendor/modules/role/main.tf", 21)]
    assert findings(data, suppressed=True) == [("vendor/modules/admin/main.tf", 5, "AWS-IAM-001")]
    assert code == 1


def test_ignore_key_deselects_like_the_flag(project) -> None:
    project.write({"main.tf": ADMIN_TF, ".iamready.toml": 'ignore = ["AWS-IAM-001"]\n'})
    code, data = project.json(".")
    assert [r["rule_id"] for r in data["results"]] == []
    assert code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '[tool.iamready]\nfail_on = "high"\n',
            "pyproject.toml: unknown key 'fail_on' in [tool.iamready] (did you mean 'fail-on'?)",
        ),
        (
            '[tool.iamready]\nfail-on = "severe"\n',
            "pyproject.toml: key 'fail-on' must be one of 'critical', 'high', 'medium', 'low', 'info', "
            "not str 'severe'",
        ),
        ("[tool.iamready]\nselect = 3\n", "pyproject.toml: key 'select' must be a list of strings, not int 3"),
        (
            '[tool.iamready]\nno-inline-suppressions = "yes"\n',
            "pyproject.toml: key 'no-inline-suppressions' must be true or false, not str 'yes'",
        ),
        (
            "[tool.iamready]\nchecklist = [2.5, 2.10]\n",
            "pyproject.toml: key 'checklist' must be a list of strings "
            '(quote the items: ["2.5", "2.10"]; 2.10 as a number is 2.1), not list [2.5, 2.1]',
        ),
        (
            '[tool.iamready]\nformat = "xml"\n',
            "pyproject.toml: key 'format' must be one of 'text', 'json', 'sarif', 'github', 'markdown', "
            "'checklist', 'gitlab', not str 'xml'",
        ),
        (
            '[tool.iamready]\nper-path-ignores = ["legacy"]\n',
            "pyproject.toml: key 'per-path-ignores' must be a table of glob = [rule ids], not list ['legacy']",
        ),
        ('[tool.iamready]\nfail-on = "high\n', "pyproject.toml:2:16: invalid TOML: Illegal character '\\n'"),
        (
            '[tool.iamready]\nfail-on = "high"\nfail-on = "low"\n',
            "pyproject.toml:3:16: invalid TOML: Cannot overwrite a value",
        ),
    ],
    ids=[
        "unknown-key",
        "bad-choice",
        "wrong-type",
        "bool",
        "checklist-floats",
        "format",
        "table",
        "unterminated",
        "duplicate",
    ],
)
def test_bad_config_is_an_error_naming_file_and_key_with_exit_2(project, content, message) -> None:
    project.write({"main.tf": ADMIN_TF, "pyproject.toml": content})
    result = project.run("scan", ".")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"iamready: error: {message}\n"


def test_iamready_toml_with_a_tool_table_gets_a_hint(project) -> None:
    project.write({"main.tf": ADMIN_TF, ".iamready.toml": '[tool.iamready]\nfail-on = "high"\n'})
    result = project.run("scan", ".")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        ".iamready.toml: unknown key 'tool' in top level (in .iamready.toml the keys are at the top level, "
        "without [tool.iamready])\n"
    )


def test_explicit_config_errors(project) -> None:
    project.write({"main.tf": ADMIN_TF, "other/pyproject.toml": "[tool.black]\n"})
    result = project.run("scan", ".", "--config", "nope.toml")
    assert (result.exit_code, result.stderr) == (2, "iamready: error: nope.toml: config file does not exist\n")
    result = project.run("scan", ".", "--config", "other/pyproject.toml")
    assert result.exit_code == 2
    assert result.stderr.endswith("other/pyproject.toml: has no [tool.iamready] table\n")


def test_selector_from_the_file_that_matches_nothing_names_the_file(project) -> None:
    project.write({"main.tf": ADMIN_TF, "pyproject.toml": '[tool.iamready]\nselect = ["AWS-IAM-01"]\n'})
    result = project.run("scan", ".", select=False)
    assert result.exit_code == 2
    assert result.stderr == (
        "iamready: error: pyproject.toml: key 'select': no rule matches 'AWS-IAM-01'; did you mean AWS-IAM-001?\n"
    )
    result = project.run("scan", ".", "--select", "AWS-IAN")
    assert result.exit_code == 2
    assert result.stderr.startswith("iamready: error: --select: no rule matches 'AWS-IAN'")


def test_unknown_rule_in_per_path_ignores_or_rule_options_is_an_error(project) -> None:
    project.write({"main.tf": ADMIN_TF, ".iamready.toml": '[per-path-ignores]\n"legacy/**" = ["AWS-IAM-0001"]\n'})
    result = project.run("scan", ".")
    assert result.exit_code == 2
    assert result.stderr == (
        "iamready: error: .iamready.toml: key 'per-path-ignores' 'legacy/**': no rule matches 'AWS-IAM-0001'; "
        "did you mean AWS-IAM-001?\n"
    )
    project.write({".iamready.toml": "[rules.AWS-IAM-999]\nthreshold = 3\n"})
    result = project.run("scan", ".")
    assert result.exit_code == 2
    assert result.stderr.startswith("iamready: error: .iamready.toml: [rules.AWS-IAM-999]: no rule 'AWS-IAM-999'")


def test_broken_pyproject_with_our_table_is_reported_not_skipped(project) -> None:
    project.write({"main.tf": ADMIN_TF, "pyproject.toml": '[tool.iamready\nfail-on = "high"\n'})
    result = project.run("scan", ".")
    assert result.exit_code == 2
    assert result.stderr == (
        "iamready: error: pyproject.toml:1:15: invalid TOML: Expected ']' at the end of a table declaration\n"
    )


def test_broken_pyproject_of_someone_else_is_ignored(project) -> None:
    project.write({"main.tf": ADMIN_TF, "pyproject.toml": "[tool.poetry\nname = 1\n"})
    assert project.run("scan", ".").exit_code == 1
