"""The embedded Prefect's children can be interrupted even when `lokflow run`
itself was started with SIGINT ignored (a background job of a script): a
Prefect worker stops on SIGTERM by sending itself SIGINT."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lokflow.orchestration.local_prefect import LocalPrefect, stop_group
from lokflow.settings import Settings


@pytest.fixture
def sigint_ignored() -> Iterator[None]:
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def ignored_signals(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return int(line.split()[1], 16)
    raise AssertionError("no SigIgn line")


def test_a_child_does_not_inherit_an_ignored_sigint(tmp_path: Path,
                                                    sigint_ignored: None) -> None:
    local = LocalPrefect(Settings(home=tmp_path, database_url="", _env_file=None))
    child = local._spawn([sys.executable, "-c", "import sys, time; print(flush=True); "
                          "time.sleep(60)"], "child.log")
    try:
        log = tmp_path / "child.log"
        while not log.read_text():  # the child is running its own code now
            assert child.poll() is None
        assert ignored_signals(child.pid) & (1 << (signal.SIGINT - 1)) == 0
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=30) != 0  # interrupted, not ignored
    finally:
        stop_group(child)
