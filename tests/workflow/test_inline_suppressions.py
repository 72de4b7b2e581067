"""Inline suppressions in Terraform: by block, by line, expiry, the meta findings, bad comments."""

from __future__ import annotations

from datetime import date

import pytest

from iamready import suppress
from tests.workflow.conftest import ADMIN_TF, by_rule, findings, notes


def _with(text: str, line: int, comment: str) -> str:
    """ADMIN_TF with ``comment`` inserted as a line of its own before line ``line``."""
    lines = text.splitlines()
    lines.insert(line - 1, comment)
    return "\n".join(lines) + "\n"


def _trailing(text: str, line: int, comment: str) -> str:
    lines = text.splitlines()
    lines[line - 1] += " " + comment
    return "\n".join(lines) + "\n"


def test_comment_above_a_nested_block_covers_the_block(project) -> None:
    # line 2 becomes the comment, the statement block spans lines 3-7
    project.write({"main.tf": _with(ADMIN_TF, 2, "  # iamready:ignore[AWS-IAM-001] break-glass policy (SEC-1234)")})
    code, data = project.json(".")
    assert findings(data, suppressed=True) == [("main.tf", 3, "AWS-IAM-001")]
    assert findings(data, suppressed=False) == [("main.tf", 29, "AWS-IAM-001")]
    suppressed = by_rule(data, "AWS-IAM-001")[0]
    assert suppressed["suppressed"] == {
        "kind": "inSource",
        "source": "comment",
        "reason": "break-glass policy (SEC-1234)",
        "location": {"path": "main.tf", "start_line": 2, "start_column": 3, "end_line": 2, "end_column": 63},
    }
    assert code == 1  # the attachment is still reported


def test_comment_above_a_resource_covers_findings_inside_it(project) -> None:
    project.write(
        {"main.tf": _with(ADMIN_TF, 26, "# iamready:ignore[AWS-IAM-001] platform admins, reviewed quarterly")}
    )
    code, data = project.json(".")
    assert findings(data, suppressed=True) == [("main.tf", 29, "AWS-IAM-001")]
    assert findings(data, suppressed=False) == [("main.tf", 2, "AWS-IAM-001")]
    assert code == 1


def test_comment_above_a_resource_covers_its_findings_located_in_a_data_source(project) -> None:
    # the finding about aws_iam_policy.admin is located in the policy document it uses
    project.write({"main.tf": _with(ADMIN_TF, 9, "// iamready:ignore[AWS-IAM-001] break-glass policy")})
    _, data = project.json(".")
    assert findings(data, suppressed=True) == [("main.tf", 2, "AWS-IAM-001")]
    assert by_rule(data, "AWS-IAM-001")[0]["resource"] == "aws_iam_policy.admin"
    assert by_rule(data, "IAC-SUPPRESS-001") == []


def test_block_comment_does_not_reach_past_the_block(project) -> None:
    # a comment above the role (lines 15-25) does not cover the attachment below it
    project.write({"main.tf": _with(ADMIN_TF, 14, "# iamready:ignore[AWS-IAM-001] ops role")})
    _, data = project.json(".")
    assert findings(data, suppressed=True) == []
    unused = by_rule(data, "IAC-SUPPRESS-001")
    assert [(u["location"]["start_line"], u["resource"], u["message"]) for u in unused] == [
        (
            14,
            "aws_iam_role.ops",
            "aws_iam_role.ops: suppression of AWS-IAM-001 matches no AWS-IAM-001 finding; remove it",
        )
    ]


def test_trailing_comment_covers_the_findings_whose_span_holds_its_line(project) -> None:
    text = _trailing(ADMIN_TF, 28, "# iamready:ignore[AWS-IAM-001] platform admins (SEC-77)")
    # line 4 is inside the flagged statement (lines 2-6), line 10 is not inside any AWS-IAM-001 finding
    text = _trailing(text, 4, "# iamready:ignore[AWS-IAM-001] break-glass policy (SEC-78)")
    text = _trailing(text, 10, "# iamready:ignore[AWS-IAM-001] the policy resource, not the statement")
    project.write({"main.tf": text})
    _, data = project.json(".")
    assert findings(data, suppressed=True) == [("main.tf", 2, "AWS-IAM-001"), ("main.tf", 28, "AWS-IAM-001")]
    assert findings(data, suppressed=False) == [("main.tf", 10, "IAC-SUPPRESS-001")]


def test_trailing_comment_on_the_principal_line_of_a_trust_statement(project) -> None:
    """The issue's case: the finding is located at the statement, the comment sits on the line that
    names the principal."""
    project.write(
        {
            "main.tf": """\
resource "aws_iam_role" "public" {
  name = "public-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" } # iamready:ignore[AWS-IAM-031] demo account, torn down nightly (SEC-9)
      Action    = "sts:AssumeRole"
    }]
  })
}
"""
        }
    )
    _, data = project.json(".", "--select", "AWS-IAM-031,IAC-SUPPRESS")
    suppressed = by_rule(data, "AWS-IAM-031")
    assert suppressed and all(r["suppressed"]["reason"].startswith("demo account") for r in suppressed)
    assert by_rule(data, "IAC-SUPPRESS-001") == []


def test_stacked_comments_above_a_block_both_apply(project) -> None:
    text = _with(ADMIN_TF, 26, "# iamready:ignore[AWS-IAM-001] platform admins")
    text = _with(text, 26, "# reviewed by the security team in March")
    project.write({"main.tf": text})
    _, data = project.json(".")
    assert findings(data, suppressed=True) == [("main.tf", 30, "AWS-IAM-001")]


def test_comment_inside_jsonencode_covers_the_statement(project) -> None:
    project.write(
        {
            "main.tf": """\
resource "aws_iam_role_policy" "migration" {
  name = "migration"
  role = "migration"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "arn:aws:s3:::acme-reports/*"
      },
      # iamready:ignore[AWS-IAM-001] one-off bucket migration (SEC-1301)
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
"""
        }
    )
    code, data = project.json(".")
    assert findings(data) == [("main.tf", 13, "AWS-IAM-001")]
    assert findings(data, suppressed=True) == [("main.tf", 13, "AWS-IAM-001")]
    assert code == 0


def test_comment_above_a_module_call_covers_the_module(project) -> None:
    project.write(
        {
            "main.tf": """\
# iamready:ignore[AWS-IAM-001] vendored admin module, replaced in Q3 (SEC-99)
module "legacy" {
  source = "./modules/legacy"
}
""",
            "modules/legacy/main.tf": """\
resource "aws_iam_role_policy_attachment" "admin" {
  role       = "legacy"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
""",
        }
    )
    code, data = project.json(".")
    assert findings(data, suppressed=True) == [("modules/legacy/main.tf", 3, "AWS-IAM-001")]
    assert by_rule(data, "AWS-IAM-001")[0]["resource"] == "module.legacy.aws_iam_role_policy_attachment.admin"
    assert code == 0


def test_several_ids_and_a_partially_unused_suppression(project) -> None:
    project.write({"main.tf": _trailing(ADMIN_TF, 28, "# iamready:ignore[AWS-IAM-001, AWS-IAM-002] platform admins")})
    _, data = project.json(".", "--select", "AWS-IAM-001,AWS-IAM-002,IAC-SUPPRESS")
    assert findings(data, suppressed=True) == [("main.tf", 28, "AWS-IAM-001")]
    unused = by_rule(data, "IAC-SUPPRESS-001")
    assert [u["message"] for u in unused] == [
        "aws_iam_role_policy_attachment.ops_admin: suppression of AWS-IAM-002 matches no AWS-IAM-002 finding; remove it"
    ]


def test_unused_is_not_reported_for_a_rule_that_did_not_run(project) -> None:
    project.write({"main.tf": _trailing(ADMIN_TF, 28, "# iamready:ignore[AWS-IAM-002] kept for the user rule")})
    _, data = project.json(".", "--select", "AWS-IAM-001,IAC-SUPPRESS")
    assert by_rule(data, "IAC-SUPPRESS-001") == []
    assert notes(data) == []


def test_missing_reason_is_a_low_finding_and_the_suppression_still_applies(project) -> None:
    project.write({"main.tf": _trailing(ADMIN_TF, 28, "# iamready:ignore[AWS-IAM-001]")})
    code, data = project.json(".", "--fail-on", "medium")
    assert findings(data, suppressed=True) == [("main.tf", 28, "AWS-IAM-001")]
    [meta] = by_rule(data, "IAC-SUPPRESS-002")
    assert meta["severity"] == "low"
    assert meta["location"]["start_line"] == 28
    assert meta["message"] == (
        "aws_iam_role_policy_attachment.ops_admin: iamready:ignore[AWS-IAM-001] gives no reason; "
        "write why after the bracket"
    )
    assert by_rule(data, "AWS-IAM-001")[1]["suppressed"]["reason"] == "no reason given"
    code_low, _ = project.json(".", "--fail-on", "low")
    assert (code, code_low) == (1, 1)  # the other AWS-IAM-001 (high) fails; at low the meta finding alone would


@pytest.mark.parametrize(
    ("today", "expired"),
    [(date(2027, 3, 31), False), (date(2027, 4, 1), True)],
    ids=["on-the-day", "the-day-after"],
)
def test_expiry(project, monkeypatch, today, expired) -> None:
    monkeypatch.setattr(suppress, "today", lambda: today)
    project.write(
        {"main.tf": _trailing(ADMIN_TF, 28, "# iamready:ignore[AWS-IAM-001] migration until=2027-03-31 (SEC-1301)")}
    )
    _, data = project.json(".")
    attachment = by_rule(data, "AWS-IAM-001")[1]
    meta = by_rule(data, "IAC-SUPPRESS-003")
    if expired:
        assert "suppressed" not in attachment
        assert attachment["properties"]["inlineSuppression"] == {
            "status": "expired on 2027-03-31",
            "justification": "migration (SEC-1301) (until 2027-03-31)",
            "location": "main.tf:28",
        }
        assert [(m["location"]["start_line"], m["message"]) for m in meta] == [
            (
                28,
                "aws_iam_role_policy_attachment.ops_admin: iamready:ignore[AWS-IAM-001] expired on 2027-03-31 and "
                "no longer applies; fix the finding or renew the suppression with a new until= date",
            )
        ]
        assert by_rule(data, "IAC-SUPPRESS-001") == []  # expired, not "unused"
    else:
        assert attachment["suppressed"]["reason"] == "migration (SEC-1301) (until 2027-03-31)"
        assert meta == []


def test_a_suppression_cannot_hide_the_findings_about_itself(project) -> None:
    text = _with(ADMIN_TF, 26, "# iamready:ignore[IAC-SUPPRESS-002, AWS-IAM-001]")
    project.write({"main.tf": text})
    _, data = project.json(".")
    [meta] = by_rule(data, "IAC-SUPPRESS-002")
    assert "suppressed" not in meta
    assert meta["message"].endswith("iamready:ignore[AWS-IAM-001] gives no reason; write why after the bracket")
    assert notes(data) == [
        (
            "main.tf",
            26,
            "error",
            "suppression comment names IAC-SUPPRESS-002: findings about suppressions cannot be suppressed inline "
            "(deselect the rule with --ignore or the 'ignore' config key, or use a baseline)",
        )
    ]


def test_a_block_suppression_of_meta_rules_does_not_hide_a_nested_missing_reason(project) -> None:
    text = _trailing(ADMIN_TF, 28, "# iamready:ignore[AWS-IAM-001]")
    text = _with(text, 26, "# iamready:ignore[IAC-SUPPRESS-002] silence the reason check")
    project.write({"main.tf": text})
    _, data = project.json(".")
    assert [m["location"]["start_line"] for m in by_rule(data, "IAC-SUPPRESS-002")] == [29]
    assert [m for m in by_rule(data, "IAC-SUPPRESS-002") if "suppressed" in m] == []


@pytest.mark.parametrize("typo", ["AWS-IAM-01", "AWS-IAM-1", "AWS-IMA-001"])
def test_unknown_rule_id_is_an_error_with_the_nearest_id(project, typo) -> None:
    project.write({"main.tf": _trailing(ADMIN_TF, 28, f"# iamready:ignore[{typo}] platform admins")})
    code, data = project.json(".")
    assert notes(data) == [
        (
            "main.tf",
            28,
            "error",
            f"suppression comment names unknown rule id {typo!r} (did you mean AWS-IAM-001?); it suppresses nothing",
        )
    ]
    assert findings(data, suppressed=True) == []
    assert code == 1


def test_rule_ids_are_case_insensitive(project) -> None:
    project.write({"main.tf": _trailing(ADMIN_TF, 28, "# iamready:ignore[aws-iam-001] platform admins")})
    _, data = project.json(".")
    assert notes(data) == []
    assert findings(data, suppressed=True) == [("main.tf", 28, "AWS-IAM-001")]


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        (
            "# iamready:ignor[AWS-IAM-001] platform admins",
            "malformed suppression comment: unknown directive 'iamready:ignor' (did you mean 'iamready:ignore'?); "
            "write iamready:ignore[RULE-ID, ...] reason",
        ),
        (
            "# iamready:ignore AWS-IAM-001 platform admins",
            "malformed suppression comment: iamready:ignore needs the rule ids in brackets; "
            "write iamready:ignore[RULE-ID, ...] reason",
        ),
        (
            "# iamready:ignore[AWS-IAM-001 platform admins",
            "malformed suppression comment: iamready:ignore[ is not closed with ']'; "
            "write iamready:ignore[RULE-ID, ...] reason",
        ),
        (
            "# iamready:ignore[] platform admins",
            "malformed suppression comment: iamready:ignore[] names no rule; a rule id is required: "
            "iamready:ignore[RULE-ID, ...] reason",
        ),
        (
            "# iamready ignore[AWS-IAM-001] platform admins",
            "malformed suppression comment: 'iamready ignore' is not a directive; "
            "write iamready:ignore[RULE-ID, ...] reason",
        ),
        (
            "# iamready:skip[AWS-IAM-001] platform admins",
            "malformed suppression comment: unknown directive 'iamready:skip' (did you mean 'iamready:ignore'?); "
            "write iamready:ignore[RULE-ID, ...] reason",
        ),
    ],
    ids=["typo", "no-brackets", "unclosed", "empty", "no-colon", "other-directive"],
)
def test_malformed_comment_is_a_located_error_and_suppresses_nothing(project, comment, message) -> None:
    project.write({"main.tf": _trailing(ADMIN_TF, 28, comment)})
    code, data = project.json(".")
    assert notes(data) == [("main.tf", 28, "error", message)]
    assert findings(data, suppressed=True) == []
    assert code == 1


def test_invalid_expiry_date_is_an_error_and_does_not_suppress(project) -> None:
    project.write({"main.tf": _trailing(ADMIN_TF, 28, "# iamready:ignore[AWS-IAM-001] migration until=2027-02-30")})
    _, data = project.json(".")
    assert notes(data) == [
        (
            "main.tf",
            28,
            "error",
            "suppression comment: expiry '2027-02-30' is not a valid date; write until=YYYY-MM-DD; "
            "the suppression is not applied",
        )
    ]
    assert findings(data, suppressed=True) == []


def test_prose_mentioning_iamready_is_not_a_directive(project) -> None:
    text = _with(ADMIN_TF, 1, "# iamready: this module is scanned in CI, see docs/ci.md")
    project.write({"main.tf": text})
    _, data = project.json(".")
    assert notes(data) == []
    assert findings(data) == [("main.tf", 3, "AWS-IAM-001"), ("main.tf", 29, "AWS-IAM-001")]


def test_no_inline_suppressions_reports_instead_of_honouring(project) -> None:
    text = _trailing(ADMIN_TF, 28, "# iamready:ignore[AWS-IAM-001] platform admins (SEC-77)")
    project.write({"main.tf": text})
    code, data = project.json(".", "--no-inline-suppressions")
    assert findings(data, suppressed=True) == []
    assert findings(data) == [("main.tf", 2, "AWS-IAM-001"), ("main.tf", 28, "AWS-IAM-001")]
    assert by_rule(data, "AWS-IAM-001")[1]["properties"]["inlineSuppression"] == {
        "status": "not honoured",
        "justification": "platform admins (SEC-77)",
        "location": "main.tf:28",
    }
    assert notes(data) == [
        (
            "main.tf",
            28,
            "note",
            "inline suppression not honoured (--no-inline-suppressions): "
            "iamready:ignore[AWS-IAM-001] platform admins (SEC-77)",
        )
    ]
    assert by_rule(data, "IAC-SUPPRESS-001") == []  # it would have matched: not unused
    assert code == 1


def test_no_inline_suppressions_from_the_config_file(project) -> None:
    text = _trailing(ADMIN_TF, 28, "# iamready:ignore[AWS-IAM-001] platform admins (SEC-77)")
    project.write({"main.tf": text, ".iamready.toml": "no-inline-suppressions = true\n"})
    _, data = project.json(".")
    assert findings(data, suppressed=True) == []
    _, data = project.json(".", "--config", ".iamready.toml")
    assert findings(data, suppressed=True) == []


def test_text_summary_counts_and_show_suppressed_lists(project) -> None:
    project.write({"main.tf": _trailing(ADMIN_TF, 28, "# iamready:ignore[AWS-IAM-001] platform admins (SEC-77)")})
    plain = project.run("scan", ".", "--no-color")
    assert "1 finding (1 high); 1 suppressed (--show-suppressed); 1 file scanned" in plain.stdout
    assert "main.tf:28" not in plain.stdout
    shown = project.run("scan", ".", "--no-color", "--show-suppressed")
    assert (
        "main.tf:28:3: high     AWS-IAM-001 aws_iam_role_policy_attachment.ops_admin: attaches AWS managed policy "
        "AdministratorAccess, which allows every action on every resource  [suppressed: platform admins (SEC-77)]"
    ) in shown.stdout
    assert "1 finding (1 high); 1 suppressed; 1 file scanned" in shown.stdout


def test_block_comment_covers_every_instance_of_a_counted_resource(project) -> None:
    project.write(
        {
            "main.tf": """\
/* iamready:ignore[AWS-IAM-001] two administrator roles for the platform team (SEC-77) */
resource "aws_iam_role_policy_attachment" "admin" {
  count      = 2
  role       = "platform-${count.index}"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""
        }
    )
    code, data = project.json(".")
    assert [(r["resource"], r["suppressed"]["reason"]) for r in data["results"]] == [
        ("aws_iam_role_policy_attachment.admin[0]", "two administrator roles for the platform team (SEC-77)"),
        ("aws_iam_role_policy_attachment.admin[1]", "two administrator roles for the platform team (SEC-77)"),
    ]
    assert code == 0


def test_comment_before_a_closing_brace_or_at_the_end_covers_nothing(project) -> None:
    text = ADMIN_TF.replace(
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}',
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n  # iamready:ignore[AWS-IAM-001] too late\n}',
    )
    project.write({"main.tf": text + "# iamready:ignore[AWS-IAM-001] end of file\n"})
    _, data = project.json(".")
    assert findings(data, suppressed=True) == []
    assert [u["location"]["start_line"] for u in by_rule(data, "IAC-SUPPRESS-001")] == [29, 31]
