"""The analysis of one graph: every principal's steps (assuming roles, and the methods of the
catalogue its effective permissions complete) and its shortest paths to administrator access."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from iamready.iam.aws_managed import admin_equivalent
from iamready.iam.effective import (
    Grant,
    Permissions,
    Target,
    describe_unknown,
    iam_arn,
    principal_target,
    statement_covers_action,
)
from iamready.iam.escalation.catalogue import COMPUTE_KINDS, PRINCIPAL_KINDS, Method, Requirement, methods
from iamready.iam.escalation.compute import ROLE_TYPES, ComputeUse, find_compute
from iamready.iam.escalation.grants import (
    action_fits,
    any_grant,
    best_grants,
    denied,
    guard_texts,
    kind_fits,
    request_context,
)
from iamready.iam.escalation.steps import Maybe, Path, Step, Support
from iamready.iam.escalation.targets import GROUP_TYPES, broad_arn, broad_words, candidates
from iamready.iam.escalation.trust import USER_TYPES, trusted, trusts_service
from iamready.iam.policy import IDENTITY

if TYPE_CHECKING:
    from iamready.iam.catalog import Catalog
    from iamready.iam.policy import Statement
    from iamready.model.graph import Graph, Resource


class EscalationAnalysis:
    """All steps and paths of one graph. Built once per scan (``Context.escalation``)."""

    def __init__(
        self, graph: Graph, permissions: Callable[[Resource], Permissions], catalog: Catalog | None = None
    ) -> None:
        from iamready.aws.links import PRINCIPAL_TYPES

        self.graph = graph
        self.permissions = permissions
        self.catalog = catalog
        self.principals: list[Resource] = list(graph.resources(PRINCIPAL_TYPES))
        self.roles = [p for p in self.principals if p.type in ROLE_TYPES]
        self.users = [p for p in self.principals if p.type in USER_TYPES]
        self.groups = [p for p in self.principals if p.type in GROUP_TYPES]
        self._targets: dict[str, Target] = {p.id: principal_target(p) for p in self.principals}
        # separate deployments are never connected: every pairing looks only within one deployment
        self._deployment: dict[str, dict[str, list[Resource]]] = {}
        for p in self.principals:
            kinds = self._deployment.setdefault(p.scope, {"principals": [], "roles": [], "users": [], "groups": []})
            kinds["principals"].append(p)
            kinds["roles" if p.type in ROLE_TYPES else "users" if p.type in USER_TYPES else "groups"].append(p)
        self._members: dict[str, list[Resource]] = {}
        self._groups_of: dict[str, list[Resource]] = {}
        for user in self.users:
            groups = graph.references(user, kind="member")
            self._groups_of[user.id] = groups
            for group in groups:
                self._members.setdefault(group.id, []).append(user)
        self._service_trust: dict[tuple[str, str], bool] = {}
        self._trusting: dict[tuple[str, str], list[Resource]] = {}  # (deployment, service) -> roles
        self._positions: dict[str, dict[str, int]] = {}
        self._grants: dict[tuple[int, str, Target], list[Grant]] = {}  # several methods ask the same
        self._steps: dict[str, list[Step]] | None = None
        self._maybe: dict[str, list[Maybe]] = {}
        self._trust_notes: dict[str, list[tuple[Any, str]]] = {}
        self._admin: dict[str, list[Grant]] = {}
        self._paths: dict[str, list[Path]] = {}
        self._compute: dict[str, list[ComputeUse]] | None = None
        self._compute_guards: dict[str, str] = {}  # compute resource id -> what must also happen
        self._role_users: dict[tuple[str, str], list[str]] | None = None
        self._admin_policies: dict[str, tuple[str, ...]] = {}
        self._managed_of: dict[str, list[Resource]] = {}
        self._federated: dict[str, list[tuple[Resource, Any, str, Resource | None]]] = {}

    # -- principals ------------------------------------------------------------------------
    def _position(self, scope: str) -> dict[str, int]:
        """Each principal of a deployment by its place in the deployment's list."""
        found = self._positions.get(scope)
        if found is None:
            principals = self._deployment.get(scope, {}).get("principals", [])
            found = self._positions[scope] = {p.id: i for i, p in enumerate(principals)}
        return found

    def deployed_with(self, resource: Resource, kind: str) -> list[Resource]:
        """Principals of ``kind`` ("principals", "roles", "users", "groups") deployed with ``resource``."""
        return self._deployment.get(resource.scope, {}).get(kind, [])

    def admin_grants(self, principal: Resource) -> list[Grant]:
        if principal.id not in self._admin:
            self._admin[principal.id] = self.permissions(principal).admin_grants()
        return self._admin[principal.id]

    def is_admin(self, principal: Resource, conditional: bool = False) -> bool:
        """Allowed every action on every resource (unconditionally, unless ``conditional``)."""
        grants = self.admin_grants(principal)
        return any(conditional or not g.guards for g in grants)

    def admin_words(self, principal: Resource) -> str:
        """ "an administrator", with the deployment condition when every administrator grant has one
        ("an administrator when IsProd is false")."""
        whens = {g.when for g in self.admin_grants(principal) if not g.guards}
        if whens and None not in whens:
            return f"an administrator {' or '.join(sorted(w for w in whens if w))}"
        return "an administrator"

    def can_make_itself_admin(self, principal: Resource) -> bool:
        return any(s.makes_admin and not s.conditional for s in self.steps_from(principal))

    def privileged(self, principal: Resource) -> bool:
        """An administrator, or able to make itself one without conditions."""
        return self.is_admin(principal) or self.can_make_itself_admin(principal)

    def arn(self, resource: Resource) -> str:
        target = self._targets.get(resource.id)
        return target.arn if target is not None else iam_arn(resource)

    def target_of(self, principal: Resource) -> Target:
        return self._targets[principal.id]

    def note_trust(self, role: Resource, at: Any, text: str) -> None:
        """Say once, on the role, that its trust policy cannot be read in full."""
        self._trust_notes.setdefault(role.id, []).append((at, text))

    def members(self, group: Resource) -> list[Resource]:
        return list(self._members.get(group.id, ()))

    def groups_of(self, user: Resource) -> list[Resource]:
        return list(self._groups_of.get(user.id, ()))

    # -- steps -----------------------------------------------------------------------------
    def steps_from(self, principal: Resource) -> list[Step]:
        if self._steps is None:
            self._build()
        assert self._steps is not None
        return self._steps.get(principal.id, [])

    def maybe(self, principal: Resource) -> list[Maybe]:
        if self._steps is None:
            self._build()
        return self._maybe.get(principal.id, [])

    def trust_notes(self, role: Resource) -> list[tuple[Any, str]]:
        if self._steps is None:
            self._build()
        return self._trust_notes.get(role.id, [])

    def _build(self) -> None:
        self._steps = {}
        assume = self._assume_steps()
        for principal in self.principals:
            self._steps[principal.id] = list(assume.get(principal.id, ()))
        for principal in self.principals:
            if self.is_admin(principal):
                continue  # nothing to escalate to
            found: list[Step] = []
            for item in methods():
                found.extend(self._method_steps(principal, item, assume.get(principal.id, ())))
            if self.is_admin(principal, conditional=True):
                # already an administrator under the same conditions: only an unconditional
                # step is a way up (out of the condition)
                found = [step for step in found if not step.conditional]
            self._steps[principal.id].extend(found)

    # -- sts:AssumeRole --------------------------------------------------------------------
    def _assume_steps(self) -> dict[str, list[Step]]:
        out: dict[str, list[Step]] = {}
        for role in self.roles:
            admitted = trusted(self, role)
            if not admitted:
                continue
            target = self.target_of(role)
            principals = self.deployed_with(role, "principals")
            if all(ids is not None for _, ids, _, _ in admitted):  # only named principals: just those
                named_ids = set().union(*(ids for _, ids, _, _ in admitted if ids is not None))
                if len(named_ids) < len(principals):
                    position = self._position(role.scope)
                    principals = sorted(
                        (self.graph.get(i) for i in named_ids if i in position), key=lambda p: position[p.id]
                    )
            for principal in principals:
                if principal.id == role.id:
                    continue
                for stmt, ids, named, guards in admitted:
                    if ids is not None and principal.id not in ids:
                        continue
                    step = self._assume_step(principal, role, target, stmt, named, guards)
                    if step is not None:
                        out.setdefault(principal.id, []).append(step)
                        break
        return out

    def _assume_step(
        self,
        principal: Resource,
        role: Resource,
        target: Target,
        trust: Statement,
        explicit: bool,
        trust_guards: list[str],
    ) -> Step | None:
        perms = self.permissions(principal)
        supports: list[Support] = []
        if perms.has_action("sts:AssumeRole"):
            grants = perms.grants_for("sts:AssumeRole", target)
            supports = [Support("sts:AssumeRole", g, guard_texts(g)) for g in best_grants(grants)]
        if not supports:
            if not explicit or principal.type in GROUP_TYPES:
                return None
            # the trust policy names the caller: no identity grant needed in the same account,
            # but an unconditional Deny still blocks it (and, for a role, its boundary)
            if denied(perms, "sts:AssumeRole", target):
                return None
            if principal.type in ROLE_TYPES and not perms.within_boundary("sts:AssumeRole", target):
                return None
        return Step(
            principal,
            role,
            None,
            supports=supports,
            trust=trust,
            on=role.address,
            guards=list(trust_guards),
        )

    def assumable(self, principal: Resource) -> list[Resource]:
        return [s.target for s in self.steps_from(principal) if s.method is None and s.target is not None]

    # -- methods ---------------------------------------------------------------------------
    def _method_steps(self, principal: Resource, item: Method, assume: Iterable[Step]) -> list[Step]:
        perms = self.permissions(principal)
        for req in item.requires:
            if not any(perms.has_action(a) for a in req.actions):
                return []
        side: list[Support] = []
        for req in item.requires:
            if req.on != "any":
                continue
            support = any_grant(perms, req.actions)
            if support is None:
                return []
            side.append(support)
        req = item.target_requirement
        # further requirements on the same resource (ec2:StopInstances on the instance whose user data
        # changes): each must be granted on it too
        same = [r for r in item.requires if r is not req and r.on == req.on]
        steps: list[Step] = []
        for target_principal, via, resource, on in candidates(self, principal, req, assume):
            if (item.makes_admin or item.empowers) and req.on != "own-boundary" and self._capped(target_principal):
                continue  # new policies cannot take it past its permission boundary
            supports = self._supports(perms, req, resource, target_principal)
            for other in same if supports else ():
                found = self._supports(perms, other, resource, target_principal)
                supports = supports + found if found else []
            if not supports:
                continue
            guards = [item.guard] if item.guard else []
            if via is not None and via.id in self._compute_guards:  # a template nothing launches from
                guards.append(self._compute_guards[via.id])
            ordered = _in_order(item, supports + side)
            steps.append(Step(principal, target_principal, item, supports=ordered, via=via, on=on, guards=guards))
        broad = [] if item.empowers else self._broad(principal, perms, req)  # only principals a path reaches
        for other in same if broad else ():
            found = self._broad(principal, perms, other)
            broad = broad + found if found else []
        if broad:
            steps.append(
                Step(principal, None, item, supports=_in_order(item, broad + side), on=broad_words(req.on), broad=True)
            )
        if not steps and req.on in PRINCIPAL_KINDS + COMPUTE_KINDS:
            self._maybe_unknown(principal, perms, item, req)
        return steps

    def _capped(self, principal: Resource) -> bool:
        """Does a known permission boundary keep the principal below administrator access?"""
        perms = self.permissions(principal)
        if not perms.boundaries or any(b.document.unknown is not None for b in perms.boundaries):
            return False
        return not perms.within_boundary("*", "*")

    def _supports(
        self, perms: Permissions, req: Requirement, resource: Target, target: Resource | None
    ) -> list[Support]:
        for action in req.actions:
            if not perms.has_action(action):
                continue
            if not action_fits(self.catalog, action, resource):
                continue
            asked = request_context(self, perms.principal, action, req, resource)
            key = (id(perms), action, asked)
            grants = self._grants.get(key)
            if grants is None:
                grants = self._grants[key] = perms.grants_for(action, asked)
            if grants:
                return [Support(action, g, guard_texts(g)) for g in best_grants(grants)]
        return []

    def _broad(self, principal: Resource, perms: Permissions, req: Requirement) -> list[Support]:
        """Grants of the requirement's action on any resource of its kind, including ones that
        are not in the code (``*``, ``role/*``)."""
        arn = broad_arn(req.on)
        if arn is None:
            return []
        if req.on == "group" and principal.type in ROLE_TYPES:
            return []
        target = Target(arn, None, (("aws:username", "\x01"),))
        for action in req.actions:
            if not perms.has_action(action):
                continue
            kinds = ("user", "role", "group", "passed-role", "new-role", "new-user")
            if req.on in kinds and not kind_fits(self.catalog, action, req.on):
                continue
            grants = perms.grants_for(action, request_context(self, principal, action, req, target))
            if grants:
                return [Support(action, g, guard_texts(g)) for g in best_grants(grants)]
        return []

    def _maybe_unknown(self, principal: Resource, perms: Permissions, item: Method, req: Requirement) -> None:
        for stmt, _ in perms.statements("Allow"):
            unknown = stmt.unknown_in("Resource")
            if unknown is None or stmt.resource_patterns:
                continue
            if any(statement_covers_action(stmt, a) for a in req.actions):
                self._maybe.setdefault(principal.id, []).append(Maybe(principal, item, stmt, describe_unknown(unknown)))
                return

    def roles_trusting(self, scope: str, service: str) -> list[Resource]:
        """Roles of a deployment that ``service`` may assume, in order; once per deployment and service
        (every principal that may pass roles asks for them)."""
        key = (scope, service)
        found = self._trusting.get(key)
        if found is None:
            roles = self._deployment.get(scope, {}).get("roles", [])
            found = self._trusting[key] = [role for role in roles if self._trusts_service(role, service)]
        return found

    def _trusts_service(self, role: Resource, service: str) -> bool:
        """Does the role's trust policy let ``service`` assume it? Unknown trust: assume it does."""
        key = (role.id, service)
        if key not in self._service_trust:
            self._service_trust[key] = trusts_service(self.graph, role, service)
        return self._service_trust[key]

    def deployed_with_scope(self, scope: str, kind: str) -> list[Resource]:
        """Principals of ``kind`` ("principals", "roles", "users", "groups") of one deployment."""
        return self._deployment.get(scope, {}).get(kind, [])

    def federated_roles(self, scope: str) -> list[tuple[Resource, Any, str, Resource | None]]:
        """Roles of a deployment that trust a SAML or OIDC provider (once per deployment)."""
        from iamready.iam.escalation.targets import federated_roles

        found = self._federated.get(scope)
        if found is None:
            found = self._federated[scope] = federated_roles(self, scope)
        return found

    def managed_policies_of(self, principal: Resource) -> list[Resource]:
        """The customer-managed policies (from the code) attached to a principal or its groups."""
        found = self._managed_of.get(principal.id)
        if found is None:
            holders: dict[str, Resource] = {}
            for attached in self.permissions(principal).attached:
                doc = attached.document
                if doc.via == "managed" and not doc.aws_managed:
                    holders.setdefault(doc.holder.id, doc.holder)
            found = self._managed_of[principal.id] = list(holders.values())
        return found

    def empowering(self, actors: Iterable[Resource], target: Resource, allow_conditional: bool) -> Step | None:
        """A step by which one of ``actors`` makes ``target`` an administrator (attaching a policy to
        it, writing its inline policy, a new version of its managed policy)."""
        for actor in dict.fromkeys(actors):
            for step in self.steps_from(actor):
                if step.method is None or not step.method.empowers or step.target is not target:
                    continue
                if step.conditional and not allow_conditional:
                    continue
                return step
        return None

    def admin_policy_arns(self, scope: str) -> tuple[str, ...]:
        """ARNs of the policies an escalation would attach: AWS's administrator policies and the
        customer-managed policies of the deployment that allow everything."""
        found = self._admin_policies.get(scope)
        if found is None:
            arns = [f"arn:aws:iam::aws:policy/{name}" for name in sorted(admin_equivalent())]
            for doc in self.graph.policies:
                if doc.via != "managed" or doc.aws_managed or doc.holder.scope != scope or doc.kind != IDENTITY:
                    continue
                if any(s.allows and not s.conditions and _allows_everything(s) for s in doc.statements):
                    arns.append(iam_arn(doc.holder))
            found = self._admin_policies[scope] = tuple(dict.fromkeys(arns))
        return found

    def passed_role_users(self, role: Resource, service: str) -> list[str]:
        """How the resources of the code already hand ``role`` to ``service`` ("the role of
        aws_glue_job.nightly", "the administration role of aws_cloudformation_stack_set.baseline")."""
        if self._role_users is None:
            from iamready.iam.escalation.compute import passed_role_users

            self._role_users = passed_role_users(self.graph)
        return self._role_users.get((role.id, service), [])

    # -- existing compute ------------------------------------------------------------------
    def compute(self, kind: str) -> list[ComputeUse]:
        """(compute resource, role it runs as, its ARN, words) for functions, instances, ... in the code."""
        if self._compute is None:
            self._compute = find_compute(self.graph)
            self._compute_guards = {
                use.resource.id: use.guard for uses in self._compute.values() for use in uses if use.guard
            }
        return self._compute.get(kind, [])

    # -- paths -----------------------------------------------------------------------------
    def paths_from(self, start: Resource) -> list[Path]:
        """Shortest paths from ``start`` to administrator access, one per administrator reached,
        shortest first. Paths over unconditional steps are preferred; a conditional path is
        kept only for an administrator no unconditional path reaches."""
        if start.id in self._paths:
            return self._paths[start.id]
        found: dict[str, Path] = {}
        for allow_conditional in (False, True):
            for path in self._search(start, allow_conditional):
                last = path.steps[-1].target
                key = path.admin.id if path.admin is not None else f"{last.id if last else ''}#admin"
                if key not in found:
                    found[key] = path
        result = sorted(found.values(), key=lambda p: (p.conditional, p.length, p.signature))
        self._paths[start.id] = result
        return result

    def _search(self, start: Resource, allow_conditional: bool) -> list[Path]:
        if self.is_admin(start):
            return []
        out: list[Path] = []
        seen = {start.id}
        queue: deque[tuple[Resource, list[Step]]] = deque([(start, [])])
        while queue:
            node, path = queue.popleft()
            for step in self.steps_from(node):
                if step.broad or step.target is None:
                    continue
                if step.conditional and not allow_conditional:
                    continue
                if step.method is not None and step.method.empowers:
                    continue  # it makes another principal administrator: ends a path (below), never continues one
                route = [*path, step]
                if step.makes_admin:
                    out.append(Path(start, route, None))
                    continue
                target = step.target
                if target.id in seen:
                    continue
                seen.add(target.id)
                if self.is_admin(target):
                    out.append(Path(start, route, target))
                    continue
                if allow_conditional and self.is_admin(target, conditional=True):
                    guards = [g for grant in self.admin_grants(target) for g in guard_texts(grant)]
                    out.append(Path(start, route, target, list(dict.fromkeys(guards))))
                    continue
                # the caller (or a principal it became on the way) makes the principal it now acts as
                # an administrator: UpdateAssumeRolePolicy then AttachRolePolicy, CreateAccessKey then
                # PutUserPolicy
                empower = self.empowering([start, *(s.source for s in route)], target, allow_conditional)
                if empower is not None:
                    out.append(Path(start, [*route, empower], None))
                    continue
                queue.append((target, route))
        return out


def _allows_everything(stmt: Statement) -> bool:
    return any(p in ("*", "*:*") for p in stmt.action_patterns) and "*" in stmt.resource_patterns


def _in_order(item: Method, supports: list[Support]) -> list[Support]:
    """The supports in the order of the method's requirements (iam:CreateRole, then iam:AttachRolePolicy)."""
    rank = {action: index for index, req in enumerate(item.requires) for action in req.actions}
    return sorted(supports, key=lambda s: rank.get(s.action, len(rank)))
