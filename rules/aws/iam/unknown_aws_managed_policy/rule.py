"""AWS managed policy ARN names no policy AWS has

A role, user or group (or its permission boundary) is given an AWS managed policy ARN,
`arn:aws:iam::aws:policy/...`, that names no policy AWS publishes: a misspelt name, a wrong
letter case, a wrong path (`AWSGlueServiceRole` lives under `service-role/`, `SystemAdministrator`
under `job-function/`), or a policy AWS has deprecated and removed (`AWSLambdaFullAccess`,
replaced by `AWSLambda_FullAccess`). The finding names the nearest existing policy. Names are
checked against the snapshot of every AWS managed policy iamready ships (its date is in
`iamready --version`): a policy AWS published after that date is not known yet, and upgrading
iamready brings it.

The snapshot holds the policies of the `aws` partition. An ARN of another partition
(`arn:aws-cn:iam::aws:policy/...`, `arn:aws-us-gov:...`) is read with the `aws` partition's
document when the name exists there (grant sources say so); a name the `aws` partition does not
have is not reported as missing, since the data cannot tell whether that partition has it: a note
says so once, with the nearest name, and the checks that needed its content.

## Why is this bad?
The apply fails (`NoSuchEntity`, "policy does not exist or is not attachable") and leaves the
deployment half done, or, for a policy AWS has removed, the code relies on a policy AWS no
longer maintains and new accounts cannot attach. Until the ARN is fixed, nobody can tell from
the code which permissions the principal was meant to have (checklist 2.6: prefer AWS defined
policies, the ones AWS keeps up to date).

## How to fix
Use the ARN the finding suggests, or look the policy up in the AWS managed policy reference.
Terraform: change `policy_arn` (or the entry of `managed_policy_arns`, `permissions_boundary`).
CloudFormation: change the entry of `ManagedPolicyArns` or `PermissionsBoundary`; SAM: the name in
the function's `Policies`.

## References
- https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-deprecated.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam import aws_managed
from iamready.iam.policy import PolicyDocument
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-015",
    name="aws-iam-unknown-aws-managed-policy",
    severity=Severity.MEDIUM,
    checklist=("2.6",),
    on="policy",
    policy_kinds=("identity", "boundary"),
    tags=("correctness",),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    if doc.via != "aws-managed" or doc.managed_arn is None:
        return
    written = aws_managed.parse_aws_managed_arn(doc.managed_arn)
    if written is None:
        return
    entry = doc.managed
    if entry is None and doc.unknown is not None:
        # another partition (aws-cn, aws-us-gov): the data lists the aws partition's policies, so a name
        # missing there may still exist here; said once, with the nearest name, where the ARN is written
        yield Unresolved("whether this AWS managed policy exists in its partition is not known", at=doc)
        return
    if entry is None:
        suggestion = aws_managed.suggest(written.name)
        hint = (
            f"; did you mean {suggestion[0]} ({aws_managed.lookup(suggestion[0]).arn(written.partition)})?"
            if suggestion
            else ": misspelt, or deprecated and removed by AWS"
        )
        yield Finding(
            f"AWS managed policy {written.name} does not exist (not among the {aws_managed.count():,} AWS managed "
            f"policies of {aws_managed.snapshot_date()}){hint}",
            at=doc,
        )
        return
    if entry.name != written.name or entry.path != written.path:
        what = "is written with the wrong letter case" if entry.name != written.name else "is not at that path"
        yield Finding(
            f"{written.text} does not exist: AWS managed policy {entry.name} {what}; its ARN is "
            f"{entry.arn(written.partition)}",
            at=doc,
        )
