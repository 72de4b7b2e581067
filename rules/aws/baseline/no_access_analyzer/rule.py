"""No IAM Access Analyzer is defined in the account baseline

Baseline profile (`--profile baseline`). A scanned scope (a Terraform root module with the
modules it calls, or a CloudFormation template) defines no IAM Access Analyzer
(`aws_accessanalyzer_analyzer` / `AWS::AccessAnalyzer::Analyzer`). Each scope is judged on its
own; scan the code that manages the account baseline with this profile.

## Why is this bad?
Least privilege needs regular review of what is shared and what is used. Access Analyzer
reports resources shared outside the account or organization and, with an unused-access
analyzer, roles, users, keys and permissions nobody uses, which is the evidence a review needs
(checklist 3.5).

## How to fix
Create an analyzer for the account (`type = "ACCOUNT"`) or, in the management or delegated
administrator account, for the organization (`ORGANIZATION`), and an unused-access analyzer
(`ACCOUNT_UNUSED_ACCESS` / `ORGANIZATION_UNUSED_ACCESS`); review its findings regularly.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-getting-started.html
"""

from collections.abc import Iterator

from iamready.aws.account_baseline import scopes
from iamready.context import Context
from iamready.model.graph import Graph
from iamready.rule import Finding, Severity, rule

ANALYZERS = ("aws_accessanalyzer_analyzer", "AWS::AccessAnalyzer::Analyzer")


@rule(
    id="AWS-BASELINE-004",
    name="aws-baseline-no-access-analyzer",
    severity=Severity.LOW,
    checklist=("3.5",),
    on="project",
    profile="baseline",
    tags=("baseline", "least-privilege"),
)
def check(graph: Graph, ctx: Context) -> Iterator[Finding]:
    for scope in scopes(ctx):
        if not scope.resources(graph, ANALYZERS):
            yield Finding(f"{scope.label} defines no IAM Access Analyzer", at=scope.span, key=scope.id)
