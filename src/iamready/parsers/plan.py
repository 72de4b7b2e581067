"""Terraform plan JSON (``terraform show -json``) into the resource graph."""

from __future__ import annotations

from typing import Any


def load_plan(path: str, notes: list[Any]) -> Any:
    return None


def build(plan: Any, graph: Any, cache: Any) -> None:
    return None
