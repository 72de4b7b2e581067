"""TLS private key is written to a file readable by others

A `local_file` or `local_sensitive_file` writes the private key of a `tls_private_key` with a
`file_permission` that lets the group or other users read it. `local_file` defaults to `0777`
when `file_permission` is not set; `local_sensitive_file` defaults to `0700`.

## Why is this bad?
A private key file readable by other users of the machine (a shared CI runner, a bastion, a
workstation) can be copied by any of them, and with it they can log in to every instance that
trusts the key (checklist 3.3). `local_file` also prints the key in plan output.

## How to fix
Use `local_sensitive_file` (its content is hidden in plan output) and set
`file_permission = "0600"` (or `"0400"`), so only the owner can read the key. Better, do not
write private keys from Terraform at all: keep them in Secrets Manager, or use Session
Manager / EC2 Instance Connect instead of long-lived SSH keys.

Terraform only: the `tls` and `local` providers have no CloudFormation counterpart.

## References
- https://registry.terraform.io/providers/hashicorp/local/latest/docs/resources/file
- https://registry.terraform.io/providers/hashicorp/local/latest/docs/resources/sensitive_file
- https://registry.terraform.io/providers/hashicorp/tls/latest/docs/resources/private_key
"""

from collections.abc import Iterator

from iamready.aws.secrets import private_key_refs
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule

DEFAULT_PERMISSION = {"local_file": "0777", "local_sensitive_file": "0700"}


@rule(
    id="AWS-TLS-002",
    name="aws-tls-private-key-file-permissions",
    severity=Severity.HIGH,
    checklist=("3.3",),
    targets={"terraform": list(DEFAULT_PERMISSION)},
    tags=("secrets", "keys"),
)
def check(file: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    refs = private_key_refs(ctx.graph, file, "content") + private_key_refs(ctx.graph, file, "sensitive_content")
    if not refs:
        return
    key = f"{refs[0].key.address}.{refs[0].attr}"
    permission = file.attr("file_permission")
    if permission.is_unknown:
        yield Unresolved(f"file_permission is not known ({permission.why_unknown})", at=permission)
        return
    if not permission.is_set:
        default = DEFAULT_PERMISSION[file.type]
        if _group_or_other(default):
            yield Finding(
                f"writes {key} with the default file_permission {default}: group and others can read it",
                at=file.span,
                key="file_permission",
            )
        return
    text = str(permission.raw).strip()
    try:
        mode = int(text, 8)
    except ValueError:
        yield Unresolved(f"file_permission {text!r} is not an octal mode", at=permission)
        return
    if mode & 0o077:
        yield Finding(f"writes {key} with file_permission {text}: group and others can read it", at=permission)


def _group_or_other(text: str) -> bool:
    return bool(int(text, 8) & 0o077)
