"""A meeting's agenda goes out: made once (data and tagged PDF, stored with
the meeting), then queued in the outbox for every participant (the plan's
coordinators, steering group and assessors) under a unique key, so a rerun
sends nothing twice. The sender attaches the PDF and the invitation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from lokflow.agreement.agenda import compose_agenda
from lokflow.agreement.agenda_document import agenda_pdf
from lokflow.agreement.meeting_cycle import cycle_meetings, meeting_row, plan_document
from lokflow.domain.due_actions import Person
from lokflow.domain.meetings import agendas_due
from lokflow.domain.plan_document import PlanDocument
from lokflow.engine.outbox import Notice, queue_notices
from lokflow.store import tables as t
from lokflow.texts.meetings import meeting_words


@dataclass(frozen=True)
class CycleResult:
    agendas: int = 0
    queued: int = 0


def participants(document: PlanDocument) -> list[Person]:
    """Coordinators, steering group and assessors, each once."""
    found: dict[str, Person] = {}
    for contact in [*document.coordinators, *document.steering_group]:
        found.setdefault(contact.email.lower(), Person(contact.email, contact.name,
                                                       contact.language.value))
    assessors = document.follow_up.assessors
    for email in [*(assessors.municipality if assessors else []),
                  *(assessors.civil_society if assessors else [])]:
        found.setdefault(email.lower(), Person(email, email, document.language.value))
    return list(found.values())


def make_agenda(session: Session, plan: t.Plan, meeting: t.Meeting, today: date,
                zone: ZoneInfo, now: datetime, *, again: bool = False) -> t.Meeting:
    """Compose and store the agenda and its PDF (once, unless `again`)."""
    if meeting.agenda is not None and not again:
        return meeting
    cycle_meetings(session, plan, today, zone, now)  # the meeting before must be a row
    agenda = compose_agenda(session, plan, meeting, today, zone, now)
    meeting.agenda = agenda
    meeting.agenda_pdf = agenda_pdf(agenda, plan_document(plan).language.value)
    meeting.agenda_made_at = now
    return meeting


def queue_agenda(session: Session, plan: t.Plan, meeting: t.Meeting, now: datetime,
                 today: date) -> int:
    """One outbox item per participant; the key makes a rerun harmless."""
    notices = [Notice(key=f"meeting-agenda-{meeting.id}-{person.email.lower()}",
                      plan_id=plan.id, kind="meeting_agenda", stage="agenda", recipient=person,
                      planned_day=today, due=meeting.held_on,
                      detail={"meeting_id": meeting.id, "day": meeting.held_on.isoformat()})
               for person in participants(plan_document(plan))]
    return queue_notices(session, notices, now, today).items


def run_cycle(session: Session, plan: t.Plan, today: date, zone: ZoneInfo,
              now: datetime) -> CycleResult:
    """What the meetings flow does each day: agendas due today are made and queued."""
    made = queued = 0
    for day in agendas_due(plan_document(plan), today):
        meeting = meeting_row(session, plan, day, zone, now)
        made += meeting.agenda is None
        make_agenda(session, plan, meeting, today, zone, now)
        queued += queue_agenda(session, plan, meeting, now, today)
    return CycleResult(made, queued)


def invitation(plan: t.Plan, meeting: t.Meeting, language: str, stamp: datetime) -> bytes:
    """The meeting as an iCalendar event (UTC times, a stable UID)."""
    w, document = meeting_words(language), plan_document(plan)
    cycle = document.follow_up.dialogue_meetings
    calendar = Calendar()
    calendar.add("prodid", "-//lokflow//dialogue meetings//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"lokflow-meeting-{plan.slug}-{meeting.held_on.isoformat()}@lokflow")
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", w["ics_summary"].format(plan=plan.short_name))
    event.add("description", w["ics_description"])
    if cycle is not None and cycle.location:
        event.add("location", cycle.location)
    calendar.add_component(event)
    return calendar.to_ical()
