"""Generated documentation stays in step with the rules."""

from __future__ import annotations

from iamready.devtools import DOCS, ESCALATION_DOCS, generate
from iamready.docs import rule_markdown
from iamready.loader import load_rules


def test_docs_rules_md_is_up_to_date() -> None:
    assert DOCS.exists(), "docs/rules.md is missing: run python -m iamready.devtools docs"
    stale = "docs/rules.md is stale: run python -m iamready.devtools docs"
    assert DOCS.read_text(encoding="utf-8") == generate(), stale


def test_docs_escalation_methods_md_is_up_to_date() -> None:
    from iamready.docs import escalation_methods_page
    from iamready.iam.escalation import methods

    text = escalation_methods_page()
    stale = "docs/escalation-methods.md is stale: run python -m iamready.devtools docs"
    assert ESCALATION_DOCS.exists() and ESCALATION_DOCS.read_text(encoding="utf-8") == text, stale
    for item in methods():  # every method, with its sources and an example
        assert f'<a id="{item.id}"></a>' in text
    assert "[cloudformation-002](https://pathfinding.cloud/paths/cloudformation-002)" in text


def test_explain_shows_docs_and_samples() -> None:
    meta = next(r for r in load_rules() if r.id == "AWS-IAM-001")
    text = rule_markdown(meta)
    assert text.startswith("# AWS-IAM-001 aws-iam-policy-allows-full-admin\n")
    assert "## Why is this bad?" in text and "## How to fix" in text
    assert "## Noncompliant: `fail.tf`" in text
    assert "## Compliant: `pass.tf`" in text
    assert "2.5 (Grant least privilege)" in text
