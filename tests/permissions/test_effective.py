"""Effective permissions: targets by reference and ARN, boundaries, Denies as sets of actions."""

from __future__ import annotations

import pytest

from iamready.iam.effective import Target, arn_matches, effective_grants, principal_target, split_arn


def test_split_arn_keeps_pseudo_parameters_whole() -> None:
    assert split_arn("arn:aws:iam::${AWS::AccountId}:role/admin") == [
        "arn",
        "aws",
        "iam",
        "",
        "${AWS::AccountId}",
        "role/admin",
    ]
    assert split_arn("not-an-arn") is None


def test_arn_matches_account_wildcards_and_policy_variables() -> None:
    role = Target("arn:aws:iam::${AWS::AccountId}:role/ops/admin", "r")
    assert arn_matches("arn:aws:iam::111122223333:role/ops/admin", role)  # account unknown in code
    assert arn_matches("arn:aws:iam::*:role/ops/*", role)
    assert not arn_matches("arn:aws:iam::*:role/admin", role)  # the path is part of the name
    assert not arn_matches("arn:aws:iam::*:user/ops/admin", role)
    unnamed = Target("arn:aws:iam::${AWS::AccountId}:role/\x00", None)
    assert arn_matches("arn:aws:iam::*:role/*", unnamed)
    assert not arn_matches("arn:aws:iam::*:role/app-*", unnamed)  # only a bare wildcard reaches unknown names
    alice = Target("arn:aws:iam::${AWS::AccountId}:user/alice", "u", (("aws:username", "alice"),))
    assert arn_matches("arn:aws:iam::*:user/${aws:username}", alice)
    bob = Target("arn:aws:iam::${AWS::AccountId}:user/bob", "u2", (("aws:username", "alice"),))
    assert not arn_matches("arn:aws:iam::*:user/${aws:username}", bob)


def test_customer_managed_boundary_limits_instead_of_granting(project) -> None:
    # regression: a customer-managed policy used as permissions_boundary was linked as an
    # attached identity policy, so the boundary granted its own permissions to the user
    project.write(
        "main.tf",
        """
        resource "aws_iam_policy" "boundary" {
          name = "boundary"
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = ["s3:*", "logs:*"], Resource = "*" }]
          })
        }

        resource "aws_iam_user" "dev" {
          name                 = "dev"
          permissions_boundary = aws_iam_policy.boundary.arn
        }

        resource "aws_iam_user_policy" "dev" {
          user = aws_iam_user.dev.name
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "iam:PassRole"], Resource = "*" }]
          })
        }
        """,
    )
    ctx = project.context()
    dev = project.principal(ctx, "aws_iam_user.dev")
    perms = ctx.permissions(dev)
    assert [a.via for a in perms.attached] == ["policy aws_iam_user_policy.dev"]
    assert [b.via for b in perms.boundaries] == ["managed policy aws_iam_policy.boundary"]
    assert perms.grants_for("logs:PutLogEvents") == []  # only in the boundary: not granted
    assert perms.grants_for("iam:PassRole") == []  # granted, but outside the boundary
    assert [g.statement.action_patterns for g in perms.grants_for("s3:GetObject")] == [["s3:GetObject", "iam:PassRole"]]
    grants = effective_grants(perms, ctx.catalog)
    assert [(g.actions.describe(), g.resources, g.notes) for g in grants] == [
        ("s3:1 action(s)", ("*",), ["limited by permission boundary aws_iam_policy.boundary.policy"])
    ]


def test_grants_for_target_follows_references(project) -> None:
    project.write(
        "main.tf",
        """
        resource "aws_iam_role" "admin" {
          name               = "admin"
          path               = "/ops/"
          assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
        }

        resource "aws_iam_role" "other" {
          name               = "other"
          assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
        }

        resource "aws_iam_user" "ci" {
          name = "ci"
        }

        resource "aws_iam_user_policy" "ci" {
          user = aws_iam_user.ci.name
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn }]
          })
        }
        """,
    )
    ctx = project.context()
    ci = ctx.permissions(project.principal(ctx, "aws_iam_user.ci"))
    admin = project.principal(ctx, "aws_iam_role.admin")
    other = project.principal(ctx, "aws_iam_role.other")
    assert principal_target(admin).arn == "arn:aws:iam::${AWS::AccountId}:role/ops/admin"
    assert len(ci.grants_for("iam:PassRole", principal_target(admin))) == 1
    assert ci.grants_for("iam:PassRole", principal_target(other)) == []


@pytest.mark.parametrize(
    ("effect", "condition", "kinds"),
    [
        # a Deny without MFA for every request, and one that console sessions without MFA cannot pass
        ("Deny", '{ BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }', ["mfa"]),
        ("Deny", '{ Bool = { "aws:MultiFactorAuthPresent" = "false" } }', ["mfa-console"]),
        # only long-term keys (no key at all) are denied: a console session without MFA gets through
        ("Deny", '{ Null = { "aws:MultiFactorAuthPresent" = "true" } }', ["deny-condition"]),
        # conditions are ANDed: denied without MFA only in one region, so no MFA guard
        (
            "Deny",
            '{ BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" }, '
            'StringEquals = { "aws:RequestedRegion" = "eu-west-1" } }',
            ["deny-condition", "deny-condition"],
        ),
        # the age is only in the request when MFA was used: IfExists lets sessions without MFA through
        ("Allow", '{ NumericLessThanIfExists = { "aws:MultiFactorAuthAge" = "3600" } }', ["condition"]),
        ("Allow", '{ NumericLessThan = { "aws:MultiFactorAuthAge" = "3600" } }', ["mfa"]),
        ("Allow", '{ "ForAllValues:Bool" = { "aws:MultiFactorAuthPresent" = "true" } }', ["mfa-console"]),
    ],
)
def test_mfa_guards_follow_iam_evaluation(project, effect: str, condition: str, kinds: list[str]) -> None:
    allow_condition = condition if effect == "Allow" else "{}"
    deny = f'{{ Effect = "Deny", Action = "*", Resource = "*", Condition = {condition} }},' if effect == "Deny" else ""
    project.write(
        "main.tf",
        f"""
        resource "aws_iam_user" "ops" {{
          name = "ops"
        }}

        resource "aws_iam_user_policy" "ops" {{
          user = aws_iam_user.ops.name
          policy = jsonencode({{
            Version   = "2012-10-17"
            Statement = [
              {deny}
              {{ Effect = "Allow", Action = "iam:CreateUser", Resource = "*", Condition = {allow_condition} }},
            ]
          }})
        }}
        """,
    )
    ctx = project.context()
    grants = ctx.permissions(project.principal(ctx, "aws_iam_user.ops")).grants_for("iam:CreateUser")
    assert [[g.kind for g in grant.guards] for grant in grants] == [kinds]


def test_has_action_answers_as_the_statements_do(project) -> None:
    # has_action asks the shared matchers of the Allow statements that can name the action's service
    # (escalation asks it for every method of every principal): the same answer as the statements covering
    # the action, case and wildcards included (a service wildcard, a pattern without a colon)
    project.write(
        "main.tf",
        """
        resource "aws_iam_user" "dev" {
          name = "dev"
        }

        resource "aws_iam_user_policy" "dev" {
          user = aws_iam_user.dev.name
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              { Effect = "Allow", Action = ["IAM:PassRole", "s3:Get*", "ec2:?unInstances"], Resource = "*" },
              { Effect = "Allow", NotAction = ["iam:*", "Lambda:Create*"], Resource = "arn:aws:s3:::b/*" },
              { Effect = "Deny", Action = "sts:AssumeRole", Resource = "*" },
              { Effect = "Allow", Action = "glue:[ab]*", Resource = "*" },
              { Effect = "Allow", Action = ["*:DescribeRegions", "kms*"], Resource = "*" },
            ]
          })
        }
        """,
    )
    ctx = project.context()
    perms = ctx.permissions(project.principal(ctx, "aws_iam_user.dev"))
    actions = ["iam:PassRole", "iam:passrole", "IAM:CreateUser", "s3:GetObject", "S3:getobject", "s3:PutObject"]
    actions += ["ec2:RunInstances", "ec2:rUnInstances", "lambda:CreateFunction", "lambda:InvokeFunction"]
    actions += ["sts:AssumeRole", "glue:[ab]x", "glue:ax", "*", "iam:*", "s3:*"]
    actions += ["ec2:DescribeRegions", "EC2:describeregions", "ec2:DescribeVpcs", "kms:Decrypt", "KMS:Encrypt"]
    for action in actions:
        expected = bool(perms._for_action(action)[0])
        fresh = ctx.permissions(project.principal(ctx, "aws_iam_user.dev")).without_boundary()
        assert fresh.has_action(action) == expected, action
    assert fresh.has_action("lambda:InvokeFunction") and not fresh.has_action("lambda:CreateFunction")


def test_an_aws_managed_policy_attached_many_times_is_derived_once(project) -> None:
    # regression: each principal holding ReadOnlyAccess (about 3,000 patterns) built its own lower-cased
    # index of them: 260 MB instead of 160 MB on the 1,000-file benchmark estate. Every attachment now
    # shares the patterns and the matcher derived from the snapshot's document once per scan.
    project.write(
        "main.tf",
        """
        resource "aws_iam_role" "a" {
          name               = "a"
          assume_role_policy = jsonencode({
            Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
          })
          managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        }

        resource "aws_iam_group" "auditors" {
          name = "auditors"
        }

        resource "aws_iam_group_policy_attachment" "auditors" {
          group      = aws_iam_group.auditors.name
          policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        }

        resource "aws_iam_user" "ann" {
          name = "ann"
        }

        resource "aws_iam_user_group_membership" "ann" {
          user   = aws_iam_user.ann.name
          groups = [aws_iam_group.auditors.name]
        }
        """,
    )
    ctx = project.context()
    role = ctx.permissions(project.principal(ctx, "aws_iam_role.a"))
    user = ctx.permissions(project.principal(ctx, "aws_iam_user.ann"))
    mine, theirs = role.statements("Allow"), user.statements("Allow")
    assert len(mine) == len(theirs) > 0
    for (a, _), (b, _) in zip(mine, theirs, strict=True):
        assert a is not b and a.document is not b.document  # each attachment is its own document...
        assert a.action_patterns is b.action_patterns  # ...reading the same patterns
        assert a.action_matcher is b.action_matcher
    for perms in (role, user):
        assert perms.has_action("s3:GetObject") and perms.has_action("CloudTrail:LookupEvents")
        assert not perms.has_action("s3:PutObject") and not perms.has_action("iam:CreateAccessKey")
