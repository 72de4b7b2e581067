"""Property tests: whatever the input, the scan ends, raises nothing, reports no internal error, renders
valid SARIF and still reports the valid file beside it.

Inputs are the rule samples (``rules/**/pass*`` and ``fail*``, written like real code) mutated the way
editors, merges and attackers break files: characters and lines deleted, duplicated and swapped, text
cut short, random unicode and control characters inserted, thousands of brackets injected. Policy
documents and Terraform expressions are also generated from scratch, with values of every type where
strings and lists are expected and with expressions built to exhaust the evaluation budget.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.property.conftest import PROFILE, REPO, scan_files

TF_SAMPLES = sorted(
    str(p.relative_to(REPO)) for p in (REPO / "rules").rglob("*.tf") if p.name.startswith(("pass", "fail"))
)
CFN_SAMPLES = sorted(
    str(p.relative_to(REPO)) for p in (REPO / "rules").rglob("*.cfn.yaml") if p.name.startswith(("pass", "fail"))
)

# -- mutations ---------------------------------------------------------------------------------------------
KINDS = (
    "delete-char",
    "duplicate-char",
    "swap-chars",
    "replace-char",
    "delete-line",
    "duplicate-line",
    "swap-lines",
    "truncate",
    "insert-text",
    "inject-nesting",
)
NASTY = st.sampled_from(
    ['"', "'", "{", "}", "[", "]", "$", "%", "\\", "\x00", "\t", "\r", "\ufeff", "\u2028", "*", ":", "\\ud800"]
)

mutation = st.tuples(
    st.sampled_from(KINDS),
    st.integers(min_value=0, max_value=1 << 30),  # a position, taken modulo the length
    st.integers(min_value=0, max_value=1 << 30),  # a second position
    st.one_of(NASTY, st.text(max_size=12)),  # text to insert
    st.integers(min_value=1, max_value=3000),  # nesting depth
)


def mutate(text: str, steps: list[tuple[str, int, int, str, int]]) -> str:
    for kind, a, b, insert, depth in steps:
        n = max(len(text), 1)
        i, j = a % n, b % n
        lines = text.split("\n")
        li, lj = a % len(lines), b % len(lines)
        if kind == "delete-char":
            text = text[:i] + text[i + 1 :]
        elif kind == "duplicate-char":
            text = text[: i + 1] + text[i : i + 1] + text[i + 1 :]
        elif kind == "swap-chars" and i + 1 < len(text):
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif kind == "replace-char":
            text = text[:i] + (insert[:1] or "#") + text[i + 1 :]
        elif kind == "delete-line":
            del lines[li]
            text = "\n".join(lines)
        elif kind == "duplicate-line":
            lines.insert(li, lines[li])
            text = "\n".join(lines)
        elif kind == "swap-lines":
            lines[li], lines[lj] = lines[lj], lines[li]
            text = "\n".join(lines)
        elif kind == "truncate":
            text = text[:i]
        elif kind == "insert-text":
            text = text[:i] + insert + text[i:]
        elif kind == "inject-nesting":
            opener = "[{("[depth % 3]
            closer = "]})"[depth % 3]
            text = text[:i] + opener * depth + text[i:j] + closer * depth + text[max(i, j) :]
    return text


def _encode(text: str, how: int) -> bytes:
    if how == 1:
        return text.encode("utf-8", "surrogatepass")
    if how == 2:
        return "\ufeff".encode() + text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    if how == 3:
        return text.encode("latin-1", "replace")
    return text.encode("utf-8", "surrogatepass")


@PROFILE
@given(
    st.sampled_from(TF_SAMPLES),
    st.lists(mutation, min_size=1, max_size=4),
    st.integers(min_value=0, max_value=3),
)
def test_mutated_terraform_never_breaks_the_scan(sample: str, steps: list, encoding: int) -> None:
    text = mutate((REPO / sample).read_text(encoding="utf-8"), steps)
    scan_files({"main.tf": _encode(text, encoding)})


@PROFILE
@given(
    st.sampled_from(CFN_SAMPLES),
    st.lists(mutation, min_size=1, max_size=4),
    st.integers(min_value=0, max_value=3),
    st.booleans(),
)
def test_mutated_cloudformation_never_breaks_the_scan(sample: str, steps: list, encoding: int, as_json: bool) -> None:
    text = (REPO / sample).read_text(encoding="utf-8")
    if as_json:  # the same template in JSON (short-form tags become their long form, as CloudFormation reads them)
        from iamready.model.value import plain
        from iamready.parsers.cloudformation.loader import parse_template

        template = parse_template(text, "sample.yaml", [])
        if template is not None:
            text = json.dumps(plain(template.body), indent=1, default=str)
    text = mutate(text, steps)
    scan_files({"template.json" if as_json else "template.yaml": _encode(text, encoding)})


# -- policy documents of any shape -----------------------------------------------------------------------
KEYS = ["Version", "Id", "Statement", "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal"]
KEYS += ["NotPrincipal", "Condition", "AWS", "Service", "Federated", "StringEquals", "Bool", "aws:SourceArn"]
STRINGS = ["*", "Allow", "Deny", "maybe", "s3:*", "iam:PassRole", "*:*", "arn:aws:s3:::b/*", "", "sts:AssumeRole"]
STRINGS += ["arn:aws:iam::111122223333:root", "lambda.amazonaws.com", "2012-10-17", "${aws:username}", "s3:Get*"]
STRINGS += ["\ud800", "s3:\udfff*", "caf\xe9"]  # lone surrogates: Python strings that UTF-8 cannot encode
json_scalars = st.one_of(
    st.sampled_from(STRINGS),
    st.text(max_size=8),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=5)
    ),
    max_leaves=30,
)
statements = st.fixed_dictionaries(
    {"Effect": st.one_of(st.sampled_from(["Allow", "Deny"]), json_values)},
    optional={
        k: json_values for k in ("Sid", "Action", "NotAction", "Resource", "NotResource", "Principal", "Condition")
    },
)
documents = st.one_of(
    st.fixed_dictionaries(
        {
            "Version": st.just("2012-10-17"),
            "Statement": st.one_of(st.lists(statements, max_size=3), statements, json_values),
        }
    ),
    json_values,
)


def _heredoc(policy: str) -> str:
    return (
        'resource "aws_iam_policy" "generated" {\n  name   = "generated"\n  policy = <<-EOT\n'
        + policy
        + '\n  EOT\n}\n\nresource "aws_iam_role" "generated" {\n  name = "generated"\n'
        + "  assume_role_policy = <<-EOT\n"
        + policy
        + "\n  EOT\n}\n"
    )


def _cfn(policy: str) -> str:
    return (
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Managed:\n    Type: AWS::IAM::ManagedPolicy\n'
        f"    Properties:\n      PolicyDocument: {policy}\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
        f"      AssumeRolePolicyDocument: {policy}\n  Bucket:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n"
        f"      Bucket: b\n      PolicyDocument: {policy}\n"
    )


@PROFILE
@given(documents, st.sampled_from(["heredoc", "string", "cfn-yaml", "cfn-json"]), st.booleans())
def test_policy_documents_of_any_shape(document: object, carrier: str, duplicate: bool) -> None:
    policy = json.dumps(document)
    if duplicate and policy.startswith("{") and len(policy) > 2:  # a key written twice, as merges leave them
        policy = '{"Statement": [], ' + policy[1:]
    if carrier == "heredoc":
        files = {"main.tf": _heredoc(policy)}
    elif carrier == "string":
        files = {
            "main.tf": 'resource "aws_iam_user_policy" "p" {\n  user = "u"\n  policy = ' + json.dumps(policy) + "\n}\n"
        }
    elif carrier == "cfn-yaml":
        files = {"template.yaml": _cfn(policy)}
    else:
        body = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {"M": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": document}}},
        }
        files = {"template.json": json.dumps(body)}
    scan_files({name: text.encode("utf-8", "surrogatepass") for name, text in files.items()})


# -- Terraform expressions built to be expensive ---------------------------------------------------------
def _expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(['"a"', '"*"', "1", "0", "-1", "true", "null", "local.l0", "var.v", "[]", "{}", "1e9"]),
        st.integers(min_value=-(10**6), max_value=10**9).map(str),
    )

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        two = st.tuples(inner, inner)
        return st.one_of(
            st.builds("range({})".format, inner),
            two.map(lambda p: f"join({p[0]}, {p[1]})"),
            two.map(lambda p: f"format({p[0]}, {p[1]})"),
            two.map(lambda p: f'"${{{p[0]}}}${{{p[1]}}}"'),
            two.map(lambda p: f"[for x in {p[0]} : {p[1]}]"),
            two.map(lambda p: f"{{for k, x in {p[0]} : tostring(k) => {p[1]}}}"),
            two.map(lambda p: f"({p[0]} * {p[1]})"),
            two.map(lambda p: f"({p[0]} + {p[1]})"),
            two.map(lambda p: f"({p[0]} / {p[1]})"),
            two.map(lambda p: f"({p[0]} % {p[1]})"),
            two.map(lambda p: f"({p[0]} == {p[1]} ? {p[0]} : {p[1]})"),
            two.map(lambda p: f"flatten([{p[0]}, {p[1]}])"),
            two.map(lambda p: f"merge({p[0]}, {p[1]})"),
            two.map(lambda p: f"concat({p[0]}, {p[1]})"),
            two.map(lambda p: f"setproduct({p[0]}, {p[1]})"),
            two.map(lambda p: f"lookup({p[0]}, {p[1]}, null)"),
            two.map(lambda p: f"try({p[0]}, {p[1]})"),
            st.builds("jsonencode({})".format, inner),
            st.builds("jsondecode({})".format, inner),
            st.builds("length({})".format, inner),
            st.builds("tolist({})".format, inner),
            st.builds("keys({})".format, inner),
            st.builds("upper({})".format, inner),
            st.builds("[{}, {}, {}]".format, inner, inner, inner),
            st.builds('"%{{ for v in {} }}${{v}}%{{ endfor }}"'.format, inner),
        )

    return st.recursive(leaves, grow, max_leaves=12)


@PROFILE
@given(st.lists(_expressions(), min_size=1, max_size=4))
def test_terraform_expressions_end_within_the_budget(expressions: list[str]) -> None:
    local_lines = "".join(f"  l{i} = {e}\n" for i, e in enumerate(expressions))
    text = (
        'variable "v" {\n  default = [1, 2, 3]\n}\n\nlocals {\n'
        + local_lines
        + '}\n\nresource "aws_iam_policy" "computed" {\n  name   = "computed"\n'
        + '  policy = jsonencode({\n    Statement = [{ Effect = "Allow", Action = local.l0, Resource = local.l0 }]\n'
        + "  })\n}\n"
    )
    scan_files({"main.tf": text.encode("utf-8")})


def test_the_samples_exist() -> None:
    """The strategies draw from real samples; an empty list would make every property vacuous."""
    assert len(TF_SAMPLES) > 50 and len(CFN_SAMPLES) > 50
    assert all(Path(REPO / p).is_file() for p in TF_SAMPLES[:5] + CFN_SAMPLES[:5])
