"""The escalation catalogue: methods as data (``methods.json``), their categories and the kinds
of resource their requirements apply to.

A new method that uses a known kind is one entry in ``methods.json``. A new kind of compute is one
entry in :data:`iamready.iam.escalation.compute.COMPUTE`; a new kind of principal is one function
in :mod:`iamready.iam.escalation.targets`.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass

from iamready.iam.escalation.compute import COMPUTE

POLICY, CREDENTIALS, TRUST_CATEGORY, PASS_ROLE, EXISTING_COMPUTE = (
    "policy",
    "credentials",
    "trust",
    "pass-role",
    "existing-compute",
)
CATEGORIES = (POLICY, CREDENTIALS, TRUST_CATEGORY, PASS_ROLE, EXISTING_COMPUTE)
SELF_KINDS = (
    "own-policy",
    "self-user",
    "own-group",
    "own-role",
    "own-boundary",
    # a policy of the caller whose Deny is all that keeps it from administrator access: its inline
    # policy, an attached managed policy, or a group it can leave
    "blocking-inline",
    "blocking-managed",
    "blocking-group",
)
PRINCIPAL_KINDS = ("user", "group", "role", "passed-role")
NEW_PRINCIPAL_KINDS = ("new-role", "new-user")  # a principal the caller creates, with the policies it writes
OTHER_POLICY_KINDS = ("attached-policy",)  # a customer-managed policy attached to another principal
# an identity provider a role trusts (a SAML provider, an OIDC provider, one the code names but does not define)
PROVIDER_KINDS = ("saml-provider", "oidc-provider", "missing-oidc-provider")
COMPUTE_KINDS = tuple(COMPUTE)
RESOURCE_KINDS = (
    "any",
    *SELF_KINDS,
    *PRINCIPAL_KINDS,
    *NEW_PRINCIPAL_KINDS,
    *OTHER_POLICY_KINDS,
    *PROVIDER_KINDS,
    *COMPUTE_KINDS,
)

# catalogues that publish escalation methods: name -> (how it is cited, link to one entry with {key})
CATALOGUES: dict[str, tuple[str, str]] = {
    "pathfinding.cloud": ("pathfinding.cloud (Datadog)", "https://pathfinding.cloud/paths/{key}"),
    "rhino": ("Rhino Security Labs", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"),
    "pacu": (
        "Pacu iam__privesc_scan",
        "https://github.com/RhinoSecurityLabs/pacu/tree/master/pacu/modules/iam__privesc_scan",
    ),
    "pmapper": (
        "PMapper edge checker",
        "https://github.com/nccgroup/PMapper/blob/master/principalmapper/graphing/{key}.py",
    ),
    "cloudsplaining": (
        "Cloudsplaining",
        "https://github.com/salesforce/cloudsplaining/blob/master/cloudsplaining/shared/constants.py",
    ),
    "awspx": ("awspx", "https://github.com/WithSecureLabs/awspx/blob/master/lib/aws/attacks.py"),
    "iam-vulnerable": ("IAM Vulnerable (Bishop Fox)", "https://github.com/BishopFox/iam-vulnerable"),
}


@dataclass(frozen=True)
class Requirement:
    actions: tuple[str, ...]  # any one of them
    on: str
    service: str | None = None  # passed-role: the service principal the role is passed to


@dataclass(frozen=True)
class Method:
    id: str
    title: str
    description: str
    category: str
    requires: tuple[Requirement, ...]
    reference: str
    published: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (catalogue of CATALOGUES, its names for the method)
    # makes another principal (the target) an administrator: only ever the last step of a path whose
    # earlier steps let the caller act as that principal (rewrite its trust, create its access key)
    empowers: bool = False
    guard: str | None = None  # what else must hold for the method to work, when the code cannot tell
    # why ``published`` is empty: which catalogues were read, and where the method is documented instead
    rationale: str = ""

    @functools.cached_property  # asked for every step of every path search
    def target_requirement(self) -> Requirement:
        for req in self.requires:
            if req.on != "any":
                return req
        return self.requires[0]

    @functools.cached_property  # asked for every step of every path search
    def actions(self) -> tuple[str, ...]:
        return tuple(a for req in self.requires for a in req.actions)

    @functools.cached_property  # asked for every step of every path search
    def makes_admin(self) -> bool:
        """Does the method write the caller's own permissions (rather than borrow another's)?"""
        return self.target_requirement.on in SELF_KINDS

    @property
    def recipe(self) -> str:
        """``iam:PassRole + ec2:RunInstances`` (alternatives joined with ``|``)."""
        return " + ".join("|".join(req.actions) for req in self.requires)


def catalogue_path() -> str:
    return os.path.join(os.path.dirname(__file__), "methods.json")


@functools.lru_cache(maxsize=1)
def methods() -> tuple[Method, ...]:
    """The escalation catalogue, in file order."""
    with open(catalogue_path(), encoding="utf-8") as handle:
        raw = json.load(handle)
    out = []
    for item in raw["methods"]:
        requires = tuple(Requirement(tuple(r["actions"]), r["on"], r.get("service")) for r in item["requires"])
        published = tuple(
            (name, tuple(keys) if isinstance(keys, list) else (keys,))
            for name, keys in item.get("published", {}).items()
        )
        out.append(
            Method(
                item["id"],
                item["title"],
                item["description"],
                item["category"],
                requires,
                item["reference"],
                published,
                bool(item.get("empowers")),
                item.get("guard"),
                item.get("rationale", ""),
            )
        )
    return tuple(out)


def method(method_id: str) -> Method:
    for item in methods():
        if item.id == method_id:
            return item
    raise KeyError(method_id)
