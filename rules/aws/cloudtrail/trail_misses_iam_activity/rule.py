"""CloudTrail trail leaves out management or global service events

A CloudTrail trail's event selectors exclude management events (or keep only read-only
ones), or the trail sets `include_global_service_events` / `IncludeGlobalServiceEvents` to
`false`.

## Why is this bad?
User activity is management events: console sign-ins, `CreateUser`, `AttachRolePolicy`,
`CreateAccessKey`, `StopLogging`. A trail whose basic selectors set
`include_management_events = false`, whose advanced selectors select no `eventCategory`
`Management`, or that records read-only management events, leaves exactly those out. IAM
and STS are global services: without global service events the trail records none of their
calls (checklist item 2.12). A trail that only records data events has its uses, but it does
not monitor users.

## How to fix
Terraform: in `event_selector`, keep `include_management_events = true` and
`read_write_type = "All"` (or add an `advanced_event_selector` with a `field_selector`
`field = "eventCategory"`, `equals = ["Management"]` and no `readOnly` filter), and keep
`include_global_service_events = true`. CloudFormation: the same in `EventSelectors` /
`AdvancedEventSelectors` and `IncludeGlobalServiceEvents: true`.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events
"""

from collections.abc import Iterator

from iamready.aws.s3 import cases, truth, why
from iamready.context import Context
from iamready.model import Resource, Value
from iamready.rule import Finding, Severity, Unresolved, rule

NAMES = {
    "terraform": {
        "global": "include_global_service_events",
        "basic": "event_selector",
        "include": "include_management_events",
        "rw": "read_write_type",
        "advanced": "advanced_event_selector",
        "fields": "field_selector",
        "field": "field",
        "equals": "equals",
    },
    "cloudformation": {
        "global": "IncludeGlobalServiceEvents",
        "basic": "EventSelectors",
        "include": "IncludeManagementEvents",
        "rw": "ReadWriteType",
        "advanced": "AdvancedEventSelectors",
        "fields": "FieldSelectors",
        "field": "Field",
        "equals": "Equals",
    },
}


@rule(
    id="AWS-CLOUDTRAIL-006",
    name="aws-cloudtrail-trail-misses-iam-activity",
    severity=Severity.MEDIUM,
    checklist=("2.12",),
    targets={"terraform": ["aws_cloudtrail"], "cloudformation": ["AWS::CloudTrail::Trail"]},
    tags=("logging", "monitoring"),
)
def check(trail: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    names = NAMES[trail.framework]
    glob = trail.attr(names["global"])
    for case in cases(glob):
        on = truth(case.value, default=True)
        when = f" ({case.when})" if case.when else ""
        if on is None:
            yield Unresolved(
                f"whether global service events are recorded is not known ({why(case.value)}){when}", at=glob
            )
        elif not on:
            yield Finding(
                f"trail records no global service events, so IAM and STS calls are missing ({names['global']} is "
                f"false){when}",
                at=glob,
            )
    advanced = trail.attr(names["advanced"])
    basic = trail.attr(names["basic"])
    for value in (advanced, basic):
        if value.is_unknown:
            yield Unresolved(f"the trail's event selectors are not known ({value.why_unknown})", at=value)
            return
    if advanced.is_set and advanced.as_list():
        yield from _advanced(advanced, names)
    elif basic.is_set and basic.as_list():
        yield from _basic(basic, names)


def _advanced(selectors: Value, names: dict[str, str]) -> Iterator[Finding | Unresolved]:
    management = []
    for selector in selectors.items():
        fields = {}
        for item in selector.get(names["fields"]).items():
            field = item.get(names["field"]).raw
            if isinstance(field, str):
                fields[str(field)] = [str(v) for v in item.get(names["equals"]).as_list() if isinstance(v, str)]
        if "Management" in fields.get("eventCategory", []):
            management.append((selector, fields))
    if not management:
        yield Finding(
            f"trail's {names['advanced']} select no management events (no eventCategory Management), so user "
            "activity is not recorded",
            at=selectors,
        )
    elif all(fields.get("readOnly") == ["true"] for _, fields in management):
        yield Finding(
            f"trail's {names['advanced']} select read-only management events only, so changes made by users are "
            "not recorded",
            at=management[0][0],
        )


def _basic(selectors: Value, names: dict[str, str]) -> Iterator[Finding | Unresolved]:
    management = []
    for selector in selectors.items():
        include = selector.get(names["include"])
        on = truth(include.raw, default=True)
        if on is None:
            yield Unresolved(
                f"whether an event selector includes management events is not known ({include.why_unknown})",
                at=include,
            )
            return
        if on:
            management.append(selector)
    if not management:
        yield Finding(
            f"trail's event selectors set {names['include']} to false, so user activity (management events) is not "
            "recorded",
            at=selectors,
        )
        return
    kinds = {str(s.get(names["rw"]).raw) if s.get(names["rw"]).is_set else "All" for s in management}
    if kinds == {"ReadOnly"}:
        yield Finding(
            f"trail's event selectors record read-only management events only ({names['rw']} is ReadOnly), so "
            "changes made by users are not recorded",
            at=management[0].get(names["rw"]),
        )
