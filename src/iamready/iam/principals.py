"""Who a ``Principal`` entry designates: everyone, an account, a role, a service, an identity provider.

``"arn:aws:iam::${AWS::AccountId}:root"`` is the deploying account on both frameworks (Terraform's
``data.aws_caller_identity`` and CloudFormation's pseudo parameter evaluate to that string); a
symbolic string such as ``"${aws_iam_role.app.arn}"`` is a principal defined in the code, hence in
the deploying account, except an account created by ``aws_organizations_account``; a literal
12-digit account id is taken to be another account (the code does not say which account it is
deployed to, and an account that trusts itself writes ``${AWS::AccountId}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from iamready.model.pseudo import SELF_ACCOUNT
from iamready.model.span import Span
from iamready.model.value import Cause, LStr, Unknown

_SELF_TOKEN = "\x00self"
_ACCOUNT_RE = re.compile(r"^\d{12}$")
_PSEUDO = {"${AWS::Partition}": "aws", "${AWS::URLSuffix}": "amazonaws.com", "${AWS::Region}": "\x00region"}
# resources in the code whose identifiers are other accounts
_OTHER_ACCOUNT_TYPES = ("aws_organizations_account", "AWS::Organizations::Account")

EVERYONE = "everyone"
ACCOUNT = "account"  # the account itself: "arn:aws:iam::111122223333:root" or "111122223333"
ROLE = "role"
USER = "user"
ASSUMED_ROLE = "assumed-role"
FEDERATED_USER = "federated-user"
SERVICE = "service"
OIDC = "oidc"
SAML = "saml"
CANONICAL = "canonical-user"
CODE = "code"  # a principal defined in the code (symbolic reference), type not known
OTHER = "other"


@dataclass(frozen=True)
class PrincipalRef:
    text: str  # as written (symbolic references kept as "${aws_iam_role.app.arn}")
    kind: str
    account: str | None = None  # a 12-digit id, SELF_ACCOUNT, or None when not part of the value
    span: Span | None = None
    ref: tuple[str, str] | None = None  # the resource (id, attribute) a symbolic value stands for
    # an account field that is not known statically (``arn:aws:iam::${data.aws_ssm_parameter.id.value}:root``):
    # it may be the deploying account or another one; the Unknown carries the root cause and its fix
    unknown_account: Unknown | None = None

    @property
    def same_account(self) -> bool:
        return self.account == SELF_ACCOUNT

    @property
    def other_account(self) -> bool:
        """Another account than the deploying one (a literal account id, or an organisation member
        account the code creates)."""
        return self.account is not None and self.account != SELF_ACCOUNT

    @property
    def is_account_root(self) -> bool:
        return self.kind == ACCOUNT

    @property
    def display(self) -> str:
        """The value as users wrote it: ``aws_iam_saml_provider.okta`` for ``${aws_iam_saml_provider.okta.arn}``."""
        text = self.text
        if text.startswith("${") and text.endswith("}") and "${" not in text[2:]:
            inner = text[2:-1]
            for suffix in (".arn", ".id", ".name"):
                inner = inner.removesuffix(suffix)
            return inner
        return text

    def describe(self) -> str:
        if self.kind == EVERYONE:
            return "everyone (*)"
        if self.kind == ACCOUNT:
            who = "the deploying account" if self.same_account else f"account {self.account}"
            return f"{who} (root: any principal that account allows)"
        return self.display


def normalise(text: str) -> str:
    """Pseudo parameters replaced, so an ARN splits on ":" reliably."""
    for pseudo, value in _PSEUDO.items():
        text = text.replace(pseudo, value)
    return text.replace(SELF_ACCOUNT, _SELF_TOKEN)


def arn_account(text: str) -> str | None:
    """The account field of an ARN: a 12-digit id, SELF_ACCOUNT, "" (S3) or None when not an ARN."""
    norm = normalise(text)
    if not norm.startswith("arn:"):
        return None
    parts = norm.split(":", 5)
    if len(parts) < 6:
        return None
    account = parts[4]
    return SELF_ACCOUNT if account == _SELF_TOKEN else account


def arn_resource(text: str) -> str:
    """The resource part of an ARN (``role/path/name``), or the text when it is not an ARN."""
    norm = normalise(text)
    if not norm.startswith("arn:"):
        return text
    parts = norm.split(":", 5)
    return parts[5] if len(parts) == 6 else ""


def arn_service(text: str) -> str | None:
    norm = normalise(text)
    if not norm.startswith("arn:"):
        return None
    parts = norm.split(":", 5)
    return parts[2] if len(parts) > 2 else None


def read_principal(kind: str, value: Any, graph: Any = None) -> PrincipalRef:
    """Classify one entry of ``Principal`` (``kind`` is "AWS", "Service", "Federated", "CanonicalUser")."""
    span = getattr(value, "span", None)
    if isinstance(value, Unknown) or not isinstance(value, str):
        return PrincipalRef(str(value), OTHER, None, span)
    text = str(value)
    ref = value.ref if isinstance(value, LStr) else None
    if kind == "Service":
        return PrincipalRef(text, SERVICE, None, span, ref)
    if kind == "CanonicalUser":
        return PrincipalRef(text, CANONICAL, None, span, ref)
    if text == "*":
        return PrincipalRef(text, EVERYONE, None, span, ref)
    if kind == "Federated":
        return _federated(text, span, ref, graph)
    if ref is not None and text.startswith("${") and text.endswith("}"):
        target = graph.get(ref[0]) if graph is not None else None
        if target is not None and target.type in _OTHER_ACCOUNT_TYPES:
            return PrincipalRef(text, ACCOUNT, f"account created by {target.address}", span, ref)
        kind_word = _code_kind(target.type if target is not None else "")
        return PrincipalRef(text, kind_word, SELF_ACCOUNT, span, ref)
    if _ACCOUNT_RE.match(text):
        return PrincipalRef(text, ACCOUNT, text, span, ref)
    if normalise(text) == _SELF_TOKEN:
        return PrincipalRef(text, ACCOUNT, SELF_ACCOUNT, span, ref)
    account = arn_account(text)
    if account is None:
        return PrincipalRef(text, OTHER, None, span, ref)
    resource = arn_resource(text)
    head = resource.split("/", 1)[0]
    kind_word = {
        "root": ACCOUNT,
        "role": ROLE,
        "user": USER,
        "assumed-role": ASSUMED_ROLE,
        "federated-user": FEDERATED_USER,
    }.get(head, OTHER)
    if arn_service(text) == "sts" and head == "assumed-role":
        kind_word = ASSUMED_ROLE
    if account and account != SELF_ACCOUNT and not _ACCOUNT_RE.match(account):
        return PrincipalRef(text, kind_word, None, span, ref, _unknown_account(text, account, span))
    return PrincipalRef(text, kind_word, account or None, span, ref)


_HOLE = "\x00unknown"


def unknown_principals(principal: Any) -> list[PrincipalRef]:
    """The ``AWS`` entries of a statement's ``Principal`` that are not known statically, as far as they are
    known: ``!Sub arn:aws:iam::${AccountId}:root`` is an account root whose account is not known
    (``unknown_account`` carries the parameter's root cause, whose note gives the fix); a known account with an
    unknown role name is that account's role; an entry of which nothing is known (``!Ref TrustedAccount``)
    may be any account. An entry whose account is known to be the deploying one is left out."""
    out: list[PrincipalRef] = []
    for value in getattr(principal, "unknown", {}).get("AWS", ()):
        filled = value.fill(_HOLE)
        span = value.span
        if filled is None:  # nothing of it is known
            out.append(PrincipalRef("(a value not known statically)", OTHER, None, span, None, _caused(value, None)))
            continue
        shown = filled.replace(_HOLE, "${...}")
        account = arn_account(filled)
        if account is None:
            continue
        head = arn_resource(filled).split("/", 1)[0]
        kind_word = {"root": ACCOUNT, "role": ROLE, "user": USER, "assumed-role": ASSUMED_ROLE}.get(head, OTHER)
        if _HOLE in account:
            out.append(PrincipalRef(shown, kind_word, None, span, None, _caused(value, shown)))
        elif _ACCOUNT_RE.match(account):
            out.append(PrincipalRef(shown, kind_word, account, span))
    return out


def _caused(value: Unknown, shown: str | None) -> Unknown:
    """``value`` when its unknown parts have a root cause (a parameter or variable without a value: its one
    note lists the checks and the fix); else a cause at the place it is written."""
    if all(part.cause is not None for part in value.parts()):
        return value
    what = f"principal {shown}" if shown else "a principal"
    cause = Cause(
        f"the account of {what} is not known ({value.reason}): it may be this account or another one",
        value.span,
        "write the account id, or take it from a parameter or variable iamready is given a value for",
    )
    return Unknown(value.reason, value.span, cause)


def _unknown_account(text: str, account: str, span: Span | None) -> Unknown:
    """An account written as a reference iamready cannot resolve: one root cause per place it is written."""
    shown = account[2:-1] if account.startswith("${") and account.endswith("}") else account
    cause = Cause(
        f"the account of principal {text} ({shown}) is not known: it may be this account or another one",
        span,
        "write the account id, or scan a plan where it is known "
        "(terraform show -json tfplan > tfplan.json && iamready scan tfplan.json)",
    )
    return Unknown(f"the account {shown} is not known", span, cause)


def _code_kind(rtype: str) -> str:
    if rtype in ("aws_iam_role", "AWS::IAM::Role"):
        return ROLE
    if rtype in ("aws_iam_user", "AWS::IAM::User"):
        return USER
    return CODE


def _federated(text: str, span: Span | None, ref: tuple[str, str] | None, graph: Any) -> PrincipalRef:
    if ref is not None and graph is not None:
        target = graph.get(ref[0])
        if target is not None:
            if target.type in ("aws_iam_openid_connect_provider", "AWS::IAM::OIDCProvider"):
                return PrincipalRef(text, OIDC, SELF_ACCOUNT, span, ref)
            if target.type in ("aws_iam_saml_provider", "AWS::IAM::SAMLProvider"):
                return PrincipalRef(text, SAML, SELF_ACCOUNT, span, ref)
    resource = arn_resource(text)
    account = arn_account(text)
    if resource.startswith("oidc-provider/"):
        return PrincipalRef(text, OIDC, account or None, span, ref)
    if resource.startswith("saml-provider/"):
        return PrincipalRef(text, SAML, account or None, span, ref)
    if not text.startswith("arn:"):
        return PrincipalRef(text, OIDC, None, span, ref)  # "cognito-identity.amazonaws.com", "accounts.google.com"
    return PrincipalRef(text, OTHER, account or None, span, ref)


def oidc_issuer(principal: PrincipalRef, graph: Any = None) -> str | None:
    """The issuer host/path an OIDC principal stands for, lower-case, without ``https://``.

    ``arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com`` gives
    ``token.actions.githubusercontent.com``; a reference to an ``aws_iam_openid_connect_provider``
    (``AWS::IAM::OIDCProvider``) gives its ``url`` (``Url``); ``cognito-identity.amazonaws.com`` is
    itself. None when the issuer is not known statically.
    """
    if principal.kind != OIDC:
        return None
    if principal.ref is not None and graph is not None:
        target = graph.get(principal.ref[0])
        if target is not None:
            url = target.attr("url" if target.framework == "terraform" else "Url").raw
            if isinstance(url, str) and not isinstance(url, Unknown):
                return _strip_scheme(str(url))
            return None
    text = principal.text
    if text.startswith("arn:"):
        resource = arn_resource(text)
        return _strip_scheme(resource.removeprefix("oidc-provider/")) if resource else None
    return _strip_scheme(text)


def _strip_scheme(url: str) -> str:
    text = url.strip()
    for scheme in ("https://", "http://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
    return text.rstrip("/").lower()


def statement_principals(principal: Any, graph: Any = None) -> list[PrincipalRef]:
    """Every entry of a statement's ``Principal`` (a :class:`iamready.iam.policy.Principal`), classified."""
    if principal is None:
        return []
    out = []
    for kind, values in principal.entries.items():
        for value in values:
            out.append(read_principal(str(kind), value, graph))
    return out
