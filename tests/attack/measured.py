"""Child processes whose peak memory the attack tests measure: a hostile input
must neither make lokflow grow nor hang it."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_BOUND_MIB = 200
# Not a speed target: only how long a child may run before it counts as hung.
HANG_SECONDS = 180
# Protects the machine from a child that runs away (the alias bomb grew to 9 GB).
ADDRESS_SPACE_CAP = 3 << 30


@dataclass(frozen=True)
class Measured:
    returncode: int
    output: str
    peak_mib: float
    hung: bool


def _cap_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


def run_measured(argv: list[str], env: dict[str, str] | None = None) -> Measured:
    """`python argv` from the checkout; its peak RSS from wait4; killed by PID if it hangs."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    child_env = {**os.environ, **(env or {}), "PYTHONPATH": path}
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=child_env,
                                   stdout=out, stderr=subprocess.STDOUT,
                                   preexec_fn=_cap_address_space)
        hung = threading.Event()

        def kill() -> None:
            hung.set()
            process.kill()

        timer = threading.Timer(HANG_SECONDS, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        output = out.read().decode("utf-8", errors="replace")
    return Measured(process.returncode, output, usage.ru_maxrss / 1024, hung.is_set())
