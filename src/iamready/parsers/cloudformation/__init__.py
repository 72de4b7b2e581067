"""CloudFormation templates (JSON and YAML, short-form tags, SAM) into the resource graph."""

from __future__ import annotations

from typing import Any


def load_template(path: str, cache: Any, notes: list[Any]) -> Any:
    return None


def read_parameters(config: Any, notes: list[Any]) -> dict[str, str]:
    return dict(getattr(config, "cfn_params", {}) or {})


def build(template: Any, graph: Any, params: dict[str, str]) -> None:
    return None
