"""CloudFormation templates are recognised by their content, whatever the layout; a file named on the
command line that is not a template is said to be skipped, with the reason."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.workflow.conftest import findings, notes

# a template kept inside a deployment tool's configuration: the whole body is indented (valid YAML)
INDENTED = """\
  # deployed by the platform pipeline
  AWSTemplateFormatVersion: "2010-09-09"
  Resources:
    BreakGlass:
      Type: AWS::IAM::ManagedPolicy
      Properties:
        PolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
"""

# a byte order mark, a document start marker and comments before anything else
BOM_AND_MARKERS = (
    "\ufeff---\n"
    "# owned by team-platform\n"
    "\n"
    "Resources:\n"
    "  Admin:\n"
    '    Type: "AWS::IAM::ManagedPolicy"\n'
    "    Properties:\n"
    "      PolicyDocument:\n"
    "        Statement:\n"
    "          - Effect: Allow\n"
    '            Action: "*"\n'
    '            Resource: "*"\n'
)

# not CloudFormation, but it mentions an AWS type: a Kubernetes manifest for a controller
MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: stack-defaults
data:
  Resources: |
    Type: AWS::S3::Bucket
"""

WORKFLOW = """\
name: ci
on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: iamready scan .
"""


def test_indented_template_named_on_the_command_line_is_scanned(project) -> None:
    project.write({"deploy/stack.yaml": INDENTED})
    code, data = project.json("deploy/stack.yaml")

    assert code == 1
    assert findings(data) == [("deploy/stack.yaml", 10, "AWS-IAM-001")]
    assert data["notifications"] == []


def test_templates_are_found_by_content_in_a_directory_scan(project) -> None:
    project.write(
        {
            "deploy/stack.yaml": INDENTED,
            "deploy/admin.yml": BOM_AND_MARKERS,
            "k8s/configmap.yaml": MANIFEST,
            ".github/workflows/ci.yml": WORKFLOW,
        }
    )
    code, data = project.json(".")

    assert code == 1
    assert findings(data) == [("deploy/admin.yml", 10, "AWS-IAM-001"), ("deploy/stack.yaml", 10, "AWS-IAM-001")]
    assert data["notifications"] == []  # the manifest and the workflow are not templates: skipped quietly


def test_named_file_that_is_not_a_template_says_why(project) -> None:
    project.write({"k8s/configmap.yaml": MANIFEST, ".github/workflows/ci.yml": WORKFLOW})
    code, data = project.json("k8s/configmap.yaml", ".github/workflows/ci.yml")

    assert code == 0
    assert notes(data, "skipped") == [
        (
            "k8s/configmap.yaml",
            1,
            "note",
            "not scanned: not recognised as a CloudFormation template (no AWSTemplateFormatVersion, no Transform: "
            "AWS::Serverless and no Resources mapping at the top level)",
        )
    ]  # the workflow does not mention CloudFormation: the pre-commit hook stays quiet about it


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
def test_pull_request_that_changes_an_indented_template_is_checked(project) -> None:
    (project.root / ".git").rmdir()
    git(project.root, "init", "-q", "-b", "main")
    project.write({"deploy/stack.yaml": INDENTED.replace('Action: "*"', "Action: s3:GetObject")})
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "base")
    git(project.root, "checkout", "-q", "-b", "feature")
    project.write({"deploy/stack.yaml": INDENTED})
    git(project.root, "commit", "-q", "-am", "widen the break-glass policy")

    code, data = project.json(".", "--diff-base", "main")

    assert code == 1
    assert findings(data) == [("deploy/stack.yaml", 10, "AWS-IAM-001")]


# a SAM application whose author forgot the Transform line (sam deploy would fail at changeset creation)
SAM_APP = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: orders service
{transform}Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: orders.handler
      CodeUri: src/
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref OrdersTable
        - AdministratorAccess
  ReportsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: reports.handler
      CodeUri: src/
  OrdersTable:
    Type: AWS::Serverless::SimpleTable
"""


def test_sam_resources_without_the_transform_are_said_once_and_still_checked(project) -> None:
    project.write({"template.yaml": SAM_APP.format(transform="")})
    code, data = project.json(".", "--select", "AWS-IAM-001")
    assert code == 1
    # the function's role is expanded as SAM would, so its AdministratorAccess is found where it is written
    assert findings(data) == [("template.yaml", 16, "AWS-IAM-001")]
    # the missing Transform: one error, at the first SAM resource, naming the fix
    assert notes(data, "parse-error") == [
        (
            "template.yaml",
            9,
            "error",
            "OrdersFunction: AWS::Serverless::Function is a SAM type (and 2 more SAM resource(s)), but the "
            "template declares no Transform, so CloudFormation rejects it; add "
            "`Transform: AWS::Serverless-2016-10-31` at the top level "
            "(iamready checked the SAM resources as that transform expands them)",
        )
    ]


def test_sam_resources_under_another_transform_name_the_one_written(project) -> None:
    project.write({"template.yaml": SAM_APP.format(transform="Transform: AWS::LanguageExtensions\n")})
    _code, data = project.json(".", "--select", "AWS-IAM-001")
    assert findings(data) == [("template.yaml", 17, "AWS-IAM-001")]
    [(path, line, level, message)] = notes(data, "parse-error")
    assert (path, line, level) == ("template.yaml", 10, "error")
    assert "declares Transform 'AWS::LanguageExtensions'" in message


def test_sam_application_with_its_transform_has_no_such_error(project) -> None:
    project.write({"template.yaml": SAM_APP.format(transform="Transform: AWS::Serverless-2016-10-31\n")})
    code, data = project.json(".", "--select", "AWS-IAM-001")
    assert code == 1
    assert findings(data) == [("template.yaml", 17, "AWS-IAM-001")]
    assert notes(data, "parse-error") == []


# a CodeDeploy AppSpec beside the CDK app that deploys it: its top-level Resources is a list of AWS:: types
APPSPEC = """\
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "TASK_DEFINITION_ARN"
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 80
"""


def test_codedeploy_appspec_is_not_a_template_with_a_missing_resources_section(project) -> None:
    project.write({"app/appspec.yaml": APPSPEC, "deploy/admin.yml": BOM_AND_MARKERS})
    code, data = project.json(".")
    assert code == 1
    assert findings(data) == [("deploy/admin.yml", 10, "AWS-IAM-001")]
    assert data["notifications"] == []  # not "template has no Resources section"
    assert data["summary"]["files"] == 1
    # named on the command line (pre-commit), it says why it is not scanned
    code, data = project.json("app/appspec.yaml")
    assert notes(data, "skipped") == [
        (
            "app/appspec.yaml",
            1,
            "note",
            "not scanned: not recognised as a CloudFormation template (no AWSTemplateFormatVersion, no Transform: "
            "AWS::Serverless and no Resources mapping at the top level)",
        )
    ]
    assert notes(data, "parse-error") == []
