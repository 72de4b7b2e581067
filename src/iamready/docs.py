"""Rule documentation from the rules themselves: ``iamready explain``, SARIF help, docs/rules.md."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from iamready.checklist import ITEMS
from iamready.rule import RuleMeta

if TYPE_CHECKING:
    from iamready.iam.escalation.catalogue import Method

_SAMPLE_LANG = {".tf": "hcl", ".yaml": "yaml", ".json": "json"}
SHARED_DIR = "_samples"  # rules/<provider>/<service>/_samples/: samples every rule of the service must pass
_SHARED_WITH_RE = re.compile(r"^\s*(?:#|//)\s*shared with:\s*([a-z0-9_,\s]+?)\s*$")
_EXPECTS_RE = re.compile(r"(?:#|//)\s*expect(?:-note)?(?:\+\d+)?:\s*([A-Z0-9,\s-]+?)\s*$", re.MULTILINE)


def _main(name: str) -> bool:
    """``pass.tf``, ``fail.cfn.yaml``: a rule's main samples (the others are ``fail_<case>.tf``, ...)."""
    return name.split(".")[0] in ("pass", "fail")


def samples(meta: RuleMeta, main_only: bool = False) -> list[tuple[str, str, str]]:
    """(kind "fail"/"pass", file name, text) for the rule's sample files (``main_only``: its main ones,
    the others not even read: SARIF's rule help shows those of every rule on every run)."""
    if meta.directory is None:
        return []
    out = []
    for path in sorted(Path(meta.directory).iterdir()):
        name = path.name
        if not name.startswith(("pass", "fail")) or not name.endswith((".tf", ".cfn.yaml", ".cfn.json")):
            continue
        if main_only and not _main(name):
            continue
        kind = "fail" if name.startswith("fail") else "pass"
        out.append((kind, name, path.read_text(encoding="utf-8")))
    for path in shared_samples(Path(meta.directory)):
        if main_only and not _main(path.name):
            continue
        text = path.read_text(encoding="utf-8")
        named = {i.strip() for m in _EXPECTS_RE.finditer(text) for i in m.group(1).split(",")}
        out.append(
            ("fail" if meta.id in named else "pass", f"{path.parent.parent.name}/{SHARED_DIR}/{path.name}", text)
        )
    return sorted(out, key=lambda s: (s[0] != "fail", s[1]))


def is_shared_sample(path: Path) -> bool:
    """A file of a service's ``_samples`` directory that the harness runs (``*.tf``, ``*.cfn.yaml``, ``*.cfn.json``)."""
    return path.parent.name == SHARED_DIR and path.name.endswith((".tf", ".cfn.yaml", ".cfn.json"))


def shared_with(sample: Path) -> list[str]:
    """The other services whose rules run a shared sample (its ``# shared with:`` line)."""
    try:
        head = sample.read_text(encoding="utf-8").splitlines()[:5]
    except (OSError, UnicodeDecodeError):
        return []
    for line in head:
        match = _SHARED_WITH_RE.match(line)
        if match:
            return [name.strip() for name in match.group(1).split(",") if name.strip()]
    return []


def rules_sharing(sample: Path) -> list[Path]:
    """The rule directories that run a shared sample: every rule of its service, then of the
    services it is shared with."""
    service = sample.parent.parent
    services = [service] + [service.parent / name for name in shared_with(sample)]
    return [
        rule_dir
        for directory in services
        if directory.is_dir()
        for rule_dir in sorted(directory.iterdir())
        if (rule_dir / "rule.py").is_file()
    ]


def shared_samples(rule_dir: Path) -> list[Path]:
    """The shared samples a rule directory must pass: its service's, and those of other services of
    the provider that are shared with its service."""
    service = rule_dir.parent
    return [
        path
        for directory, found in _shared_of_provider(service.parent)
        for path, services in found
        if directory.parent == service or service.name in services
    ]


@functools.lru_cache(maxsize=8)
def _shared_of_provider(provider: Path) -> tuple[tuple[Path, tuple[tuple[Path, tuple[str, ...]], ...]], ...]:
    """Each ``_samples`` directory of a provider, with its samples and the services each is shared with:
    looked up once per run (SARIF's rule help asks for every rule)."""
    return tuple(
        (
            directory,
            tuple((path, tuple(shared_with(path))) for path in sorted(directory.iterdir()) if is_shared_sample(path)),
        )
        for directory in sorted(provider.glob(f"*/{SHARED_DIR}"))
    )


def _lang(name: str) -> str:
    return _SAMPLE_LANG.get(Path(name).suffix, "")


def rule_markdown(
    meta: RuleMeta, heading: str = "#", with_samples: bool = True, main_samples_only: bool = False
) -> str:
    lines = [f"{heading} {meta.id} {meta.name}", "", f"**{meta.title}**", ""]
    items = ", ".join(f"{c} ({ITEMS.get(c, '?')})" for c in meta.checklist)
    lines.append(f"- severity: {meta.severity.value}")
    lines.append(f"- checklist: {items or 'none (a rule about iamready suppressions)'}")
    frameworks = ", ".join(meta.frameworks)
    lines.append(f"- frameworks: {frameworks}")
    if meta.targets:
        for framework, types in meta.targets.items():
            lines.append(f"- {framework} resources: {', '.join(f'`{t}`' for t in types)}")
    if meta.profile != "default":
        lines.append(f"- profile: {meta.profile} (run with `--profile {meta.profile}`)")
    lines.append("")
    body = meta.body.replace("\n## ", f"\n{heading}# ")
    if body.startswith("## "):
        body = heading + "#" + body[2:]
    lines.append(body)
    if with_samples:
        for kind, name, text in samples(meta, main_only=main_samples_only):
            label = "Noncompliant" if kind == "fail" else "Compliant"
            lines.append("")
            lines.append(f"{heading}# {label}: `{name}`")
            lines.append("")
            lines.append(f"```{_lang(name)}")
            lines.append(text.rstrip("\n"))
            lines.append("```")
    return "\n".join(lines).rstrip() + "\n"


def rule_help_markdown(meta: RuleMeta) -> str:
    return rule_markdown(meta, heading="##", with_samples=True, main_samples_only=True)


def rules_index(rules: list[RuleMeta]) -> str:
    """docs/rules.md: the catalogue, generated; a test fails when the committed file is stale."""
    lines = [
        "# iamready rules",
        "",
        "Generated by `python -m iamready.devtools docs`; do not edit by hand.",
        "",
        "| id | name | severity | checklist | title |",
        "|---|---|---|---|---|",
    ]
    for meta in rules:
        lines.append(
            f"| [{meta.id}](#{meta.id.lower()}) | {meta.name} | {meta.severity.value} | "
            f"{', '.join(meta.checklist)} | {meta.title} |"
        )
    for meta in rules:
        lines.append("")
        lines.append(f'<a id="{meta.id.lower()}"></a>')
        lines.append("")
        lines.append(rule_markdown(meta, heading="##", with_samples=True, main_samples_only=True).rstrip())
    return "\n".join(lines) + "\n"


# the rule that reports the single-step methods of each category (the multi-step paths: AWS-IAM-110)
_ESCALATION_RULES = {
    "policy": ("AWS-IAM-100", "Writing its own permissions"),
    "credentials": ("AWS-IAM-101", "Taking another user's credentials, or making a new user"),
    "trust": ("AWS-IAM-102", "Rewriting who may assume a role, or making a new role"),
    "pass-role": ("AWS-IAM-103", "Passing a role to new compute"),
    "existing-compute": ("AWS-IAM-104", "Taking over existing compute that runs as a role"),
}


def escalation_methods_page() -> str:
    """docs/escalation-methods.md: every privilege-escalation method of the catalogue, the
    catalogues that publish it, and an example grant (generated; a test fails when it is stale)."""
    from iamready.iam.escalation.catalogue import CATALOGUES, CATEGORIES, methods

    lines = [
        "# Privilege-escalation methods",
        "",
        "Generated by `python -m iamready.devtools docs` from `src/iamready/iam/escalation/methods.json`;",
        "do not edit by hand. A principal that has every requirement of a method, on a resource the method",
        "can use, is reported by the rule of the method's category; several steps in a row (assuming a role,",
        'then a method) by AWS-IAM-110. "Published in" names the public catalogues that describe the method.',
        "",
        "| method | category | actions | published in |",
        "|---|---|---|---|",
    ]
    items = methods()
    for item in items:
        published = ", ".join(CATALOGUES[name][0] for name, _ in item.published) or "not in a public catalogue"
        recipe = item.recipe.replace("|", " or ")
        lines.append(f"| [{item.id}](#{item.id}) | {item.category} | `{recipe}` | {published} |")
    for category in CATEGORIES:
        rule_id, title = _ESCALATION_RULES[category]
        lines += ["", f"## {title} ({category}, {rule_id})"]
        for item in (m for m in items if m.category == category):
            lines += ["", f'<a id="{item.id}"></a>', "", f"### {item.id}: {item.title}", "", item.description, ""]
            lines.append(f"Requires `{item.recipe}`. Reference: <{item.reference}>")
            if item.empowers:
                lines += [
                    "",
                    "It makes another principal an administrator: reported as the last step of a path (AWS-IAM-110).",
                ]
            if item.published:
                lines += ["", "Published in:", ""]
                for name, keys in item.published:
                    label, link = CATALOGUES[name]
                    if "{key}" in link:
                        lines.append(f"- {label}: " + ", ".join(f"[{k}]({link.format(key=k)})" for k in keys))
                    else:
                        lines.append(f"- [{label}]({link}): " + ", ".join(f"`{k}`" for k in keys))
            else:
                lines += ["", f"Published in: no public catalogue. {item.rationale}"]
            lines += ["", "A grant that completes it:", "", "```json", _example(item), "```"]
    return "\n".join(lines) + "\n"


def _example(item: Method) -> str:
    """An identity policy that grants every requirement of the method (the first action of each)."""
    import json

    statements = []
    for req in item.requires:
        statement: dict[str, object] = {"Effect": "Allow", "Action": req.actions[0], "Resource": "*"}
        if req.on == "passed-role":
            statement["Resource"] = "arn:aws:iam::111122223333:role/admin"
            statement["Condition"] = {"StringEquals": {"iam:PassedToService": req.service}}
        statements.append(statement)
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)
