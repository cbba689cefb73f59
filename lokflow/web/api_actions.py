"""The coordinator's actions as the JSON API runs them: each reads its JSON
values, calls the same use case as the web page and the CLI, and says what
happened (or why not, as a code whose words are in the catalogue)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import BackgroundTasks, HTTPException
from sqlalchemy.orm import Session

from lokflow.annual_report.archive import compile_version, list_reports
from lokflow.annual_report.formats import FORMATS, file_name
from lokflow.bootstrap import App
from lokflow.delivery.preview import PreviewEmail, preview_emails
from lokflow.engine.coordinator_actions import (
    ActionRefused,
    decide_and_tell,
    new_action_id,
    remind_activity,
    remind_round,
    reminder_notices,
)
from lokflow.engine.reporting_rounds import (
    RoundError,
    default_year,
    open_round,
    round_notices_now,
)
from lokflow.reporting.plan_overview import PlanHidden, visible_activity
from lokflow.reporting.report_input import (
    BEHALF_CHANNELS,
    FIELDS,
    MAX_NAME,
    Problem,
    ReportRejected,
    parse_report,
)
from lokflow.reporting.report_queries import date_change_in_plan
from lokflow.reporting.status_reports import record_report
from lokflow.store import tables as t
from lokflow.web.api_models import report_out
from lokflow.web.sending import send_soon


@dataclass
class ActionContext:
    app: App
    session: Session
    plan: t.Plan
    by: str
    values: dict[str, object]
    background: BackgroundTasks


@dataclass
class Outcome:
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    code: str = ""


def refused(code: str, status: int = 409) -> Outcome:
    return Outcome(status, code=code)


def _activity(c: ActionContext) -> t.Activity:
    try:
        return visible_activity(c.session, c.plan, str(c.values.get("activity")),
                                include_archived=False)
    except PlanHidden:
        raise HTTPException(404) from None


def _emails(found: list[PreviewEmail]) -> list[dict[str, str]]:
    return [{"to": e.recipient_email, "name": e.recipient_name, "subject": e.subject,
             "text": e.text} for e in found]


def remind(c: ActionContext) -> Outcome:
    row = _activity(c)
    action = str(c.values.get("action_id") or new_action_id())
    if c.values.get("preview") is True:
        notices = reminder_notices(c.session, row, action, c.by, c.app.today())
        found = preview_emails(c.session, notices, c.app.settings, c.app.secret(),
                               c.app.now(), c.app.today())
        return Outcome(200, {"action_id": action, "emails": _emails(found)})
    try:
        queued = remind_activity(c.session, row, action, c.by, c.app.now(), c.app.today())
    except ActionRefused as error:
        return refused(error.code)
    send_soon(c.background, c.app)
    return Outcome(202, {"action_id": action, "queued": queued.items})


def on_behalf(c: ActionContext) -> Outcome:
    row = _activity(c)
    name = c.values.get("on_behalf_of")
    channel = c.values.get("channel")
    problems = []
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        problems.append(Problem("on_behalf_of", "invalid_value"))
    if channel not in BEHALF_CHANNELS:
        problems.append(Problem("channel", "invalid_value"))
    report = {k: v for k, v in c.values.items() if k in FIELDS}
    report["reporter_name"] = c.by
    try:
        entry = parse_report(report, channel=str(channel) if channel in BEHALF_CHANNELS
                             else "other", today=c.app.today())
    except ReportRejected as error:
        problems.extend(error.problems)
    if problems:
        raise ReportRejected(problems)
    saved = record_report(c.session, row, entry, c.app.now(), c.app.today(),
                          on_behalf_of=str(name).strip())
    return Outcome(201, {**report_out(saved, row.key).model_dump(mode="json"),
                         "on_behalf_of": saved.on_behalf_of})


def decide(c: ActionContext) -> Outcome:
    text = str(c.values.get("change", ""))
    change = date_change_in_plan(c.session, c.plan.id, int(text)) if text.isdigit() and len(
        text) < 18 else None
    if change is None:
        raise HTTPException(404)
    decision = c.values.get("decision")
    if decision not in ("accept", "reject"):
        raise ReportRejected([Problem("decision", "invalid_value")])
    try:
        queued = decide_and_tell(c.session, change, decision == "accept",
                                 str(c.values.get("reason") or ""), c.by, c.app.now(),
                                 c.app.today())
    except ActionRefused as error:
        return refused(error.code, 422)
    send_soon(c.background, c.app)
    return Outcome(200, {"id": change.id, "decision": change.decision,
                         "reason": change.decision_reason, "owners_told": queued.items})


def _day(value: object) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)) if len(str(value)) == 10 else None
    except ValueError:
        return None


def _year(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 2000 <= value <= 2100


def open_round_now(c: ActionContext) -> Outcome:
    year = c.values.get("year", default_year(c.plan, c.app.today()))
    raw = c.values.get("deadline")
    deadline = _day(raw)
    problems = [Problem("year", "invalid_value")] if not _year(year) else []
    if raw not in (None, "") and deadline is None:
        problems.append(Problem("deadline", "invalid_value"))
    if problems or not isinstance(year, int):
        raise ReportRejected(problems)
    try:
        row = open_round(c.session, c.plan, year, c.app.now(), c.app.today(), deadline,
                         recent_days=c.app.settings.round_recent_days)
    except RoundError as error:
        return refused(f"round_{error.code}")
    asked = round_notices_now(c.session, row, c.app.now(), c.app.today()).items
    send_soon(c.background, c.app)
    return Outcome(200, {"year": row.year, "opens_on": row.opens_on.isoformat(),
                         "deadline": row.deadline.isoformat(), "status": row.status,
                         "requests_queued": asked})


def remind_round_now(c: ActionContext) -> Outcome:
    action = str(c.values.get("action_id") or new_action_id())
    try:
        queued = remind_round(c.session, c.plan, action, c.by, c.app.now(), c.app.today())
    except ActionRefused as error:
        return refused(error.code)
    send_soon(c.background, c.app)
    return Outcome(202, {"action_id": action, "queued": queued.items})


def compile_now(c: ActionContext) -> Outcome:
    year, language = c.values.get("year"), c.values.get("language") or c.plan.language
    problems = [Problem("year", "invalid_value")] if not _year(year) else []
    if language not in ("sv", "en"):
        problems.append(Problem("language", "invalid_value"))
    if problems or not isinstance(year, int):
        raise ReportRejected(problems)
    report, created = compile_version(c.session, c.plan.slug, year, c.app.now(),
                                      zone=c.app.settings.tz, language=str(language))
    c.session.flush()
    listing = next(r for r in list_reports(c.session, plan_slug=c.plan.slug)
                   if r.id == report.id)
    base = f"/api/v1/plans/{c.plan.slug}/annual-reports/{report.id}"
    return Outcome(201 if created else 200, {
        "id": report.id, "year": year, "language": language, "version": listing.version,
        "created": created, "downloads": {name: f"{base}.{name}" for name in FORMATS},
        "file_names": {name: file_name(c.plan.slug, year, name, str(language))
                       for name in FORMATS}})


ACTIONS: dict[str, Callable[[ActionContext], Outcome]] = {
    "remind": remind, "on_behalf": on_behalf, "decide": decide, "open_round": open_round_now,
    "remind_round": remind_round_now, "compile": compile_now}
