"""The scanner never reaches the network and never runs a program, whatever it reads.

The samples and the whole hostile corpus (YAML tags naming ``os.system``, ``file()`` of system files,
module sources out of the tree) are scanned in-process, every rule selected, with the socket layer and
every way of starting a process replaced by recorders that refuse. ``--diff-base`` is not used: it runs
git on purpose.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.conftest import CORPUS, Project, canary_hit

REPO = Path(__file__).resolve().parents[2]


class Refused(OSError):
    pass


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Everything that tried to connect or to execute, recorded; each attempt fails."""
    seen: list[tuple[str, Any]] = []

    def refuse(name: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            seen.append((name, args[:2]))
            raise Refused(f"{name} is disabled in this test")

        return blocked

    class NoSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            seen.append(("socket.socket", args[:2]))
            raise Refused("socket.socket is disabled in this test")

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "socketpair", "fromfd"):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    monkeypatch.setattr(subprocess, "Popen", refuse("subprocess.Popen"))
    for name in ("system", "popen", "fork", "forkpty", "posix_spawn", "posix_spawnp", "startfile"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse(f"os.{name}"))
    for name in dir(os):
        if name.startswith(("exec", "spawn")) and callable(getattr(os, name)):
            monkeypatch.setattr(os, name, refuse(f"os.{name}"))
    return seen


def test_the_recorders_work(attempts: list[tuple[str, Any]]) -> None:
    """A check that cannot fail proves nothing: each recorder sees and refuses its call."""
    with pytest.raises(Refused):
        socket.create_connection(("example.com", 443))
    with pytest.raises(Refused):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(Refused):
        subprocess.run(["true"])
    with pytest.raises(Refused):
        os.system("true")
    with pytest.raises(Refused):
        os.execv("/bin/true", ["true"])
    assert [name for name, _ in attempts] == [
        "socket.create_connection",
        "socket.socket",
        "subprocess.Popen",
        "os.system",
        "os.execv",
    ]


def test_scanning_hostile_and_sample_input_connects_to_nothing_and_runs_nothing(
    project: Project, attempts: list[tuple[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IAMREADY_JOBS", "1")  # parse in this process, where the recorders are
    pwned = Path("/tmp/iamready-pwned")  # what the !!python/object/apply:os.system tag of the corpus would touch
    existed = pwned.exists()
    shutil.copytree(REPO / "samples", project.root / "samples")
    for case in sorted(p.name for p in CORPUS.iterdir()):
        if case not in ("tf_budget_for", "tf_budget_function_work"):  # slow; no different in what they could reach
            project.copy_case(case, into=f"corpus/{case}")
    project.canary()
    outcome = project.scan(".", select=None)
    assert attempts == []
    assert canary_hit() in outcome.findings
    assert any(path.startswith("samples/") for path, _, _ in outcome.findings)  # the samples were scanned
    assert [n for n in outcome.notes if n[0] == "internal-error"] == []
    if not existed:
        assert not pwned.exists()
