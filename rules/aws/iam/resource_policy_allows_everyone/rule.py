"""Resource policy allows everyone with no condition that narrows the callers

A resource policy of any service that has them (S3 buckets and access points, KMS keys, SNS
topics, SQS queues, Secrets Manager secrets, ECR and ECR Public repositories, Glacier vaults,
OpenSearch/Elasticsearch domains, API Gateway REST APIs, EFS file systems, Backup vaults,
EventBridge buses, the Glue Data Catalog, CodeArtifact domains and repositories, CloudWatch Logs,
DynamoDB, Kinesis, ...; the list is data in `iamready.aws.links.RESOURCE_POLICIES`), or a Lambda
permission (`aws_lambda_permission`, `AWS::Lambda::Permission`: a statement of the function's
policy, whose `source_arn`, `source_account` and `principal_org_id` are its conditions; a Lambda
function URL with auth type `NONE` is such a statement: the one written, the one SAM adds for
`FunctionUrlConfig: {AuthType: NONE}`, or the one the AWS provider adds for `aws_lambda_function_url`
with `authorization_type = "NONE"`), has an
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

A function URL is reported once, at the statement allowing `lambda:InvokeFunctionUrl`; its companion
allowing `lambda:InvokeFunction` only through the URL (`InvokedViaFunctionUrl`) is decided by it. A
permission for auth type `NONE` on a function whose URLs in the code all use `AWS_IAM` never applies
and is not reported (a URL made outside the code, or an auth type not known, keeps it reported).

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
serve it through CloudFront with origin access control instead of a public bucket. A function URL:
set its auth type to `AWS_IAM` (SAM `FunctionUrlConfig.AuthType`, `AWS::Lambda::Url` `AuthType`,
Terraform `authorization_type`) and grant `lambda:InvokeFunctionUrl` to the callers, or put it behind
CloudFront with origin access control.

Terraform: add a `condition` block to the `aws_iam_policy_document` statement (or replace the
`principals`). CloudFormation: add `Condition` to the statement of the resource's policy document.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
- https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
- https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.everyone import open_to_everyone
from iamready.iam.policy import PolicyDocument, Statement
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
        if _via_function_url(stmt):
            continue  # callable only through the function URL: the statement allowing the URL says it
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
        if _public_url(stmt):
            if _urls_require_signing(doc, ctx.graph):
                continue  # the condition is the URL's auth type, and every URL of the function is AWS_IAM
            yield Finding(
                f"{label(stmt)} allows {what} to {item.who} with the URL's auth type NONE: anyone on the internet can "
                f"call the function URL without signing the request{_added_by(doc)}{when_suffix(stmt)}",
                at=stmt,
                severity=Severity.CRITICAL if writes else Severity.HIGH,
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


# Lambda function URLs: a statement of the function's policy allowing lambda:InvokeFunctionUrl when the URL's
# auth type is NONE is the public URL; lambda:InvokeFunction limited to calls through the URL
# (lambda:InvokedViaFunctionUrl) is its companion, decided by the first.
def _condition_values(stmt: Statement, key: str) -> list[str] | None:
    for condition in stmt.conditions:
        if condition.key_lower == key and not condition.negated and condition.set_operator is None:
            return [str(value).lower() for value in condition.values]
    return None


def _public_url(stmt: Statement) -> bool:
    return _condition_values(stmt, "lambda:functionurlauthtype") == ["none"] and all(
        pattern.lower() == "lambda:invokefunctionurl" for pattern in stmt.action_patterns
    )


def _via_function_url(stmt: Statement) -> bool:
    return _condition_values(stmt, "lambda:invokedviafunctionurl") == ["true"] and all(
        pattern.lower() == "lambda:invokefunction" for pattern in stmt.action_patterns
    )


_FUNCTIONS = ("aws_lambda_function", "AWS::Lambda::Function")
_URLS = ("aws_lambda_function_url", "AWS::Lambda::Url")


def _urls_require_signing(doc: PolicyDocument, graph: Graph) -> bool:
    """A written permission for URLs with auth type NONE, on a function whose URLs in the code all use AWS_IAM:
    the statement never applies (a URL made outside the code, or an auth type not known, keeps it reported)."""
    holder = doc.holder
    if holder.type not in ("aws_lambda_permission", "AWS::Lambda::Permission"):
        return False
    urls = [url for function in graph.references(holder, type=_FUNCTIONS) for url in graph.referrers(function, _URLS)]
    if not urls:
        return False
    for url in urls:
        auth = url.attr("authorization_type" if url.type == "aws_lambda_function_url" else "AuthType")
        if not (auth.is_known and auth.raw == "AWS_IAM"):
            return False
    return True


def _added_by(doc: PolicyDocument) -> str:
    """Who wrote the statement when the code did not: SAM for FunctionUrlConfig, the AWS provider for the URL."""
    holder = doc.holder
    if holder.type == "aws_lambda_function_url":
        return ' (the AWS provider adds this statement for authorization_type = "NONE"; set "AWS_IAM")'
    if holder.type == "AWS::Lambda::Permission" and holder.address.endswith("UrlPublicPermissions"):
        return " (SAM adds this permission for FunctionUrlConfig AuthType NONE; set AWS_IAM)"
    return ""
