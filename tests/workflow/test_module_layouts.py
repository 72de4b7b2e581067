"""Module layouts as real repositories hold them: environments calling shared modules, a module library
with examples, registry modules installed by ``terraform init``. Findings point at the line that causes
them, pre-commit and --diff-base see what a changed file causes, one cause is reported once."""

from __future__ import annotations

import hashlib
import json
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
    # paths in the repository but above the working directory are relative, the same on every machine
    assert {r["related"][0]["location"]["path"] for r in data["results"]} == {"../../modules/role/main.tf"}


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
            "module.app comes from 'acme/role/aws', which is not installed; its outputs and resources are not "
            "checked. To fix: run terraform init -backend=false in this directory and scan again "
            "(iamready reads .terraform/modules and never downloads)",
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


# -- findings point at their cause; changed files see what they cause ------------------------------------
ROOT_TF = PROD_TF.replace("../../modules/role", "./modules/role")


@pytest.fixture
def single(project: Project) -> Project:
    """A git repository: main.tf calls ./modules/role with the offending values."""
    (project.root / ".git").rmdir()
    git(project.root, "init", "-q", "-b", "main")
    project.write({"modules/role/main.tf": ROLE_MODULE, "main.tf": ROOT_TF})
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "role")
    return project


def located(data: dict) -> list[tuple[str, int, str, str, list[tuple[str, int]]]]:
    return sorted(
        (
            r["location"]["path"],
            r["location"]["start_line"],
            r["rule_id"],
            r.get("via", ""),
            [(x["location"]["path"], x["location"]["start_line"]) for x in r.get("related", [])],
        )
        for r in data["results"]
    )


def test_findings_in_a_module_point_at_the_argument_of_the_caller(single: Project) -> None:
    _code, data = single.json(".", *RULES)
    assert located(data) == [
        # trusted = ["arn:aws:iam::999988887777:root"]; the trust statement inside the module is related
        ("main.tf", 4, "AWS-IAM-033", "in module.app, called from main.tf:1", [("modules/role/main.tf", 15)]),
        # admin = "arn:aws:iam::aws:policy/AdministratorAccess"; the attachment inside the module is related
        ("main.tf", 6, "AWS-IAM-001", "in module.app, called from main.tf:1", [("modules/role/main.tf", 32)]),
    ]


def test_the_pre_commit_hook_given_the_caller_reports_what_it_causes(single: Project) -> None:
    code, data = single.json("main.tf", *RULES)
    assert code == 1
    assert [(p, line, rule) for p, line, rule, _, _ in located(data)] == [
        ("main.tf", 4, "AWS-IAM-033"),
        ("main.tf", 6, "AWS-IAM-001"),
    ]


def test_the_pre_commit_hook_given_the_module_reports_what_its_callers_make_of_it(single: Project) -> None:
    code, data = single.json("modules/role/main.tf", *RULES)
    assert code == 1
    assert {r["rule_id"] for r in data["results"]} == {"AWS-IAM-001", "AWS-IAM-033"}


def test_diff_base_reports_a_new_call_of_an_unchanged_module(single: Project) -> None:
    git(single.root, "checkout", "-q", "-b", "feature")
    single.write(
        {
            "ops.tf": 'module "ops" {\n  source  = "./modules/role"\n  name    = "ops"\n'
            '  trusted = ["arn:aws:iam::444455556666:root"]\n}\n'
        }
    )
    git(single.root, "add", "-A")
    git(single.root, "commit", "-q", "-m", "ops role")
    code, data = single.json(".", "--diff-base", "main", *RULES)
    assert code == 1
    assert [(p, line, rule) for p, line, rule, _, _ in located(data)] == [("ops.tf", 4, "AWS-IAM-033")]


def test_a_suppression_inside_the_module_still_covers_a_finding_traced_to_the_caller(single: Project) -> None:
    module = ROLE_MODULE.replace(
        'resource "aws_iam_role_policy_attachment" "this" {',
        "# iamready: ignore[AWS-IAM-001] callers choose the policies; reviewed in each environment\n"
        'resource "aws_iam_role_policy_attachment" "this" {',
    )
    single.write({"modules/role/main.tf": module})
    _code, data = single.json(".", *RULES)
    [admin] = [r for r in data["results"] if r["rule_id"] == "AWS-IAM-001"]
    assert admin["location"]["path"] == "main.tf"
    assert admin["suppressed"]["source"] == "comment"


def test_fingerprints_and_baselines_do_not_move_with_the_location(single: Project) -> None:
    """Identity stays where the finding was found inside the module: fingerprints and baselines written
    before findings were traced to their callers still match."""
    single.run("scan", ".", *RULES, "--write-baseline", "baseline.json")
    written = json.loads(single.read("baseline.json"))["findings"]
    assert sorted((e["rule_id"], e["path"]) for e in written) == [
        ("AWS-IAM-001", "modules/role/main.tf"),
        ("AWS-IAM-033", "modules/role/main.tf"),
    ]
    _code, data = single.json(".", *RULES)
    for entry in written:
        [result] = [r for r in data["results"] if r["rule_id"] == entry["rule_id"]]
        assert result["location"]["path"] == "main.tf"
        identity = "\0".join((entry["rule_id"], entry["path"], entry["resource"], entry["key"]))
        assert result["fingerprint"] == hashlib.sha256(identity.encode()).hexdigest()[:32]
    code, again = single.json(".", *RULES, "--baseline", "baseline.json")
    assert code == 0
    assert [r["suppressed"]["source"] for r in again["results"]] == ["baseline", "baseline"]


# -- one finding per cause --------------------------------------------------------------------------
BREAKGLASS = """
resource "aws_iam_user" "breakglass" {
  name = "breakglass"
}

resource "aws_iam_access_key" "breakglass" {
  user = aws_iam_user.breakglass.name
}
"""


def test_a_module_bad_in_every_environment_is_reported_once_naming_them(envs: Project) -> None:
    envs.write({"modules/role/main.tf": ROLE_MODULE + BREAKGLASS})
    _code, data = envs.json(".", "--select", "AWS-IAM-050")
    [finding] = data["results"]
    assert (finding["location"]["path"], finding["location"]["start_line"]) == (
        "modules/role/main.tf",
        39,
    )  # the access key
    assert finding["via"] == "in module.app, called from envs/dev/main.tf:1 and envs/prod/main.tf:1"
    assert [(i["root"], i["calledFrom"]) for i in finding["instances"]] == [
        ("envs/dev", "envs/dev/main.tf:1"),
        ("envs/prod", "envs/prod/main.tf:1"),
    ]


def test_a_module_bad_in_one_environment_names_that_one(envs: Project) -> None:
    _code, data = envs.json(".", *RULES)
    assert sorted((r["rule_id"], r["location"]["path"], r["via"]) for r in data["results"]) == [
        ("AWS-IAM-001", "envs/prod/main.tf", "in module.app, called from envs/prod/main.tf:1"),
        ("AWS-IAM-033", "envs/prod/main.tf", "in module.app, called from envs/prod/main.tf:1"),
    ]


def test_sarif_holds_one_result_with_its_instances(envs: Project) -> None:
    envs.write({"modules/role/main.tf": ROLE_MODULE + BREAKGLASS})
    result = envs.run("scan", ".", "--select", "AWS-IAM-050", "--format", "sarif")
    [item] = json.loads(result.stdout)["runs"][0]["results"]
    assert item["message"]["text"].endswith("(in module.app, called from envs/dev/main.tf:1 and envs/prod/main.tf:1)")
    assert [i["root"] for i in item["properties"]["instances"]] == ["envs/dev", "envs/prod"]


def test_the_pre_commit_hook_on_one_environment_names_only_that_one(envs: Project) -> None:
    envs.write({"modules/role/main.tf": ROLE_MODULE + BREAKGLASS})
    _code, data = envs.json("envs/dev/main.tf", "--select", "AWS-IAM-050")
    [finding] = data["results"]
    assert finding["via"] == "in module.app, called from envs/dev/main.tf:1"
    assert "instances" not in finding


# -- nested modules, module libraries --------------------------------------------------------------------
PLATFORM_TF = """\
variable "partners" {
  type = list(string)
}

module "deployer" {
  source      = "../role"
  name        = "deployer"
  trusted     = var.partners
  policy_arns = {}
}
"""


def test_nested_calls_point_at_the_outermost_argument(single: Project) -> None:
    single.write(
        {
            "modules/platform/main.tf": PLATFORM_TF,
            "main.tf": 'module "platform" {\n  source   = "./modules/platform"\n'
            '  partners = ["arn:aws:iam::999988887777:root"]\n}\n',
        }
    )
    git(single.root, "add", "-A")
    git(single.root, "commit", "-q", "-m", "platform")
    _code, data = single.json(".", *RULES)
    assert located(data) == [
        (
            "main.tf",
            3,
            "AWS-IAM-033",
            "in module.platform.module.deployer, called from main.tf:1",
            [("modules/role/main.tf", 15)],
        )
    ]
    # the hook given the module in the middle: the call it holds is on the finding's way
    _code, data = single.json("modules/platform/main.tf", *RULES)
    assert [(p, line, rule) for p, line, rule, _, _ in located(data)] == [("main.tf", 3, "AWS-IAM-033")]


def test_the_hook_given_a_library_module_reports_what_its_examples_make_of_it(project: Project) -> None:
    """A module library (no provider block, every input with a default) and an example that calls it."""
    (project.root / ".git").rmdir()
    git(project.root, "init", "-q", "-b", "main")
    library = ROLE_MODULE.replace("type = list(string)\n", "type    = list(string)\n  default = []\n").replace(
        'variable "name" {\n  type = string\n', 'variable "name" {\n  type    = string\n  default = null\n'
    )
    project.write(
        {
            "modules/role/main.tf": library,
            "examples/complete/main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n\n'
            + ROOT_TF.replace("./modules/role", "../../modules/role"),
        }
    )
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "library")
    code, data = project.json("modules/role/main.tf", *RULES)
    assert code == 1
    assert [(p, line, rule) for p, line, rule, _, _ in located(data)] == [
        ("examples/complete/main.tf", 8, "AWS-IAM-033"),
        ("examples/complete/main.tf", 10, "AWS-IAM-001"),
    ]


def test_a_baseline_written_from_one_finding_per_cause_covers_every_instance(envs: Project) -> None:
    envs.write({"modules/role/main.tf": ROLE_MODULE + BREAKGLASS})
    envs.run("scan", ".", "--select", "AWS-IAM-050", "--write-baseline", "baseline.json")
    assert len(json.loads(envs.read("baseline.json"))["findings"]) == 1
    code, data = envs.json(".", "--select", "AWS-IAM-050", "--baseline", "baseline.json")
    assert code == 0
    [finding] = data["results"]
    assert finding["suppressed"]["source"] == "baseline"
    assert len(finding["instances"]) == 2
    assert data.get("baseline_missing", []) == []


OIDC_MODULE = """\
variable "provider_url" {
  type = string
}

variable "audiences" {
  type = list(string)
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/${var.provider_url}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.provider_url}:aud"
      values   = var.audiences
    }
  }
}

resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"""


def test_a_finding_about_what_the_module_wrote_stays_in_the_module(project: Project) -> None:
    """The module never pins the sub claim: the caller's audience is not the cause, the module is."""
    project.write(
        {
            "modules/oidc/main.tf": OIDC_MODULE,
            "main.tf": 'module "ci" {\n  source       = "./modules/oidc"\n'
            '  provider_url = "token.actions.githubusercontent.com"\n  audiences    = ["sts.amazonaws.com"]\n}\n',
        }
    )
    _code, data = project.json(".", "--select", "AWS-IAM-034")
    assert located(data) == [("modules/oidc/main.tf", 10, "AWS-IAM-034", "in module.ci, called from main.tf:1", [])]
    _code, data = project.json("main.tf", "--select", "AWS-IAM-034")  # the hook given the caller still sees it
    assert [r["location"]["path"] for r in data["results"]] == ["modules/oidc/main.tf"]


def test_checks_that_need_a_module_not_installed_are_listed_in_its_one_note(registry: Project) -> None:
    registry.write(
        {
            "live/roles.tf": 'resource "aws_iam_role" "ci" {\n  name               = "ci"\n'
            "  assume_role_policy = module.app.trust_json\n}\n\n"
            'resource "aws_iam_role" "ops" {\n  name               = "ops"\n'
            "  assume_role_policy = module.app.trust_json\n}\n"
        }
    )
    _code, data = registry.json("live", "--select", "AWS-IAM-031")  # who may assume a role: needs the policy
    [note] = notes(data, "unresolved")
    assert note[:2] == ("live/main.tf", 1)
    assert note[3].startswith("module.app comes from 'acme/role/aws', which is not installed")
    assert (
        "so these checks could not be made: "
        "aws_iam_role.ci at live/roles.tf:3 (AWS-IAM-031); aws_iam_role.ops at live/roles.tf:8 (AWS-IAM-031). "
        "To fix: run terraform init -backend=false" in note[3]
    )


# a system-user module as module libraries write it: inline policies keyed by their md5, behind an enabled flag
SYSTEM_USER_MODULE = """\
variable "enabled" {
  type    = bool
  default = true
}

variable "inline_policies" {
  type    = list(string)
  default = []
}

resource "aws_iam_user" "default" {
  count = var.enabled ? 1 : 0
  name  = "ci-publisher"
}

resource "aws_iam_user_policy" "inline_policies" {
  for_each = var.enabled ? { for p in var.inline_policies : md5(p) => p } : {}
  user     = aws_iam_user.default[0].name
  policy   = each.value
}
"""


def test_for_each_keyed_by_md5_of_the_callers_policies_is_checked(project: Project) -> None:
    project.write(
        {
            "modules/system-user/main.tf": SYSTEM_USER_MODULE,
            "main.tf": 'module "publisher" {\n  source          = "./modules/system-user"\n'
            "  inline_policies = [jsonencode({\n"
            '    Version   = "2012-10-17"\n'
            '    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]\n'
            "  })]\n}\n",
        }
    )
    _code, data = project.json(".", "--select", "AWS-IAM-001,AWS-IAM-002")
    digest = hashlib.md5(
        b'{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}'
    ).hexdigest()
    assert sorted(
        (r["rule_id"], r["location"]["path"], r["location"]["start_line"], r["resource"]) for r in data["results"]
    ) == [
        ("AWS-IAM-001", "main.tf", 5, f'module.publisher.aws_iam_user_policy.inline_policies["{digest}"]'),
        (
            "AWS-IAM-002",
            "modules/system-user/main.tf",
            18,
            f'module.publisher.aws_iam_user_policy.inline_policies["{digest}"]',
        ),
    ]
    assert notes(data, "unresolved") == []  # md5() is evaluated: the instance is known, nothing blocked


# a role component as cloudposse writes it: inline policies kept when not empty, one of them from a policy
# module of the registry
OIDC_ROLE = """\
module "iam_policy" {
  source  = "acme/iam-policy/aws"
  version = "2.0.1"
}

locals {
  policy_map = {
    "deploy" = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "*" }]
    })
    "extra"  = one(module.iam_policy.*.json)
  }
  active_policy_map = { for k, v in local.policy_map : k => v if try(length(v), 0) > 3 }
}

resource "aws_iam_role" "github_actions" {
  name               = "github-actions"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })

  dynamic "inline_policy" {
    for_each = local.active_policy_map
    content {
      name   = inline_policy.key
      policy = inline_policy.value
    }
  }
}
"""


def test_a_for_expression_filtered_on_a_module_output_names_the_module_as_the_cause(project: Project) -> None:
    project.write({"main.tf": OIDC_ROLE})
    _code, data = project.json(".", "--select", "AWS-IAM-001")
    [note] = notes(data, "unresolved")
    assert note[:2] == ("main.tf", 1)  # the module call, not the for expression: its fix is terraform init
    assert note[3].startswith("module.iam_policy comes from 'acme/iam-policy/aws', which is not installed")
    assert "aws_iam_role.github_actions at main.tf:24 (AWS-IAM-001)" in note[3]
    assert "To fix: run terraform init -backend=false" in note[3]


# the module's attachments exist only when it is enabled (a flag from a label module) and the caller gives ARNs
ATTACHMENTS_MODULE = """\
variable "enabled" {
  type = bool
}

variable "policy_arns" {
  type    = list(string)
  default = []
}

variable "policy_arns_map" {
  type    = map(string)
  default = {}
}

locals {
  policy_arns_map = merge(var.policy_arns_map, { for arn in var.policy_arns : arn => arn })
}

resource "aws_iam_user" "default" {
  name = "ci-publisher"
}

resource "aws_iam_user_policy_attachment" "policies" {
  for_each   = var.enabled ? local.policy_arns_map : {}
  user       = aws_iam_user.default.name
  policy_arn = each.value
}
"""


def test_a_for_each_empty_whichever_way_the_flag_goes_creates_nothing(project: Project) -> None:
    project.write(
        {
            "modules/system-user/main.tf": ATTACHMENTS_MODULE,
            "main.tf": 'variable "enabled" {\n  type = bool\n}\n\n'
            'module "reader" {\n  source  = "./modules/system-user"\n  enabled = var.enabled\n}\n\n'
            'module "admin" {\n  source      = "./modules/system-user"\n  enabled     = var.enabled\n'
            '  policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]\n}\n',
        }
    )
    _code, data = project.json(".", "--select", "AWS-IAM-001,AWS-IAM-002")
    # module.reader attaches nothing, enabled or not: no finding and no note about its flag
    assert sorted((r["rule_id"], r["location"]["path"], r["location"]["start_line"]) for r in data["results"]) == [
        ("AWS-IAM-001", "main.tf", 13),
        ("AWS-IAM-002", "modules/system-user/main.tf", 25),
    ]
    assert all("module.admin" in r["resource"] for r in data["results"])
    assert notes(data, "unresolved") == []
