"""Commonly attached AWS managed policies, read from the snapshot, weighed like inline policies: access
levels in the permission review, escalation verdicts, and no "not known" note."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamready.config import Config
from iamready.engine import scan
from iamready.loader import load_rules
from iamready.permissions.inventory import build_inventory

ESCALATION = {f"AWS-IAM-1{n:02d}" for n in range(11)}

# policy ARN suffix -> the escalation rules it triggers for a user holding only that policy
EXPECTED: dict[str, set[str]] = {
    "AdministratorAccess": set(),  # already administrator: AWS-IAM-001 reports it
    "PowerUserAccess": {"AWS-IAM-104"},  # no iam:*, but it can take over existing functions
    "IAMFullAccess": {"AWS-IAM-100", "AWS-IAM-101", "AWS-IAM-102"},
    "ReadOnlyAccess": set(),
    "job-function/ViewOnlyAccess": set(),
    "SecurityAudit": set(),
    "IAMReadOnlyAccess": set(),
    "AmazonS3FullAccess": set(),
    "AmazonS3ReadOnlyAccess": set(),
    "AmazonEC2FullAccess": {"AWS-IAM-104"},  # user data of existing instances, launch template versions
    "AmazonEC2ReadOnlyAccess": set(),
    "AWSLambda_FullAccess": {"AWS-IAM-103", "AWS-IAM-104"},
    "AWSLambda_ReadOnlyAccess": set(),
    "service-role/AWSLambdaBasicExecutionRole": set(),
    "AmazonSSMFullAccess": {"AWS-IAM-104"},
    "AmazonSSMManagedInstanceCore": set(),
    "AmazonDynamoDBFullAccess": set(),
    "CloudWatchReadOnlyAccess": set(),
    "AWSCodeBuildAdminAccess": {"AWS-IAM-104"},
    "service-role/AWSGlueServiceRole": {"AWS-IAM-104"},
    "AmazonSageMakerFullAccess": {"AWS-IAM-103", "AWS-IAM-104"},
    "job-function/SystemAdministrator": {"AWS-IAM-104"},
    "job-function/DataScientist": {"AWS-IAM-103", "AWS-IAM-104"},
    "service-role/AmazonECSTaskExecutionRolePolicy": set(),
    "AmazonECS_FullAccess": {"AWS-IAM-103", "AWS-IAM-104"},  # pass a role to tasks; shell into running tasks
    "AWSOrganizationsFullAccess": set(),
}


def _user(policy: str) -> str:
    return policy.rsplit("/", 1)[-1].replace("-", "_")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory):
    root: Path = tmp_path_factory.mktemp("managed")
    blocks = []
    for policy in EXPECTED:
        name = _user(policy)
        blocks.append(
            f'resource "aws_iam_user" "{name}" {{\n  name = "{name.lower()}"\n}}\n\n'
            f'resource "aws_iam_user_policy_attachment" "{name}" {{\n'
            f"  user       = aws_iam_user.{name}.name\n"
            f'  policy_arn = "arn:aws:iam::aws:policy/{policy}"\n}}\n'
        )
    # the same grant written inline: AWSLambda_FullAccess must weigh the same as lambda:*
    blocks.append(
        'resource "aws_iam_user" "inline_lambda" {\n  name = "inline-lambda"\n}\n\n'
        'resource "aws_iam_user_policy" "inline_lambda" {\n'
        "  user   = aws_iam_user.inline_lambda.name\n"
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", '
        'Action = "lambda:*", Resource = "*" }] })\n}\n'
    )
    (root / "main.tf").write_text("\n".join(blocks), encoding="utf-8")
    config = Config(paths=(str(root),), cwd=str(root), no_cache=True)
    result = scan(config, load_rules())
    return root, result


def _escalations(result, address: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in result.results:
        if finding.rule.id in ESCALATION and finding.address == address:
            out.setdefault(finding.rule.id, []).append(finding.message)
    return out


@pytest.mark.parametrize("policy", list(EXPECTED))
def test_escalation_verdict_of_each_policy(scanned, policy: str) -> None:
    _, result = scanned
    assert set(_escalations(result, f"aws_iam_user.{_user(policy)}")) == EXPECTED[policy]


def test_lambda_full_access_escalates_through_existing_functions_as_inline_lambda_star(scanned) -> None:
    _, result = scanned
    managed = _escalations(result, "aws_iam_user.AWSLambda_FullAccess")["AWS-IAM-104"]
    inline = _escalations(result, "aws_iam_user.inline_lambda")["AWS-IAM-104"]
    strip = [m.split(": ", 1)[1] for m in managed]
    assert strip == [m.split(": ", 1)[1] for m in inline]
    assert "replace the code of an existing Lambda function (lambda:UpdateFunctionCode" in strip[0]


def test_no_policy_is_unknown(scanned) -> None:
    _, result = scanned
    assert [n.message for n in result.notifications if "not known" in n.message] == []


def test_access_levels_in_the_permission_review(scanned) -> None:
    from iamready.context import Context

    root, result = scanned
    ctx = Context(result.graph)
    inventory = build_inventory(ctx, str(root)).by_address()
    read_only = inventory["aws_iam_user.ReadOnlyAccess"]
    summary = read_only.summary(ctx.catalog)
    assert summary["Read"] > 2000 and summary["List"] > 1500, summary
    assert summary["Write"] < 20, summary  # a few catalogue quirks (Get... actions labelled Write)
    assert read_only.unknown == []
    sources = {row.source.via for row in read_only.rows}
    assert len(sources) == 1 and sources.pop().startswith("AWS managed policy ReadOnlyAccess v")
    lambda_full = inventory["aws_iam_user.AWSLambda_FullAccess"].summary(ctx.catalog)
    assert lambda_full["Write"] > 50 and lambda_full["Permissions management"] > 0
    s3_read = inventory["aws_iam_user.AmazonS3ReadOnlyAccess"].summary(ctx.catalog)
    assert s3_read["Write"] == 0 and s3_read["Permissions management"] == 0 and s3_read["Read"] > 20
    basic = inventory["aws_iam_user.AWSLambdaBasicExecutionRole"]
    assert [(r.service, r.level) for r in basic.rows] == [("logs", "Write")]
    admin = inventory["aws_iam_user.AdministratorAccess"]
    assert admin.admin is not None


def test_data_aws_iam_policy_by_name_arn_and_path_prefix(project) -> None:
    """``data "aws_iam_policy"`` attached to a group: the policy's content, not "(no permissions)"."""
    from iamready.context import Context

    project.write(
        "main.tf",
        """
        data "aws_iam_policy" "power" {
          name = "PowerUserAccess"
        }

        data "aws_iam_policy" "glue" {
          name        = "AWSGlueServiceRole"
          path_prefix = "/service-role/"
        }

        data "aws_iam_policy" "lambda" {
          arn = "arn:aws:iam::aws:policy/AWSLambda_FullAccess"
        }

        data "aws_iam_policy" "external" {
          name = "team-deployer"
        }

        resource "aws_iam_group" "devs" {
          name = "devs"
        }

        resource "aws_iam_group_policy_attachment" "power" {
          group      = aws_iam_group.devs.name
          policy_arn = data.aws_iam_policy.power.arn
        }

        resource "aws_iam_group_policy_attachment" "glue" {
          group      = aws_iam_group.devs.name
          policy_arn = data.aws_iam_policy.glue.arn
        }

        resource "aws_iam_group_policy_attachment" "external" {
          group      = aws_iam_group.devs.name
          policy_arn = data.aws_iam_policy.external.arn
        }

        resource "aws_iam_policy" "copy" {
          name   = "copy-of-lambda-full-access"
          policy = data.aws_iam_policy.lambda.policy
        }
        """,
    )
    ctx = project.context()
    devs = project.principal(ctx, "aws_iam_group.devs")
    perms = ctx.permissions(devs)
    sources = sorted({via for _, via in perms.statements()})
    assert [s.split(" v")[0] for s in sources] == [
        "AWS managed policy AWSGlueServiceRole",
        "AWS managed policy PowerUserAccess",
    ]
    assert perms.grants_for("ec2:RunInstances") and perms.grants_for("glue:CreateJob")
    assert not perms.grants_for("iam:CreateUser")  # PowerUserAccess leaves IAM out
    assert [(doc.label, reason.reason) for doc, reason in perms.unknowns] == [
        (
            "customer managed policy arn:aws:iam::${AWS::AccountId}:policy/team-deployer",
            "it is defined outside the scanned code: its content is not known to iamready",
        )
    ]
    (copy,) = [d for d in ctx.graph.policies if d.holder.address == "aws_iam_policy.copy"]
    assert copy.unknown is None and any("lambda:*" in s.action_patterns for s in copy.statements)
    assert isinstance(ctx, Context)


def test_module_role_named_by_prefix_gets_its_managed_policies(project) -> None:
    """The shape of the most used IAM module: the role's name is null (name_prefix is set), so Terraform
    computes it; the attachment's ``role = aws_iam_role.this[0].name`` still names that role."""
    project.write(
        "modules/role/main.tf",
        """
        variable "name" {
          type = string
        }

        variable "use_name_prefix" {
          type    = bool
          default = true
        }

        variable "policies" {
          type    = map(string)
          default = {}
        }

        resource "aws_iam_role" "this" {
          count       = 1
          name        = var.use_name_prefix ? null : var.name
          name_prefix = var.use_name_prefix ? "${var.name}-" : null
          assume_role_policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
          })
        }

        resource "aws_iam_role_policy_attachment" "this" {
          for_each   = var.policies
          policy_arn = each.value
          role       = aws_iam_role.this[0].name
        }
        """,
    )
    project.write(
        "main.tf",
        """
        module "poweruser" {
          source   = "./modules/role"
          name     = "poweruser"
          policies = { PowerUserAccess = "arn:aws:iam::aws:policy/PowerUserAccess" }
        }
        """,
    )
    ctx = project.context()
    role = project.principal(ctx, "module.poweruser.aws_iam_role.this[0]")
    perms = ctx.permissions(role)
    assert [via.split(" v")[0] for _, via in perms.statements()] == ["AWS managed policy PowerUserAccess"] * 2
    assert perms.grants_for("lambda:UpdateFunctionCode")


def test_other_partitions_read_the_aws_documents_and_say_so(project) -> None:
    # arn:aws-cn / arn:aws-us-gov ARNs resolve by name to the aws partition's document (the only one the data
    # has), with the ARNs inside it in the partition written; grant sources say whose version was used. A
    # name the aws partition lacks is not known (it may exist there), not an empty policy.
    project.write(
        "main.tf",
        """
        resource "aws_iam_user" "deployer" {
          name = "deployer"
        }

        resource "aws_iam_user_policy_attachment" "lambda" {
          user       = aws_iam_user.deployer.name
          policy_arn = "arn:aws-us-gov:iam::aws:policy/AWSLambda_FullAccess"
        }

        resource "aws_iam_user_policy_attachment" "typo" {
          user       = aws_iam_user.deployer.name
          policy_arn = "arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAcess"
        }
        """,
    )
    ctx = project.context()
    perms = ctx.permissions(project.principal(ctx, "aws_iam_user.deployer"))
    grants = perms.grants_for("lambda:UpdateFunctionCode")
    assert len(grants) == 1
    assert grants[0].via.startswith("AWS managed policy AWSLambda_FullAccess v")
    assert grants[0].via.endswith(" (the aws partition's version, used for aws-us-gov)")
    logs = perms.grants_for(
        "logs:GetLogEvents", "arn:aws-us-gov:logs:us-gov-west-1:111122223333:log-group:/aws/lambda/x"
    )
    assert [g.statement.resources for g in logs] == [["arn:aws-us-gov:logs:*:*:log-group:/aws/lambda/*"]]
    assert [(doc.name, doc.unknown.reason) for doc, _ in perms.unknowns] == [
        ("AmazonS3ReadOnlyAcess", "AWS managed policy AmazonS3ReadOnlyAcess of the aws-cn partition is not known")
    ]
