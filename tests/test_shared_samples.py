"""Shared samples (rules/<provider>/<service>/_samples/): every rule of the service runs them, each
compared with the annotations that name it; '# shared with:' lends them to other services."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamready.testing import check_sample, rules_sharing, shared_samples

RULE = '''"""TITLE

## Why is this bad?
A test rule.

## How to fix
Nothing.

## References
- https://example.com
"""

from iamready.rule import Finding, Severity, rule


@rule(
    id="RULE_ID",
    name="NAME",
    severity=Severity.LOW,
    checklist=("3.1",),
    targets={"terraform": ("aws_iam_role",)},
)
def check(role, ctx):
    if role.attr("name").raw == "BAD":
        yield Finding("the role is named BAD", at=role.attr("name"))
'''


def _rule(root: Path, service: str, name: str, rule_id: str, bad: str) -> Path:
    directory = root / "acme" / service / name
    directory.mkdir(parents=True)
    text = RULE.replace("RULE_ID", rule_id).replace("NAME", f"acme-{service}-{name.replace('_', '-')}")
    (directory / "rule.py").write_text(text.replace("BAD", bad).replace("TITLE", f"Role named {bad}"))
    return directory


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    _rule(root, "iam", "role_named_admin", "ACME-IAM-001", "admin")
    _rule(root, "iam", "role_named_root", "ACME-IAM-002", "root")
    _rule(root, "logs", "role_named_logs", "ACME-LOGS-001", "logs")
    shared = root / "acme" / "iam" / "_samples"
    shared.mkdir()
    (shared / "pass.tf").write_text(
        "# shared with: logs\n"
        'resource "aws_iam_role" "app" {\n  name = "app"\n}\n\n'
        'resource "aws_iam_role" "legacy" {\n  name = "root" # expect: ACME-IAM-002\n}\n'
    )
    return root


def test_a_shared_sample_runs_for_every_rule_of_its_service_and_those_it_is_shared_with(pack: Path) -> None:
    sample = pack / "acme" / "iam" / "_samples" / "pass.tf"
    assert [d.name for d in rules_sharing(sample)] == ["role_named_admin", "role_named_root", "role_named_logs"]
    assert shared_samples(pack / "acme" / "logs" / "role_named_logs") == [sample]
    for rule_dir in rules_sharing(sample):  # each rule: exactly the annotations that name it
        check_sample(sample, extra_rules=(str(pack),), rule_dir=rule_dir)


def test_a_shared_sample_fails_a_rule_whose_finding_is_not_annotated(pack: Path) -> None:
    sample = pack / "acme" / "iam" / "_samples" / "pass.tf"
    sample.write_text(sample.read_text().replace(" # expect: ACME-IAM-002", ""))
    with pytest.raises(AssertionError, match="reported but not expected"):
        check_sample(sample, extra_rules=(str(pack),), rule_dir=pack / "acme" / "iam" / "role_named_root")


def test_a_shared_sample_fails_a_rule_that_does_not_report_an_annotated_line(pack: Path) -> None:
    sample = pack / "acme" / "iam" / "_samples" / "pass.tf"
    sample.write_text(sample.read_text().replace('name = "app"', 'name = "app" # expect: ACME-IAM-001'))
    with pytest.raises(AssertionError, match="expected but not reported"):
        check_sample(sample, extra_rules=(str(pack),), rule_dir=pack / "acme" / "iam" / "role_named_admin")
