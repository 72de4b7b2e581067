"""CloudTrail trail records one region only

A CloudTrail trail is not multi-region: `is_multi_region_trail` (Terraform) or
`IsMultiRegionTrail` (CloudFormation) is not `true`, and both default to `false`.

## Why is this bad?
A single-region trail records API activity in its home region only. An intruder who creates
users, keys or instances in a region nobody uses leaves no trace in it, and new regions AWS
enables later are not covered either (checklist item 2.12). A multi-region trail also picks
up global service events (IAM, STS, CloudFront) once, from us-east-1.

## How to fix
Terraform: set `is_multi_region_trail = true` on the `aws_cloudtrail` (and keep
`include_global_service_events = true`). CloudFormation: set `IsMultiRegionTrail: true` on
the `AWS::CloudTrail::Trail`. An organisation trail (`is_organization_trail` /
`IsOrganizationTrail`) should be multi-region too.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
"""

from collections.abc import Iterator

from iamready.aws.settings import setting_off
from iamready.context import Context
from iamready.model import Resource
from iamready.rule import Finding, Severity, Unresolved, rule

ATTR = {"terraform": "is_multi_region_trail", "cloudformation": "IsMultiRegionTrail"}


@rule(
    id="AWS-CLOUDTRAIL-001",
    name="aws-cloudtrail-trail-not-multi-region",
    severity=Severity.MEDIUM,
    checklist=("2.12",),
    targets={"terraform": ["aws_cloudtrail"], "cloudformation": ["AWS::CloudTrail::Trail"]},
    tags=("logging", "monitoring"),
)
def check(trail: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from setting_off(
        trail,
        ATTR,
        default=False,
        off="trail records its home region only",
        unknown="whether the trail covers every region is not known",
    )
