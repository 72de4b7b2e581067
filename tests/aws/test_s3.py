"""The log-bucket helpers (src/iamready/aws/s3.py) and the rules built on them, on small projects."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from iamready.aws import s3
from iamready.config import Config
from iamready.context import Context
from iamready.engine import ScanResult, scan
from iamready.loader import load_rules
from iamready.model.graph import Resource
from iamready.model.value import LStr
from iamready.registry import find
from iamready.rule import Severity

RULES = load_rules()


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def context(root: Path, files: dict[str, str]) -> Context:
    write(root, files)
    result = scan(Config(paths=(str(root),), cwd=str(root), no_cache=True), [])
    assert result.graph is not None
    return Context(result.graph)


def run(root: Path, files: dict[str, str], rule_id: str, **config: object) -> ScanResult:
    write(root, files)
    cfg = Config(paths=(str(root),), cwd=str(root), no_cache=True, profile="all", **config)  # type: ignore[arg-type]
    return scan(cfg, [find(RULES, rule_id)])


def findings(result: ScanResult) -> list[tuple[str, int, str, str]]:
    return [(r.span.path.rsplit("/", 1)[-1], r.span.start_line, r.severity.value, r.message) for r in result.results]


def notes(result: ScanResult, rule_id: str) -> list[tuple[int, str]]:
    return [
        (n.span.start_line if n.span else 0, n.message)
        for n in result.notifications
        if n.rule_id == rule_id and n.kind == "unresolved"
    ]


def resource(ctx: Context, address: str) -> Resource:
    for item in ctx.graph.resources():
        if item.address == address:
            return item
    raise KeyError(address)


TRAIL = """
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}
"""


# -- wildcard matching ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("arn:aws:s3:::logs", "arn:aws:s3:::logs", True),
        ("arn:aws:s3:::log?", "arn:aws:s3:::logs", True),
        ("arn:aws:s3:::log*", "arn:aws:s3:::logs/AWSLogs/1/x", True),  # * spans "/"
        ("arn:aws:s3:::logs/*", "arn:aws:s3:::logs", False),
        ("${aws_s3_bucket.b[0].arn}", "${aws_s3_bucket.b[0].arn}", True),  # brackets are not a class
        ("${aws_s3_bucket.b[0].arn}", "${aws_s3_bucket.b0.arn}", False),
    ],
)
def test_glob_match(pattern, text, expected):
    assert s3.glob_match(pattern, text) is expected


@pytest.mark.parametrize(
    ("pattern", "prefix", "expected"),
    [
        ("arn:aws:s3:::logs/*", "arn:aws:s3:::logs/AWSLogs/", True),
        ("arn:aws:s3:::logs/AWSLogs/123/*", "arn:aws:s3:::logs/AWSLogs/", True),
        ("arn:aws:s3:::logs/scratch/*", "arn:aws:s3:::logs/AWSLogs/", False),
        ("arn:aws:s3:::logs", "arn:aws:s3:::logs/", False),
        ("arn:aws:s3:::*", "arn:aws:s3:::logs/", True),
        ("arn:aws:s3:::logs/AWS?ogs/*", "arn:aws:s3:::logs/AWSLogs/", True),
    ],
)
def test_glob_prefix(pattern, prefix, expected):
    assert s3.glob_prefix(pattern, prefix) is expected


# -- resource patterns against a bucket ---------------------------------------------------------
def test_covers_bucket_by_every_spelling(tmp_path):
    ctx = context(
        tmp_path,
        {
            "main.tf": """
            resource "aws_s3_bucket" "trail" {
              bucket = "acme-logs"
            }
            resource "aws_s3_bucket" "anon" {
              bucket_prefix = "logs-"
            }
            """
        },
    )
    trail = resource(ctx, "aws_s3_bucket.trail")
    anon = resource(ctx, "aws_s3_bucket.anon")
    assert s3.bucket_arns(trail) == [
        "arn:aws:s3:::acme-logs",
        "${aws_s3_bucket.trail.arn}",
        "arn:aws:s3:::${aws_s3_bucket.trail.id}",
        "arn:aws:s3:::${aws_s3_bucket.trail.bucket}",
    ]
    symbolic = LStr("arn:aws:s3:::acme-logs", ref=(trail.id, "arn"))
    assert s3.covers_bucket(symbolic, trail, "acme-logs", "bucket") is True
    assert s3.covers_bucket(symbolic, trail, "acme-logs", "object") is False
    assert s3.covers_bucket("arn:${AWS::Partition}:s3:::acme-logs/*", trail, "acme-logs", "object") is True
    assert s3.covers_bucket("arn:aws-us-gov:s3:::acme-*", trail, "acme-logs", "bucket") is True
    assert s3.covers_bucket("${aws_s3_bucket.anon.arn}/*", anon, None, "object", "AWSLogs/") is True
    assert s3.covers_bucket("${aws_s3_bucket.anon.arn}/*", trail, "acme-logs", "object") is False
    assert s3.covers_bucket("*", None, "elsewhere", "bucket") is True
    # NotResource needs every log object excluded, not some
    assert s3.covers_bucket("arn:aws:s3:::acme-logs/AWSLogs/1/x.json", trail, "acme-logs", "object", "AWSLogs/")
    assert not s3.covers_bucket(
        "arn:aws:s3:::acme-logs/AWSLogs/1/x.json", trail, "acme-logs", "object", "AWSLogs/", every=True
    )
    assert s3.covers_bucket("arn:aws:s3:::acme-logs/AWSLogs/*", trail, "acme-logs", "object", "AWSLogs/", every=True)


# -- scope -----------------------------------------------------------------------------------
def test_log_targets_include_buckets_named_only_by_their_writers(tmp_path):
    ctx = context(
        tmp_path,
        {
            "main.tf": """
            resource "aws_s3_bucket" "trail" {
              bucket = "acme-logs"
            }
            resource "aws_cloudtrail" "main" {
              name           = "main"
              s3_bucket_name = aws_s3_bucket.trail.id
              s3_key_prefix  = "org/"
            }
            resource "aws_cur_report_definition" "cur" {
              report_name                = "cur"
              time_unit                  = "DAILY"
              format                     = "textORcsv"
              compression                = "GZIP"
              additional_schema_elements = ["RESOURCES"]
              s3_bucket                  = "acme-billing"
              s3_prefix                  = "reports"
              s3_region                  = "us-east-1"
            }
            """
        },
    )
    targets = s3.log_targets(ctx)
    assert [(t.bucket.address if t.bucket else None, t.name, t.key_prefixes()) for t in targets] == [
        ("aws_s3_bucket.trail", "acme-logs", ["org/AWSLogs/"]),
        (None, "acme-billing", ["reports/"]),
    ]
    assert (
        targets[1].label()
        == 'log bucket "acme-billing" (written by Cost and Usage Report aws_cur_report_definition.cur)'
    )


def test_billing_data_export_is_a_writer(tmp_path):
    ctx = context(
        tmp_path,
        {
            "main.tf": """
            resource "aws_s3_bucket" "exports" {
              bucket = "acme-exports"
            }
            resource "aws_bcmdataexports_export" "cur2" {
              export {
                name = "cur2"
                data_query {
                  query_statement = "SELECT identity_line_item_id FROM COST_AND_USAGE_REPORT"
                }
                destination_configurations {
                  s3_destination {
                    s3_bucket = aws_s3_bucket.exports.id
                    s3_prefix = "cur2"
                    s3_region = "us-east-1"
                  }
                }
                refresh_cadence {
                  frequency = "SYNCHRONOUS"
                }
              }
            }
            """
        },
    )
    found = s3.log_bucket(ctx, resource(ctx, "aws_s3_bucket.exports"))
    assert found is not None
    assert found.why == "written by billing data export aws_bcmdataexports_export.cur2"
    assert found.services == ("bcm-data-exports.amazonaws.com", "billingreports.amazonaws.com")


def test_bucket_in_a_module_is_linked_and_reported_in_the_module_file(tmp_path):
    result = run(
        tmp_path,
        {
            "main.tf": """
            module "logs" {
              source = "./logs"
            }
            resource "aws_cloudtrail" "main" {
              name           = "main"
              s3_bucket_name = module.logs.bucket
            }
            """,
            "logs/main.tf": """
            resource "aws_s3_bucket" "this" {
              bucket = "acme-logs"
            }
            output "bucket" {
              value = aws_s3_bucket.this.id
            }
            """,
        },
        "AWS-S3-005",
    )
    assert findings(result) == [
        (
            "main.tf",
            1,
            "medium",
            "module.logs.aws_s3_bucket.this: bucket written by CloudTrail trail aws_cloudtrail.main has no versioning",
        )
    ]
    assert result.results[0].span.path == str(tmp_path / "logs" / "main.tf")


# -- readers -----------------------------------------------------------------------------------
def test_versioning_reader_split_legacy_and_cloudformation(tmp_path):
    ctx = context(
        tmp_path,
        {
            "main.tf": """
            resource "aws_s3_bucket" "split" {
              bucket = "a"
            }
            resource "aws_s3_bucket_versioning" "split" {
              bucket = aws_s3_bucket.split.id
              versioning_configuration {
                status     = "Enabled"
                mfa_delete = "Enabled"
              }
            }
            resource "aws_s3_bucket" "legacy" {
              bucket = "b"
              versioning {
                enabled = false
              }
            }
            resource "aws_s3_bucket" "none" {
              bucket = "c"
            }
            """,
            "t.cfn.yaml": """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  VersioningConfiguration:
                    Status: Suspended
            """,
        },
    )
    split = s3.versioning(ctx.graph, resource(ctx, "aws_s3_bucket.split"))
    assert (split.status, split.mfa_delete, split.source.address, split.at.span.start_line) == (
        "Enabled",
        True,
        "aws_s3_bucket_versioning.split",
        7,
    )
    legacy = s3.versioning(ctx.graph, resource(ctx, "aws_s3_bucket.legacy"))
    assert (legacy.status, legacy.mfa_delete, legacy.at.span.start_line) == ("Suspended", False, 14)
    none = s3.versioning(ctx.graph, resource(ctx, "aws_s3_bucket.none"))
    assert (none.status, none.unknown, none.maybe) == (None, None, [])
    cfn = s3.versioning(ctx.graph, resource(ctx, "Bucket"))
    assert (cfn.status, cfn.at.span.start_line) == ("Suspended", 7)


def test_public_acl_grants_from_canned_acls_and_explicit_grants(tmp_path):
    ctx = context(
        tmp_path,
        {
            "main.tf": """
            resource "aws_s3_bucket" "b" {
              bucket = "a"
              acl    = "public-read"
              grant {
                type        = "Group"
                uri         = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
                permissions = ["READ_ACP", "WRITE"]
              }
              grant {
                type        = "Group"
                uri         = "http://acs.amazonaws.com/groups/s3/LogDelivery"
                permissions = ["WRITE"]
              }
            }
            resource "aws_s3_bucket_acl" "b" {
              bucket = aws_s3_bucket.b.id
              acl    = "log-delivery-write"
            }
            """
        },
    )
    grants, unknown = s3.public_acl_grants(ctx.graph, resource(ctx, "aws_s3_bucket.b"))
    assert unknown == []
    assert [(g.group, g.permissions, g.canned, g.writes, g.at.span.start_line) for g in grants] == [
        ("AllUsers", ("READ",), "public-read", False, 3),
        ("AuthenticatedUsers", ("READ_ACP", "WRITE"), None, True, 4),
    ]


def test_object_lock_reader(tmp_path):
    ctx = context(
        tmp_path,
        {
            "main.tf": """
            resource "aws_s3_bucket" "locked" {
              bucket              = "a"
              object_lock_enabled = true
            }
            resource "aws_s3_bucket_object_lock_configuration" "locked" {
              bucket = aws_s3_bucket.locked.id
              rule {
                default_retention {
                  mode = "COMPLIANCE"
                  days = 30
                }
              }
            }
            resource "aws_s3_bucket" "bare" {
              bucket              = "b"
              object_lock_enabled = true
            }
            """
        },
    )
    locked = s3.object_lock(ctx.graph, resource(ctx, "aws_s3_bucket.locked"))
    assert (locked.enabled, locked.retention is not None, locked.retention.span.start_line) == (True, True, 8)
    bare = s3.object_lock(ctx.graph, resource(ctx, "aws_s3_bucket.bare"))
    assert (bare.enabled, bare.retention, bare.at.span.start_line) == (True, None, 16)


def test_public_access_block_counts_the_account_wide_block(tmp_path):
    ctx = context(
        tmp_path,
        {
            "main.tf": """
            resource "aws_s3_account_public_access_block" "account" {
              block_public_acls   = true
              ignore_public_acls  = true
            }
            resource "aws_s3_bucket" "b" {
              bucket = "a"
            }
            resource "aws_s3_bucket_public_access_block" "b" {
              bucket                  = aws_s3_bucket.b.id
              restrict_public_buckets = true
            }
            """
        },
    )
    assert s3.public_access_block(ctx.graph, resource(ctx, "aws_s3_bucket.b")) == {
        "block_public_acls": True,
        "block_public_policy": False,
        "ignore_public_acls": True,
        "restrict_public_buckets": True,
    }


# -- conditions ---------------------------------------------------------------------------------
def test_callers_pinned_by_source_keys_only(tmp_path):
    ctx = context(
        tmp_path,
        {
            "main.tf": """
            resource "aws_s3_bucket" "b" {
              bucket = "a"
              policy = jsonencode({
                Version = "2012-10-17"
                Statement = [
                  {
                    Effect    = "Allow"
                    Principal = { Service = "cloudtrail.amazonaws.com" }
                    Action    = "s3:PutObject"
                    Resource  = "arn:aws:s3:::a/*"
                    Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-1" } }
                  },
                  {
                    Effect    = "Allow"
                    Principal = { Service = "cloudtrail.amazonaws.com" }
                    Action    = "s3:PutObject"
                    Resource  = "arn:aws:s3:::a/*"
                    Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } }
                  },
                ]
              })
            }
            """
        },
    )
    (doc,) = s3.bucket_policies(ctx.graph, resource(ctx, "aws_s3_bucket.b"))
    org, source = doc.statements
    assert s3.callers_pinned(org).yes is True
    assert s3.callers_pinned(org, s3.SOURCE_KEYS).no is True
    assert s3.callers_pinned(source, s3.SOURCE_KEYS).yes is True
    assert len(org.conditions) == 1  # the original statement is untouched


# -- rules: severities, exact messages, notes -------------------------------------------------
def test_public_acl_severity_follows_write_access_and_the_public_access_block(tmp_path):
    result = run(
        tmp_path,
        {
            "main.tf": """
            resource "aws_s3_bucket" "trail" {
              bucket = "acme-logs"
              acl    = "public-read-write"
            }
            resource "aws_s3_bucket" "other" {
              bucket = "acme-other"
              acl    = "public-read"
            }
            resource "aws_s3_bucket_public_access_block" "other" {
              bucket             = aws_s3_bucket.other.id
              ignore_public_acls = true
            }
            resource "aws_cloudtrail" "main" {
              name           = "main"
              s3_bucket_name = aws_s3_bucket.trail.id
            }
            resource "aws_cloudtrail" "other" {
              name           = "other"
              s3_bucket_name = "acme-other"
            }
            """
        },
        "AWS-S3-002",
    )
    assert findings(result) == [
        (
            "main.tf",
            3,
            "critical",
            "aws_s3_bucket.trail: bucket written by CloudTrail trail aws_cloudtrail.main gives everyone (AllUsers) "
            "READ, WRITE through canned ACL public-read-write",
        ),
        (
            "main.tf",
            7,
            "low",
            "aws_s3_bucket.other: bucket written by CloudTrail trail aws_cloudtrail.other gives everyone (AllUsers) "
            "READ through canned ACL public-read; S3 ignores it while the public access block sets "
            "ignore_public_acls",
        ),
    ]


def test_policy_for_everyone_is_critical_with_write_actions(tmp_path):
    result = run(
        tmp_path,
        {
            "main.tf": """
            resource "aws_s3_bucket" "trail" {
              bucket = "acme-logs"
            }
            resource "aws_s3_bucket_policy" "trail" {
              bucket = aws_s3_bucket.trail.id
              policy = jsonencode({
                Version = "2012-10-17"
                Statement = [
                  { Sid = "Write", Effect = "Allow", Principal = "*", Action = "s3:PutObject", Resource = local.all },
                  { Sid = "Read", Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = local.all },
                  { Sid = "Gone", Effect = "Deny", Principal = "*", Action = "s3:GetObject", Resource = local.all },
                ]
              })
            }
            locals {
              all = "${aws_s3_bucket.trail.arn}/*"
            }
            """
            + TRAIL
        },
        "AWS-S3-007",
    )
    assert findings(result) == [
        (
            "main.tf",
            9,
            "critical",
            "aws_s3_bucket_policy.trail: statement 'Write' lets everyone (*) s3:PutObject on log bucket "
            "aws_s3_bucket.trail (written by CloudTrail trail aws_cloudtrail.main), with no condition that limits who",
        )
    ]


def test_unresolved_writer_and_maybe_satellite_give_notes_not_findings(tmp_path):
    result = run(
        tmp_path,
        {
            "main.tf": """
            variable "bucket" {
              type = string
            }
            resource "aws_s3_bucket" "trail" {
              bucket = "acme-logs"
            }
            resource "aws_s3_bucket_logging" "some" {
              bucket        = var.bucket
              target_bucket = "acme-access-logs"
            }
            resource "aws_cloudtrail" "other" {
              name           = "other"
              s3_bucket_name = var.bucket
            }
            """
            + TRAIL
        },
        "AWS-S3-004",
    )
    why = "variable bucket has no value (pass --var bucket=... or a tfvars file)"
    assert findings(result) == []
    assert notes(result, "AWS-S3-004") == [
        (  # the unset variable is said once, where it is declared, naming the check it blocked
            1,
            "variable 'bucket' has no value, so these checks could not be made: aws_cloudtrail.other at main.tf:13 "
            "(AWS-S3-004). To fix: pass --var bucket=... or a tfvars file",
        ),
        (
            4,
            "aws_s3_bucket.trail: bucket written by CloudTrail trail aws_cloudtrail.main has no access logging of its "
            f"own; aws_s3_bucket_logging.some may configure it, but names its bucket with a value that is not known "
            f"({why})",
        ),
    ]


def test_identity_rule_exempts_allowed_principals_by_option(tmp_path):
    files = {
        "main.tf": """
        resource "aws_s3_bucket" "trail" {
          bucket = "acme-logs"
        }
        resource "aws_iam_role" "breakglass" {
          name               = "break-glass"
          assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
        }
        resource "aws_iam_role_policy" "breakglass" {
          name = "logs-admin"
          role = aws_iam_role.breakglass.id
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = "s3:PutBucketPolicy", Resource = aws_s3_bucket.trail.arn }]
          })
        }
        """
        + TRAIL
    }
    reported = run(tmp_path / "a", files, "AWS-S3-010")
    assert findings(reported) == [
        (
            "main.tf",
            13,
            "high",
            "aws_iam_role_policy.breakglass: statement 1 lets aws_iam_role.breakglass s3:PutBucketPolicy on "
            "arn:aws:s3:::acme-logs, which reaches log bucket aws_s3_bucket.trail (written by CloudTrail trail "
            "aws_cloudtrail.main)",
        )
    ]
    exempt = run(
        tmp_path / "b", files, "AWS-S3-010", rule_options={"AWS-S3-010": {"allowed-principals": ["break-glass"]}}
    )
    assert findings(exempt) == []


def test_trail_rules_report_the_branch_of_a_conditional(tmp_path):
    result = run(
        tmp_path,
        {
            "t.cfn.yaml": """
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              Env:
                Type: String
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
            Resources:
              Trail:
                Type: AWS::CloudTrail::Trail
                Properties:
                  IsLogging: true
                  S3BucketName: acme-logs
                  IsMultiRegionTrail: !If [IsProd, true, false]
            """
        },
        "AWS-CLOUDTRAIL-001",
    )
    assert findings(result) == [
        (
            "t.cfn.yaml",
            13,
            "medium",
            "Trail: trail records its home region only (IsMultiRegionTrail is false) (when IsProd is false)",
        )
    ]


def test_kms_rule_is_checklist_5_2_only():
    meta = find(RULES, "AWS-CLOUDTRAIL-005")
    assert meta.checklist == ("5.2",)  # the clarified checklist: KMS encryption of trail logs is 5.2, not 2.12
    assert meta.severity is Severity.MEDIUM


TRAIL_PROJECT = """
    resource "aws_s3_bucket" "trail" {
      bucket = "acme-trail-logs"
    }

    resource "aws_cloudtrail" "main" {
      name           = "main"
      s3_bucket_name = aws_s3_bucket.trail.id
    }
"""


def test_wildcard_grant_in_another_deployment_does_not_reach_the_log_bucket(tmp_path: Path) -> None:
    # two root modules are two deployments, possibly two accounts: `*` in one says nothing about the other
    result = run(
        tmp_path,
        {
            "logging/main.tf": TRAIL_PROJECT,
            "app/main.tf": """
                resource "aws_iam_role" "app" {
                  name               = "app"
                  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
                                                    Principal = { Service = "ec2.amazonaws.com" } }] })
                }

                resource "aws_iam_role_policy" "wide" {
                  role   = aws_iam_role.app.id
                  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
                }

                resource "aws_iam_role_policy" "named" {
                  role = aws_iam_role.app.id
                  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:DeleteObject",
                                                       Resource = "arn:aws:s3:::acme-trail-logs/*" }] })
                }
            """,
        },
        "AWS-S3-010",
    )
    assert [(f[0], f[1]) for f in findings(result)] == [("main.tf", 14)]
    assert "s3:DeleteObject on arn:aws:s3:::acme-trail-logs/*" in findings(result)[0][3]
