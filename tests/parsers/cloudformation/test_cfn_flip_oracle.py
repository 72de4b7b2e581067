"""cfn-flip as a test oracle: our loader reads every CloudFormation sample and fixture of the
repository to the same values as cfn-flip, the reference reader of CloudFormation's short-form
tags and of its JSON and YAML forms.

Our loader goes its own way for speed and spans (PyYAML's composer, libyaml when available), so
this checks it against an independent reader on every template we ship or test with. cfn-flip is
a test dependency only (the ``test`` extra); the scanner never imports it.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import cfn_flip
import pytest

from iamready.model.notes import Notification
from iamready.model.value import plain
from iamready.parsers.cloudformation.loader import parse_template

ROOT = Path(__file__).resolve().parents[3]


def _templates() -> list[Path]:
    found = sorted(ROOT.glob("rules/**/*.cfn.yaml")) + sorted(ROOT.glob("rules/**/*.cfn.json"))
    found += sorted((ROOT / "samples").glob("**/template*.yaml"))
    return [p for p in found if "__pycache__" not in p.parts]


def _normal(value: Any) -> Any:
    """cfn-flip's values as ours: ordered dicts as dicts, and the YAML scalars CloudFormation reads
    as text (dates such as ``2012-10-17``) as the text written."""
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


TEMPLATES = _templates()


def test_there_are_templates_to_compare() -> None:
    assert len(TEMPLATES) > 100


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_loader_reads_what_cfn_flip_reads(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    notes: list[Notification] = []
    template = parse_template(text, str(path), notes)
    assert template is not None, [n.message for n in notes]
    expected, _ = cfn_flip.load(text)
    assert plain(template.body) == _normal(expected)
