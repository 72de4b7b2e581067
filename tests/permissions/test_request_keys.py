"""Conditions on request keys (iam:PolicyARN, iam:PassedToService, iam:AssociatedResourceArn) are
evaluated against the request a rule asks about, not reported as guards."""

from __future__ import annotations

from typing import Any

import pytest

from iamready.iam.effective import Target, arn_matches
from iamready.iam.policy import Condition
from iamready.iam.request import evaluate, pattern_within, patterns_overlap


def cond(operator: str, key: str, *values: Any) -> Condition:
    return Condition(operator, key, list(values))


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:*:instance/i-1", True),
        ("arn:aws:lambda:*:*:function:*", "arn:aws:ec2:*:*:instance/*", False),
        ("role/app-*", "role/*-prod", True),
        ("role/app-?", "role/app-ab", False),
        ("policy/a*", "policy/b*", False),
        ("", "*", True),
    ],
)
def test_patterns_overlap(a: str, b: str, overlap: bool) -> None:
    assert patterns_overlap(a, b) is overlap
    assert patterns_overlap(b, a) is overlap


def test_pattern_within() -> None:
    assert pattern_within("role/app-prod-*", "role/app-*")
    assert not pattern_within("role/app-*", "role/app-prod-*")


def test_passed_to_service_for_the_service_the_role_goes_to() -> None:
    lambda_only = cond("StringEquals", "iam:PassedToService", "lambda.amazonaws.com")
    assert evaluate(lambda_only, ["lambda.amazonaws.com"]) is True
    assert evaluate(lambda_only, ["ec2.amazonaws.com"]) is False
    not_ec2 = cond("StringNotEquals", "iam:PassedToService", "ec2.amazonaws.com")
    assert evaluate(not_ec2, ["ec2.amazonaws.com"]) is False
    assert evaluate(not_ec2, ["glue.amazonaws.com"]) is True
    like = cond("StringLike", "iam:PassedToService", "*.amazonaws.com")
    assert evaluate(like, ["ecs-tasks.amazonaws.com"]) is True


def test_policy_arn_alternatives_and_the_callers_choice() -> None:
    read_only = cond("ArnEquals", "iam:PolicyARN", "arn:aws:iam::aws:policy/ReadOnlyAccess")
    admin = ["arn:aws:iam::aws:policy/AdministratorAccess"]
    assert evaluate(read_only, admin) is False
    # the caller may create its own policy (a name it chooses): then a pattern over customer policies holds
    mine = cond("ArnLike", "iam:PolicyARN", "arn:aws:iam::*:policy/team-*")
    assert evaluate(mine, [*admin, "arn:aws:iam::${AWS::AccountId}:policy/*"]) is True
    assert evaluate(mine, [*admin, "arn:aws:iam::${AWS::AccountId}:policy/*"], mode="forall") is False


def test_unknown_values_and_unread_operators_stay_unknown() -> None:
    from iamready.model.value import Unknown

    assert evaluate(cond("StringEquals", "iam:PassedToService", Unknown("var.service")), ["x"]) is None
    assert evaluate(cond("NumericLessThan", "iam:PassedToService", "3"), ["x"]) is None


def test_aws_managed_policy_patterns_never_name_customer_policies() -> None:
    customer = Target("arn:aws:iam::${AWS::AccountId}:policy/reports-reader", "p")
    assert not arn_matches("arn:aws:iam::aws:policy/reports-*", customer)
    assert arn_matches("arn:aws:iam::*:policy/reports-*", customer)
    managed = Target("arn:aws:iam::aws:policy/AdministratorAccess")
    assert arn_matches("arn:aws:iam::aws:policy/*", managed)
    assert arn_matches("arn:aws:iam::*:policy/*", managed)
    assert not arn_matches("arn:aws:iam::${AWS::AccountId}:policy/*", managed)
    assert not arn_matches("arn:aws:iam::111122223333:policy/*", managed)


def test_grants_for_evaluates_request_keys(project) -> None:
    project.write(
        "main.tf",
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
                Effect    = "Allow"
                Action    = "iam:PassRole"
                Resource  = "*"
                Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" } }
              },
              {
                Effect    = "Deny"
                Action    = "iam:PassRole"
                Resource  = "*"
                Condition = { ArnLike = { "iam:AssociatedResourceArn" = "arn:aws:lambda:*:*:function:prod-*" } }
              },
            ]
          })
        }
        """,
    )
    ctx = project.context()
    perms = ctx.permissions(project.principal(ctx, "aws_iam_user.ops"))
    role = Target("arn:aws:iam::${AWS::AccountId}:role/worker")
    assert perms.grants_for("iam:PassRole", role.with_context(iam_PassedToService="ec2.amazonaws.com")) == []
    to_lambda = role.with_context(
        iam_PassedToService="lambda.amazonaws.com", iam_AssociatedResourceArn="arn:aws:lambda:*:*:function:*"
    )
    (grant,) = perms.grants_for("iam:PassRole", to_lambda)
    assert [g.kind for g in grant.guards] == ["deny-condition"]  # the caller may name its function prod-x
    named = role.with_context(
        iam_PassedToService="lambda.amazonaws.com", iam_AssociatedResourceArn="arn:aws:lambda:*:*:function:prod-api"
    )
    assert perms.grants_for("iam:PassRole", named) == []  # the Deny always applies
    elsewhere = role.with_context(
        iam_PassedToService="lambda.amazonaws.com", iam_AssociatedResourceArn="arn:aws:lambda:*:*:function:dev-api"
    )
    (grant,) = perms.grants_for("iam:PassRole", elsewhere)
    assert grant.guards == []
    # without a context the conditions stay what they were: guards
    (grant,) = perms.grants_for("iam:PassRole", role)
    assert {g.kind for g in grant.guards} == {"condition", "deny-condition"}


def test_deny_with_not_resource_removes_what_lies_outside_its_list(project) -> None:
    project.write(
        "main.tf",
        """
        resource "aws_iam_role" "ci" {
          name = "ci"
          assume_role_policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{
              Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole"
            }]
          })
        }

        resource "aws_iam_role_policy" "ci" {
          role = aws_iam_role.ci.id
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              { Effect = "Allow", Action = "iam:PutRolePolicy", Resource = "arn:aws:iam::*:role/app-*" },
              { Effect = "Allow", Action = "iam:PutRolePolicy", Resource = "arn:aws:iam::*:role/sandbox/*" },
              { Effect = "Deny", Action = "iam:*", NotResource = "arn:aws:iam::*:role/sandbox/*" },
            ]
          })
        }
        """,
    )
    ctx = project.context()
    perms = ctx.permissions(project.principal(ctx, "aws_iam_role.ci"))
    assert perms.grants_for("iam:PutRolePolicy", Target("arn:aws:iam::${AWS::AccountId}:role/app-web")) == []
    assert perms.grants_for("iam:PutRolePolicy", Target("arn:aws:iam::${AWS::AccountId}:role/sandbox/x"))
    # a role whose name is not known may be inside the list: not removed
    assert perms.grants_for("iam:PutRolePolicy", Target("arn:aws:iam::${AWS::AccountId}:role/sandbox/\x00"))
    assert perms.grants_for("iam:PutRolePolicy", "arn:aws:iam::*:role/app-*") == []
    from iamready.iam.effective import effective_grants

    review = effective_grants(perms, ctx.catalog)
    assert [g.resources for g in review] == [("arn:aws:iam::*:role/sandbox/*",)]


def test_a_key_the_request_does_not_carry() -> None:
    # a new role created without a permission boundary: the request carries no iam:PermissionsBoundary
    boundary = cond("ArnEquals", "iam:PermissionsBoundary", "arn:aws:iam::111122223333:policy/team-boundary")
    assert evaluate(boundary, ()) is False
    assert evaluate(cond("ArnEqualsIfExists", "iam:PermissionsBoundary", "arn:aws:iam::1:policy/b"), ()) is True
    assert evaluate(cond("StringNotEquals", "iam:PermissionsBoundary", "x"), ()) is True
    assert evaluate(cond("Null", "iam:PermissionsBoundary", "false"), ()) is False
    assert evaluate(cond("Null", "iam:PermissionsBoundary", "true"), ()) is True
    assert evaluate(cond("Null", "iam:PermissionsBoundary", "false"), ["arn:aws:iam::1:policy/b"]) is True


def test_a_reference_names_one_resource_the_caller_does_not_choose() -> None:
    from iamready.model.value import LStr

    bastion = LStr("${aws_instance.bastion.arn}", ref=("t::aws_instance.bastion", "arn"))
    only_bastion = Condition("ArnEquals", "iam:AssociatedResourceArn", [bastion])
    assert evaluate(only_bastion, ["arn:aws:ec2:*:*:instance/\x00"]) is False  # a new instance: a new id
    assert evaluate(only_bastion, ["arn:aws:lambda:*:*:function:*"]) is False  # nor a new function of any name
    assert evaluate(only_bastion, ["*"]) is True  # a request about any resource at all may be about it
