"""Resource policy allows everyone with no condition that narrows the callers

A resource policy of any service that has them (S3 buckets and access points, KMS keys, SNS
topics, SQS queues, Secrets Manager secrets, ECR and ECR Public repositories, Glacier vaults,
OpenSearch/Elasticsearch domains, API Gateway REST APIs, EFS file systems, Backup vaults,
EventBridge buses, the Glue Data Catalog, CodeArtifact domains and repositories, CloudWatch Logs,
DynamoDB, Kinesis, ...; the list is data in `iamready.aws.links.RESOURCE_POLICIES`), or a Lambda
permission (`aws_lambda_permission`, `AWS::Lambda::Permission`: a statement of the function's
policy, whose `source_arn`, `source_account` and `principal_org_id` are its conditions), has an
Allow statement with `Principal: "*"` (or
`{"AWS": "*"}`, or a `NotPrincipal` in an Allow) and nothing that narrows who may call: no
condition on `aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:PrincipalArn`,
`aws:PrincipalAccount`, `aws:SourceVpce`, `aws:SourceIp`, `kms:CallerAccount`, ... compared
positively with specific values, and no Deny in the same policy that denies everyone outside
such a set (`StringNotEquals aws:PrincipalOrgID`). `...IfExists` and `ForAllValues:` on these keys
do not count (the key is missing from many requests and then matches), nor do `aws:PrincipalTag`
or `aws:SecureTransport`. A Deny with `Principal: "*"` is a restriction, never a grant.

Public read of an S3 bucket configured as a static website (`aws_s3_bucket_website_configuration`,
`website` on provider v3, `WebsiteConfiguration`) is the purpose of such a bucket and is not
reported when the statement allows only List and Read actions. Buckets that a CloudTrail trail or
a Cost and Usage Report writes to are reported by AWS-S3-007, with their writers, instead.

Severity is critical when the statement allows a wildcard, `NotAction`, or a Write, Permissions
management or Tagging action, high for reads.

## Why is this bad?
`"*"` is every principal of every AWS account and, for S3, anonymous users on the internet: the
bucket's objects, the queue's messages or the secret's value are exposed to anyone who knows the
resource name. With write access, anyone can plant data, delete it, or run up costs. Checklist
item 2.11 asks for conditions on every such grant.

## How to fix
Name the principals that need access, or keep `"*"` only with a condition that pins the caller:
`aws:SourceArn` / `aws:SourceAccount` for an AWS service writing on your behalf, `aws:PrincipalOrgID`
for your organisation, `aws:SourceVpce` for access through your VPC endpoint. For public content,
serve it through CloudFront with origin access control instead of a public bucket.

Terraform: add a `condition` block to the `aws_iam_policy_document` statement (or replace the
`principals`). CloudFormation: add `Condition` to the statement of the resource's policy document.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
- https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.everyone import open_to_everyone
from iamready.iam.policy import PolicyDocument
from iamready.iam.statements import beyond_read, label, summarise, when_suffix
from iamready.model.graph import Graph, Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-036",
    name="aws-iam-resource-policy-allows-everyone",
    severity=Severity.HIGH,
    checklist=("2.11",),
    on="policy",
    policy_kinds=("resource",),
    tags=("public", "conditions"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    for item in open_to_everyone(doc, ctx, "resource policy", "who it grants access to"):
        if isinstance(item, Unresolved):
            yield item
            continue
        stmt = item.stmt
        if doc.targets and all(bucket.id in ctx.log_buckets for bucket in doc.targets):
            continue  # CloudTrail / billing buckets: AWS-S3-007 reports them with their writers
        writes = beyond_read(stmt, ctx.catalog)
        if not writes and doc.targets and all(_website(bucket, ctx.graph) for bucket in doc.targets):
            continue  # public read of a static website bucket is what the bucket is for
        if stmt.not_actions is not None:
            what = f"every action except {summarise(stmt.not_action_patterns)}"
        else:
            what = summarise(stmt.action_patterns) or "actions that are not known"
        if item.unknown is not None:
            yield Unresolved(
                f"{label(stmt)} allows {what} to {item.who}; whether a condition limits the callers is not known "
                f"({item.unknown})",
                at=stmt,
            )
            continue
        yield Finding(
            f"{label(stmt)} allows {what} to {item.who}: {item.detail('do not limit who the callers are')}"
            f"{when_suffix(stmt)}",
            at=stmt,
            severity=Severity.CRITICAL if writes else Severity.HIGH,
        )


def _website(bucket: Resource, graph: Graph) -> bool:
    if bucket.type == "AWS::S3::Bucket":
        return bucket.attr("WebsiteConfiguration").is_set
    if bucket.type != "aws_s3_bucket":
        return False
    if bucket.attr("website").is_set:
        return True
    return bool(graph.referrers(bucket, type="aws_s3_bucket_website_configuration", kind="configures"))
