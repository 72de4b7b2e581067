"""Files changed since a git ref (for --diff-base)."""

from __future__ import annotations

import os
import subprocess

from iamready.engine import ScanError


def changed_files(ref: str, cwd: str) -> set[str]:
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        diff = subprocess.run(
            ["git", "diff", "--name-only", "--diff-filter=ACMR", f"{ref}", "--"],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        untracked = subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard"],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise ScanError(f"--diff-base {ref}: cannot ask git for changed files: {detail.strip()}") from None
    out = set()
    for line in diff.splitlines():
        if line.strip():
            out.add(os.path.realpath(os.path.join(top, line.strip())))
    for line in untracked.splitlines():
        if line.strip():
            out.add(os.path.realpath(os.path.join(cwd, line.strip())))
    return out
