"""Privilege escalation: which principals can become administrator, in one step or several.

The methods are data (``methods.json``): each needs some actions on some kind of
resource. For every principal the analysis finds the *steps* it can take:

* a **method step**: its effective permissions (:mod:`iamready.iam.effective`: boundaries,
  Denies, conditions) contain every requirement of a method, on resources the method can use.
  A ``policy`` method makes a principal administrator directly (it writes its own
  permissions: the caller, its group, or a role it can assume); the others let it act as another
  principal (pass a role to new compute, take over compute that runs as a role, create another
  user's credentials, rewrite a role's trust policy);
* an **assume step**: ``sts:AssumeRole`` on a role, allowed by the caller's identity policy and
  by the role's trust policy (a trust policy that names the caller itself needs no identity
  grant in the same account).

Steps whose resource is a wildcard (``iam:PassRole`` on ``*``) are *broad*: they reach roles
and users outside the scanned code as well. A principal is an administrator when it is allowed
``*`` on ``*``. Paths are searched breadth first over the steps, so each principal's shortest
way to each administrator is found once; conditional steps (MFA, source network, other
conditions, a conditional Deny) are kept and named, never dropped.

The package, one idea a module:

* :mod:`.catalogue` and ``methods.json``: the methods, their categories and requirement kinds;
* :mod:`.compute`: existing compute that runs as a role, one data entry per kind;
* :mod:`.targets`: what a requirement of each kind can be used on (one function per kind);
* :mod:`.trust`: reading trust policies (who may assume a role; which services);
* :mod:`.grants`: which grant of the caller a step rests on, and its conditions;
* :mod:`.steps`: the results (steps, paths, maybes);
* :mod:`.analysis`: building the steps of a graph and searching paths;
* :mod:`.findings`: what the escalation rules report.
"""

from __future__ import annotations

from iamready.iam.escalation.analysis import EscalationAnalysis
from iamready.iam.escalation.catalogue import (
    CATEGORIES,
    COMPUTE_KINDS,
    CREDENTIALS,
    EXISTING_COMPUTE,
    PASS_ROLE,
    POLICY,
    PRINCIPAL_KINDS,
    RESOURCE_KINDS,
    SELF_KINDS,
    TRUST_CATEGORY,
    Method,
    Requirement,
    catalogue_path,
    method,
    methods,
)
from iamready.iam.escalation.compute import ROLE_TYPES
from iamready.iam.escalation.findings import (
    Escalation,
    direct_escalation,
    escalation_findings,
    group_message,
    path_flow,
    path_groups,
    path_message,
    path_target,
    reported_paths,
    single_escalations,
)
from iamready.iam.escalation.steps import Maybe, Path, Step, Support
from iamready.iam.escalation.targets import GROUP_TYPES, same_deployment
from iamready.iam.escalation.trust import USER_TYPES

__all__ = [
    "CATEGORIES",
    "COMPUTE_KINDS",
    "CREDENTIALS",
    "EXISTING_COMPUTE",
    "GROUP_TYPES",
    "PASS_ROLE",
    "POLICY",
    "PRINCIPAL_KINDS",
    "RESOURCE_KINDS",
    "ROLE_TYPES",
    "SELF_KINDS",
    "TRUST_CATEGORY",
    "USER_TYPES",
    "Escalation",
    "EscalationAnalysis",
    "Maybe",
    "Method",
    "Path",
    "Requirement",
    "Step",
    "Support",
    "catalogue_path",
    "direct_escalation",
    "escalation_findings",
    "group_message",
    "method",
    "methods",
    "path_flow",
    "path_groups",
    "path_message",
    "path_target",
    "reported_paths",
    "same_deployment",
    "single_escalations",
]
