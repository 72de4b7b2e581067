"""EC2 user data holds passwords, private keys or tokens

The user data of an instance, launch template or launch configuration writes a credential other
than an AWS access key in plain text: an assignment or option whose name says it holds a secret
(`DATABASE_PASSWORD=...`, `export API_TOKEN=...`, `mysql --password=...`), a private key block
(`-----BEGIN OPENSSH PRIVATE KEY-----`), or a token with a documented prefix (GitHub `ghp_`,
GitLab `glpat-`, Slack `xoxb-`, Stripe `sk_live_`). Values read at boot (`$DB_PASSWORD`,
`$(aws secretsmanager get-secret-value ...)`, `${var.db_password}` left to a template) are not
reported. AWS access keys are AWS-EC2-001's finding.

## Why is this bad?
User data is not a secret store: anyone allowed `ec2:DescribeInstanceAttribute` can read it,
every process on the instance can fetch it from the instance metadata service, it is copied into
launch template versions and AMIs, and it sits in the repository. A password or token written
there is shared with all of them (checklist 4.2).

## How to fix
Keep the secret in Secrets Manager or an SSM `SecureString` parameter and read it at boot with
the instance profile's role (`aws secretsmanager get-secret-value`, `aws ssm get-parameter
--with-decryption`); rotate the value that was in user data.

Terraform: remove the literal from `user_data` (or the template it renders) and read the secret
on the instance. CloudFormation: remove it from `UserData`; a `{{resolve:secretsmanager:...}}`
dynamic reference still ends up in the user data in plain text, so read the secret at boot.

## References
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html
- https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import USER_DATA_ATTRS, by_place, listing, script_secrets, user_data_texts
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule

TERRAFORM = [t for t in USER_DATA_ATTRS if not t.startswith("AWS::")]
CLOUDFORMATION = [t for t in USER_DATA_ATTRS if t.startswith("AWS::")]


@rule(
    id="AWS-EC2-003",
    name="aws-ec2-user-data-secrets",
    severity=Severity.HIGH,
    checklist=("4.2",),
    targets={"terraform": TERRAFORM, "cloudformation": CLOUDFORMATION},
    tags=("credentials", "secrets"),
)
def check(resource: Resource, ctx: Context) -> Iterator[Finding]:
    for value, text in user_data_texts(resource):
        if value.is_unknown:
            continue  # AWS-EC2-001 says once that the user data could not be read
        # one finding a place: lines of a block scalar without positions of their own are one place
        for found in by_place(script_secrets(text, value.span)):
            first = found[0]
            what = listing(s.what if s.what.startswith("a ") else f"{s.what} set to a literal value" for s in found)
            yield Finding(f"{value.path} contains {what}", at=first.span or value, key=f"{value.path}:{first.what}")
