"""Shared set-up for the property tests: one hypothesis profile, the rules loaded once, a scan that must
succeed on any input.

The profile is modest and derandomized so CI is quick and reproducible; raise the number of examples
locally with ``IAMREADY_HYPOTHESIS_EXAMPLES=500``.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings

from iamready.cli import _printable
from iamready.config import Config
from iamready.engine import ScanResult, scan
from iamready.loader import load_rules
from iamready.reporters import REPORTERS
from tests.sarif_check import validate_sarif

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("IAMREADY_HYPOTHESIS_EXAMPLES", "25"))

# a bound per example: every scan here is of two small files, with every rule
DEADLINE = timedelta(seconds=15)

PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=DEADLINE,
    derandomize=True,  # the same examples on every run: a CI failure reproduces locally
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

CANARY_TF = """\
data "aws_iam_policy_document" "canary" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "canary" {
  name   = "canary"
  policy = data.aws_iam_policy_document.canary.json
}
"""


@lru_cache(maxsize=1)
def all_rules() -> tuple[Any, ...]:
    return tuple(r for r in load_rules(()) if r.profile == "default")


def scan_files(files: dict[str, bytes]) -> ScanResult:
    """Scan ``files`` (relative name -> bytes) beside a canary module; check what every input must give.

    The scan may not raise, must render valid SARIF, JSON and text, must still report the canary, and
    may not report an internal error (bad input is the input's problem, never ours).
    """
    with tempfile.TemporaryDirectory(prefix="iamready-property-") as tmp:
        root = Path(tmp)
        (root / "canary").mkdir()
        (root / "canary" / "canary.tf").write_text(CANARY_TF, encoding="utf-8")
        for name, data in files.items():
            path = root / "input" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        config = Config(paths=(str(root),), cwd=str(root), no_cache=True)
        result = scan(config, list(all_rules()))
        result.stats["all_rules"] = list(all_rules())
        rendered = {fmt: _printable(render(result)) for fmt, render in REPORTERS.items()}  # every format renders
        for text in rendered.values():
            text.encode("utf-8")  # and can be written
        log = json.loads(rendered["sarif"])
        validate_sarif(log)
        data = json.loads(rendered["json"])
        hits = {(r["location"]["path"], r["location"]["start_line"], r["rule_id"]) for r in data["results"]}
        assert ("canary/canary.tf", 2, "AWS-IAM-001") in hits, "the canary beside the input was not reported"
        internal = [n for n in result.notifications if n.kind == "internal-error"]
        assert not internal, [f"{n.span}: {n.message}" for n in internal]
        for note in result.notifications:
            assert note.span is None or note.span.start_line >= 1
        return result
