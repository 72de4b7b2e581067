"""AWS-IAM-045 reads its options: thresholds change what is reported, bad values are reported."""

from __future__ import annotations

from pathlib import Path

from iamready.config import Config
from iamready.engine import scan
from iamready.loader import builtin_rules_dir, load_rule_file

RULE = builtin_rules_dir() / "aws" / "iam" / "large_inline_policy" / "rule.py"

POLICY = """
resource "aws_iam_user_policy" "ops" {
  name = "ops"
  user = "ops"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "arn:aws:s3:::example/*" },
      { Effect = "Allow", Action = "sqs:SendMessage", Resource = "arn:aws:sqs:eu-west-1:111122223333:jobs" },
    ]
  })
}
"""


def run(tmp_path: Path, options: dict[str, str]):
    (tmp_path / "main.tf").write_text(POLICY, encoding="utf-8")
    meta = load_rule_file(RULE, builtin_rules_dir())[0]
    config = Config(paths=(str(tmp_path),), cwd=str(tmp_path), rule_options={"AWS-IAM-045": options})
    return scan(config, [meta])


def test_defaults_do_not_report_a_small_policy(tmp_path: Path) -> None:
    result = run(tmp_path, {})
    assert [r.message for r in result.results] == []


def test_lower_thresholds_report_it_with_the_limits_in_the_message(tmp_path: Path) -> None:
    result = run(tmp_path, {"max-statements": "1", "max_actions": "100"})
    assert [(r.span.start_line, r.message) for r in result.results] == [
        (
            5,
            "aws_iam_user_policy.ops: inline policy 'ops' has 2 statements and 3 distinct action patterns "
            "(limits: 1 and 100); a customer managed policy (aws_iam_policy / AWS::IAM::ManagedPolicy) would be "
            "reusable and versioned",
        )
    ]


def test_a_bad_option_value_is_a_located_notification_not_a_crash(tmp_path: Path) -> None:
    result = run(tmp_path, {"max-actions": "many"})
    assert result.results == []
    errors = [n for n in result.notifications if n.kind == "internal-error"]
    assert [n.message for n in errors] == [
        "rule AWS-IAM-045 failed on aws_iam_user_policy.ops: ValueError: option max-actions must be a positive "
        "integer, got 'many'"
    ]
