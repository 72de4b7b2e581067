"""Files changed since a git ref (for ``--diff-base``).

"Changed" means: added, copied, modified or renamed between the merge base of ``REF`` and
``HEAD`` and the working tree (so commits on the branch, staged and unstaged edits all count),
plus untracked files that are not ignored. Deleted files have nothing left to report on. When
``REF`` and ``HEAD`` share no history, the diff is taken against ``REF`` itself.

git is run with fixed arguments (no shell); the ref is passed after ``--end-of-options`` so it
cannot be read as an option.
"""

from __future__ import annotations

import os
import subprocess

from iamready.results import ScanError


def _git(args: list[str], cwd: str, ref: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise ScanError(f"--diff-base {ref}: git is not installed (or not on PATH)") from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise ScanError(f"--diff-base {ref}: cannot run git: {exc}") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise _GitFailed(detail[0] if detail else f"git {args[0]} failed with status {done.returncode}")
    return done.stdout


class _GitFailed(Exception):
    pass


def changed_files(ref: str, cwd: str) -> set[str]:
    """Real paths of the files changed since ``ref`` in the repository that holds ``cwd``."""
    if not ref or ref.startswith("-"):
        raise ScanError(f"--diff-base {ref!r}: not a git revision")
    try:
        top = _git(["rev-parse", "--show-toplevel"], cwd, ref).strip()
    except _GitFailed as exc:
        raise ScanError(f"--diff-base {ref}: {cwd} is not in a git repository ({exc})") from None
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top, ref).strip()
    except _GitFailed:
        commit = ""
    if not commit:
        raise ScanError(
            f"--diff-base {ref}: git does not know this revision (in a shallow CI clone, fetch it first, "
            f"e.g. git fetch --depth=1 origin <branch>)"
        )
    try:
        base = _git(["merge-base", commit, "HEAD"], top, ref).strip() or commit
    except _GitFailed:
        base = commit  # unrelated histories, or no HEAD yet
    try:
        diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMR", base, "--"], top, ref)
        untracked = _git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name"], top, ref)
    except _GitFailed as exc:
        raise ScanError(f"--diff-base {ref}: cannot ask git for changed files: {exc}") from None
    out = set()
    for name in (diff + untracked).split("\0"):
        if name:
            out.add(os.path.realpath(os.path.join(top, name)))
    return out
