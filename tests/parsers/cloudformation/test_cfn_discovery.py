"""Which files are read as templates: CDK output under cdk.out/, SAM templates, and what is skipped."""

from __future__ import annotations

import json

from iamready.discovery import discover

from .conftest import document, resource, statements

CDK_TEMPLATE = {
    "Resources": {
        "DeployRole6C5C8A3B": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Statement": [
                        {
                            "Action": "sts:AssumeRole",
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                        }
                    ],
                    "Version": "2012-10-17",
                }
            },
            "Metadata": {"aws:cdk:path": "AppStack/DeployRole/Resource"},
        },
        "DeployRoleDefaultPolicy9A1B2C3D": {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyDocument": {
                    "Statement": [{"Action": "*", "Effect": "Allow", "Resource": "*"}],
                    "Version": "2012-10-17",
                },
                "PolicyName": "DeployRoleDefaultPolicy9A1B2C3D",
                "Roles": [{"Ref": "DeployRole6C5C8A3B"}],
            },
            "Metadata": {"aws:cdk:path": "AppStack/DeployRole/DefaultPolicy/Resource"},
        },
        "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:H4sIAAAAAAAA"}},
    },
    "Parameters": {
        "BootstrapVersion": {
            "Type": "AWS::SSM::Parameter::Value<String>",
            "Default": "/cdk-bootstrap/hnb659fds/version",
        }
    },
    "Rules": {
        "CheckBootstrapVersion": {
            "Assertions": [
                {"Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2", "3", "4", "5"], {"Ref": "BootstrapVersion"}]}]}}
            ]
        }
    },
}


def test_cdk_output_templates_are_scanned_and_its_bookkeeping_files_are_not(cfn) -> None:
    cfn.write(
        {
            "cdk.json": '{"app": "npx ts-node bin/app.ts", "context": {}}\n',
            "cdk.out/AppStack.template.json": json.dumps(CDK_TEMPLATE, indent=1) + "\n",
            "cdk.out/manifest.json": json.dumps(
                {"version": "36.0.0", "artifacts": {"AppStack": {"type": "aws:cloudformation:stack"}}}
            )
            + "\n",
            "cdk.out/tree.json": json.dumps(
                {
                    "version": "tree-0.1",
                    "tree": {
                        "id": "App",
                        "children": {"Resource": {"attributes": {"aws:cdk:cloudformation:type": "AWS::IAM::Role"}}},
                    },
                }
            )
            + "\n",
            "cdk.out/AppStack.assets.json": '{"version": "36.0.0", "files": {}, "dockerImages": {}}\n',
            "cdk.out/cdk.out": '{"version":"36.0.0"}\n',
        }
    )
    found = discover([str(cfn.root)], [], str(cfn.root))
    assert found.cloudformation == [cfn.path("cdk.out/AppStack.template.json")]
    graph = cfn.graph()
    policy = document(graph, "DeployRoleDefaultPolicy9A1B2C3D")
    assert [p.address for p in policy.principals] == ["DeployRole6C5C8A3B"]
    statement_line = cfn.line_of("cdk.out/AppStack.template.json", '"Action": "*"') - 1
    assert statements(policy) == [(None, "Allow", ["*"], ["*"], statement_line)]
    assert resource(graph, "DeployRole6C5C8A3B").meta["Metadata"] == {"aws:cdk:path": "AppStack/DeployRole/Resource"}
    assert [n for n in graph.notifications] == []


def test_sam_templates_without_a_format_version_are_found(cfn) -> None:
    cfn.write(
        {
            "template.yaml": """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: index.handler
            """,
            "k8s/deployment.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            """,
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
        }
    )
    found = discover([str(cfn.root)], [], str(cfn.root))
    assert found.cloudformation == [cfn.path("template.yaml")]
