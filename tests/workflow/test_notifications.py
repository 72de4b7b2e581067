"""Notifications that matter: a value is said to be unknown only when a rule needed it, once per root
cause, where the fix is made, naming what it blocked; other clouds' code stays quiet in an AWS scan."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.workflow.conftest import notes

SELECT = ("--select", "AWS-CLOUDTRAIL-002,AWS-LAMBDA-001,AWS-IAM-001")

# A repository with the layout of multi-cloud examples: one directory per cloud. The Azure and GCP
# code has values iamready cannot resolve (unset variables, an undeclared local, a function it does
# not evaluate); no AWS rule needs any of them.
MULTI_CLOUD = {
    "aws/variables.tf": """
    variable "trail_logging" {
      type = bool
    }

    variable "region" {
      type = string
    }
    """,
    "aws/trails.tf": """
    resource "aws_cloudtrail" "management" {
      name           = "management"
      s3_bucket_name = "acme-trail-logs"
      enable_logging = var.trail_logging
    }

    resource "aws_cloudtrail" "data" {
      name           = "data-events"
      s3_bucket_name = "acme-trail-logs"
      enable_logging = var.trail_logging
    }
    """,
    "aws/network.tf": """
    resource "aws_vpc" "main" {
      cidr_block = "10.0.0.0/16"
      tags       = { Region = var.region, Name = local.undeclared_name }
    }
    """,
    "azure/main.tf": """
    variable "subscription_id" {
      type = string
    }

    resource "azurerm_storage_account" "logs" {
      name                = "${local.prefix}logs"
      resource_group_name = var.subscription_id
      location            = "westeurope"
    }
    """,
    "gcp/main.tf": """
    variable "project" {
      type = string
    }

    resource "google_storage_bucket_object" "code" {
      name   = "code-${filebase64sha256("code.zip")}"
      bucket = var.project
    }
    """,
}


def test_multi_cloud_repository_notes_only_what_an_aws_rule_needed(project) -> None:
    project.write(MULTI_CLOUD)
    code, data = project.json(".", *SELECT, select=False)

    assert code == 0
    # one note for the one root cause an AWS rule needed; the region variable, the undeclared local
    # and everything in azure/ and gcp/ are not needed by any rule and are not said
    assert notes(data, "unresolved") == [
        (
            "aws/variables.tf",
            2,  # files here start with an empty line
            "note",
            "variable 'trail_logging' has no value, so these checks could not be made: "
            "aws_cloudtrail.management at aws/trails.tf:5 (AWS-CLOUDTRAIL-002); "
            "aws_cloudtrail.data at aws/trails.tf:11 (AWS-CLOUDTRAIL-002). "
            "To fix: pass --var trail_logging=... or a tfvars file",
        )
    ]
    assert [n for n in data["notifications"] if n["kind"] != "unresolved"] == []


def test_the_note_goes_away_when_the_value_is_given(project) -> None:
    project.write(MULTI_CLOUD)
    code, data = project.json(".", "--var", "trail_logging=false", *SELECT, select=False)

    assert code == 1
    assert sorted((r["location"]["path"], r["location"]["start_line"]) for r in data["results"]) == [
        ("aws/trails.tf", 5),
        ("aws/trails.tf", 11),
    ]
    assert data["notifications"] == []


def test_a_value_needed_inside_a_module_is_said_once_at_its_root_cause(project) -> None:
    # the same unset root variable reaches a module called twice: one note, at the variable
    project.write(
        {
            "variables.tf": 'variable "logging" {\n  type = bool\n}\n',
            "main.tf": """
            module "trail_eu" {
              source  = "./modules/trail"
              name    = "eu"
              logging = var.logging
            }

            module "trail_us" {
              source  = "./modules/trail"
              name    = "us"
              logging = var.logging
            }
            """,
            "modules/trail/main.tf": """
            variable "name" {
              type = string
            }

            variable "logging" {
              type = bool
            }

            resource "aws_cloudtrail" "this" {
              name           = var.name
              s3_bucket_name = "acme-${var.name}-trail-logs"
              enable_logging = var.logging
            }
            """,
        }
    )
    code, data = project.json(".", *SELECT, select=False)

    assert code == 0
    (note,) = data["notifications"]
    assert (note["location"]["path"], note["location"]["start_line"], note["rule_id"]) == (
        "variables.tf",
        1,
        "AWS-CLOUDTRAIL-002",
    )
    assert note["message"] == (
        "variable 'logging' has no value, so these checks could not be made: "
        "module.trail_eu.aws_cloudtrail.this at modules/trail/main.tf:13 (AWS-CLOUDTRAIL-002); "
        "module.trail_us.aws_cloudtrail.this at modules/trail/main.tf:13 (AWS-CLOUDTRAIL-002). "
        "To fix: pass --var logging=... or a tfvars file"
    )


def git(root, *args: str) -> str:
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


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_file_that_needs_the_value_still_hears_about_it(project) -> None:
    # the pre-commit hook is given only trails.tf; the unset variable is declared in variables.tf,
    # unchanged: the note is still reported, because the check it blocks is in the changed file
    (project.root / ".git").rmdir()
    git(project.root, "init", "-q", "-b", "main")
    project.write(MULTI_CLOUD)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "base")
    project.write({"aws/trails.tf": (project.root / "aws/trails.tf").read_text() + "\n"})

    _, hook = project.json("aws/trails.tf", *SELECT, select=False)
    _, diff = project.json(".", "--diff-base", "main", *SELECT, select=False)
    _, elsewhere = project.json("aws/network.tf", *SELECT, select=False)

    for data in (hook, diff):
        assert [(n[0], n[1]) for n in notes(data, "unresolved")] == [("aws/variables.tf", 2)]
    assert elsewhere["notifications"] == []  # network.tf needs nothing the variable decides


SAM_APP = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
Resources:
  GetOrderFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/get_order
      Policies:
        - AWSXrayWriteOnlyAccess
        - arn:aws:iam::123456789012:policy/orders-table-access
      Events:
        Get:
          Type: Api
          Properties:
            Path: /orders/{id}
            Method: get
  PutOrderFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/put_order
      Policies:
        - AWSXrayWriteOnlyAccess
        - arn:aws:iam::123456789012:policy/orders-table-access
      Events:
        Put:
          Type: HttpApi
Outputs:
  RestEndpoint:
    Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/orders"
  HttpEndpoint:
    Value: !Sub "https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com"
"""


def test_sam_application_gets_one_note_per_managed_policy_and_none_for_its_implicit_apis(project) -> None:
    # SAM creates ServerlessRestApi / ServerlessHttpApi for the events: referring to them is valid;
    # AWSXrayWriteOnlyAccess is read from the AWS managed policy snapshot (no note); the customer managed
    # policy defined outside the template is one cause, however many roles carry it
    project.write({"template.yaml": SAM_APP})
    code, data = project.json(".", "--select", "AWS-IAM-110", select=False)

    assert code == 0
    assert notes(data, "unresolved") == [
        (
            "template.yaml",
            14,
            "note",
            "customer managed policy arn:aws:iam::123456789012:policy/orders-table-access is defined outside the "
            "scanned code (its content is not known), so these checks could not be made: GetOrderFunctionRole at "
            "template.yaml:14 (AWS-IAM-110); PutOrderFunctionRole at template.yaml:27 (AWS-IAM-110). To fix: scan "
            "the code that defines it together with this code, or review what it grants by hand",
        )
    ]
    assert [n for n in data["notifications"] if n["kind"] != "unresolved"] == []


def test_a_module_call_not_installed_is_one_note_naming_the_checks_that_needed_its_outputs(project) -> None:
    # the trust policies name the OIDC provider a registry module creates; terraform init was not run
    project.write(
        {
            "main.tf": """\
module "github_oidc" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-github-oidc-provider"
  version = "5.39.0"
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = module.github_oidc.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
}

resource "aws_iam_role" "release" {
  name = "release"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = module.github_oidc.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
}
""",
        }
    )
    code, data = project.json(".", "--select", "AWS-IAM-031", select=False)

    assert code == 0
    (note,) = data["notifications"]
    assert (note["location"]["path"], note["location"]["start_line"]) == ("main.tf", 1)
    assert note["message"] == (
        "module.github_oidc comes from 'terraform-aws-modules/iam/aws//modules/iam-github-oidc-provider', which is "
        "not installed; its outputs and resources are not checked, so these checks could not be made: "
        "aws_iam_role.deploy at main.tf:10 (AWS-IAM-031); aws_iam_role.release at main.tf:22 (AWS-IAM-031). "
        "To fix: run terraform init -backend=false in this directory and scan again (iamready reads "
        ".terraform/modules and never downloads)"
    )


# The shape of terraform-aws-iam's examples: an example calls the EKS module from the registry (not
# installed) and passes its OIDC provider to a local role module, called once per workload.
IRSA = {
    "modules/irsa-role/main.tf": """
    variable "name" {
      type = string
    }

    variable "oidc_provider_arn" {
      type = string
    }

    data "aws_iam_policy_document" "trust" {
      statement {
        actions = ["sts:AssumeRoleWithWebIdentity"]

        principals {
          type        = "Federated"
          identifiers = [var.oidc_provider_arn]
        }

        condition {
          test     = "StringEquals"
          variable = "${replace(var.oidc_provider_arn, "/^(.*provider/)/", "")}:sub"
          values   = ["system:serviceaccount:kube-system:${var.name}"]
        }
      }
    }

    resource "aws_iam_role" "this" {
      name               = var.name
      assume_role_policy = data.aws_iam_policy_document.trust.json
    }
    """,
    "examples/complete/main.tf": """
    module "eks" {
      source  = "terraform-aws-modules/eks/aws"
      version = "~> 20.0"
    }

    module "vpc" {
      source  = "terraform-aws-modules/vpc/aws"
      version = "~> 5.0"
    }

    module "external_dns" {
      source            = "../../modules/irsa-role"
      name              = "external-dns"
      oidc_provider_arn = module.eks.oidc_provider_arn
    }

    module "cert_manager" {
      source            = "../../modules/irsa-role"
      name              = "cert-manager"
      oidc_provider_arn = module.eks.oidc_provider_arn
    }
    """,
}


def test_a_module_not_installed_is_one_note_naming_every_check_that_needs_it(project) -> None:
    project.write(IRSA)
    code, data = project.json("examples/complete", "--select", "AWS-IAM-031,AWS-IAM-034,AWS-IAM-033")

    assert code == 0
    assert notes(data, "unresolved") == [
        (
            "examples/complete/main.tf",
            2,
            "note",
            "2 module calls of this configuration are not installed, so their outputs and resources are not "
            "checked: module.eks ('terraform-aws-modules/eks/aws'); module.vpc ('terraform-aws-modules/vpc/aws') "
            "at main.tf:7, so these checks could not be made: "
            "module.cert_manager.aws_iam_role.this at modules/irsa-role/main.tf:11 (AWS-IAM-031, AWS-IAM-034, "
            "needs module.eks); module.external_dns.aws_iam_role.this at modules/irsa-role/main.tf:11 "
            "(AWS-IAM-031, AWS-IAM-034, needs module.eks). To fix: run terraform init -backend=false in this "
            "directory and scan again (iamready reads .terraform/modules and never downloads)",
        ),
    ]
    (note,) = data["notifications"]
    assert [(r["path"], r["start_line"]) for r in note["related"]] == [("examples/complete/main.tf", 7)]


# The shape of aws-ia/terraform-aws-eks-blueprints: one directory per pattern, each calling a few registry
# modules from several files, none installed; one pattern gives its IRSA role a policy from the EKS module.
PATTERNS = {
    "patterns/karpenter/eks.tf": """module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.11"
}
""",
    "patterns/karpenter/vpc.tf": """module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
}
""",
    "patterns/karpenter/karpenter.tf": """module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 20.11"

  cluster_name = module.eks.cluster_name
}

resource "aws_iam_role" "karpenter_controller" {
  name = "karpenter-controller"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = module.eks.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
}
""",
    "patterns/ipv6-eks-cluster/main.tf": """module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.11"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
}
""",
}

INIT_FIX = (
    "To fix: run terraform init -backend=false in this directory and scan again "
    "(iamready reads .terraform/modules and never downloads)"
)


def test_uninstalled_registry_modules_are_one_note_per_directory(project) -> None:
    # one `terraform init` in a pattern's directory installs all its calls: said once there, not once a call
    project.write(PATTERNS)
    code, data = project.json(".", "--select", "AWS-IAM-031", select=False)

    assert code == 0
    assert notes(data, "unresolved") == [
        (
            "patterns/ipv6-eks-cluster/main.tf",
            1,
            "note",
            "2 module calls of this configuration are not installed, so their outputs and resources are not "
            "checked: module.eks ('terraform-aws-modules/eks/aws'); module.vpc ('terraform-aws-modules/vpc/aws') "
            "at main.tf:6. " + INIT_FIX,
        ),
        (
            "patterns/karpenter/eks.tf",
            1,
            "note",
            "3 module calls of this configuration are not installed, so their outputs and resources are not "
            "checked: module.eks ('terraform-aws-modules/eks/aws'); module.karpenter "
            "('terraform-aws-modules/eks/aws//modules/karpenter') at karpenter.tf:1; module.vpc "
            "('terraform-aws-modules/vpc/aws') at vpc.tf:1, so these checks could not be made: "
            "aws_iam_role.karpenter_controller at patterns/karpenter/karpenter.tf:12 (AWS-IAM-031, needs "
            "module.eks). " + INIT_FIX,
        ),
    ]
    karpenter = next(n for n in data["notifications"] if n["location"]["path"] == "patterns/karpenter/eks.tf")
    assert [(r["path"], r["start_line"]) for r in karpenter["related"]] == [
        ("patterns/karpenter/karpenter.tf", 1),
        ("patterns/karpenter/vpc.tf", 1),
    ]
    result = project.run("scan", ".", "--select", "AWS-IAM-031", "--format", "sarif")
    (run,) = json.loads(result.stdout)["runs"]
    located = [
        [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in n["locations"]]
        for n in run["invocations"][0]["toolExecutionNotifications"]
        if n["descriptor"]["id"] == "unresolved"
    ]
    assert ["patterns/karpenter/eks.tf", "patterns/karpenter/karpenter.tf", "patterns/karpenter/vpc.tf"] in located


def test_calls_in_a_local_module_are_said_with_the_root_module_they_are_installed_from(project) -> None:
    # envs/prod calls the local module app, which calls two registry modules: terraform init in envs/prod
    # installs them, and the note, at the first call, names that directory; the root's own call comes first
    project.write(
        {
            "envs/prod/main.tf": 'module "app" {\n  source = "../../modules/app"\n}\n',
            "modules/app/main.tf": (
                'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n\n'
                'module "eks" {\n  source = "terraform-aws-modules/eks/aws"\n}\n'
            ),
            "envs/dev/main.tf": (
                'module "app" {\n  source = "../../modules/app"\n}\n\n'
                'module "dns" {\n  source = "terraform-aws-modules/route53/aws"\n}\n'
            ),
        }
    )
    code, data = project.json(".", "--select", "AWS-IAM-031", select=False)

    assert code == 0
    assert notes(data, "unresolved") == [
        (
            "envs/dev/main.tf",
            5,
            "note",
            "3 module calls of this configuration are not installed, so their outputs and resources are not "
            "checked: module.dns ('terraform-aws-modules/route53/aws'); module.vpc ('terraform-aws-modules/vpc/aws') "
            "at modules/app/main.tf:1; module.eks ('terraform-aws-modules/eks/aws') at modules/app/main.tf:5. "
            + INIT_FIX,
        ),
        (
            "modules/app/main.tf",
            1,
            "note",
            "2 module calls of this configuration are not installed, so their outputs and resources are not "
            "checked: module.vpc ('terraform-aws-modules/vpc/aws'); module.eks ('terraform-aws-modules/eks/aws') "
            "at main.tf:5. To fix: run terraform init -backend=false in the root module's directory envs/prod and "
            "scan again (iamready reads .terraform/modules and never downloads)",
        ),
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_changed_file_holding_any_uninstalled_call_still_sees_the_directory_note(project) -> None:
    # the pre-commit hook is given only vpc.tf; the note is located at eks.tf (the directory's first call)
    # and names module.vpc: the author of vpc.tf still hears that its module is not checked
    (project.root / ".git").rmdir()
    git(project.root, "init", "-q", "-b", "main")
    project.write(PATTERNS)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "base")
    vpc = project.root / "patterns/karpenter/vpc.tf"
    vpc.write_text(vpc.read_text().replace("~> 5.0", "~> 5.8"))

    _, hook = project.json("patterns/karpenter/vpc.tf", "--select", "AWS-IAM-031", select=False)
    _, diff = project.json(".", "--diff-base", "main", "--select", "AWS-IAM-031", select=False)

    for data in (hook, diff):
        assert [(path, line) for path, line, _, _ in notes(data, "unresolved")] == [("patterns/karpenter/eks.tf", 1)]
    _, other = project.json("patterns/ipv6-eks-cluster/main.tf", "--select", "AWS-IAM-031", select=False)
    assert [(path, line) for path, line, _, _ in notes(other, "unresolved")] == [
        ("patterns/ipv6-eks-cluster/main.tf", 1)
    ]


def test_a_value_known_after_apply_in_a_module_called_twice_is_one_note(project) -> None:
    # the shape of terraform-aws-lambda: the module reads a policy with a data source (only known after
    # apply) into an inline policy; the root calls it twice
    project.write(
        {
            "modules/function/main.tf": """
            variable "name" {
              type = string
            }

            data "http" "vpc" {
              url = "https://policies.example.com/lambda-network-access.json"
            }

            resource "aws_iam_role" "lambda" {
              name = var.name
              assume_role_policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{
                  Effect    = "Allow"
                  Principal = { Service = "lambda.amazonaws.com" }
                  Action    = "sts:AssumeRole"
                }]
              })
            }

            resource "aws_iam_role_policy" "vpc" {
              name   = "vpc"
              role   = aws_iam_role.lambda.id
              policy = data.http.vpc.response_body
            }
            """,
            "main.tf": """
            module "ingest" {
              source = "./modules/function"
              name   = "ingest"
            }

            module "report" {
              source = "./modules/function"
              name   = "report"
            }
            """,
        }
    )
    code, data = project.json(".", "--select", "AWS-IAM-001")

    assert code == 0
    (note,) = notes(data, "unresolved")
    assert note[:2] == ("modules/function/main.tf", 6)
    assert note[3].startswith("data.http.vpc.response_body is only known after apply, so these checks could not")
    assert (
        "module.ingest.aws_iam_role_policy.vpc at" in note[3] and "module.report.aws_iam_role_policy.vpc at" in note[3]
    )


# an optional override file: Terraform's try() falls back to the module's own policy when it does not exist
OPTIONAL_OVERRIDE = """\
data "aws_iam_policy_document" "default" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "app" {
  name   = "app"
  policy = try(file("${path.module}/policy-override.json"), data.aws_iam_policy_document.default.json)
}

resource "aws_iam_policy" "ops" {
  name   = "ops"
  policy = file("${path.module}/ops-policy.json")
}
"""


def test_a_missing_file_is_terraforms_error_try_falls_back_and_a_needed_one_is_said_once(project) -> None:
    project.write({"main.tf": OPTIONAL_OVERRIDE})
    code, data = project.json(".", "--select", "AWS-IAM-001")
    assert code == 1
    # the fallback is what Terraform deploys: its statement is reported, the missing override is not an issue
    assert [(r["location"]["path"], r["location"]["start_line"]) for r in data["results"]] == [("main.tf", 2)]
    # the policy read from a file that does not exist: one note, where it is read, naming the check it blocked
    assert [(n["location"]["path"], n["location"]["start_line"], n["message"]) for n in data["notifications"]] == [
        (
            "main.tf",
            15,
            "aws_iam_policy.ops.policy: file(): no file exists at './ops-policy.json', so these checks could not "
            "be made: aws_iam_policy.ops at main.tf:15 (AWS-IAM-001). To fix: correct the expression",
        )
    ]
