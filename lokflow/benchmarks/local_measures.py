"""Figures measured on the local database: sync, sweep and send; and the plan
reader on one plan and on hostile files."""

from __future__ import annotations

import asyncio
import os
import random
import time
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
import yaml
from sqlalchemy import Engine, insert, select, text

from lokflow.benchmarks.child_memory import command_peak_mib
from lokflow.benchmarks.figures import Figure, best_of, timed
from lokflow.benchmarks.hostile_plans import benign_plan, hostile_plans
from lokflow.bootstrap import App
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.domain.due_actions import LATE_HORIZON_DAYS, Person, decide
from lokflow.engine.activity_facts import fetch_fact_rows, load_facts
from lokflow.engine.outbox import Notice, queue_notices, sent_keys
from lokflow.plans.plan_files import PlanFile, read_plan_file
from lokflow.plans.plan_loading import sync_plans
from lokflow.plans.plan_rows import activity_fields
from lokflow.reporting.notice_queries import notice_history, sent_notices
from lokflow.settings import bundled_plans_dir
from lokflow.store import tables as t


def measure_sync(app: App, floor_app: App, plans: list[PlanFile]) -> Figure:
    with timed() as watch, app.sessions.begin() as session:
        sync_plans(session, plans, app.clock)
    rows = _core_rows(plans, app.now())
    with timed() as floor, floor_app.engine.begin() as connection:
        _bulk_insert(connection, rows)
    activities = sum(len(p.document.activities()) for p in plans)
    return Figure("sync", watch.seconds, "s", "bulk insert of the same rows (Core)",
                  floor.seconds, f"<= 3x floor: load {len(plans)} plans, {activities} "
                  "activities", watch.seconds <= 3 * floor.seconds,
                  extra={"plans": len(plans), "activities": activities})


def _core_rows(plans: list[PlanFile], now: datetime) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "organisations", "plans", "units", "contacts", "commitments", "activities",
        "activity_owners")}
    unit_id = commitment_id = activity_id = contact_id = 0
    for plan_id, plan_file in enumerate(plans, start=1):
        doc = plan_file.document
        rows["organisations"].append({"id": plan_id, "slug": doc.organisation.slug,
                                      "name": doc.organisation.name})
        rows["plans"].append({"id": plan_id, "organisation_id": plan_id, "slug": doc.slug,
                              "title": doc.title, "short_name": doc.short_name,
                              "period_start": doc.period.start, "period_end": doc.period.end,
                              "adopted": doc.adopted, "language": "sv",
                              "document": doc.model_dump(mode="json"), "source_path": "x",
                              "content_hash": "x", "loaded_at": now, "archived": False})
        units = {}
        people = [("", "coordinator", c) for c in doc.coordinators]
        people += [("", "steering", c) for c in doc.steering_group]
        for unit in doc.units:
            people += [(unit.id, "contact", c) for c in unit.contacts]
            if unit.escalation:
                people.append((unit.id, "escalation", unit.escalation))
        for unit_key, kind, person in people:
            contact_id += 1
            rows["contacts"].append({"id": contact_id, "plan_id": plan_id, "unit_key": unit_key,
                                     "kind": kind, "name": person.name,
                                     "email": person.email.lower(), "role": person.role,
                                     "language": str(person.language), "archived": False})
        for unit in doc.units:
            unit_id += 1
            units[unit.id] = unit_id
            rows["units"].append({"id": unit_id, "plan_id": plan_id, "key": unit.id,
                                  "name": unit.name, "kind": str(unit.kind), "note": None,
                                  "archived": False})
        for position, commitment in enumerate(doc.commitments):
            commitment_id += 1
            rows["commitments"].append({"id": commitment_id, "plan_id": plan_id,
                                        "key": commitment.id, "number": commitment.number,
                                        "party": str(commitment.party), "principle_key": None,
                                        "text": commitment.text, "note": None,
                                        "position": position, "archived": False})
            for activity in commitment.activities:
                activity_id += 1
                rows["activities"].append({
                    "id": activity_id, "plan_id": plan_id, "commitment_id": commitment_id,
                    "key": activity.id, **activity_fields(doc, commitment, activity),
                    "position": activity_id, "revision": 1, "archived": False,
                    "created_at": now, "updated_at": now})
                rows["activity_owners"] += [
                    {"activity_id": activity_id, "unit_id": units[k], "position": n}
                    for n, k in enumerate(activity.owners)]
    return rows


def _bulk_insert(connection: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    tables = {"organisations": t.Organisation, "plans": t.Plan, "units": t.Unit,
              "contacts": t.Contact, "commitments": t.Commitment, "activities": t.Activity,
              "activity_owners": t.ActivityOwner}
    for name, table in tables.items():
        connection.execute(insert(table), rows[name])
    if connection.dialect.name == "postgresql":  # explicit ids do not advance sequences
        for name in tables:
            if name != "activity_owners":
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))


def load_quickly(app: App, plans: list[PlanFile]) -> None:
    """Plans and three years of history by bulk insert (set-up, not measured)."""
    with app.engine.begin() as connection:
        _bulk_insert(connection, _core_rows(plans, app.now()))
    seed_history(app.engine, (2022, 2023, 2024))


def seed_history(engine: Engine, years: tuple[int, ...], seed: int = 7) -> int:
    """Three years of status reports: about two per activity and year."""
    rng = random.Random(seed)
    statuses = ["in_progress", "in_progress", "done", "delayed", "not_started", "paused"]
    with engine.begin() as connection:
        activities = connection.execute(select(t.Activity.id)).scalars().all()
        reports = []
        for activity_id in activities:
            for year in years:
                for _ in range(rng.choice([1, 2, 2, 3])):
                    at = datetime(year, rng.randint(1, 12), rng.randint(1, 28), 10, tzinfo=UTC)
                    reports.append({"activity_id": activity_id, "occurrence_key": str(year),
                                    "status": rng.choice(statuses), "progress": rng.randint(0, 100),
                                    "comment": "Arbetet fortsätter enligt plan.",
                                    "reporter_name": "Bench", "channel": "api",
                                    "created_at": at})
        for start in range(0, len(reports), 5000):
            connection.execute(insert(t.StatusReport), reports[start:start + 5000])
    return len(reports)


def measure_sweep(app: App, day: date) -> Figure:
    """Decide every due notice for one day across all activities (no queueing:
    the decision itself; queueing is measured by `peak day`)."""

    since = day - timedelta(days=LATE_HORIZON_DAYS + 17)

    def sweep() -> int:
        with app.sessions() as session:
            facts = load_facts(session, app.settings.tz)
            sent = sent_keys(session, day - timedelta(days=8))
            history = notice_history(session, None, since, app.settings.tz)
        return len(decide(facts, sent, day, history=history))

    actions = sweep()
    seconds = best_of(3, sweep)

    def floor() -> None:
        with app.sessions() as session:
            fetch_fact_rows(session, app.settings.tz)
            sent_keys(session, day - timedelta(days=8))
            sent_notices(session, None, since, app.settings.tz)

    floor_seconds = best_of(3, floor)
    ok = seconds <= 3 * floor_seconds and seconds < 2
    return Figure("sweep", seconds, "s", "the same SELECTs, rows fetched only", floor_seconds,
                  "<= 3x floor and < 2 s", ok, extra={"actions": actions, "day": str(day)})


def queue_messages(app: App, count: int, day: date) -> None:
    """`count` queued messages to distinct people, each with one real item."""
    with app.sessions.begin() as session:
        activities = session.execute(select(t.Activity.id, t.Activity.plan_id).limit(count)).all()
        notices = [
            Notice(key=f"bench|{n}", plan_id=activities[n % len(activities)].plan_id,
                   kind="reminder", stage="d30",
                   recipient=Person(f"person{n}@bench.example.org", f"Person {n}"),
                   planned_day=day, activity_id=activities[n % len(activities)].id,
                   occurrence_key="deadline", due=day + timedelta(days=30))
            for n in range(count)
        ]
        queue_notices(session, notices, app.now(), day)


def measure_send(app: App, smtp_url: str, count: int) -> Figure:
    smtp = SmtpSettings.from_url(smtp_url)
    queue_messages(app, count, app.today())
    start = time.perf_counter()
    report = asyncio.run(OutboxSender(app, lambda: SmtpTransport(smtp), batch=1000).run())
    seconds = time.perf_counter() - start
    floor_seconds = asyncio.run(_bare_loop(smtp, count))
    rate, floor_rate = report.sent / seconds, count / floor_seconds
    return Figure("send", rate, "msg/s", "bare aiosmtplib loop, one connection", floor_rate,
                  ">= 0.8 of the floor's throughput", rate >= 0.8 * floor_rate,
                  extra={"messages": count, "sent": report.sent, "seconds": seconds})


async def _bare_loop(smtp: SmtpSettings, count: int) -> float:
    client = aiosmtplib.SMTP(hostname=smtp.host, port=smtp.port)
    await client.connect()
    start = time.perf_counter()
    for n in range(count):
        message = EmailMessage()
        message["From"] = "lokflow@bench.example.org"
        message["To"] = f"person{n}@bench.example.org"
        message["Subject"] = f"Påminnelse {n}"
        message.set_content("Hej!\n\nEn påminnelse om en aktivitet.\n")
        await client.send_message(message)
    seconds = time.perf_counter() - start
    await client.quit()
    return seconds


def measure_hostile_plans(scratch: Path, size: int) -> Figure:
    """The slowest hostile plan file of `size` bytes to validate, beside PyYAML's C
    loader reading a benign plan of that size; with the peak RSS of `lokflow
    validate` on that file in a process of its own."""
    folder = scratch / "hostile-plans"
    folder.mkdir()
    files = {}
    for name, data in hostile_plans(size).items():
        files[name] = folder / f"{name.replace(' ', '-')}.yaml"
        files[name].write_bytes(data)
    seconds = {name: _reading_seconds(path) for name, path in files.items()}
    worst = max(seconds, key=lambda name: seconds[name])
    benign = benign_plan(size).decode("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    floor = best_of(2, lambda: yaml.load(benign, Loader=loader))
    peak = _validate_peak_mib(files[worst])
    return Figure("plan reader: slowest hostile file", seconds[worst], "s",
                  "PyYAML's C loader on a benign plan of the same size", floor,
                  f"< 2 s and < 200 MiB for any file of {size:,} bytes",
                  seconds[worst] < 2 and peak < 200,
                  extra={"bytes": size, "slowest": worst, "peak_rss_mib": round(peak, 1),
                         "seconds": {k: round(v, 3) for k, v in seconds.items()}})


def measure_validate(scratch: Path, plan: PlanFile) -> Figure:
    """`lokflow validate` of one plan file after start-up (reading, schema,
    rules, every timeline), beside PyYAML's `safe_load` of the same file; the
    bundled plans' own times in `extra`."""
    path = scratch / "validate" / f"{plan.document.slug}.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(plan.document.model_dump(mode="json", exclude_defaults=True),
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    seconds = best_of(3, lambda: read_plan_file(path))
    floor = best_of(3, lambda: yaml.safe_load(text))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    c_loader = best_of(3, lambda: yaml.load(text, Loader=loader))
    bundled = {p.stem: round(_reading_seconds(p), 3)
               for p in sorted(bundled_plans_dir().glob("*.yaml"))}
    return Figure("validate: one plan", seconds, "s", "PyYAML's safe_load of the same file",
                  floor, "< 0.3 s of parsing after start-up", seconds < 0.3 and max(
                      bundled.values()) < 0.3,
                  extra={"activities": len(plan.document.activities()),
                         "bytes": len(text.encode()), "c_safe_load_s": round(c_loader, 4),
                         "bundled_plans": bundled})


def _reading_seconds(path: Path) -> float:
    return best_of(2, lambda: read_plan_file(path))


def _validate_peak_mib(path: Path) -> float:
    """Peak RSS of `lokflow validate path` (it exits 1: the file is refused)."""
    return command_peak_mib(["validate", str(path)], dict(os.environ), exit_code=1)
