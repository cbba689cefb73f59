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


# Runs the measured module and, as it ends, writes its own peak RSS (VmHWM) to a
# file. The rusage of a child is no use here: Linux carries the parent's peak
# RSS into a forked child across exec, so a big test process would count.
REPORTING_PEAK = (
    "import atexit, runpy, sys\n"
    "report_to, target = sys.argv[1], sys.argv[3]\n"
    "def peak():\n"
    "    status = open('/proc/self/status').read()\n"
    "    kib = next(l.split()[1] for l in status.splitlines() if l.startswith('VmHWM:'))\n"
    "    open(report_to, 'w').write(kib)\n"
    "atexit.register(peak)\n"
    "sys.argv = sys.argv[3:]\n"
    "runpy.run_module(target, run_name='__main__', alter_sys=True)\n"
)


def _cap_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


def run_measured(argv: list[str], env: dict[str, str] | None = None) -> Measured:
    """`python -m module args` from the checkout (`argv` starts with "-m"); its own
    peak RSS as it reports it; killed by PID if it hangs (then the peak is its
    rusage, an upper bound)."""
    assert argv[0] == "-m", "run_measured runs a module: ['-m', name, *args]"
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    child_env = {**os.environ, **(env or {}), "PYTHONPATH": path}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        process = subprocess.Popen([sys.executable, "-c", REPORTING_PEAK, str(peak_file),
                                    *argv], cwd=ROOT, env=child_env,
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
        reported = peak_file.read_text() if peak_file.exists() else ""
    peak_kib = int(reported) if reported.isdigit() else usage.ru_maxrss
    return Measured(process.returncode, output, peak_kib / 1024, hung.is_set())
