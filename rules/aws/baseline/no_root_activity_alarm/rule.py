"""No alarm on root user activity is defined in the account baseline

Baseline profile (`--profile baseline`). A scanned scope (a Terraform root module with the
modules it calls, or a CloudFormation template) has no CloudWatch Logs metric filter on the
CloudTrail log group matching root activity (`$.userIdentity.type = "Root"`) with an alarm on
its metric (or an EventBridge rule matching root activity), or it has such a filter but no
alarm watches the filter's metric. Each scope is judged on its own; scan the code that manages
the account baseline with this profile.

## Why is this bad?
The root user should almost never be used; any sign-in or API call as root is either one of
the rare tasks that need it or an attacker with the keys to the account. Without an alarm, root
activity goes unnoticed until the damage shows (checklist 1.1, 1.3).

## How to fix
On the log group CloudTrail delivers to, add a metric filter with the pattern
`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !=
"AwsServiceEvent" }` (`aws_cloudwatch_log_metric_filter` / `AWS::Logs::MetricFilter`) and an
alarm on its metric (`aws_cloudwatch_metric_alarm` / `AWS::CloudWatch::Alarm`, threshold 1,
notifying an SNS topic someone reads). An EventBridge rule on the same condition with a
target works too.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html
- https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
"""

import json
import re
from collections.abc import Iterator
from typing import Any

from iamready.aws.account_baseline import Scope, scopes
from iamready.context import Context
from iamready.model.graph import Graph, Resource
from iamready.model.value import Value, plain
from iamready.rule import Finding, Severity, Unresolved, rule

FILTERS = ("aws_cloudwatch_log_metric_filter", "AWS::Logs::MetricFilter")
ALARMS = ("aws_cloudwatch_metric_alarm", "AWS::CloudWatch::Alarm")
EVENT_RULES = ("aws_cloudwatch_event_rule", "AWS::Events::Rule")
_ROOT_PATTERN = re.compile(r"userIdentity\.type\s*=\s*\"?Root\b")


@rule(
    id="AWS-BASELINE-003",
    name="aws-baseline-no-root-activity-alarm",
    severity=Severity.MEDIUM,
    checklist=("1.1", "1.3"),
    on="project",
    profile="baseline",
    tags=("baseline", "monitoring", "root"),
)
def check(graph: Graph, ctx: Context) -> Iterator[Finding | Unresolved]:
    for scope in scopes(ctx):
        yield from _check_scope(graph, scope)


def _check_scope(graph: Graph, scope: Scope) -> Iterator[Finding | Unresolved]:
    if any(_root_event_rule(r) for r in scope.resources(graph, EVENT_RULES)):
        return
    root_filters: list[Resource] = []
    unknown: list[tuple[Resource, Value]] = []
    for item in scope.resources(graph, FILTERS):
        pattern = item.attr("FilterPattern" if item.framework == "cloudformation" else "pattern")
        if pattern.is_unknown:
            unknown.append((item, pattern))
        elif pattern.is_known and _ROOT_PATTERN.search(str(pattern.raw)):
            root_filters.append(item)
    if not root_filters:
        if unknown:
            item, pattern = unknown[0]
            yield Unresolved(
                f"{scope.label}: whether {item.address} matches root activity is not known ({pattern.why_unknown})",
                at=pattern,
                resource=item,
            )
            return
        yield Finding(
            f"{scope.label} defines no metric filter and alarm (nor EventBridge rule) for root user activity",
            at=scope.span,
            key=scope.id,
        )
        return
    watched = {m for alarm in scope.resources(graph, ALARMS) for m in _alarm_metrics(alarm)}
    if any(set(_filter_metrics(f)) & watched for f in root_filters):
        return
    for item in root_filters:
        names = ", ".join(f"{ns}/{name}" for ns, name in _filter_metrics(item)) or "its metric"
        yield Finding(
            f"{scope.label}: metric filter counts root activity into {names}, but no alarm watches that metric",
            at=item.span,
            resource=item,
        )


def _filter_metrics(item: Resource) -> list[tuple[str, str]]:
    if item.framework == "cloudformation":
        pairs = [
            (t.get("MetricNamespace").raw, t.get("MetricName").raw) for t in item.attr("MetricTransformations").items()
        ]
    else:
        pairs = [(t.get("namespace").raw, t.get("name").raw) for t in item.attr("metric_transformation").items()]
    return [(str(ns), str(name)) for ns, name in pairs if isinstance(ns, str) and isinstance(name, str)]


def _alarm_metrics(alarm: Resource) -> list[tuple[str, str]]:
    cfn = alarm.framework == "cloudformation"
    pairs = [
        (alarm.attr("Namespace" if cfn else "namespace").raw, alarm.attr("MetricName" if cfn else "metric_name").raw)
    ]
    queries = alarm.attr("Metrics" if cfn else "metric_query")
    for query in queries.items():
        metric = query.get("MetricStat.Metric" if cfn else "metric")
        pairs.append(
            (
                metric.get("Namespace" if cfn else "namespace").raw,
                metric.get("MetricName" if cfn else "metric_name").raw,
            )
        )
    return [(str(ns), str(name)) for ns, name in pairs if isinstance(ns, str) and isinstance(name, str)]


def _root_event_rule(item: Resource) -> bool:
    pattern = item.attr("EventPattern" if item.framework == "cloudformation" else "event_pattern")
    if not pattern.is_known:
        return False
    raw: Any = pattern.raw
    doc = getattr(raw, "doc", None)  # jsonencode(...) keeps its structure
    if doc is not None:
        raw = doc
    text = str(raw) if isinstance(raw, str) else json.dumps(plain(raw), default=str)
    return "userIdentity" in text and '"Root"' in text
