"""The committed hostile corpus: every file gives exactly the notifications listed here, and the canary beside
it is still found.

Each directory of ``corpus/`` is copied into a temporary repository next to ``canary.tf`` (and, for
CloudFormation cases, ``canary.yaml``); the repository is scanned in-process with ``--format json``
and a SARIF report that is validated against the schema. A case lists the exact notifications
``(kind, level, file, line, message)`` and the findings beyond the canary's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.hostile.conftest import CORPUS, Hit, Note, Project, canary_hit

UTF8 = "Terraform and CloudFormation files must be UTF-8"
LONG = "evaluation takes more than 500000 steps; its value is unknown"


@dataclass(frozen=True)
class Case:
    notes: set[Note] = field(default_factory=set)
    findings: set[Hit] = field(default_factory=set)  # besides the canary's
    cfn: bool = False  # a CloudFormation canary beside it as well


CASES: dict[str, Case] = {
    # -- Terraform syntax -------------------------------------------------------------------------------------
    "tf_truncated": Case({("parse-error", "error", "broken.tf", 6, "invalid HCL: unexpected end of file")}),
    "tf_invalid_token": Case({("parse-error", "error", "main.tf", 3, "invalid HCL: unexpected ']'")}),
    # 5000 dashes: the first is read as a minus sign, the other 4999 are one token, shown cut to 40 characters
    "tf_long_token": Case(
        {("parse-error", "error", "main.tf", 2, "invalid HCL: unexpected '" + "-" * 40 + "...' (4999 characters)")}
    ),
    "tf_duplicate_argument": Case(
        {
            (
                "parse-error",
                "error",
                "users.tf",
                4,
                'argument "name" is set twice: already set at users.tf:2; '
                "Terraform rejects this; the last value is used",
            )
        }
    ),
    "tf_duplicate_block": Case(
        {
            (
                "parse-error",
                "error",
                "users.tf",
                5,
                "duplicate resource aws_iam_user.ops: also declared at users.tf:1; this one is ignored",
            )
        }
    ),
    "tf_json_truncated": Case({("parse-error", "error", "main.tf.json", 6, "invalid JSON: unexpected end of JSON")}),
    "tf_json_not_object": Case(
        {("parse-error", "error", "main.tf.json", 1, "invalid JSON: a .tf.json file must hold an object")}
    ),
    # -- Terraform encodings and bytes ------------------------------------------------------------------------
    "tf_bom_crlf": Case(findings={("admin.tf", 6, "AWS-IAM-001")}),  # read as written, lines exact
    "tf_latin1": Case({("parse-error", "error", "latin1.tf", 2, f"not valid UTF-8 (byte 0xe9); {UTF8}")}),
    "tf_invalid_utf8": Case({("parse-error", "error", "bad.tf", 4, f"not valid UTF-8 (byte 0xff); {UTF8}")}),
    "tf_utf16": Case({("parse-error", "error", "windows.tf", 1, f"UTF-16 text (byte-order mark 0xff 0xfe); {UTF8}")}),
    "tf_binary": Case({("parse-error", "error", "logo.tf", 1, "binary file (contains NUL bytes); not scanned")}),
    "tf_empty": Case(),  # empty, blank and comment-only files are valid Terraform
    # "\ud800" escapes: strings Python holds but UTF-8 cannot encode, in messages, fingerprints and reports
    "tf_lone_surrogates": Case(findings={("escapes.tf", 4, "AWS-IAM-001"), ("escapes.tf", 9, "AWS-IAM-001")}),
    # -- policies of the wrong shape (Terraform) --------------------------------------------------------------
    "tf_policy_wrong_types": Case(
        {
            (
                "invalid-policy",
                "warning",
                "policies.tf",
                5,
                'aws_iam_policy.effect_maybe.policy: statement 1 has Effect \'maybe\'; it must be "Allow" or "Deny"',
            ),
            (
                "invalid-policy",
                "warning",
                "policies.tf",
                13,
                "aws_iam_policy.action_number.policy: statement 1: Action must be a string or a list of strings, "
                "not the number 5",
            ),
            (
                "invalid-policy",
                "warning",
                "policies.tf",
                21,
                "aws_iam_policy.empty_statement.policy: statement 1 has no Effect",
            ),
            (
                "invalid-policy",
                "warning",
                "policies.tf",
                21,
                "aws_iam_policy.empty_statement.policy: statement 1 has neither Action nor NotAction",
            ),
            (
                "invalid-policy",
                "warning",
                "policies.tf",
                33,
                "aws_iam_policy.condition_list.policy: statement 1: Condition must be an object",
            ),
            (
                "invalid-policy",
                "warning",
                "policies.tf",
                44,
                'aws_iam_role.principal_number.assume_role_policy: statement 1: Principal must be "*" or an object, '
                "not the number 123456789012",
            ),
        }
    ),
    "tf_policy_duplicate_keys": Case(
        {
            (
                "invalid-policy",
                "warning",
                "heredoc.tf",
                10,
                "aws_iam_policy.twice.policy: duplicate key 'Action' in the policy JSON (line 10 repeats a key of the "
                "same object); the last value is used",
            )
        },
        findings={("heredoc.tf", 7, "AWS-IAM-001")},  # "Action": "*" is the value that counts
    ),
    "tf_policy_invalid_json": Case(
        {
            (
                "unresolved",
                "note",
                "heredoc.tf",
                3,
                "aws_iam_policy.cut: policy aws_iam_policy.cut.policy could not be read "
                "(policy is not valid JSON: unexpected end of JSON)",
            ),
        }
    ),
    # -- reading outside the tree -----------------------------------------------------------------------------
    "tf_file_outside": Case(
        {
            (
                "unresolved",
                "note",
                "files.tf",
                3,
                "file('/etc/passwd') points outside the repository being scanned and is not read",
            ),
            (
                "unresolved",
                "note",
                "files.tf",
                3,
                "aws_iam_policy.passwd: policy aws_iam_policy.passwd.policy could not be read "
                "(file('/etc/passwd') is outside the repository being scanned)",
            ),
            (
                "unresolved",
                "note",
                "files.tf",
                8,
                "templatefile('./../../../../etc/hostname') points outside the repository being scanned "
                "and is not read",
            ),
            (
                "unresolved",
                "note",
                "files.tf",
                8,
                "aws_iam_policy.climb: policy aws_iam_policy.climb.policy could not be read "
                "(templatefile('./../../../../etc/hostname') is outside the repository being scanned)",
            ),
        }
    ),
    # -- cycles and budgets -----------------------------------------------------------------------------------
    "tf_module_self": Case(
        {
            (
                "unresolved",
                "warning",
                "main.tf",
                1,
                "module.again sources './', which is already being instantiated (a module cycle)",
            )
        }
    ),
    "tf_module_cycle": Case(
        {
            (
                "unresolved",
                "warning",
                "b/main.tf",
                1,
                "module.a sources '../a', which is already being instantiated (a module cycle)",
            )
        }
    ),
    "tf_locals_cycle": Case(
        {
            (
                "unresolved",
                "warning",
                "cycle.tf",
                4,
                "reference cycle: local.a -> local.b -> local.c -> local.a; its value is unknown",
            )
        }
    ),
    "tf_budget_range": Case(
        {("unresolved", "warning", "range.tf", 2, "local.huge: range() of more than 100000 items")}
    ),
    "tf_budget_string": Case(
        {
            ("unresolved", "warning", "strings.tf", 12, "local.s10: template result longer than 4194304 characters"),
            ("unresolved", "warning", "strings.tf", 14, "local.wide: format(): width or precision larger than 10000"),
        }
    ),
    "tf_budget_for": Case({("unresolved", "warning", "loops.tf", 2, f"local.cube: {LONG}")}),
    "tf_budget_function_work": Case({("unresolved", "warning", "joins.tf", 2, f"local.rows: {LONG}")}),
    # -- CloudFormation syntax --------------------------------------------------------------------------------
    "cfn_yaml_truncated": Case(
        {
            (
                "parse-error",
                "error",
                "stack.yaml",
                7,
                "invalid YAML: while parsing a flow node: did not find expected node content",
            )
        },
        cfn=True,
    ),
    "cfn_yaml_tab_indent": Case(
        {
            (
                "parse-error",
                "error",
                "stack.yaml",
                4,
                "invalid YAML: while scanning for the next token: found character that cannot start any token",
            )
        },
        cfn=True,
    ),
    "cfn_json_truncated": Case(
        {("parse-error", "error", "stack.json", 6, "invalid JSON: unexpected end of JSON")}, cfn=True
    ),
    # JSON with a trailing comma is still YAML: read as YAML, as CloudFormation does
    "cfn_json_trailing_comma": Case(findings={("stack.json", 6, "AWS-IAM-001")}, cfn=True),
    "cfn_yaml_duplicate_keys": Case(
        {
            (
                "parse-error",
                "error",
                "stack.yaml",
                12,
                "duplicate key 'Action' (lines 10 and 12); CloudFormation rejects duplicate keys; the last one is used",
            ),
            (
                "parse-error",
                "error",
                "stack.yaml",
                13,
                "duplicate key 'Policy' (lines 3 and 13); CloudFormation rejects duplicate keys; the last one is used",
            ),
        },
        cfn=True,
    ),
    "cfn_json_duplicate_keys": Case(
        {
            (
                "parse-error",
                "error",
                "stack.json",
                10,
                "duplicate key 'Action' (line 10 repeats a key of the same object); CloudFormation rejects duplicate "
                "keys; the last one is used",
            )
        },
        findings={("stack.json", 10, "AWS-IAM-001")},
        cfn=True,
    ),
    "cfn_yaml_not_mapping": Case(
        {
            (
                "parse-error",
                "error",
                "stack.yaml",
                2,
                "invalid YAML: expected a single document in the stream, but found another document",
            )
        },
        cfn=True,
    ),
    "cfn_no_resources": Case(
        {
            (
                "parse-error",
                "warning",
                "stack.yaml",
                1,
                "template has no Resources section (CloudFormation requires one)",
            )
        },
        cfn=True,
    ),
    # -- CloudFormation encodings and bytes -------------------------------------------------------------------
    "cfn_yaml_bom_crlf": Case(findings={("stack.yaml", 9, "AWS-IAM-001")}, cfn=True),
    "cfn_json_bom": Case(findings={("stack.json", 9, "AWS-IAM-001")}, cfn=True),
    "cfn_yaml_latin1": Case(
        {("parse-error", "error", "stack.yaml", 2, f"not valid UTF-8 (byte 0xe9); {UTF8}")}, cfn=True
    ),
    "cfn_yaml_utf16": Case(
        {("parse-error", "error", "stack.yaml", 1, f"UTF-16 text (byte-order mark 0xff 0xfe); {UTF8}")}, cfn=True
    ),
    "cfn_yaml_binary": Case(
        {("parse-error", "error", "stack.yaml", 1, "binary file (contains NUL bytes); not scanned")}, cfn=True
    ),
    "yaml_binary_unsniffed": Case(
        {
            ("skipped", "note", "photo.yaml", 1, "binary file (contains NUL bytes); not scanned"),
            ("skipped", "note", "blob.json", 1, "binary file (contains NUL bytes); not scanned"),
        },
        cfn=True,
    ),
    "cfn_json_lone_surrogates": Case(findings={("stack.json", 1, "AWS-IAM-001")}, cfn=True),
    "cfn_empty": Case(cfn=True),  # empty YAML/JSON is not a template: skipped quietly, like any other YAML
    # -- policies of the wrong shape (CloudFormation) ---------------------------------------------------------
    "cfn_policy_wrong_types": Case(
        {
            (
                "invalid-policy",
                "warning",
                "stack.yaml",
                9,
                'Odd.PolicyDocument: statement 1 has Effect \'maybe\'; it must be "Allow" or "Deny"',
            ),
            (
                "invalid-policy",
                "warning",
                "stack.yaml",
                10,
                "Odd.PolicyDocument: statement 1: Action must be a string or a list of strings, not the number 5",
            ),
            (
                "invalid-policy",
                "warning",
                "stack.yaml",
                11,
                "Odd.PolicyDocument: statement 1: Resource must be a string or a list of strings, not an object",
            ),
            (
                "invalid-policy",
                "warning",
                "stack.yaml",
                12,
                "Odd.PolicyDocument: statement 1: Condition must be an object",
            ),
            ("invalid-policy", "warning", "stack.yaml", 18, "Empty.PolicyDocument: statement 1 has no Effect"),
            (
                "invalid-policy",
                "warning",
                "stack.yaml",
                18,
                "Empty.PolicyDocument: statement 1 has neither Action nor NotAction",
            ),
            (
                "invalid-policy",
                "warning",
                "stack.yaml",
                26,
                'Trust.AssumeRolePolicyDocument: statement 1: Principal must be "*" or an object, '
                "not the number 123456789012",
            ),
        },
        cfn=True,
    ),
    # -- hostile YAML -----------------------------------------------------------------------------------------
    "cfn_alias_bomb": Case(
        {
            (
                "parse-error",
                "note",
                "stack.yaml",
                6,
                "this YAML anchor is used through aliases (*name), which iamready expands as `aws cloudformation "
                "package` and `sam deploy` do; CloudFormation itself rejects a template that still contains aliases",
            ),
            (
                "parse-error",
                "error",
                "stack.yaml",
                10,
                "template expands to more than 1000000 values through the aliases of this YAML anchor "
                "(an alias bomb?); not scanned",
            ),
        },
        cfn=True,
    ),
    "cfn_custom_tags": Case(
        {
            (
                "parse-error",
                "warning",
                "stack.yaml",
                6,
                "unknown tag !!python/object/apply:os.system; CloudFormation does not accept it, and iamready treats "
                "its value as unknown",
            ),
            (
                "parse-error",
                "warning",
                "stack.yaml",
                7,
                "unknown tag !Vault; CloudFormation does not accept it, and iamready treats its value as unknown",
            ),
            (
                "parse-error",
                "warning",
                "stack.yaml",
                13,
                "unknown tag !!python/name:os.getcwd; CloudFormation does not accept it, and iamready treats its "
                "value as unknown",
            ),
        },
        cfn=True,
    ),
}


def test_every_corpus_directory_has_a_case() -> None:
    assert sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_case(project: Project, name: str) -> None:
    case = CASES[name]
    project.copy_case(name)
    project.canary(cfn=case.cfn)
    outcome = project.scan(".")
    expected_findings = {canary_hit(), *case.findings} | ({canary_hit(cfn=True)} if case.cfn else set())
    assert outcome.notes == case.notes
    assert outcome.findings == expected_findings
    assert outcome.exit_code == 1  # the canary's finding; the hostile file never hides it
    # every notification reaches SARIF with its location
    sarif = sorted(
        (
            n["descriptor"]["id"],
            n["level"],
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            n["locations"][0]["physicalLocation"]["region"]["startLine"],
            n["message"]["text"],
        )
        for n in outcome.sarif_notes
    )
    assert sarif == sorted(case.notes)


def test_bad_input_is_located_in_every_format(project: Project) -> None:
    """Issue 2, bad input: file, line and reason in every format, beside the finding of the valid file."""
    from click.testing import CliRunner

    from iamready.cli import main

    project.copy_case("tf_truncated")
    project.copy_case("cfn_yaml_latin1")
    project.canary()
    reason_tf, reason_cfn = "invalid HCL: unexpected end of file", f"not valid UTF-8 (byte 0xe9); {UTF8}"
    expected = {
        "text": [f"broken.tf:6: error: {reason_tf}", f"stack.yaml:2: error: {reason_cfn}", "canary.tf:2:3: high"],
        "github": [
            f"::error file=broken.tf,line=6,title=iamready parse-error::{reason_tf}",
            f"::error file=stack.yaml,line=2,title=iamready parse-error::{reason_cfn}",
            "::error file=canary.tf,line=2,",
        ],
        "markdown": [
            f"- error: [broken.tf:6](broken.tf#L6) {reason_tf}",
            f"- error: [stack.yaml:2](stack.yaml#L2) {reason_cfn}",
            "canary.tf",
        ],
    }
    for fmt, lines in expected.items():
        result = CliRunner().invoke(
            main, ["scan", ".", "--format", fmt, "--no-cache", "--select", "AWS-IAM-001"], catch_exceptions=False
        )
        assert result.exit_code == 1, (fmt, result.output)
        for line in lines:
            assert line in result.stdout, (fmt, line, result.stdout)


def test_lone_surrogates_survive_a_baseline_round_trip(project: Project) -> None:
    project.copy_case("tf_lone_surrogates")
    project.copy_case("cfn_json_lone_surrogates")
    baseline = str(project.root.parent / "baseline.json")
    written = project.scan(".", "--write-baseline", baseline, select="AWS-IAM-001")
    assert written.exit_code == 0
    assert "wrote 3 finding(s) to baseline" in written.stderr
    again = project.scan(".", "--baseline", baseline)
    assert again.exit_code == 0
    assert [r["message"] for r in again.data["results"] if "suppressed" not in r] == []
    everything = "allows every action (*) on every resource (*)"
    assert sorted(r["message"] for r in again.data["results"]) == [  # Sids shown with repr(): escaped
        f"P\ud800: statement {chr(0xDFFF)!r} {everything}",
        f"aws_iam_policy.s: statement {'x' + chr(0xDFFF)!r} {everything}",
        f"aws_iam_policy.t: statement {'y' + chr(0xD800)!r} {everything}",
    ]
