"""Conventions every rule follows, enforced here rather than in review. No exception lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iamready.checklist import ITEMS
from iamready.loader import builtin_rules_dir, load_rules
from iamready.rule import DOC_SECTIONS, ID_RE, NAME_RE
from iamready.testing import SAMPLE_RE, annotations, is_shared_sample, rules_sharing, shared_samples

RULES = load_rules()
RETIRED_IDS: set[str] = set()  # ids that were used once and must never come back


def test_ids_and_names_are_unique() -> None:
    assert len({r.id for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("meta", RULES, ids=lambda m: m.id)
def test_rule_conventions(meta) -> None:
    assert ID_RE.match(meta.id)
    assert NAME_RE.match(meta.name)
    assert meta.id not in RETIRED_IDS
    directory = Path(meta.directory)
    relative = directory.relative_to(builtin_rules_dir())
    provider, service, name = relative.parts
    assert meta.id.startswith(f"{provider.upper()}-{service.upper()}-"), (
        "id prefix must match rules/<provider>/<service>/"
    )
    assert meta.name == f"{provider}-{service}-{name.replace('_', '-')}", "name must be <provider>-<service>-<dir>"
    title = meta.title
    assert title and len(title) <= 80 and not title.endswith("."), "title: docstring line 1, <= 80 chars, no period"
    for section in DOC_SECTIONS:
        assert section in meta.doc, f"docstring lacks {section!r}"
    assert meta.section("## References").strip(), "References must list at least one link"
    for item in meta.checklist:
        assert item in ITEMS, f"unknown checklist item {item}"
    if meta.on != "suppressions":  # rules about iamready's own suppressions enforce no checklist item
        assert meta.checklist, "every rule names the checklist items it enforces"


@pytest.mark.parametrize("meta", RULES, ids=lambda m: m.id)
def test_samples_cover_every_framework(meta) -> None:
    directory = Path(meta.directory)
    names = [p.name for p in directory.iterdir() if SAMPLE_RE.match(p.name)]
    for shared in shared_samples(directory):  # the service's shared samples, passed or failed as annotated
        failed = any(e.rule_id == meta.id and not e.note for e in annotations(shared, shared.name))
        suffix = shared.name.split(".", 1)[1]  # "tf", "cfn.yaml"
        names.append(f"{'fail' if failed else 'pass'}_shared.{suffix}")
    extensions = {"terraform": (".tf",), "cloudformation": (".cfn.yaml", ".cfn.json")}
    for framework in meta.frameworks:
        for kind in ("pass", "fail"):
            assert any(n.startswith(kind) and n.endswith(extensions[framework]) for n in names), (
                f"{meta.id} targets {framework} but has no {kind} sample for it"
            )


@pytest.mark.parametrize("meta", RULES, ids=lambda m: m.id)
def test_annotations_name_the_owning_rule(meta) -> None:
    directory = Path(meta.directory)
    for path in directory.rglob("*"):
        if path.is_file() and path.suffix in (".tf", ".yaml", ".yml", ".tfvars"):
            for expectation in annotations(path, path.name):
                assert expectation.rule_id == meta.id, f"{path}:{expectation.line} names {expectation.rule_id}"


def test_every_rule_directory_defines_a_rule() -> None:
    root = builtin_rules_dir()
    loaded = {Path(r.directory) for r in RULES}
    for rule_file in root.rglob("rule.py"):
        assert rule_file.parent in loaded
    for directory in root.glob("*/*/*"):
        if directory.is_dir() and not directory.name.startswith(("_", ".")):
            assert (directory / "rule.py").exists(), f"{directory} has no rule.py"


def test_sample_file_names_follow_the_pattern() -> None:
    for meta in RULES:
        for path in Path(meta.directory).iterdir():
            if path.name.startswith(("pass", "fail")) and path.suffix in (".tf", ".yaml", ".json"):
                assert SAMPLE_RE.match(path.name), f"{path.name} is not pass|fail[_case].(tf|cfn.yaml|cfn.json)"


def test_ids_follow_checklist_item_format() -> None:
    for meta in RULES:
        for item in meta.checklist:
            assert re.fullmatch(r"[1-5]\.\d{1,2}", item)


def test_no_sample_is_copied_into_several_directories() -> None:
    """A sample that several rules share lives once, in rules/<provider>/<service>/_samples/."""
    seen: dict[bytes, Path] = {}
    copies = []
    for path in sorted(builtin_rules_dir().rglob("*")):
        if path.is_file() and path.name.endswith((".tf", ".cfn.yaml", ".cfn.json", ".tfvars")):
            content = path.read_bytes()
            if content in seen:
                copies.append(f"{path} is a copy of {seen[content]}")
            seen.setdefault(content, path)
    assert copies == []


def test_shared_samples_name_only_rules_that_run_them() -> None:
    shared = [p for p in builtin_rules_dir().rglob("_samples/*") if is_shared_sample(p)]
    assert shared
    for path in shared:
        ids = {m.id for m in RULES if Path(m.directory) in rules_sharing(path)}
        assert len(ids) > 1, f"{path} is run by one rule only: move it into that rule's directory"
        for expectation in annotations(path, path.name):
            assert expectation.rule_id in ids, f"{path}:{expectation.line} names {expectation.rule_id}"
