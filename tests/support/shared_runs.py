"""What the processes of one test run share: a folder, a lock, and things built
once (a seeded database, a server's address).

The run's first process (pytest itself, or pytest-xdist's controller) makes
the folder in `pytest_configure` and names it in the environment, which the
xdist workers inherit; it removes the folder again in `pytest_unconfigure`,
after stopping the servers recorded there. Every run starts cold.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

RUN_FOLDER = "PYTEST_LOKFLOW_RUN_FOLDER"


def open_run_folder() -> bool:
    """Make the run's folder unless a parent process made it; True if made here."""
    if os.environ.get(RUN_FOLDER):
        return False
    os.environ[RUN_FOLDER] = tempfile.mkdtemp(prefix="lokflow-test-run-")
    return True


def run_folder() -> Path:
    """The folder every process of this test run sees."""
    return Path(os.environ[RUN_FOLDER])


def close_run_folder() -> None:
    shutil.rmtree(os.environ.pop(RUN_FOLDER), ignore_errors=True)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock between the run's processes (released if one dies)."""
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def built_once(name: str,
               build: Callable[[Path], dict[str, Any]]) -> tuple[Path, dict[str, Any]]:
    """`build(folder)` runs once per test run, whichever worker asks first; the
    others wait for it. Returns the folder (to copy, never to change) and the
    facts `build` returned."""
    shared = run_folder() / f"built-{name}"
    done = shared / "facts.json"
    with locked(run_folder() / f"built-{name}.lock"):
        if not done.exists():
            shutil.rmtree(shared, ignore_errors=True)  # a build that failed half-way
            shared.mkdir(parents=True)
            facts = build(shared / "folder")
            done.write_text(json.dumps(facts), encoding="utf-8")
    return shared / "folder", json.loads(done.read_text(encoding="utf-8"))


def copy_of_built(factory: pytest.TempPathFactory, name: str,
                  build: Callable[[Path], dict[str, Any]],
                  target: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """A private copy of what `built_once` built (e.g. a seeded SQLite home)."""
    source, facts = built_once(name, build)
    destination = target or factory.mktemp(name) / source.name
    shutil.copytree(source, destination)
    return destination, facts
