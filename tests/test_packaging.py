"""The wheel ships every built-in rule (rules/ lives outside src/ and is mapped in at build time) and the
AWS data snapshots."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_every_rule_and_its_samples(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run(
        [*command, "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("iamready-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    rule_files = sorted(p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("rule.py"))
    assert rule_files, "no rules found in the checkout"
    for rel in rule_files:
        assert f"iamready/_rules/{rel}" in names, f"{rel} is missing from the wheel"
    for sample in [*(ROOT / "rules").rglob("fail*.tf"), *(ROOT / "rules").rglob("_samples/*")]:
        assert f"iamready/_rules/{sample.relative_to(ROOT / 'rules').as_posix()}" in names
    assert "iamready/cli.py" in names
    # the AWS data snapshots (managed policies, SAM policy templates) and their sources and licences
    for data in sorted((ROOT / "src" / "iamready" / "data").iterdir()):
        assert f"iamready/data/{data.name}" in names, f"{data.name} is missing from the wheel"
    assert not any(n.startswith("iamready/_rules/") and "__pycache__" in n for n in names)
