"""CloudTrail trail does not send events to CloudWatch Logs

A CloudTrail trail has no CloudWatch Logs log group (`cloud_watch_logs_group_arn` /
`CloudWatchLogsLogGroupArn`), or names one without the role CloudTrail needs to write to it
(`cloud_watch_logs_role_arn` / `CloudWatchLogsRoleArn`).

## Why is this bad?
Log files in S3 are for investigations after the fact. Monitoring user activity (checklist
item 2.12) means noticing it while it happens: root sign-ins, IAM policy changes, console
logins without MFA, CloudTrail being stopped. Those alarms are CloudWatch Logs metric
filters on the trail's log group; without the integration there is nothing to alarm on. A
log group without a delivery role receives nothing.

## How to fix
Create a log group and a role that `cloudtrail.amazonaws.com` can assume with
`logs:CreateLogStream` and `logs:PutLogEvents` on that group, and reference both.

Terraform: `cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"` and
`cloud_watch_logs_role_arn = aws_iam_role.trail_logs.arn` on the `aws_cloudtrail`.
CloudFormation: `CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn` and
`CloudWatchLogsRoleArn: !GetAtt TrailLogsRole.Arn` on the `AWS::CloudTrail::Trail`.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
"""

from collections.abc import Iterator

from iamready.aws.s3 import cases, why
from iamready.context import Context
from iamready.model import MISSING, Resource, Unknown
from iamready.rule import Finding, Severity, Unresolved, rule

ATTRS = {
    "terraform": ("cloud_watch_logs_group_arn", "cloud_watch_logs_role_arn"),
    "cloudformation": ("CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn"),
}


@rule(
    id="AWS-CLOUDTRAIL-004",
    name="aws-cloudtrail-trail-without-cloudwatch-logs",
    severity=Severity.LOW,
    checklist=("2.12",),
    targets={"terraform": ["aws_cloudtrail"], "cloudformation": ["AWS::CloudTrail::Trail"]},
    tags=("logging", "monitoring"),
)
def check(trail: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    group_attr, role_attr = ATTRS[trail.framework]
    group = trail.attr(group_attr)
    role = trail.attr(role_attr)
    for case in cases(group):
        when = f" ({case.when})" if case.when else ""
        if isinstance(case.value, Unknown):
            yield Unresolved(
                f"whether the trail has a CloudWatch Logs group is not known ({why(case.value)}){when}", at=group
            )
        elif _unset(case.value):
            yield Finding(f"trail sends no events to CloudWatch Logs ({group_attr} is not set){when}", at=group)
        elif _unset(role.raw):
            yield Finding(
                f"trail names a CloudWatch Logs group but no {role_attr}, so CloudTrail cannot deliver to it{when}",
                at=group,
            )


def _unset(raw: object) -> bool:
    return raw is MISSING or raw is None or raw == ""
