"""`lokflow run --once`, the README's main job, as a user runs it: a real local
Prefect server and process worker (child processes stopped by PID), the
bundled plans plus one plan due in 30 days, and mail into the maildir."""

from __future__ import annotations

import email
import os
import shutil
import socket
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from tests.conftest import FIXTURES, PLANS
from tests.support.smtp_server import free_port


def test_main_job_deploys_runs_the_sweep_and_fills_the_maildir(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    due = date.today() + timedelta(days=30)
    (plans / "testby.yaml").write_text((FIXTURES / "minimal.yaml").read_text().replace(
        'timeline: "2024"', f"timeline: {due.isoformat()}").replace("end: 2025", "end: 2040"))
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LOKFLOW_"))}
    env.update({"LOKFLOW_HOME": str(home), "LOKFLOW_PLANS_DIR": str(plans),
                "LOKFLOW_PREFECT_PORT": str(free_port()), "DO_NOT_TRACK": "1",
                # The worker asks for runs every second, not every 10: the same
                # worker and run, without waiting idle (the suite's time).
                "PREFECT_WORKER_QUERY_SECONDS": "1"})
    result = subprocess.run([sys.executable, "-m", "lokflow.cli", "run", "--once"], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    # 6 plans x 2, Luleå's dialogue meetings, the sweep, the rounds and the sender
    assert "Prefect deployments: 16 created" in out
    assert "safety sweep: completed" in out
    assert f"mail goes to: {home / 'maildir'}" in out
    mails = [email.message_from_bytes(p.read_bytes()) for p in (home / "maildir/new").iterdir()]
    assert any("kim@testby.example.org" in str(m["To"]) for m in mails)
    # Everything it started is gone: nothing listens on the Prefect port any more.
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(env["LOKFLOW_PREFECT_PORT"]))) != 0
