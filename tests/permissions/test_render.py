"""Renderers: exact Mermaid and DOT pictures, text table, Markdown, JSON, and comparisons."""

from __future__ import annotations

import json

from iamready.permissions.compare import compare
from iamready.permissions.inventory import build_inventory
from iamready.permissions.render import render, render_diff

TWO_HOPS = """
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
  inline_policy {
    name = "deploy"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn },
        { Effect = "Allow", Action = "ec2:RunInstances", Resource = "*" },
      ]
    })
  }
}

resource "aws_iam_group" "developers" {
  name = "developers"
}

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_group_membership" "dev" {
  user   = aws_iam_user.dev.name
  groups = [aws_iam_group.developers.name]
}

resource "aws_iam_group_policy" "developers" {
  group = aws_iam_group.developers.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.deployer.arn }]
  })
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "ci"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
        Resource = "*"
      }]
    })
  }
}
"""


def _inventory(project, text: str = TWO_HOPS):
    project.write("main.tf", text)
    ctx = project.context()
    return ctx, build_inventory(ctx, str(project.root))


def test_mermaid_picture_of_principals_trust_and_escalation(project) -> None:
    ctx, inventory = _inventory(project)
    # the CI role may pass any role to Lambda, but the administrator role trusts only EC2: the
    # edge goes to "any role outside this code", not to aws_iam_role.admin
    assert render("mermaid", inventory, ctx.catalog) == (
        "flowchart LR\n"
        '  p0[["aws_iam_group.developers<br/>group"]]\n'
        '  p1("aws_iam_role.admin<br/>role · administrator")\n'
        '  p2("aws_iam_role.ci<br/>role")\n'
        '  p3("aws_iam_role.deployer<br/>role")\n'
        '  p4["aws_iam_user.dev<br/>user"]\n'
        '  x0{{"any role<br/>outside this code"}}\n'
        '  p0 -- "sts:AssumeRole (conditional)" --> p3\n'
        '  p2 == "lambda-create-and-invoke" ==> x0\n'
        '  p3 == "ec2-run-instances" ==> p1\n'
        "  p4 -.-> p0\n"
        '  p4 -- "sts:AssumeRole (conditional)" --> p3\n'
        "  classDef admin fill:#ffe3e3,stroke:#c92a2a,stroke-width:2px\n"
        "  classDef escalates fill:#fff4e6,stroke:#e8590c,stroke-width:2px\n"
        "  classDef outside fill:#f1f3f5,stroke:#868e96,stroke-dasharray:4 3\n"
        "  class p1 admin\n"
        "  class p0,p2,p3 escalates\n"
        "  class x0 outside\n"
    )


def test_dot_picture_matches_the_mermaid_one(project) -> None:
    ctx, inventory = _inventory(project)
    text = render("dot", inventory, ctx.catalog)
    assert text.splitlines() == [
        "digraph iamready {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
        '  p0 [label="aws_iam_group.developers\\ngroup", shape=folder, '
        'fillcolor="#fff4e6", color="#e8590c", penwidth=2];',
        '  p1 [label="aws_iam_role.admin\\nrole · administrator", shape=box, '
        'fillcolor="#ffe3e3", color="#c92a2a", penwidth=2];',
        '  p2 [label="aws_iam_role.ci\\nrole", shape=box, fillcolor="#fff4e6", color="#e8590c", penwidth=2];',
        '  p3 [label="aws_iam_role.deployer\\nrole", shape=box, fillcolor="#fff4e6", color="#e8590c", penwidth=2];',
        '  p4 [label="aws_iam_user.dev\\nuser", shape=box, style=filled];',
        '  x0 [label="any role\\noutside this code", shape=hexagon, style="dashed,filled", fillcolor="#f1f3f5"];',
        '  p0 -> p3 [label="sts:AssumeRole (conditional)", style=dotted];',
        '  p2 -> x0 [label="lambda-create-and-invoke", color="#e8590c", penwidth=2];',
        '  p3 -> p1 [label="ec2-run-instances", color="#e8590c", penwidth=2];',
        '  p4 -> p0 [style=dashed, label="member"];',
        '  p4 -> p3 [label="sts:AssumeRole (conditional)", style=dotted];',
        "}",
    ]


def test_text_lists_escalations_and_rows(project) -> None:
    ctx, inventory = _inventory(project)
    text = render("text", inventory, ctx.catalog)
    group = text.split("\n\n")[0]
    assert group.splitlines()[:4] == [
        "aws_iam_group.developers (group, main.tf:35)",
        "  members: aws_iam_user.dev · can assume: aws_iam_role.deployer",
        "  List 0 · Read 0 · Write 1 · Permissions management 0 · Tagging 0",
        "  ! escalation: can become administrator in 2 steps: 1. assume aws_iam_role.deployer (sts:AssumeRole); "
        "2. as aws_iam_role.deployer, pass a role to a new EC2 instance (iam:PassRole + ec2:RunInstances on "
        "aws_iam_role.admin); aws_iam_role.admin is an administrator (conditional: only with MFA "
        "(Bool aws:MultiFactorAuthPresent))",
    ]
    assert text.endswith("5 principal(s): 1 administrator(s), 3 that can escalate to administrator\n")


def test_markdown_summary_table(project) -> None:
    ctx, inventory = _inventory(project)
    lines = render("markdown", inventory, ctx.catalog).splitlines()
    assert lines[:9] == [
        "## iamready: who can do what",
        "",
        "| principal | kind | List | Read | Write | Permissions management | Tagging | |",
        "|---|---|---:|---:|---:|---:|---:|---|",
        "| `aws_iam_group.developers` | group | 0 | 0 | 1 | 0 | 0 | ⚠️ can escalate (1) |",
        "| `aws_iam_role.admin` | role | all | all | all | all | all | **admin** |",
        "| `aws_iam_role.ci` | role | 0 | 0 | 3 | 0 | 0 | ⚠️ can escalate (1) |",
        "| `aws_iam_role.deployer` | role | 0 | 0 | 2 | 0 | 0 | ⚠️ can escalate (1) |",
        "| `aws_iam_user.dev` | user | 0 | 0 | 1 | 0 | 0 |  |",
    ]


def test_json_grants_are_traced_to_their_source(project) -> None:
    ctx, inventory = _inventory(project)
    data = json.loads(render("json", inventory, ctx.catalog))
    deployer = next(p for p in data["principals"] if p["address"] == "aws_iam_role.deployer")
    assert deployer["grants"] == [
        {
            "service": "ec2",
            "access_level": "Write",
            "actions": ["RunInstances"],
            "action_count": 1,
            "resources": ["*"],
            "conditional": False,
            "conditions": [],
            "notes": [],
            "source": {
                "policy": "aws_iam_role.deployer.inline_policy[0].policy",
                "via": "inline policy deploy",
                "statement": "statement 2",
                "path": "main.tf",
                "line": 29,
            },
        },
        {
            "service": "iam",
            "access_level": "Write",
            "actions": ["PassRole"],
            "action_count": 1,
            "resources": ["arn:aws:iam::<account id>:role/admin"],
            "conditional": False,
            "conditions": [],
            "notes": [],
            "source": {
                "policy": "aws_iam_role.deployer.inline_policy[0].policy",
                "via": "inline policy deploy",
                "statement": "statement 1",
                "path": "main.tf",
                "line": 28,
            },
        },
    ]
    assert [e["method"] for e in deployer["escalations"]] == ["ec2-run-instances"]
    assert {"source": "aws_iam_user.dev", "target": "aws_iam_group.developers", "kind": "member"}.items() <= next(
        e for e in data["edges"] if e["kind"] == "member"
    ).items()


def test_compare_shows_added_and_removed_permissions_and_escalations(project) -> None:
    _, old = _inventory(project)
    changed = TWO_HOPS.replace(
        '{ Effect = "Allow", Action = "ec2:RunInstances", Resource = "*" },',
        '{ Effect = "Allow", Action = "ec2:DescribeInstances", Resource = "*" },',
    ).replace(
        'Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.deployer.arn }]',
        'Statement = [{ Effect = "Allow", Action = ["sts:AssumeRole", "s3:GetObject"], Resource = "*" }]',
    )
    ctx_new, new = _inventory(project, changed)
    diffs = compare(old, new, ctx_new.catalog)
    assert [d.address for d in diffs] == ["aws_iam_group.developers", "aws_iam_role.deployer", "aws_iam_user.dev"]
    text = render_diff("text", diffs, new, ctx_new.catalog, old)
    assert text.split("\n\n")[1].splitlines() == [
        "aws_iam_role.deployer (role, changed, main.tf:12)",
        "  - escalation: pass a role to a new EC2 instance (iam:PassRole + ec2:RunInstances on aws_iam_role.admin "
        "(an administrator))",
        "  + List: ec2: DescribeInstances on *",
        "  - Write: ec2: RunInstances on *",
    ]
    assert text.split("\n\n")[0].splitlines() == [
        "aws_iam_group.developers (group, changed, main.tf:35)",
        "  - escalation: can become administrator in 2 steps: 1. assume aws_iam_role.deployer (sts:AssumeRole); "
        "2. as aws_iam_role.deployer, pass a role to a new EC2 instance (iam:PassRole + ec2:RunInstances on "
        "aws_iam_role.admin); aws_iam_role.admin is an administrator (conditional: only with MFA "
        "(Bool aws:MultiFactorAuthPresent))",
        "  + Read: s3: GetObject on *",
        "  + Write: sts: AssumeRole on *",
        "  - Write: sts: AssumeRole on arn:aws:iam::<account id>:role/deployer",
    ]
    data = json.loads(render_diff("json", diffs, new, ctx_new.catalog, old))
    deployer = data["principals"][1]
    assert deployer["added"] == [
        {
            "access_level": "List",
            "service": "ec2",
            "resource": "*",
            "conditional": False,
            "actions": ["DescribeInstances"],
        }
    ]
    assert deployer["removed"] == [
        {"access_level": "Write", "service": "ec2", "resource": "*", "conditional": False, "actions": ["RunInstances"]}
    ]
    markdown = render_diff("markdown", diffs, new, ctx_new.catalog, old)
    section = markdown.split("### ")[2]
    assert section.splitlines() == [
        "`aws_iam_role.deployer` (role)",
        "",
        "- ➖ escalation: pass a role to a new EC2 instance (iam:PassRole + ec2:RunInstances on aws_iam_role.admin "
        "(an administrator))",
        "- ➕ List: `ec2: DescribeInstances` on `*`",
        "- ➖ Write: `ec2: RunInstances` on `*`",
        "",
    ]


def test_compare_of_identical_trees_says_so(project) -> None:
    ctx, inventory = _inventory(project)
    assert render_diff("text", compare(inventory, inventory, ctx.catalog), inventory, ctx.catalog, inventory) == (
        "No change to any principal's permissions.\n"
    )
