"""Scopes and AWS Config rules for the baseline profile (src/iamready/aws/account_baseline.py)."""

from __future__ import annotations

from pathlib import Path

from iamready.aws.account_baseline import config_rules, scopes
from iamready.context import Context


def _context(tmp_path: Path, files: dict[str, str]) -> Context:
    from iamready.config import Config
    from iamready.engine import scan

    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    config = Config(paths=(str(tmp_path),), cwd=str(tmp_path), profile="all")
    result = scan(config, [])
    return Context(result.graph, config)


def test_scopes_are_root_modules_and_templates_located_at_their_first_file(tmp_path):
    ctx = _context(
        tmp_path,
        {
            "baseline/variables.tf": 'variable "region" {\n  default = "eu-west-1"\n}\n',
            "baseline/main.tf": 'module "trail" {\n  source = "../modules/trail"\n}\n',
            "modules/trail/main.tf": 'resource "aws_cloudtrail" "t" {\n  name = "t"\n}\n',
            "stacks/iam.cfn.yaml": 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
            "  A:\n    Type: AWS::AccessAnalyzer::Analyzer\n    Properties:\n      Type: ACCOUNT\n",
        },
    )
    found = list(scopes(ctx))
    assert [(s.label, s.span.path, s.span.start_line, s.framework) for s in found] == [
        ("Terraform root module baseline", str(tmp_path / "baseline" / "main.tf"), 1, "terraform"),
        ("template stacks/iam.cfn.yaml", str(tmp_path / "stacks" / "iam.cfn.yaml"), 1, "cloudformation"),
    ]
    # a trail created by a called module belongs to the calling root module
    assert [r.address for r in found[0].resources(ctx.graph, "aws_cloudtrail")] == ["module.trail.aws_cloudtrail.t"]
    assert [s.label for s in scopes(ctx, "cloudformation")] == ["template stacks/iam.cfn.yaml"]


def test_config_rules_read_rules_organization_rules_and_conformance_packs(tmp_path):
    ctx = _context(
        tmp_path,
        {
            "main.tf": """\
variable "identifier" {}

resource "aws_config_config_rule" "mfa" {
  name = "root-mfa"
  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_MFA_ENABLED"
  }
}

resource "aws_config_organization_managed_rule" "keys" {
  name            = "root-keys"
  rule_identifier = "IAM_ROOT_ACCESS_KEY_CHECK"
}

resource "aws_config_conformance_pack" "iam" {
  name          = "iam"
  template_body = <<-EOT
    Resources:
      Rotation:
        Type: AWS::Config::ConfigRule
        Properties:
          Source:
            Owner: AWS
            SourceIdentifier: ACCESS_KEYS_ROTATED
  EOT
}

resource "aws_config_config_rule" "unknown" {
  name = "from-a-variable"
  source {
    owner             = "AWS"
    source_identifier = var.identifier
  }
}
"""
        },
    )
    scope = next(scopes(ctx))
    rules = config_rules(ctx.graph, scope)
    assert {k: v.address for k, v in rules.identifiers.items() if not k.startswith("AWS")} == {
        "ROOT_ACCOUNT_MFA_ENABLED": "aws_config_config_rule.mfa",
        "IAM_ROOT_ACCESS_KEY_CHECK": "aws_config_organization_managed_rule.keys",
        "ACCESS_KEYS_ROTATED": "aws_config_conformance_pack.iam",
    }
    assert [(r.address, v.path) for r, v in rules.unknown] == [
        ("aws_config_config_rule.unknown", "source.source_identifier")
    ]
