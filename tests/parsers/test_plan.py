"""Terraform plan JSON: values, unknowns, child modules, locations in .tf or in the plan, no duplicates."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

from iamready.config import Config
from iamready.discovery import discover
from iamready.engine import build_graph
from iamready.model.graph import Graph, Resource
from iamready.model.notes import Notification
from iamready.model.value import LStr, Unknown, plain
from iamready.parsers.plan import load_plan

PROVIDER = "registry.terraform.io/hashicorp/aws"
ADMIN = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]},
    separators=(",", ":"),
)

MAIN_TF = """
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "All", Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.admin.arn
}

data "aws_caller_identity" "current" {}

module "users" {
  source = "./modules/users"
  names  = ["alice", "bob"]
}
"""

USERS_TF = """
variable "names" {
  type = list(string)
}

resource "aws_iam_user" "this" {
  for_each = toset(var.names)
  name     = each.key
}
"""


def _resource(address: str, rtype: str, name: str, values: dict[str, Any], mode: str = "managed", **extra: Any) -> dict:
    return {
        "address": address,
        "mode": mode,
        "type": rtype,
        "name": name,
        **extra,
        "provider_name": PROVIDER,
        "schema_version": 0,
        "values": values,
        "sensitive_values": {},
    }


def _change(address: str, after: dict[str, Any], after_unknown: dict[str, Any]) -> dict:
    return {
        "address": address,
        "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": after_unknown},
    }


def make_plan() -> dict[str, Any]:
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        },
        separators=(",", ":"),
    )
    role = {"name": "app", "assume_role_policy": trust, "path": "/", "tags": None}
    policy = {"name": "admin", "policy": ADMIN, "path": "/"}
    attachment = {"role": "app"}
    users = [
        _resource('module.users.aws_iam_user.this["alice"]', "aws_iam_user", "this", {"name": "alice"}, index="alice"),
        _resource('module.users.aws_iam_user.this["bob"]', "aws_iam_user", "this", {"name": "bob"}, index="bob"),
    ]
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {
            "root_module": {
                "resources": [
                    _resource("aws_iam_role.app", "aws_iam_role", "app", role),
                    _resource("aws_iam_policy.admin", "aws_iam_policy", "admin", policy),
                    _resource(
                        "aws_iam_role_policy_attachment.app", "aws_iam_role_policy_attachment", "app", attachment
                    ),
                    _resource(
                        "data.aws_caller_identity.current",
                        "aws_caller_identity",
                        "current",
                        {"account_id": "111122223333", "id": "111122223333"},
                        mode="data",
                    ),
                ],
                "child_modules": [{"address": "module.users", "resources": users}],
            }
        },
        "resource_changes": [
            _change("aws_iam_role.app", role, {"arn": True, "id": True, "inline_policy": True, "tags_all": True}),
            _change("aws_iam_policy.admin", policy, {"arn": True, "id": True}),
            _change("aws_iam_role_policy_attachment.app", attachment, {"id": True, "policy_arn": True}),
            _change('module.users.aws_iam_user.this["alice"]', {"name": "alice"}, {"arn": True}),
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_iam_role.app",
                        "mode": "managed",
                        "type": "aws_iam_role",
                        "name": "app",
                        "expressions": {"name": {"constant_value": "app"}, "assume_role_policy": {}},
                    },
                    {
                        "address": "aws_iam_policy.admin",
                        "mode": "managed",
                        "type": "aws_iam_policy",
                        "name": "admin",
                        "expressions": {"name": {"constant_value": "admin"}, "policy": {}},
                    },
                    {
                        "address": "aws_iam_role_policy_attachment.app",
                        "mode": "managed",
                        "type": "aws_iam_role_policy_attachment",
                        "name": "app",
                        "expressions": {
                            "role": {"references": ["aws_iam_role.app.name", "aws_iam_role.app"]},
                            "policy_arn": {"references": ["aws_iam_policy.admin.arn", "aws_iam_policy.admin"]},
                        },
                    },
                ],
                "module_calls": {
                    "users": {
                        "source": "./modules/users",
                        "expressions": {"names": {"constant_value": ["alice", "bob"]}},
                        "module": {
                            "resources": [
                                {
                                    "address": "aws_iam_user.this",
                                    "mode": "managed",
                                    "type": "aws_iam_user",
                                    "name": "this",
                                    "expressions": {"name": {"references": ["each.key"]}},
                                }
                            ],
                            "variables": {"names": {}},
                        },
                    }
                },
            }
        },
    }


def write_project(root: Path, *, with_config: bool = True, plan: dict | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if with_config:
        (root / "main.tf").write_text(textwrap.dedent(MAIN_TF).lstrip(), encoding="utf-8")
        (root / "modules" / "users").mkdir(parents=True)
        (root / "modules" / "users" / "main.tf").write_text(textwrap.dedent(USERS_TF).lstrip(), encoding="utf-8")
    path = root / "tfplan.json"
    path.write_text(json.dumps(plan or make_plan(), indent=2) + "\n", encoding="utf-8")
    return path


def scan_graph(*paths: Path) -> Graph:
    cwd = str(paths[0] if paths[0].is_dir() else paths[0].parent)
    config = Config(paths=tuple(str(p) for p in paths), cwd=cwd)
    found = discover([str(p) for p in paths], [], cwd)
    return build_graph(config, found, [], {})


def by_address(graph: Graph) -> dict[str, Resource]:
    return {r.address: r for r in graph.resources() if r.kind in ("resource", "data")}


def line_in(path: Path, needle: str, nth: int = 1) -> int:
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line]
    return lines[nth - 1]


# -- values ------------------------------------------------------------------------------------
def test_resources_and_data_sources_from_planned_values(tmp_path: Path) -> None:
    plan_path = write_project(tmp_path, with_config=False)
    graph = scan_graph(plan_path)
    resources = by_address(graph)
    assert sorted(resources) == [
        "aws_iam_policy.admin",
        "aws_iam_role.app",
        "aws_iam_role_policy_attachment.app",
        "data.aws_caller_identity.current",
        'module.users.aws_iam_user.this["alice"]',
        'module.users.aws_iam_user.this["bob"]',
    ]
    role = resources["aws_iam_role.app"]
    assert (role.type, role.kind, role.framework, role.scope, role.name) == (
        "aws_iam_role",
        "resource",
        "terraform",
        str(plan_path),
        "app",
    )
    assert plain(role.attrs)["name"] == "app"
    assert plain(role.attrs)["tags"] is None
    data = resources["data.aws_caller_identity.current"]
    assert (data.type, data.kind, plain(data.attrs)) == (
        "data.aws_caller_identity",
        "data",
        {"account_id": "111122223333", "id": "111122223333"},
    )
    alice = resources['module.users.aws_iam_user.this["alice"]']
    assert (alice.module_path, alice.meta["instance_key"], alice.attr("name").raw) == (("users",), "alice", "alice")


def test_values_known_after_apply(tmp_path: Path) -> None:
    plan_path = write_project(tmp_path, with_config=False)
    graph = scan_graph(plan_path)
    role = by_address(graph)["aws_iam_role.app"]
    # an identifier the configuration does not set stays a symbolic value naming its resource
    arn = role.attr("arn").raw
    assert isinstance(arn, LStr)
    assert (str(arn), arn.ref) == ("${aws_iam_role.app.arn}", (role.id, "arn"))
    # a computed attribute the configuration does not set is not a policy anyone wrote
    assert role.has("inline_policy") is False
    # a configured value that is a reference to another resource of the plan: symbolic too, and linked
    attachment = by_address(graph)["aws_iam_role_policy_attachment.app"]
    policy_arn = attachment.attr("policy_arn").raw
    assert (str(policy_arn), policy_arn.ref) == (
        "${aws_iam_policy.admin.arn}",
        (by_address(graph)["aws_iam_policy.admin"].id, "arn"),
    )
    assert sorted(r.address for r in graph.references(attachment)) == ["aws_iam_policy.admin", "aws_iam_role.app"]
    # so the admin policy reaches the role through the attachment
    attached = [d for d in graph.policies if d.holder.address == "aws_iam_policy.admin"]
    assert [[p.address for p in d.principals] for d in attached] == [["aws_iam_role.app"]]


def test_unknown_value_without_a_reference_is_unknown(tmp_path: Path) -> None:
    plan = make_plan()
    plan["resource_changes"].append(
        _change('module.users.aws_iam_user.this["bob"]', {"name": "bob"}, {"name": True, "arn": True})
    )
    plan_path = write_project(tmp_path, with_config=False, plan=plan)
    graph = scan_graph(plan_path)
    bob = by_address(graph)['module.users.aws_iam_user.this["bob"]']
    assert bob.attr("name").raw == Unknown("known after apply")


def test_nested_after_unknown(tmp_path: Path) -> None:
    plan = make_plan()
    bucket = {"bucket": "logs", "versioning": [{"mfa_delete": False}], "tags": {"team": "platform"}}
    plan["planned_values"]["root_module"]["resources"].append(
        _resource("aws_s3_bucket.logs", "aws_s3_bucket", "logs", bucket)
    )
    plan["resource_changes"].append(
        _change("aws_s3_bucket.logs", bucket, {"versioning": [{"enabled": True}], "tags": {"owner": True}})
    )
    plan_path = write_project(tmp_path, with_config=False, plan=plan)
    graph = scan_graph(plan_path)
    logs = by_address(graph)["aws_s3_bucket.logs"]
    assert logs.attr("versioning.mfa_delete").raw is False
    assert logs.attr("versioning.enabled").raw == Unknown("known after apply")
    assert logs.attr("tags.team").raw == "platform"
    assert logs.attr("tags.owner").raw == Unknown("known after apply")


# -- locations ---------------------------------------------------------------------------------
def test_locations_map_to_the_configuration_beside_the_plan(tmp_path: Path) -> None:
    plan_path = write_project(tmp_path)
    graph = scan_graph(plan_path)
    resources = by_address(graph)
    main_tf = tmp_path / "main.tf"
    role = resources["aws_iam_role.app"]
    assert (role.span.path, role.span.start_line, role.span.end_line) == (
        str(main_tf),
        line_in(main_tf, 'resource "aws_iam_role" "app"'),
        line_in(main_tf, "})") + 1,
    )
    assert role.attr("assume_role_policy").span.start_line == line_in(main_tf, "assume_role_policy = jsonencode")
    users_tf = tmp_path / "modules" / "users" / "main.tf"
    for key in ("alice", "bob"):
        user = resources[f'module.users.aws_iam_user.this["{key}"]']
        assert (user.span.path, user.span.start_line) == (str(users_tf), line_in(users_tf, 'resource "aws_iam_user"'))
    # the policy's statements point at the attribute that holds the policy
    (doc,) = [d for d in graph.policies if d.holder.address == "aws_iam_policy.admin"]
    (stmt,) = doc.statements
    assert (stmt.sid, stmt.action_patterns, stmt.resource_patterns) == ("All", ["*"], ["*"])
    assert (stmt.span.path, stmt.span.start_line) == (str(main_tf), line_in(main_tf, "  policy = jsonencode"))


def test_locations_fall_back_to_the_plan_file(tmp_path: Path) -> None:
    plan_path = write_project(tmp_path, with_config=False)
    graph = scan_graph(plan_path)
    resources = by_address(graph)
    for address, resource in resources.items():
        expected = line_in(plan_path, f'"address": {json.dumps(address)}')
        assert (resource.span.path, resource.span.start_line) == (str(plan_path), expected), address
    role = resources["aws_iam_role.app"]
    assert role.attr("assume_role_policy").span.start_line == line_in(plan_path, '"assume_role_policy":')
    (doc,) = [d for d in graph.policies if d.holder.address == "aws_iam_policy.admin"]
    assert doc.statements[0].span.start_line == line_in(plan_path, '"policy": "{')
    assert all(r.span.start_line >= 1 for r in resources.values())


def test_no_duplicates_when_the_configuration_is_scanned_too(tmp_path: Path) -> None:
    write_project(tmp_path)
    graph = scan_graph(tmp_path)
    addresses = sorted(r.address for r in graph.resources() if r.kind in ("resource", "data"))
    assert addresses == [
        "aws_iam_policy.admin",
        "aws_iam_role.app",
        "aws_iam_role_policy_attachment.app",
        "data.aws_caller_identity.current",
        'module.users.aws_iam_user.this["alice"]',
        'module.users.aws_iam_user.this["bob"]',
    ]
    # every resource comes from the plan, none from evaluating main.tf a second time
    assert {r.meta.get("source") for r in graph.resources() if r.kind in ("resource", "data")} == {"plan"}
    admin_docs = [d for d in graph.policies if d.holder.address == "aws_iam_policy.admin"]
    assert len(admin_docs) == 1


def test_other_terraform_directories_are_still_scanned(tmp_path: Path) -> None:
    write_project(tmp_path / "app")
    other = tmp_path / "network"
    other.mkdir()
    (other / "main.tf").write_text('resource "aws_iam_user" "ops" {\n  name = "ops"\n}\n', encoding="utf-8")
    graph = scan_graph(tmp_path)
    ops = [r for r in graph.resources("aws_iam_user") if r.address == "aws_iam_user.ops"]
    assert [(r.meta.get("source"), os.path.basename(r.span.path)) for r in ops] == [(None, "main.tf")]


# -- bad input ---------------------------------------------------------------------------------
def test_broken_plan_json_is_a_located_notification(tmp_path: Path) -> None:
    path = tmp_path / "tfplan.json"
    path.write_text(
        '{\n  "format_version": "1.2",\n  "planned_values": {\n    "root_module": {,\n  }\n}\n', encoding="utf-8"
    )
    notes: list[Notification] = []
    assert load_plan(str(path), notes) is None
    assert [(n.kind, n.level, n.span.start_line, n.message) for n in notes] == [
        ("parse-error", "error", 4, "invalid JSON: expected a string key")
    ]


def test_json_that_is_not_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"format_version": "1.0", "values": {"root_module": {}}}', encoding="utf-8")
    notes: list[Notification] = []
    assert load_plan(str(path), notes) is None
    assert [(n.kind, n.span.start_line, n.message) for n in notes] == [
        (
            "parse-error",
            1,
            "not a Terraform plan: no planned_values (expected `terraform show -json` of a saved plan)",
        )
    ]
    other = tmp_path / "future.json"
    other.write_text('{\n  "format_version": "2.0",\n  "planned_values": {}\n}\n', encoding="utf-8")
    assert load_plan(str(other), notes) is None
    assert (notes[-1].span.start_line, notes[-1].message) == (
        2,
        "unsupported plan format_version '2.0'; iamready reads format 1.x",
    )


def test_broken_plan_does_not_stop_the_scan(tmp_path: Path) -> None:
    write_project(tmp_path / "good")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "tfplan.json").write_text('{"format_version": "1.2", "planned_values": [', encoding="utf-8")
    graph = scan_graph(tmp_path)
    assert "aws_iam_role.app" in by_address(graph)
    assert [(os.path.basename(n.span.path), n.kind) for n in graph.notifications if n.kind == "parse-error"] == [
        ("tfplan.json", "parse-error")
    ]


def test_a_plan_named_on_the_command_line_reports_at_the_tf_lines(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from iamready.cli import main

    plan_path = write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["scan", plan_path.name, "--format", "json", "--no-cache", "--select", "AWS-IAM-001"]
    )
    findings = json.loads(result.stdout)["results"]
    located = sorted((f["location"]["path"], f["location"]["start_line"], f["resource"]) for f in findings)
    assert located == [("main.tf", line_in(tmp_path / "main.tf", "  policy = jsonencode"), "aws_iam_policy.admin")]


def test_plans_have_their_own_size_limit_above_that_of_source_files(tmp_path: Path, monkeypatch: Any) -> None:
    """`terraform show -json` of a large estate runs to tens of MB: more than a source file may be."""
    from iamready.parsers import plan as plan_module
    from iamready.parsers.terraform import files

    assert plan_module.MAX_PLAN_BYTES == 64 * 1024 * 1024 > files.MAX_FILE_BYTES
    path = write_project(tmp_path, with_config=False)
    size = path.stat().st_size
    monkeypatch.setattr(files.read_text, "__defaults__", (size // 2,))  # a source file this big is skipped
    notes: list[Notification] = []
    assert load_plan(str(path), notes) is not None and notes == []
    monkeypatch.setattr(plan_module, "MAX_PLAN_BYTES", size - 1)
    assert load_plan(str(path), notes) is None
    assert [(n.kind, n.level, n.span.start_line) for n in notes] == [("skipped", "warning", 1)]
    assert "limit; not scanned" in notes[0].message
