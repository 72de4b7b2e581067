"""What the rules report: one-step escalations of a category (one finding per principal, with every
method: the most direct named in the message, the others as related locations), multi-step paths
worth a finding, and their messages and SARIF code flows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from iamready.iam.escalation.catalogue import Method, methods
from iamready.iam.escalation.trust import USER_TYPES

if TYPE_CHECKING:
    from iamready.iam.escalation.analysis import EscalationAnalysis
    from iamready.iam.escalation.steps import Path, Step
    from iamready.iam.policy import Statement
    from iamready.model.graph import Resource


@dataclass
class Escalation:
    """One method by which one principal can reach administrator access in a single step."""

    principal: Resource
    method: Method
    steps: list[Step]
    analysis: EscalationAnalysis

    @property
    def conditional(self) -> bool:
        return all(step.conditional for step in self.steps)

    @property
    def guards(self) -> list[str]:
        chosen = [s for s in self.steps if not s.conditional] or self.steps
        out: list[str] = []
        for step in chosen:
            out.extend(step.all_guards)
        return list(dict.fromkeys(out))

    @property
    def primary(self) -> Statement:
        for step in sorted(self.steps, key=lambda s: (s.conditional, not s.broad)):
            if step.primary is not None:
                return step.primary
        raise ValueError("an escalation without a statement")

    def describe(self) -> str:
        """``pass a role to a new EC2 instance (iam:PassRole + ec2:RunInstances on any role,
        including aws_iam_role.admin (an administrator))``"""
        steps = sorted(self.steps, key=lambda s: (s.conditional, not s.broad))
        actions = " + ".join(dict.fromkeys(sup.action for sup in steps[0].supports))
        broad = [s.on for s in steps if s.broad or s.makes_admin]
        named = []
        for step in steps:
            if step.broad or step.makes_admin or step.target is None:
                continue
            what = (
                self.analysis.admin_words(step.target)
                if self.analysis.is_admin(step.target)
                else "it can make itself administrator"
            )
            # the step's words say how it leads there: existing compute, a policy, an identity provider,
            # a passed role and what already runs as it
            named.append(f"{step.on} ({what})")
        named = list(dict.fromkeys(named))
        if broad and named:
            where = f"{', '.join(dict.fromkeys(broad))}, including {', '.join(named)}"
        else:
            where = ", ".join(dict.fromkeys(broad + named))
        return f"{self.method.title} ({actions} on {where})"

    def flow(self) -> list[tuple[Any, str]]:
        """The way in the code, hop by hop (SARIF ``codeFlows``): the caller's grants, the resource
        the step goes through (a launch template an Auto Scaling group launches, a function, a
        provider) with the words that link it to the principal, and that principal's administrator
        grant. Empty when the method reaches only resources outside the code."""
        named = [s for s in self.steps if not s.broad and not s.makes_admin and s.target is not None]
        if not named:
            return []
        step = sorted(named, key=lambda s: s.conditional)[0]
        who = self.principal.address
        out: list[tuple[Any, str]] = [
            (sup.statement, f"{who} is allowed {sup.action} ({sup.grant.via})") for sup in step.supports
        ]
        if step.via is not None:
            out.append((step.via, f"{self.method.target_requirement.actions[0]} applies to {step.on}"))
        assert step.target is not None
        grants = self.analysis.admin_grants(step.target)
        if grants:
            grant = sorted(grants, key=lambda g: bool(g.guards))[0]
            out.append(
                (grant.statement, f"{step.target.address} is allowed every action on every resource ({grant.via})")
            )
        return out

    def related(self) -> list[tuple[Statement, str]]:
        out: list[tuple[Statement, str]] = []
        primary = self.primary
        seen = {id(primary)}
        for step in self.steps:
            for support in step.supports:
                if id(support.statement) in seen:
                    continue
                seen.add(id(support.statement))
                out.append((support.statement, f"{support.action} is granted here ({support.grant.via})"))
        return out


def single_escalations(analysis: EscalationAnalysis, principal: Resource, category: str) -> list[Escalation]:
    """Methods of ``category`` by which ``principal`` reaches administrator access in one step:
    it writes its own permissions, or it becomes an administrator in the code, or the method
    reaches principals outside the code (a wildcard resource). A user whose method rests only on
    one of its groups is left to that group's finding."""
    by_method: dict[str, list[Step]] = {}
    for step in analysis.steps_from(principal):
        if step.method is None or step.method.category != category or step.method.empowers:
            continue
        if not (step.makes_admin or step.broad or (step.target is not None and analysis.privileged(step.target))):
            continue
        by_method.setdefault(step.method.id, []).append(step)
    out = []
    for item in methods():
        steps = by_method.get(item.id)
        if not steps:
            continue
        if principal.type in USER_TYPES and _only_through_group(analysis, principal, item, steps, category):
            continue
        out.append(Escalation(principal, item, steps, analysis))
    return out


def _only_through_group(
    analysis: EscalationAnalysis, user: Resource, item: Method, steps: list[Step], category: str
) -> bool:
    for group in analysis.groups_of(user):
        prefix = f"group {group.address}: "
        through_group = all(sup.grant.via.startswith(prefix) for step in steps for sup in step.supports)
        if through_group and any(e.method.id == item.id for e in single_escalations(analysis, group, category)):
            return True
    return False


def direct_escalation(analysis: EscalationAnalysis, principal: Resource, conditional: bool) -> bool:
    """Can ``principal`` reach administrator access in one step (a method or assuming an
    administrator role)? With ``conditional`` False, only unconditional steps count."""
    for step in analysis.steps_from(principal):
        if step.conditional and not conditional:
            continue
        if step.method is not None and step.method.empowers:
            continue  # it makes another principal administrator, which the caller is not (yet)
        if step.makes_admin or (step.broad and step.method is not None):
            return True
        if step.target is None:
            continue
        if step.method is None and analysis.is_admin(step.target):
            return True  # assuming an administrator role: a delegation the trust policy states
        if step.method is not None and analysis.privileged(step.target):
            return True  # reported by the single-method rules
    return False


def reported_paths(analysis: EscalationAnalysis, principal: Resource) -> list[Path]:
    """Multi-step paths worth a finding: two steps or more, from a principal that has no shorter
    way (a one-step escalation is reported by the single-method rules; assuming an administrator
    role directly is a delegation anyone can read in the trust policy). A conditional path is
    kept only when nothing unconditional reaches administrator access. A user whose path starts
    with a grant of one of its groups is left to the group's finding."""
    if analysis.is_admin(principal):
        return []
    paths = [p for p in analysis.paths_from(principal) if p.length >= 2]
    if not paths:
        return []
    out = []
    unconditional = [p for p in paths if not p.conditional]
    if unconditional:
        if not direct_escalation(analysis, principal, conditional=False):
            out = unconditional
    elif not direct_escalation(analysis, principal, conditional=True):
        out = paths
    if principal.type in USER_TYPES and out:
        out = [p for p in out if not _path_through_group(analysis, principal, p)]
    return out


def path_groups(analysis: EscalationAnalysis, principal: Resource) -> list[list[Path]]:
    """The reported paths of ``principal``, one group per cause: paths whose first step rests on
    the same statement (one grant of ``sts:AssumeRole`` on ``role/admin-*`` reaching four
    administrator roles) are one finding, the user changes that one statement. Each group is in
    the order of ``reported_paths`` (shortest first), so its first path stays the one reported."""
    groups: dict[int, list[Path]] = {}
    for path in reported_paths(analysis, principal):
        first = path.steps[0].primary
        groups.setdefault(id(first), []).append(path)
    return list(groups.values())


def path_target(path: Path) -> str:
    """The administrator a path ends at: the principal reached, or the one the last step empowers."""
    if path.admin is not None:
        return path.admin.address
    last = path.steps[-1].target
    return last.address if last is not None else path.source.address


def _path_through_group(analysis: EscalationAnalysis, user: Resource, path: Path) -> bool:
    first = path.steps[0]
    if not first.supports:
        return False
    for group in analysis.groups_of(user):
        prefix = f"group {group.address}: "
        if all(sup.grant.via.startswith(prefix) for sup in first.supports):
            rest = path.signature
            if any(p.signature == rest for p in reported_paths(analysis, group)):
                return True
    return False


_SHOWN = 3  # ways named in a finding's message (all of them up to one more); the others are its related locations


def _most_direct_first(found: list[Escalation]) -> list[Escalation]:
    """The most direct ways first: one reaching an administrator named in the code, then the fewest
    actions (one API call before several), then the first of each kind of target before the second (a
    Lambda function, a Glue endpoint, an EC2 instance: the message shows the breadth), the catalogue's
    order otherwise (the sort is stable)."""
    rank: dict[int, int] = {}
    per_kind: dict[str, int] = {}
    for escalation in found:
        kind = escalation.method.target_requirement.on
        rank[id(escalation)] = per_kind.get(kind, 0)
        per_kind[kind] = rank[id(escalation)] + 1

    def directness(escalation: Escalation) -> tuple[bool, int, int]:
        named = any(
            step.target is not None and not step.broad and escalation.analysis.is_admin(step.target)
            for step in escalation.steps
        )
        actions = min(len({sup.action for sup in step.supports}) for step in escalation.steps)
        return (not named, actions, rank[id(escalation)])

    return sorted(found, key=directness)


def escalation_findings(ctx: Any, principal: Resource, category: str) -> Iterator[Any]:
    """The findings of a single-method escalation rule: one per principal for every method of ``category``
    it has (high severity; medium when every way is conditional; more than four ways: their count and the
    three most direct in the message, each other one a related location at its grant), and an
    Unresolved note where a grant's resource is not known."""
    from iamready.rule import Finding, Severity, Unresolved

    analysis: EscalationAnalysis = ctx.escalation
    found = single_escalations(analysis, principal, category)
    if found:
        unconditional = [e for e in found if not e.conditional]
        chosen = _most_direct_first(unconditional or found)
        first = chosen[0]
        message = f"can escalate to administrator: {'; '.join(e.describe() for e in chosen[:_SHOWN])}"
        if len(chosen) > _SHOWN + 1:  # PowerUserAccess has 16 ways: the most direct, the count, where the rest are
            message = (
                f"can escalate to administrator in {len(chosen)} ways, the most direct: "
                f"{'; '.join(e.describe() for e in chosen[:_SHOWN])}; {len(chosen) - _SHOWN} more in the "
                f"related locations (all of them: iamready permissions --principal {principal.address})"
            )
        severity = None
        if not unconditional:
            conditions = "; ".join(dict.fromkeys(g for e in found for g in e.guards))
            message += f" (conditional: {conditions})"
            severity = Severity.MEDIUM
        flow = first.flow()
        in_flow = {id(at) for at, _ in flow}
        related = [(e.primary, f"{e.method.id}: {e.method.description}") for e in chosen[1:]]
        for item in chosen:  # a grant the code flow shows already is said once
            related.extend((at, text) for at, text in item.related() if id(at) not in in_flow)
        yield Finding(
            message,
            at=first.primary,
            resource=principal,
            key=f"escalation:{category}",
            severity=severity,
            related=related,
            flow=flow,
            properties={
                "methods": [e.method.id for e in chosen],
                "references": list(dict.fromkeys(e.method.reference for e in chosen)),
            },
        )
        return
    seen: set[str] = set()
    for maybe in analysis.maybe(principal):
        if maybe.method.category != category or maybe.method.id in seen:
            continue
        seen.add(maybe.method.id)
        yield Unresolved(
            f"whether it can {maybe.method.title} is not known: the resource of "
            f"{'/'.join(maybe.method.target_requirement.actions)} is not known ({maybe.reason})",
            at=maybe.statement,
            resource=principal,
        )


def path_message(analysis: EscalationAnalysis, path: Path) -> str:
    """``can become administrator in 2 steps: 1. assume ...; 2. as aws_iam_role.x, ...``"""
    parts = []
    for index, step in enumerate(path.steps, start=1):
        actor = "" if step.source is path.source else f"as {step.source.address}, "
        parts.append(f"{index}. {actor}{step.describe()}")
    if path.admin is not None:
        end = f"; {path.admin.address} is {analysis.admin_words(path.admin)}"
    else:
        last = path.steps[-1]
        end = f", which makes {last.target.address if last.target else 'it'} an administrator"
    text = f"can become administrator in {path.length} steps: {'; '.join(parts)}{end}"
    if path.conditional:
        text += f" (conditional: {'; '.join(path.guards)})"
    return text


def group_message(analysis: EscalationAnalysis, paths: list[Path]) -> str:
    """The shortest path of a group in full, then how many administrators the same first step
    leads to, and which."""
    text = path_message(analysis, paths[0])
    targets = list(dict.fromkeys(path_target(p) for p in paths))
    if len(targets) > 1:
        text += f"; the same first step leads to {len(targets)} administrators: {', '.join(targets)}"
    return text


def path_flow(analysis: EscalationAnalysis, path: Path) -> list[tuple[Statement, str]]:
    """Every hop's policy lines, in order: the caller's grants, the trust statement that lets it
    in, and the administrator grant at the end (SARIF ``codeFlows``)."""
    flow: list[tuple[Statement, str]] = []
    for index, step in enumerate(path.steps, start=1):
        who = step.source.address
        for support in step.supports:
            flow.append((support.statement, f"step {index}: {who} is allowed {support.action} ({support.grant.via})"))
        if step.trust is not None and step.target is not None:
            flow.append((step.trust, f"step {index}: the trust policy of {step.target.address} lets {who} in"))
    if path.admin is not None:
        grants = analysis.admin_grants(path.admin)
        if grants:
            grant = sorted(grants, key=lambda g: bool(g.guards))[0]
            flow.append(
                (grant.statement, f"{path.admin.address} is allowed every action on every resource ({grant.via})")
            )
    return flow
