"""Modules, count and for_each: instances, addresses, inputs and outputs, and what cannot be resolved."""

from __future__ import annotations

from iamready.model.value import Unknown

from .conftest import cause, document, edges, local, notes, resource, statements, value

ROLE_MODULE = {
    "modules/role/variables.tf": """
    variable "name" {
      type = string
    }

    variable "actions" {
      type    = list(string)
      default = ["s3:GetObject"]
    }

    variable "resources" {
      type    = list(string)
      default = []
    }
    """,
    "modules/role/main.tf": """
    data "aws_iam_policy_document" "this" {
      statement {
        sid       = "Grant"
        actions   = var.actions
        resources = length(var.resources) > 0 ? var.resources : ["arn:aws:s3:::${var.name}/*"]
      }
    }

    resource "aws_iam_role" "this" {
      name = var.name
      assume_role_policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
      })
    }

    resource "aws_iam_role_policy" "this" {
      name   = "${var.name}-grant"
      role   = aws_iam_role.this.id
      policy = data.aws_iam_policy_document.this.json
    }

    output "role_arn" {
      value = aws_iam_role.this.arn
    }

    output "role_name" {
      value = aws_iam_role.this.name
    }
    """,
}


def test_local_module_instantiated_with_inputs(tf) -> None:
    tf.write(
        {
            **ROLE_MODULE,
            "main.tf": """
            module "reader" {
              source = "./modules/role"
              name   = "reader"
            }

            module "admin" {
              source    = "./modules/role"
              name      = "admin"
              actions   = ["*"]
              resources = ["*"]
            }

            locals {
              admin_role = module.admin.role_arn
              names      = [module.reader.role_name, module.admin.role_name]
            }
            """,
        }
    )
    graph = tf.graph()
    # the module directory is only instantiated through its calls, never as a root of its own
    assert sorted(r.address for r in graph.resources("aws_iam_role")) == [
        "module.admin.aws_iam_role.this",
        "module.reader.aws_iam_role.this",
    ]
    grant_line = tf.line_of("modules/role/main.tf", "statement {")
    reader = document(graph, "module.reader.aws_iam_role_policy.this", "policy")
    assert statements(reader) == [
        ("Grant", "Allow", ["s3:GetObject"], ["arn:aws:s3:::reader/*"], "main.tf", grant_line)
    ]
    admin = document(graph, "module.admin.aws_iam_role_policy.this", "policy")
    assert statements(admin) == [("Grant", "Allow", ["*"], ["*"], "main.tf", grant_line)]
    # the statement is in the module's file; the wildcard list was written by the caller
    assert admin.statements[0].span.path == tf.path("modules/role/main.tf")
    admin_inputs = resource(graph, "module.admin")
    assert admin_inputs.attr("actions").span.start_line == tf.line_of("main.tf", 'actions   = ["*"]')
    assert [p.address for p in admin.principals] == ["module.admin.aws_iam_role.this"]
    assert local(graph, "admin_role") == "arn:aws:iam::${AWS::AccountId}:role/admin"
    assert local(graph, "names") == ["reader", "admin"]
    assert ("local.admin_role", "module.admin") in edges(graph, "ref")


def test_nested_modules_and_path_module(tf) -> None:
    tf.write(
        {
            "main.tf": """
            module "platform" {
              source = "./modules/platform"
              env    = "prod"
            }

            locals {
              bucket = module.platform.bucket
              paths  = module.platform.paths
            }
            """,
            "modules/platform/main.tf": """
            variable "env" {}

            module "storage" {
              source = "../storage"
              name   = "logs-${var.env}"
            }

            output "bucket" {
              value = module.storage.bucket_arn
            }

            output "paths" {
              value = [path.module, module.storage.path]
            }
            """,
            "modules/storage/main.tf": """
            variable "name" {}

            resource "aws_s3_bucket" "this" {
              bucket = var.name
            }

            output "bucket_arn" {
              value = aws_s3_bucket.this.arn
            }

            output "path" {
              value = path.module
            }
            """,
        }
    )
    graph = tf.graph()
    bucket = resource(graph, "module.platform.module.storage.aws_s3_bucket.this")
    assert bucket.attr("bucket").raw == "logs-prod"
    assert bucket.module_path == ("platform", "storage")
    assert bucket.span.path == tf.path("modules/storage/main.tf")
    assert local(graph, "bucket") == "arn:aws:s3:::logs-prod"
    assert local(graph, "paths") == ["modules/platform", "modules/storage"]


def test_module_count_and_for_each_instances(tf) -> None:
    tf.write(
        {
            **ROLE_MODULE,
            "main.tf": """
            variable "teams" {
              default = {
                analytics = ["athena:StartQueryExecution"]
                platform  = ["*"]
              }
            }

            module "team" {
              for_each = var.teams
              source   = "./modules/role"
              name     = each.key
              actions  = each.value
            }

            module "worker" {
              count  = 2
              source = "./modules/role"
              name   = "worker-${count.index}"
            }

            locals {
              team_arns   = { for k, m in module.team : k => m.role_arn }
              worker_name = module.worker[1].role_name
            }
            """,
        }
    )
    graph = tf.graph()
    assert sorted(r.address for r in graph.resources("aws_iam_role_policy")) == [
        'module.team["analytics"].aws_iam_role_policy.this',
        'module.team["platform"].aws_iam_role_policy.this',
        "module.worker[0].aws_iam_role_policy.this",
        "module.worker[1].aws_iam_role_policy.this",
    ]
    platform = document(graph, 'module.team["platform"].aws_iam_role_policy.this', "policy")
    assert platform.statements[0].action_patterns == ["*"]
    analytics = document(graph, 'module.team["analytics"].aws_iam_role_policy.this', "policy")
    assert analytics.statements[0].action_patterns == ["athena:StartQueryExecution"]
    assert local(graph, "team_arns") == {
        "analytics": "arn:aws:iam::${AWS::AccountId}:role/analytics",
        "platform": "arn:aws:iam::${AWS::AccountId}:role/platform",
    }
    assert local(graph, "worker_name") == "worker-1"


def test_resource_for_each_over_unknown_collection_is_one_unknown_instance(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "users" {
              type = set(string)
            }

            resource "aws_iam_user" "this" {
              for_each = var.users
              name     = each.key
            }

            resource "aws_iam_user_policy" "this" {
              count = length(var.users)
              name  = "inline-${count.index}"
              user  = "someone"
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }]
              })
            }
            """
        }
    )
    graph = tf.graph()
    user = resource(graph, "aws_iam_user.this[?]")
    assert user.meta["instance_key"] is None
    assert isinstance(user.attr("name").raw, Unknown)
    policy = resource(graph, "aws_iam_user_policy.this[?]")
    assert isinstance(policy.attr("name").raw, Unknown)
    # the policy itself does not depend on the key and is still read
    doc = document(graph, "aws_iam_user_policy.this[?]", "policy")
    assert doc.statements[0].action_patterns == ["s3:ListAllMyBuckets"]
    # nothing is said until a rule needs a value that depends on the key; then the root cause is
    # said: the variable, not the for_each or count it feeds
    assert notes(graph) == []
    root = ("main.tf", 1, "variable 'users' has no value", "pass --var users=... or a tfvars file")
    assert cause(graph, "aws_iam_user.this[?]", "name") == root
    assert cause(graph, "aws_iam_user_policy.this[?]", "name") == root


def test_remote_modules_are_not_fetched_and_say_so(tf) -> None:
    tf.write(
        {
            "main.tf": """
            module "vpc" {
              source  = "terraform-aws-modules/vpc/aws"
              version = "5.0.0"
            }

            module "git" {
              source = "git::https://example.com/iam.git?ref=v1"
            }

            locals {
              vpc_id = module.vpc.vpc_id
            }
            """
        }
    )
    graph = tf.graph()
    fix = (
        "run terraform init -backend=false in this directory and scan again "
        "(iamready reads .terraform/modules and never downloads)"
    )
    assert local(graph, "vpc_id") == Unknown(
        "module.vpc comes from 'terraform-aws-modules/vpc/aws', which is not installed"
    )
    # one root cause per call, said whether or not a rule needs it, with the fix
    vpc = (
        "main.tf",
        1,
        "module.vpc comes from 'terraform-aws-modules/vpc/aws', which is not installed; "
        "its outputs and resources are not checked",
        fix,
    )
    assert cause(graph, "local.vpc_id", "value") == vpc
    assert notes(graph) == [
        ("main.tf", 1, f"{vpc[2]}. To fix: {fix}"),
        (
            "main.tf",
            6,
            "module.git comes from 'git::https://example.com/iam.git?ref=v1', which is not installed; "
            f"its outputs and resources are not checked. To fix: {fix}",
        ),
    ]
    assert resource(graph, "module.vpc").meta["problem"].startswith("module.vpc comes from")


def test_cycles_are_notes_and_the_scan_completes(tf) -> None:
    tf.write(
        {
            "main.tf": """
            module "loop" {
              source = "./"
            }

            locals {
              a    = local.b
              b    = local.a
              fine = "evaluated"
            }

            module "pair" {
              source = "./modules/echo"
              input  = module.pair.output
            }

            resource "aws_iam_policy" "after" {
              name = "after"
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
              })
            }
            """,
            "modules/echo/main.tf": """
            variable "input" {}

            output "output" {
              value = var.input
            }
            """,
        }
    )
    graph = tf.graph()
    assert local(graph, "fine") == "evaluated"
    assert document(graph, "aws_iam_policy.after", "policy").statements[0].action_patterns == ["s3:GetObject"]
    cycle_notes = [n for n in notes(graph) if "cycle" in n[2]]
    assert cycle_notes == [
        ("main.tf", 1, "module.loop sources './', which is already being instantiated (a module cycle)"),
        # located where the cycle closes: local.b refers back to local.a
        ("main.tf", 7, "reference cycle: local.a -> local.b -> local.a; its value is unknown"),
        (
            "main.tf",
            13,
            "reference cycle: output.output -> var.input -> output.output; its value is unknown",
        ),
    ]


def test_module_source_outside_the_scanned_tree(tmp_path) -> None:
    from .conftest import TfProject

    shared = TfProject(tmp_path / "shared")
    shared.write({"main.tf": 'resource "aws_iam_user" "x" {\n  name = "x"\n}\n'})
    project = TfProject(tmp_path / "live")
    project.write({"main.tf": 'module "shared" {\n  source = "../shared"\n}\n'})
    graph = project.graph()
    assert notes(graph) == [
        (
            "main.tf",
            1,
            "module.shared source '../shared' is outside the repository being scanned and is not read; "
            "its outputs and resources are not checked",
        )
    ]
    assert [r.address for r in graph.resources("aws_iam_user")] == []


POLICY_EXPRESSION = (
    '${jsonencode({Version = "2012-10-17", '
    'Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = "${local.arn}/*"}]})}'
)

TF_JSON = {
    "variable": {"bucket": {"default": "acme-json"}},
    "locals": {"arn": "arn:aws:s3:::${var.bucket}"},
    "resource": {
        "aws_s3_bucket": {"data": {"bucket": "${var.bucket}"}},
        "aws_iam_policy": {"reader": {"name": "reader", "policy": POLICY_EXPRESSION}},
    },
    "module": {"child": {"source": "./child", "greeting": "hello"}},
}


def test_terraform_json_syntax(tf) -> None:
    import json

    tf.write(
        {
            "main.tf.json": json.dumps(TF_JSON, indent=2),
            "child/main.tf.json": """
            {
              "variable": {"greeting": {}},
              "output": {"shout": {"value": "${upper(var.greeting)}"}}
            }
            """,
            "outputs.tf": """
            locals {
              shout = module.child.shout
            }
            """,
        }
    )
    graph = tf.graph()
    bucket = resource(graph, "aws_s3_bucket.data")
    assert bucket.attr("bucket").raw == "acme-json"
    assert bucket.span.start_line == tf.line_of("main.tf.json", '"data": {')
    doc = document(graph, "aws_iam_policy.reader", "policy")
    assert [(s.effect, s.action_patterns, s.resource_patterns) for s in doc.statements] == [
        ("Allow", ["s3:GetObject"], ["arn:aws:s3:::acme-json/*"])
    ]
    assert value(graph, "aws_iam_policy.reader", "name") == "reader"
    assert local(graph, "shout") == "HELLO"
