"""CloudTrail trail logs are not encrypted with a KMS key

A CloudTrail trail has no `kms_key_id` (Terraform) or `KMSKeyId` (CloudFormation), so its log
files are only encrypted with S3-managed keys (SSE-S3).

## Why is this bad?
SSE-S3 protects the disks, not the data: anyone who may read the bucket reads the logs. With
SSE-KMS, reading a log file also needs `kms:Decrypt` on a customer managed key whose policy
you control and whose every use CloudTrail records, a second, independent gate on the audit
trail (checklist item 5.2). S3 already encrypts every new object by default, so
this is reported on the trail, where the key is chosen.

## How to fix
Create a customer managed KMS key whose key policy lets `cloudtrail.amazonaws.com` call
`kms:GenerateDataKey*` (with an `aws:SourceArn` condition naming the trail) and lets your
log readers decrypt, then reference it from the trail.

Terraform: `kms_key_id = aws_kms_key.trail.arn` on the `aws_cloudtrail`. CloudFormation:
`KMSKeyId: !GetAtt TrailKey.Arn` on the `AWS::CloudTrail::Trail`.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
"""

from collections.abc import Iterator

from iamready.aws.s3 import cases, why
from iamready.context import Context
from iamready.model import MISSING, Resource, Unknown
from iamready.rule import Finding, Severity, Unresolved, rule

ATTR = {"terraform": "kms_key_id", "cloudformation": "KMSKeyId"}


@rule(
    id="AWS-CLOUDTRAIL-005",
    name="aws-cloudtrail-trail-not-kms-encrypted",
    severity=Severity.MEDIUM,
    checklist=("5.2",),
    targets={"terraform": ["aws_cloudtrail"], "cloudformation": ["AWS::CloudTrail::Trail"]},
    tags=("logging", "encryption"),
)
def check(trail: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    name = ATTR[trail.framework]
    value = trail.attr(name)
    for case in cases(value):
        when = f" ({case.when})" if case.when else ""
        if isinstance(case.value, Unknown):
            yield Unresolved(f"whether the trail has a KMS key is not known ({why(case.value)}){when}", at=value)
        elif case.value is MISSING or case.value is None or case.value == "":
            yield Finding(f"trail log files are not encrypted with a KMS key ({name} is not set){when}", at=value)
