"""Account password policy is weaker than the baseline

An `aws_iam_account_password_policy` sets a field below the baseline, or leaves it out (a
missing field takes AWS's weak default): minimum length 14, uppercase, lowercase, numbers and
symbols required, 24 previous passwords remembered, passwords expire within 90 days. Each
weak or missing field is one finding, at the field (or at the resource when it is missing).

## Why is this bad?
Console passwords of IAM users are the credentials most exposed to guessing, reuse from other
breaches and phishing. Short passwords without character classes fall quickly to offline and
online guessing; without reuse prevention and expiry a leaked password stays valid forever
(checklist 2.2; expiry also serves the user life-cycle, 2.7).

## How to fix
Set every field explicitly:

```hcl
resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = 14
  require_uppercase_characters   = true
  require_lowercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  password_reuse_prevention      = 24
  max_password_age               = 90
  allow_users_to_change_password = true
}
```

CloudFormation has no resource type for the account password policy, so this rule applies
to Terraform only; in CloudFormation set the policy with a custom resource or outside the
template, and prefer federation (IAM Identity Center) over IAM user passwords.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_account_password_policy
"""

from collections.abc import Callable, Iterator

from iamready.context import Context
from iamready.model.graph import Resource
from iamready.model.value import Value
from iamready.rule import Finding, Severity, Unresolved, rule

MIN_LENGTH = 14
MIN_REUSE = 24
MAX_AGE = 90
_REQUIRED = (
    ("require_uppercase_characters", "uppercase letters"),
    ("require_lowercase_characters", "lowercase letters"),
    ("require_numbers", "numbers"),
    ("require_symbols", "symbols"),
)


@rule(
    id="AWS-IAM-056",
    name="aws-iam-password-policy-weak",
    severity=Severity.MEDIUM,
    checklist=("2.2",),
    targets={"terraform": ["aws_iam_account_password_policy"]},
    tags=("passwords",),
)
def check(policy: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    length = policy.attr("minimum_password_length")
    yield from _number(
        policy, length, "minimum_password_length", lambda n: n >= MIN_LENGTH, f"at least {MIN_LENGTH}", "AWS uses 6"
    )
    for field, what in _REQUIRED:
        value = policy.attr(field)
        if value.is_unknown:
            yield Unresolved(f"{field} is not known ({value.why_unknown})", at=value)
        elif not value.is_set:
            yield Finding(f"{field} is not set: passwords need not contain {what}", at=policy.span, key=field)
        elif value.truthy() is not True:
            shown = str(value.raw).lower() if isinstance(value.raw, bool) else value.raw
            yield Finding(f"{field} is {shown}: passwords need not contain {what}", at=value)
    reuse = policy.attr("password_reuse_prevention")
    yield from _number(
        policy,
        reuse,
        "password_reuse_prevention",
        lambda n: n >= MIN_REUSE,
        f"at least {MIN_REUSE}",
        "old passwords can be reused",
    )
    age = policy.attr("max_password_age")
    yield from _number(
        policy, age, "max_password_age", lambda n: 0 < n <= MAX_AGE, f"1 to {MAX_AGE} days", "passwords never expire"
    )


def _number(
    policy: Resource, value: Value, field: str, ok: Callable[[int], bool], wanted: str, when_unset: str
) -> Iterator[Finding | Unresolved]:
    if value.is_unknown:
        yield Unresolved(f"{field} is not known ({value.why_unknown})", at=value)
        return
    if not value.is_set:
        yield Finding(f"{field} is not set ({when_unset}); the baseline is {wanted}", at=policy.span, key=field)
        return
    try:
        number = int(str(value.raw))
    except ValueError:
        yield Unresolved(f"{field} is not a number ({value.raw!r})", at=value)
        return
    if not ok(number):
        shown = "0 (passwords never expire)" if field == "max_password_age" and number == 0 else str(number)
        yield Finding(f"{field} is {shown}; the baseline is {wanted}", at=value)
