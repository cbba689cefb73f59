"""A writer for the benchmark: another process that syncs plans again and
again, each sync one write transaction holding SQLite's write lock, while the
web app answers feed requests beside it."""

from __future__ import annotations

import json
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from pathlib import Path

from lokflow.benchmarks.dataset import plan_files
from lokflow.bootstrap import bootstrap
from lokflow.plans.plan_files import PlanFile
from lokflow.plans.plan_loading import sync_plans
from lokflow.settings import Settings


def edited(files: list[PlanFile]) -> list[PlanFile]:
    """The same plans with every activity's text changed, so a sync rewrites them all."""
    found = []
    for plan_file in files:
        document = plan_file.document.model_dump(mode="json")
        for commitment in document["commitments"]:
            for activity in commitment["activities"]:
                activity["text"] += " (reviderad)"
        parsed = type(plan_file.document).model_validate(document)
        found.append(PlanFile(plan_file.path, parsed, json.dumps(document, sort_keys=True)))
    return found


def sync_loop(home: str, organisations: int, activities: int, stop: Event,
              syncing: Synchronized[int], syncs: Synchronized[int]) -> None:
    """Sync `organisations` plans into the database in `home`, alternating two
    versions, until `stop`. `syncing` is 1 only while the lock is surely held."""
    app = bootstrap(Settings(home=Path(home), database_url="", _env_file=None))
    versions = [plan_files(organisations, activities)]
    versions.append(edited(versions[0]))
    while not stop.is_set():
        with app.sessions.begin() as session:
            session.connection()  # BEGIN IMMEDIATE: the write lock, until the commit
            syncing.value = 1
            sync_plans(session, versions[syncs.value % 2], app.clock)
            session.flush()
            syncing.value = 0
        syncs.value += 1
    app.close()
