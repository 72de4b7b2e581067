"""The permission inventory: exact rows (service, level, actions, resources, source, conditions)."""

from __future__ import annotations

from iamready.iam.actionset import primary_level
from iamready.permissions.inventory import build_inventory
from tests.permissions.conftest import line_of

GROUP_PROJECT = """
resource "aws_iam_group" "developers" {
  name = "developers"
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.developers.name]
}

data "aws_iam_policy_document" "developers" {
  statement {
    sid       = "ReadArtifacts"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::artifacts", "arn:aws:s3:::artifacts/*"]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:*"]
    resources = ["*"]
  }

  statement {
    sid       = "NoLogDeletion"
    effect    = "Deny"
    actions   = ["logs:DeleteLogGroup", "logs:DeleteLogStream"]
    resources = ["*"]
  }

  statement {
    sid       = "TagOnlyWithMfa"
    effect    = "Deny"
    actions   = ["logs:TagResource", "logs:UntagResource", "logs:TagLogGroup", "logs:UntagLogGroup"]
    resources = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_group_policy" "developers" {
  name   = "developers"
  group  = aws_iam_group.developers.name
  policy = data.aws_iam_policy_document.developers.json
}

resource "aws_iam_user_policy" "alice" {
  name = "own"
  user = aws_iam_user.alice.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "WhoAmI", Effect = "Allow", Action = "sts:GetCallerIdentity", Resource = "*" }]
  })
}
"""


def _inventory(project, text: str):
    path = project.write("main.tf", text)
    ctx = project.context()
    return ctx, build_inventory(ctx, str(project.root)), path


def _rows(item, catalog):
    return [
        (
            r.service,
            r.level,
            r.actions if r.actions is not None else f"all {len(r.action_names(catalog))}",
            r.resources,
            r.source.via,
            r.source.statement,
            r.source.line,
            r.conditions,
        )
        for r in item.rows
    ]


def _logs(catalog, level: str, minus: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(
        sorted(
            i.name
            for i in catalog.service_actions("logs").values()
            if primary_level(i) == level and i.name not in minus
        )
    )


def _row(r, catalog) -> tuple:
    source = r.source
    return (
        r.service,
        r.level,
        r.action_names(catalog),
        r.resources,
        source.via,
        source.statement,
        source.line,
        r.conditions,
    )


def test_user_inherits_group_permissions_with_sources_levels_and_conditions(project) -> None:
    ctx, inventory, path = _inventory(project, GROUP_PROJECT)
    alice = inventory.by_address()["aws_iam_user.alice"]
    catalog = ctx.catalog
    read_line = line_of(path, 'sid       = "ReadArtifacts"') - 1
    logs_line = line_of(path, 'sid       = "Logs"') - 1
    own_line = line_of(path, 'Sid = "WhoAmI"')
    via = "group aws_iam_group.developers: policy aws_iam_group_policy.developers"
    mfa = (
        "only with MFA (statement 'TagOnlyWithMfa' of aws_iam_group_policy.developers.policy "
        "denies requests without MFA)",
    )
    rows = [_row(r, catalog) for r in alice.rows]
    logs = [r[:7] for r in rows if r[0] == "logs" and not r[7]]
    assert logs == [
        ("logs", "List", _logs(catalog, "List"), ("*",), via, "statement 'Logs'", logs_line),
        ("logs", "Read", _logs(catalog, "Read"), ("*",), via, "statement 'Logs'", logs_line),
        (
            "logs",
            "Write",
            _logs(catalog, "Write", ("DeleteLogGroup", "DeleteLogStream")),  # removed by the unconditional Deny
            ("*",),
            via,
            "statement 'Logs'",
            logs_line,
        ),
        (
            "logs",
            "Permissions management",
            _logs(catalog, "Permissions management"),
            ("*",),
            via,
            "statement 'Logs'",
            logs_line,
        ),
    ]
    assert [r for r in rows if r[0] == "logs" and r[7]] == [  # every tagging action needs MFA
        (
            "logs",
            "Tagging",
            ("TagLogGroup", "TagResource", "UntagLogGroup", "UntagResource"),
            ("*",),
            via,
            "statement 'Logs'",
            logs_line,
            mfa,
        )
    ]
    assert [r for r in rows if r[0] != "logs"] == [
        (
            "s3",
            "List",
            ("ListBucket",),
            ("arn:aws:s3:::artifacts/*", "arn:aws:s3:::artifacts"),  # the data source sorts them, as Terraform does
            via,
            "statement 'ReadArtifacts'",
            read_line,
            (),
        ),
        (
            "s3",
            "Read",
            ("GetObject",),
            ("arn:aws:s3:::artifacts/*", "arn:aws:s3:::artifacts"),  # the data source sorts them, as Terraform does
            via,
            "statement 'ReadArtifacts'",
            read_line,
            (),
        ),
        (
            "sts",
            "Read",
            ("GetCallerIdentity",),
            ("*",),
            "policy aws_iam_user_policy.alice",
            "statement 'WhoAmI'",
            own_line,
            (),
        ),
    ]
    assert alice.groups == ["aws_iam_group.developers"]
    assert (alice.path, alice.line) == ("main.tf", line_of(path, 'resource "aws_iam_user" "alice"'))
    group = inventory.by_address()["aws_iam_group.developers"]
    assert group.members == ["aws_iam_user.alice"]
    assert [r.source.via for r in group.rows if r.service == "sts"] == []  # the user's own policy is not the group's


def test_summary_counts_distinct_actions_per_level(project) -> None:
    ctx, inventory, _ = _inventory(project, GROUP_PROJECT)
    summary = inventory.by_address()["aws_iam_user.alice"].summary(ctx.catalog)
    catalog = ctx.catalog
    assert summary == {
        "List": len(_logs(catalog, "List")) + 1,  # + s3:ListBucket
        "Read": len(_logs(catalog, "Read")) + 2,  # + s3:GetObject, sts:GetCallerIdentity
        "Write": len(_logs(catalog, "Write")) - 2,
        "Permissions management": len(_logs(catalog, "Permissions management")),
        "Tagging": 4,
    }


def test_boundary_narrows_actions_and_resources(project) -> None:
    _, inventory, _ = _inventory(
        project,
        """
        resource "aws_iam_policy" "boundary" {
          name = "boundary"
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
          })
        }

        resource "aws_iam_role" "reporter" {
          name                 = "reporter"
          permissions_boundary = aws_iam_policy.boundary.arn
          assume_role_policy   = jsonencode({ Version = "2012-10-17", Statement = [] })
        }

        resource "aws_iam_role_policy" "reporter" {
          role = aws_iam_role.reporter.id
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = ["s3:*", "ec2:*"], Resource = "*" }]
          })
        }
        """,
    )
    reporter = inventory.by_address()["aws_iam_role.reporter"]
    assert [(r.service, r.level, r.actions, r.resources, r.notes) for r in reporter.rows] == [
        (
            "s3",
            "Read",
            ("GetObject",),
            ("arn:aws:s3:::reports/*",),
            ("limited by permission boundary aws_iam_policy.boundary.policy",),
        )
    ]
    assert reporter.boundaries == ["aws_iam_policy.boundary.policy"]


def test_unconditional_deny_removes_and_partial_deny_is_noted(project) -> None:
    _, inventory, _ = _inventory(
        project,
        """
        resource "aws_iam_user" "ops" {
          name = "ops"
        }

        resource "aws_iam_user_policy" "ops" {
          user = aws_iam_user.ops.name
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect   = "Allow"
                Action   = ["ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances"]
                Resource = "*"
              },
              { Effect = "Deny", Action = "ec2:TerminateInstances", Resource = "*" },
              { Effect = "Deny", Action = "ec2:StopInstances", Resource = "arn:aws:ec2:*:*:instance/i-0prod" },
            ]
          })
        }
        """,
    )
    rows = inventory.by_address()["aws_iam_user.ops"].rows
    assert [(r.actions, r.notes) for r in rows] == [
        (("StartInstances",), ()),
        (
            ("StopInstances",),
            ("denied on arn:aws:ec2:*:*:instance/i-0prod by statement 3 of aws_iam_user_policy.ops.policy",),
        ),
    ]


def test_not_action_allow_is_everything_except_and_admin_with_mfa(project) -> None:
    ctx, inventory, _ = _inventory(
        project,
        """
        resource "aws_iam_role" "operator" {
          name                = "operator"
          assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [] })
          inline_policy {
            name = "all-but-iam"
            policy = jsonencode({
              Version   = "2012-10-17"
              Statement = [{ Effect = "Allow", NotAction = ["iam:*", "organizations:*"], Resource = "*" }]
            })
          }
        }

        resource "aws_iam_user" "admin" {
          name = "admin"
        }

        resource "aws_iam_user_policy_attachment" "admin" {
          user       = aws_iam_user.admin.name
          policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
        }

        resource "aws_iam_user_policy" "admin_mfa" {
          user = aws_iam_user.admin.name
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Deny"
              NotAction = ["iam:ChangePassword", "sts:GetSessionToken"]
              Resource  = "*"
              Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
            }]
          })
        }
        """,
    )
    operator = inventory.by_address()["aws_iam_role.operator"]
    assert [(r.service, r.level, r.actions, r.notes) for r in operator.rows] == [
        ("*", "*", None, ("except every iam action, every organizations action",))
    ]
    assert operator.summary(ctx.catalog)["Read"] == "most"
    admin = inventory.by_address()["aws_iam_user.admin"]
    assert admin.admin == "admin with MFA"
    star = [r for r in admin.rows if r.service == "*"]
    assert len(star) == 1 and star[0].conditional
    assert [(r.service, r.actions, r.conditional) for r in admin.rows if not r.conditional] == [
        ("iam", ("ChangePassword",), False),
        ("sts", ("GetSessionToken",), False),
    ]


def test_unreadable_policy_is_listed(project) -> None:
    _, inventory, path = _inventory(
        project,
        """
        variable "policy_json" {
          type = string
        }

        resource "aws_iam_role" "app" {
          name                = "app"
          assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [] })
          managed_policy_arns = ["arn:aws:iam::123456789012:policy/platform/QueueAccess"]
        }

        resource "aws_iam_role_policy" "app" {
          role   = aws_iam_role.app.id
          policy = var.policy_json
        }
        """,
    )
    app = inventory.by_address()["aws_iam_role.app"]
    assert [(policy, where, line) for policy, _, where, line in app.unknown] == [
        (
            "customer managed policy arn:aws:iam::123456789012:policy/platform/QueueAccess",
            "main.tf",
            line_of(path, "QueueAccess"),
        ),
        ("aws_iam_role_policy.app.policy", "main.tf", line_of(path, "var.policy_json")),
    ]
    assert app.unknown[0][1] == "it is defined outside the scanned code: its content is not known to iamready"


def test_cloudformation_user_inherits_group_policy(project) -> None:
    path = project.write(
        "template.yaml",
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Developers:
            Type: AWS::IAM::Group
            Properties:
              ManagedPolicyArns:
                - !Ref DeveloperPolicy

          DeveloperPolicy:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Sid: Queues
                    Effect: Allow
                    Action:
                      - sqs:SendMessage
                      - sqs:ReceiveMessage
                    Resource: !Sub "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs"

          Alice:
            Type: AWS::IAM::User
            Properties:
              Groups:
                - !Ref Developers
              Policies:
                - PolicyName: own
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Action: sts:GetCallerIdentity
                        Resource: "*"
        """,
    )
    ctx = project.context()
    inventory = build_inventory(ctx, str(project.root))
    alice = inventory.by_address()["Alice"]
    assert alice.groups == ["Developers"]
    assert [_row(r, ctx.catalog) for r in alice.rows] == [
        (
            "sqs",
            "Read",
            ("ReceiveMessage",),
            ("arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs",),
            "group Developers: managed policy DeveloperPolicy",
            "statement 'Queues'",
            line_of(path, "- Sid: Queues"),
            (),
        ),
        (
            "sqs",
            "Write",
            ("SendMessage",),
            ("arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs",),
            "group Developers: managed policy DeveloperPolicy",
            "statement 'Queues'",
            line_of(path, "- Sid: Queues"),
            (),
        ),
        (
            "sts",
            "Read",
            ("GetCallerIdentity",),
            ("*",),
            "inline policy own",
            "statement 1",
            line_of(path, "Action: sts:GetCallerIdentity") - 1,
            (),
        ),
    ]
