"""The throw-away PostgreSQL cluster lives in lokflow.devtools (the benchmark
uses it too). A test run starts one and every process of the run shares it:
the first to need it starts it and records where it is in the run's folder;
the run's first process stops it at the end (pg_ctl, by the data folder's
postmaster PID)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from lokflow.devtools.postgres import PostgresCluster
from tests.support.shared_runs import locked, run_folder

__all__ = ["PostgresCluster", "shared_cluster", "stop_shared_cluster"]
RECORD = "postgres.json"


def _attach(record: Path) -> PostgresCluster:
    found = json.loads(record.read_text(encoding="utf-8"))
    cluster = PostgresCluster()  # a fresh folder and port, replaced by the running one's
    shutil.rmtree(cluster.root, ignore_errors=True)
    cluster.port, cluster.root = int(found["port"]), Path(found["root"])
    cluster.data = cluster.root / "data"
    return cluster


def shared_cluster() -> PostgresCluster:
    """The run's cluster, started by whichever process asks first."""
    record = run_folder() / RECORD
    with locked(run_folder() / "postgres.lock"):
        if record.exists():
            return _attach(record)
        cluster = PostgresCluster().start()
        record.write_text(json.dumps({"port": cluster.port, "root": str(cluster.root)}),
                          encoding="utf-8")
        return cluster


def stop_shared_cluster() -> None:
    """Stop the run's cluster, if one was started (the run's first process, at its end)."""
    record = run_folder() / RECORD
    if record.exists():
        _attach(record).stop()
        record.unlink()
