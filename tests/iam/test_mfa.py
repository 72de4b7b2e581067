"""Which privileged grants of a user no MFA condition protects, through every path."""

from __future__ import annotations

from pathlib import Path

from iamready.config import Config
from iamready.context import Context
from iamready.engine import scan
from iamready.iam.catalog import PERMISSIONS, ActionInfo, Catalog
from iamready.iam.conditions import ALL, CONSOLE
from iamready.iam.mfa import is_permissions_management, is_sensitive_iam, login_profiles, unprotected

CODE = """
resource "aws_iam_user" "deny_bool" { name = "deny-bool" }
resource "aws_iam_user" "deny_ifexists" { name = "deny-ifexists" }
resource "aws_iam_user" "allow_false" { name = "allow-false" }
resource "aws_iam_user" "grouped" { name = "grouped" }
resource "aws_iam_user_login_profile" "grouped" { user = "grouped" }

resource "aws_iam_group" "ops" { name = "ops" }
resource "aws_iam_user_group_membership" "grouped" {
  user   = aws_iam_user.grouped.name
  groups = [aws_iam_group.ops.name]
}
resource "aws_iam_group_policy" "ops" {
  group = aws_iam_group.ops.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Attach", Effect = "Allow", Action = "iam:AttachRolePolicy", Resource = "*" }]
  })
}

locals {
  attach = { Effect = "Allow", Action = ["iam:AttachRolePolicy", "iam:CreateAccessKey"], Resource = "*" }
}
resource "aws_iam_user_policy" "deny_bool" {
  user = aws_iam_user.deny_bool.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [local.attach, {
    Effect = "Deny", Action = "*", Resource = "*",
    Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } } }] })
}
resource "aws_iam_user_policy" "deny_ifexists" {
  user = aws_iam_user.deny_ifexists.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [local.attach, {
    Effect = "Deny", Action = "*", Resource = "*",
    Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } } }] })
}
resource "aws_iam_user_policy" "allow_false" {
  user = aws_iam_user.allow_false.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [merge(local.attach, {
    Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } } })] })
}
"""


def context(tmp_path: Path) -> Context:
    (tmp_path / "main.tf").write_text(CODE, encoding="utf-8")
    result = scan(Config(paths=(str(tmp_path),), cwd=str(tmp_path)), [])
    assert result.graph is not None
    return Context(result.graph)


def user(ctx: Context, name: str):
    return next(r for r in ctx.graph.resources("aws_iam_user") if r.name == name)


def test_bool_false_deny_guards_console_sessions_but_not_access_keys(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    perms = ctx.permissions(user(ctx, "deny_bool"))
    assert not unprotected(perms, ctx.catalog, is_permissions_management, CONSOLE)
    keys = unprotected(perms, ctx.catalog, is_sensitive_iam, ALL)
    assert sorted(keys.actions) == ["iam:AttachRolePolicy", "iam:CreateAccessKey"]


def test_bool_if_exists_deny_guards_everything(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    perms = ctx.permissions(user(ctx, "deny_ifexists"))
    assert not unprotected(perms, ctx.catalog, is_sensitive_iam, ALL)


def test_bool_false_in_an_allow_is_no_guard(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    perms = ctx.permissions(user(ctx, "allow_false"))
    exposure = unprotected(perms, ctx.catalog, is_permissions_management, CONSOLE)
    assert sorted(exposure.actions) == ["iam:AttachRolePolicy"]
    assert exposure.admin == []


def test_group_grants_and_login_profiles_by_literal_name(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    grouped = user(ctx, "grouped")
    assert [p.address for p in login_profiles(grouped, ctx.graph)] == ["aws_iam_user_login_profile.grouped"]
    assert login_profiles(user(ctx, "deny_bool"), ctx.graph) == []
    exposure = unprotected(ctx.permissions(grouped), ctx.catalog, is_permissions_management, CONSOLE)
    assert exposure.sources() == "group aws_iam_group.ops: policy aws_iam_group_policy.ops (statement 'Attach')"


MIXED = """
resource "aws_iam_user" "mixed" { name = "mixed" }
resource "aws_iam_user_policy_attachment" "admin" {
  user       = aws_iam_user.mixed.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_user_policy" "mixed" {
  user = aws_iam_user.mixed.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Sid = "Keys", Effect = "Allow", Action = ["iam:CreateAccessKey", "iam:Put*"], Resource = "*" },
    { Sid = "Guarded", Effect = "Allow", Action = "iam:*", Resource = "*",
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } } },
    { Sid = "NotIam", Effect = "Allow", NotAction = "iam:*", Resource = "*" },
    { Sid = "Scoped", Effect = "Allow", Action = "iam:PassRole", Resource = "arn:aws:iam::111122223333:role/app" },
  ] })
}
"""


def test_without_denies_or_boundaries_each_statement_is_weighed_once_with_the_same_answer(tmp_path: Path) -> None:
    """The shortcut for principals with no Deny and no boundary (weigh each statement once, not each
    of its actions) must give exactly what asking about every action gives."""
    from iamready.iam.mfa import grant_mfa

    (tmp_path / "main.tf").write_text(MIXED, encoding="utf-8")
    result = scan(Config(paths=(str(tmp_path),), cwd=str(tmp_path)), [])
    assert result.graph is not None
    ctx = Context(result.graph)
    perms = ctx.permissions(user(ctx, "mixed"))
    assert not perms.statements("Deny") and not perms.boundaries
    for wanted, need, satisfied in (
        (is_sensitive_iam, ALL, (ALL,)),
        (is_permissions_management, CONSOLE, (ALL, CONSOLE)),
    ):
        exposure = unprotected(perms, ctx.catalog, wanted, need)
        every_action = {info.full for info in ctx.catalog.all_actions() if wanted(info)}
        expected = {}
        for action in sorted(every_action):
            grants = [g for g in perms.grants_for(action, "*") if grant_mfa(g) not in satisfied]
            if grants:
                expected[action] = [(g.statement.label, g.via) for g in grants]
        assert {a: [(g.statement.label, g.via) for g in gs] for a, gs in exposure.actions.items()} == expected
        assert list(exposure.actions) == sorted(expected)
        assert sorted(expected["iam:PutUserPolicy"]) == [
            ("statement 'Keys'", "policy aws_iam_user_policy.mixed"),
            ("statement 1", "AWS managed policy AdministratorAccess v1"),
        ]  # not the MFA-guarded statement, nor NotAction iam:*
        assert [g.via for g in exposure.admin] == ["AWS managed policy AdministratorAccess v1"]


def test_permissions_management_is_the_catalogue_level_except_dual_filed_reads() -> None:
    # checklist 2.3 asks about admin-level rights: rights that change permissions. The catalogue files some
    # reads under "Permissions management, Write" (ReadOnlyAccess and SecurityAudit grant six of them); those
    # do not count. An action filed under Permissions management alone counts whatever its name says.
    catalog = Catalog()
    for action in ("billing:GetResourcePolicy", "quicksight:DescribeTopicPermissions", "glue:GetStage"):
        info = catalog.info(action)
        assert info is not None and info.level == PERMISSIONS and len(info.levels) > 1, action
        assert not is_permissions_management(info), action
    for action in ("iam:PutRolePolicy", "s3:PutBucketPolicy", "kms:PutKeyPolicy", "glue:PutResourcePolicy"):
        info = catalog.info(action)
        assert info is not None and is_permissions_management(info), action
    single = ActionInfo("example", "GetGrant", PERMISSIONS, (), ())
    assert is_permissions_management(single)
    dropped = [a.full for a in catalog.all_actions() if a.level == PERMISSIONS and not is_permissions_management(a)]
    assert all(len(catalog.info(a).levels) > 1 for a in dropped) and len(dropped) < 60, dropped


def test_sensitive_iam_actions_of_a_read_only_user_read_only_the_iam_and_sts_catalogue(tmp_path: Path) -> None:
    # ReadOnlyAccess names about 400 services; asking which IAM/STS actions it grants read all of them (310
    # service blocks of the catalogue for a pre-commit scan of one user). The selector says it only selects
    # IAM and STS actions, so only those two are read, with the same answer as the full expansion.
    from iamready.iam import statements
    from iamready.iam.mfa import manages_iam

    (tmp_path / "main.tf").write_text(
        """
resource "aws_iam_user" "ci" { name = "ci" }
resource "aws_iam_access_key" "ci" { user = aws_iam_user.ci.name }
resource "aws_iam_user_policy_attachment" "ci" {
  user       = aws_iam_user.ci.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_user_policy" "ci" {
  user   = aws_iam_user.ci.name
  policy = jsonencode({ Statement = [
    { Effect = "Allow", Action = ["iam:PassRole", "s3:*"], Resource = "*" },
    { Effect = "Allow", NotAction = ["iam:*", "sts:*"], Resource = "*" },
  ] })
}
""",
        encoding="utf-8",
    )
    result = scan(Config(paths=(str(tmp_path),), cwd=str(tmp_path), no_cache=True), [])
    assert result.graph is not None
    ctx = Context(result.graph)
    perms = ctx.permissions(user(ctx, "ci"))
    catalog = Catalog()  # a catalogue of its own, to see what is read
    exposure = unprotected(perms, catalog, is_sensitive_iam, ALL)
    assert set(catalog._actions) == {"iam", "sts"}
    assert sorted(exposure.actions) == ["iam:PassRole"]
    assert not manages_iam(perms, catalog) and set(catalog._actions) == {"iam", "sts"}
    full = Catalog()
    for stmt, _ in perms.statements("Allow"):
        key = statements._pattern_key(stmt)
        assert key is not None
        expected = statements._selected(*key, is_sensitive_iam, full)
        assert statements.selected_actions(stmt, catalog, is_sensitive_iam) == expected
