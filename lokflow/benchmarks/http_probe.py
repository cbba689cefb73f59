"""What every HTTP figure of the benchmark shares: a `lokflow serve` of its
own on a free loopback port, one way of timing a request, and one way of
reading p50 and p95 — so the figures stay comparable with each other."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from lokflow.devtools.ports import free_port
from lokflow.devtools.processes import Children, wait_healthy


def serve(children: Children, home: Path, name: str,
          database_url: str = "") -> tuple[str, subprocess.Popen[bytes]]:
    """Start `lokflow serve` on `home`; its base URL once /healthz answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LOKFLOW_HOME": str(home), "LOKFLOW_DATABASE_URL": database_url,
           "LOKFLOW_BASE_URL": base}
    server = children.start([sys.executable, "-m", "lokflow.cli", "serve", "--port", str(port)],
                            env, name)
    wait_healthy(f"{base}/healthz", server)
    return base, server


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) of milliseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def timed_get(client: httpx.Client, url: str, headers: dict[str, str] | None = None,
              expected: tuple[int, ...] = (200,)) -> float:
    """One GET in milliseconds; an unexpected status stops the benchmark."""
    start = time.perf_counter()
    answer = client.get(url, headers=headers or {})
    elapsed = (time.perf_counter() - start) * 1000
    assert answer.status_code in expected, (url, answer.status_code)
    return elapsed


def conditional_rounds(client: httpx.Client, url: str, base: str, etag: str,
                       requests: int) -> tuple[list[float], list[float], list[float]]:
    """Interleaved full answers, 304s (If-None-Match) and /healthz, `requests`
    of each, so that all three see the same load."""
    full: list[float] = []
    fresh: list[float] = []
    health: list[float] = []
    for _ in range(requests):
        full.append(timed_get(client, url, expected=(200, 304)))
        fresh.append(timed_get(client, url, {"If-None-Match": etag}, (200, 304)))
        health.append(timed_get(client, f"{base}/healthz"))
    return full, fresh, health
