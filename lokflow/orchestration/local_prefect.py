"""The embedded default's Prefect: a `prefect server` on 127.0.0.1 with its
SQLite database in lokflow's data directory, and a process worker. Both are
child processes, stopped by PID."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from lokflow.settings import Settings

QUIET = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_TO_API_ENABLED": "true",
    "PREFECT_UI_ENABLED": "true",
}


def prefect_environment(settings: Settings) -> dict[str, str]:
    """Environment of the local server, the worker and this process."""
    home = settings.home / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    return {
        **QUIET,
        "PREFECT_HOME": str(home),
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        "PREFECT_API_URL": f"http://127.0.0.1:{settings.prefect_port}/api",
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(settings.prefect_port),
    }


def _prefect() -> str:
    return str(Path(sys.executable).parent / "prefect")


@dataclass
class LocalPrefect:
    settings: Settings
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.prefect_port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.prefect_port}"

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        env = {**os.environ, **prefect_environment(self.settings)}
        out = open(self.settings.home / log, "ab")  # noqa: SIM115 - kept open for the child
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True, preexec_fn=_interruptible)
        self.processes.append(process)
        return process

    def start_server(self, timeout: float = 90) -> None:
        process = self._spawn([_prefect(), "server", "start", "--host", "127.0.0.1",
                               "--port", str(self.settings.prefect_port)], "prefect-server.log")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"prefect server exited; see {self.settings.home}/"
                                   "prefect-server.log")
            try:
                if httpx.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError("prefect server did not become healthy")

    def start_worker(self, limit: int = 4) -> None:
        self._spawn([_prefect(), "worker", "start", "--pool", self.settings.work_pool,
                     "--type", "process", "--limit", str(limit)], "prefect-worker.log")

    def stop(self) -> None:
        """Workers first, then the server."""
        for process in reversed(self.processes):
            stop_group(process)
        self.processes.clear()


def _interruptible() -> None:
    """In the child before it starts: SIGINT back to its default. A `lokflow
    run` started as a background job of a script ignores SIGINT, and its
    children would inherit that; a Prefect worker stops on SIGTERM by sending
    itself SIGINT, so it then ignored the first SIGTERM and stopping took 20 s
    (the second SIGTERM) instead of one."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop_group(process: subprocess.Popen[bytes], wait: float = 20) -> None:
    """Stop a child started in its own session, by PID: SIGTERM twice (a Prefect
    worker needs two while runs are in flight), then SIGKILL."""
    for sig in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
