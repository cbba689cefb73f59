"""A dialogue meeting's draft agenda, built from the plan's reports: overdue
activities, activities at risk (reported delayed, or with a proposed new
date), missing reports since the meeting before, and what the parties
flagged for discussion. Stored as data with the meeting; the PDF and the
page are drawn from it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.agreement.meeting_cycle import plan_document, previous_meeting_day
from lokflow.domain.meetings import days_are_assumed
from lokflow.domain.statuses import Status
from lokflow.plans.activity_names import label_of
from lokflow.reporting.plan_overview import ActivityRow, plan_overview
from lokflow.store import tables as t

SECTIONS = ("overdue", "at_risk", "missing", "flagged")


def compose_agenda(session: Session, plan: t.Plan, meeting: t.Meeting, today: date,
                   zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    """The agenda's data: the meeting, the plan, and the four sections."""
    since = previous_meeting_day(session, plan.id, meeting.held_on)
    rows = [r for r in plan_overview(session, plan, today).rows
            if r.activity.schedule.get("kind") != "follow_up"]
    overdue = [r for r in rows if r.overdue]
    at_risk = [r for r in rows if r not in overdue and _at_risk(r)]
    taken = {r.activity.id for r in overdue + at_risk}
    missing = [r for r in rows if r.activity.id not in taken and _missing(r, since, zone)]
    document = plan_document(plan)
    cycle = document.follow_up.dialogue_meetings
    return {
        "meeting": {"id": meeting.id, "day": meeting.held_on.isoformat(),
                    "starts": meeting.starts_at.astimezone(zone).isoformat(),
                    "ends": meeting.ends_at.astimezone(zone).isoformat(),
                    "location": cycle.location if cycle else None,
                    "day_assumed": cycle is not None and days_are_assumed(cycle)},
        "plan": {"slug": plan.slug, "short_name": plan.short_name, "title": document.title,
                 "organisation": document.organisation.name},
        "since": since.isoformat(),
        "made_at": now.astimezone(zone).isoformat(),
        "overdue": [_item(r, "overdue", zone) for r in overdue],
        "at_risk": [_item(r, "at_risk", zone) for r in at_risk],
        "missing": [_item(r, "missing", zone) for r in missing],
        "flagged": flagged_items(session, plan, since, zone),
        "party_names": document.party_names.model_dump() if document.party_names else None,
    }


def _at_risk(row: ActivityRow) -> bool:
    latest = row.latest
    return row.pending_dates > 0 or (latest is not None and latest.status == Status.DELAYED)


def _missing(row: ActivityRow, since: date, zone: ZoneInfo) -> bool:
    latest = row.latest
    if latest is not None and Status(latest.status).resolves:
        return False
    return latest is None or latest.created_at.astimezone(zone).date() < since


def _item(row: ActivityRow, why: str, zone: ZoneInfo) -> dict[str, Any]:
    activity, latest = row.activity, row.latest
    return {
        "key": activity.key, "number": activity.number, "party": activity.party,
        "text": activity.text, "owners": [name for _, name in row.owners], "why": why,
        "overdue_since": row.overdue[0].due.isoformat() if row.overdue else None,
        "status": latest.status if latest else None,
        "reported_on": latest.created_at.astimezone(zone).date().isoformat() if latest else None,
        "proposed": latest.proposed_date.isoformat()
        if latest is not None and latest.proposed_date else None,
        "comment": latest.comment if latest else None,
    }


def flagged_items(session: Session, plan: t.Plan, since: date,
                  zone: ZoneInfo) -> list[dict[str, Any]]:
    """What a party flagged for discussion since the meeting before."""
    activities = {a.id: a for a in session.scalars(
        select(t.Activity).where(t.Activity.plan_id == plan.id))}
    principles = {p.key: p.name for p in session.scalars(
        select(t.Principle).where(t.Principle.plan_id == plan.id))}
    units = {u.key: u.name for u in session.scalars(
        select(t.Unit).where(t.Unit.plan_id == plan.id))}
    found = []
    for flag in session.scalars(select(t.DiscussionFlag).where(
            t.DiscussionFlag.plan_id == plan.id).order_by(t.DiscussionFlag.id)):
        if flag.created_at.astimezone(zone).date() < since:
            continue
        activity = activities.get(flag.activity_id) if flag.activity_id else None
        found.append({
            "key": activity.key if activity else None,
            "number": activity.number if activity else None,
            "party": activity.party if activity else None,
            "text": activity.text if activity else None,
            "owners": [units.get(k, k) for k in activity.owner_keys] if activity else [],
            "principle": principles.get(flag.principle_key or "", flag.principle_key),
            "source": flag.source, "note": flag.note, "by": flag.flagged_by,
            "on": flag.created_at.astimezone(zone).date().isoformat()})
    return found


def label(agenda: dict[str, Any] | None, item: dict[str, Any], language: str) -> str:
    """'Kommunen 1.1' (in the plan's own name of the party, which agendas
    stored before they kept it lack), or the key where the source has no number."""
    return label_of((agenda or {}).get("party_names"), item.get("party") or "",
                    item.get("number"), item.get("key") or "", language)
