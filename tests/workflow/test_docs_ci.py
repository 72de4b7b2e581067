"""docs/ci.md stays copy-pasteable: its config parses, its YAML is valid, its flags exist."""

from __future__ import annotations

import re
import shlex
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from iamready.cli import main
from iamready.config import read_config_file
from iamready.loader import load_rules
from iamready.registry import check_selectors

DOC = Path(__file__).resolve().parents[2] / "docs" / "ci.md"


def _blocks(lang: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [m.group(1) for m in re.finditer(rf"```{lang}\n(.*?)```", text, re.S)]


def test_toml_examples_are_valid_configuration(tmp_path) -> None:
    blocks = _blocks("toml")
    assert len(blocks) == 2
    rules = load_rules()
    for number, block in enumerate(blocks):
        path = tmp_path / str(number) / "pyproject.toml"
        path.parent.mkdir()
        path.write_text(block, encoding="utf-8")
        values = read_config_file(str(path))
        for key in ("select", "ignore"):
            check_selectors(values.get(key, ()), rules, key)
        for ids in values.get("per_path_ignores", {}).values():
            check_selectors(ids, rules, "per-path-ignores")


def test_yaml_examples_parse_and_use_the_action_interface() -> None:
    action = yaml.safe_load((DOC.parent.parent / "action.yml").read_text(encoding="utf-8"))
    blocks = _blocks("yaml")
    assert len(blocks) >= 6
    for block in blocks:
        assert yaml.safe_load(textwrap.dedent(block)) is not None
    workflow = yaml.safe_load(blocks[0])
    steps = workflow["jobs"]["iamready"]["steps"]
    assert set(steps[1]["with"]) <= set(action["inputs"])
    assert workflow["jobs"]["iamready"]["permissions"]["security-events"] == "write"
    assert steps[2]["uses"].startswith("github/codeql-action/upload-sarif@")


def test_precommit_example_is_a_valid_config(tmp_path) -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    block = next(b for b in _blocks("yaml") if b.startswith("# .pre-commit-config.yaml"))
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(block, encoding="utf-8")
    config = clientlib.load_config(str(path))
    assert config["repos"][0]["hooks"][0]["id"] == "iamready"


def test_every_scan_flag_in_the_doc_exists() -> None:
    help_text = CliRunner().invoke(main, ["scan", "--help"]).output
    text = DOC.read_text(encoding="utf-8")
    flags = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", text))
    flags -= {"--quiet", "--spec", "--depth", "--disable-pip-version-check"}  # pip's and git's own flags
    assert flags, "the doc names no flags?"
    for flag in sorted(flags):
        assert flag in help_text, f"docs/ci.md mentions {flag}, which iamready scan does not have"


def test_shell_recipe_is_valid_shell() -> None:
    [block] = [b for b in _blocks("sh") if "--report sarif=" in b]
    for line in block.replace("\\\n", " ").splitlines():
        if line.strip() and not line.startswith("#"):
            shlex.split(line, comments=True)
