"""``iamready permissions --admins / --reach / --export``: graph questions on the privilege graph,
answered with networkx, on a project laid out as a user writes it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from iamready.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "rules" / "aws" / "iam" / "escalation_path" / "fail.tf"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "iam").mkdir()
    shutil.copy(SAMPLE, tmp_path / "iam" / "main.tf")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, ["permissions", "iam", "--no-cache", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_admins_lists_each_principal_by_its_shortest_way_unconditional_first(project: Path) -> None:
    out = _run("--admins").splitlines()
    assert out[0] == "Who can reach administrator access (9 of 9 principals):"
    assert "  aws_iam_role.platform_admin (iam/main.tf:8) is an administrator" in out
    ci = out.index("  aws_iam_role.ci (iam/main.tf:112) reaches administrator access in 4 steps:")
    assert out[ci + 1 : ci + 5] == [
        "    1. assume aws_iam_role.build (sts:AssumeRole)",
        "    2. as aws_iam_role.build, assume aws_iam_role.deployer (sts:AssumeRole)",
        "    3. as aws_iam_role.deployer, pass a role to a new EC2 instance "
        "(iam:PassRole + ec2:RunInstances on aws_iam_role.platform_admin)",
        "    4. aws_iam_role.platform_admin is an administrator",
    ]
    # the only way of the auditor needs MFA: listed last, and said so
    assert out[-3] == (
        "  aws_iam_user.auditor (iam/main.tf:153) reaches administrator access in 2 steps, only under conditions:"
    )
    assert "(conditional: only with MFA" in out[-2]


def test_reach_answers_yes_with_the_steps_and_no_with_the_reason(project: Path) -> None:
    out = _run("--reach", "aws_iam_user.developer", "aws_iam_role.platform_admin")
    assert out.splitlines()[1:] == [
        "  aws_iam_user.developer (iam/main.tf:48) reaches aws_iam_role.platform_admin in 2 steps:",
        "    1. assume aws_iam_role.deployer (sts:AssumeRole)",
        "    2. as aws_iam_role.deployer, pass a role to a new EC2 instance "
        "(iam:PassRole + ec2:RunInstances on aws_iam_role.platform_admin)",
    ]
    out = _run("--reach", "aws_iam_role.platform_admin", "aws_iam_user.developer")
    assert "cannot reach aws_iam_user.developer" in out


def test_reach_as_json_with_a_glob(project: Path) -> None:
    data = json.loads(_run("--reach", "aws_iam_user.*", "admin", "--format", "json"))
    by_source = {p["from"]: p for p in data["paths"]}
    assert sorted(by_source) == ["aws_iam_user.auditor", "aws_iam_user.developer", "aws_iam_user.release_manager"]
    assert by_source["aws_iam_user.auditor"]["conditional"] is True
    assert [s["step"] for s in by_source["aws_iam_user.developer"]["steps"]] == [
        "sts:AssumeRole",
        "ec2-run-instances",
        "administrator",
    ]


def test_reach_names_an_address_that_matches_nothing(project: Path) -> None:
    result = CliRunner().invoke(main, ["permissions", "iam", "--reach", "aws_iam_role.nope", "admin"])
    assert result.exit_code == 2
    assert "no user, group or role matches 'aws_iam_role.nope'" in result.output


@pytest.mark.parametrize("fmt", ["graphml", "json"])
def test_export_loads_back_into_networkx_with_the_same_steps(project: Path, fmt: str) -> None:
    out = project / f"graph.{fmt}"
    _run("--export", fmt, "-o", str(out))
    if fmt == "graphml":
        graph = nx.read_graphml(out)
    else:
        graph = nx.node_link_graph(json.loads(out.read_text()), edges="links")
    assert graph.number_of_nodes() == 10  # nine principals and administrator access
    steps = {(u, v, d["step"]) for u, v, d in graph.edges(data=True)}
    assert ("aws_iam_role.deployer", "aws_iam_role.platform_admin", "ec2-run-instances") in steps
    assert ("aws_iam_role.platform_admin", "administrator access", "administrator") in steps
    assert nx.has_path(graph, "aws_iam_role.ci", "administrator access")
    assert not nx.has_path(graph, "administrator access", "aws_iam_role.ci")


def test_export_dot_marks_conditional_steps_dashed(project: Path) -> None:
    out = _run("--export", "dot")
    assert out.startswith("digraph privileges {")
    assert '"aws_iam_user.auditor" -> "aws_iam_role.support" [label="sts:AssumeRole"' in out
    line = next(x for x in out.splitlines() if x.startswith('  "aws_iam_user.auditor" -> "aws_iam_role.support"'))
    assert line.endswith("style=dashed];")


def test_queries_do_not_combine_with_each_other_or_a_comparison(project: Path) -> None:
    result = CliRunner().invoke(main, ["permissions", "iam", "--admins", "--export", "dot"])
    assert result.exit_code == 2 and "one of --admins, --reach and --export" in result.output
    result = CliRunner().invoke(main, ["permissions", "iam", "--admins", "--compare", "iam"])
    assert result.exit_code == 2 and "do not combine" in result.output
