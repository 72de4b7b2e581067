"""What a rule receives besides its target: the graph and shared IAM/AWS helpers."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iamready.config import Config
    from iamready.iam.catalog import Catalog
    from iamready.iam.effective import Permissions
    from iamready.iam.escalation import EscalationAnalysis
    from iamready.model.graph import Graph, Resource


class Context:
    def __init__(self, graph: Graph, config: Config | None = None) -> None:
        self.graph = graph
        self.config = config
        self.options: dict[str, Any] = {}
        self._effective: dict[str, Permissions] = {}
        self.memo: dict[str, Any] = {}  # per-scan results of shared helpers (built once, not per target)

    @cached_property
    def catalog(self) -> Catalog:
        from iamready.iam.catalog import catalog

        return catalog()

    def permissions(self, principal: Resource) -> Permissions:
        """Effective permissions of a user, group or role (inline, attached, groups, boundary)."""
        cached = self._effective.get(principal.id)
        if cached is None:
            from iamready.iam.effective import effective_permissions

            cached = effective_permissions(self.graph, principal, self.catalog)
            self._effective[principal.id] = cached
        return cached

    @cached_property
    def escalation(self) -> EscalationAnalysis:
        """Privilege-escalation steps and paths of every principal (built once per scan)."""
        from iamready.iam.escalation import EscalationAnalysis

        return EscalationAnalysis(self.graph, self.permissions, self.catalog)

    @cached_property
    def log_buckets(self) -> dict[str, list[tuple[Resource, str]]]:
        """Buckets that CloudTrail trails or Cost and Usage Reports write to: bucket id -> writers."""
        from iamready.aws.buckets import log_buckets

        return log_buckets(self.graph)
