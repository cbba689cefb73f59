"""The peak memory of one `lokflow` command in a process of its own.

The command runs in a child Python that reports its exit code and its own
VmHWM as it ends: VmHWM starts anew at exec, while `ru_maxrss` from `wait4`
keeps the high-water mark the child inherited from the benchmark process
that spawned it (a 600 MiB benchmark made a 70 MiB `validate` read as
600 MiB)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = (
    "import sys\n"
    "report, sys.argv = sys.argv[1], ['lokflow', *sys.argv[2:]]\n"
    "from lokflow.cli.app import app\n"
    "code = 0\n"
    "try:\n"
    "    app()\n"
    "except SystemExit as end:\n"
    "    code = end.code if isinstance(end.code, int) else 1\n"
    "peak = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
    "open(report, 'w').write(f'{code} {peak}')\n"
)


def command_peak_mib(args: list[str], env: dict[str, str], *, exit_code: int = 0) -> float:
    """Peak RSS in MiB of `lokflow *args`, which must end with `exit_code`."""
    with tempfile.TemporaryDirectory(prefix="lokflow-peak-") as folder:
        report = Path(folder) / "peak"
        done = subprocess.run([sys.executable, "-c", _CHILD, str(report), *args], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        code, peak = report.read_text().split() if report.exists() else ("-", "0")
        if code != str(exit_code):
            raise RuntimeError(f"lokflow {' '.join(args)} ended with {code}: "
                               f"{done.stderr[-2000:]}")
        return int(peak) / 1024
