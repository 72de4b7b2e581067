"""Credentials in EC2 user data (AWS-EC2-001, -002, -003), on templates shaped like the ones users write."""

from __future__ import annotations

import textwrap
from pathlib import Path

from iamready.config import Config
from iamready.engine import ScanResult, scan
from iamready.loader import load_rules
from iamready.registry import find

RULES = load_rules()

# A web host bootstrapped with a plain block scalar: its lines carry no position of their own, so
# the key id and the secret are both found at the UserData attribute.
WEB_HOST = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  LatestAmiId:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2
Resources:
  WebHost:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: t3.micro
      ImageId: !Ref LatestAmiId
      UserData:
        Fn::Base64: |
          #!/bin/bash
          yum -y install httpd
          export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
          export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
          export AWS_DEFAULT_REGION=us-west-2
          systemctl start httpd
"""


def _run(root: Path, text: str, rule_id: str) -> ScanResult:
    (root / "web.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return scan(Config(paths=(str(root),), cwd=str(root), no_cache=True), [find(RULES, rule_id)])


def test_a_key_pair_at_one_place_is_one_finding_naming_both(tmp_path: Path) -> None:
    result = _run(tmp_path, WEB_HOST, "AWS-EC2-001")
    assert [(r.span.start_line, r.message) for r in result.results] == [
        (12, "WebHost: UserData contains an AWS access key id (AKIA...MPLE) and an AWS secret access key")
    ]
    # the finding keeps the fingerprint it had when the key id alone was reported there
    key_id_only = "\n".join(line for line in WEB_HOST.splitlines() if "AWS_SECRET_ACCESS_KEY" not in line)
    alone = _run(tmp_path, key_id_only, "AWS-EC2-001")
    assert [r.message for r in alone.results] == ["WebHost: UserData contains an AWS access key id (AKIA...MPLE)"]
    assert [r.fingerprint for r in alone.results] == [r.fingerprint for r in result.results]


def test_the_missing_instance_profile_is_said_once_on_the_instance(tmp_path: Path) -> None:
    result = _run(tmp_path, WEB_HOST, "AWS-EC2-002")
    assert [r.span.start_line for r in result.results] == [7]


def test_other_secrets_at_one_place_are_one_finding_naming_each(tmp_path: Path) -> None:
    text = WEB_HOST.replace(
        "          systemctl start httpd",
        "          export DB_PASSWORD=Orders-Db-2024x\n          mysql -u app --password=Orders-Db-2024x orders\n"
        "          systemctl start httpd",
    )
    result = _run(tmp_path, text, "AWS-EC2-003")
    assert [(r.span.start_line, r.message) for r in result.results] == [
        (12, "WebHost: UserData contains DB_PASSWORD set to a literal value and password set to a literal value")
    ]
