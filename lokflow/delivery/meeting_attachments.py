"""The attachments of a dialogue meeting's agenda email: the agenda as a
tagged PDF (made and stored with the meeting) and the meeting as an
iCalendar invitation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from lokflow.agreement.agenda_mail import invitation
from lokflow.delivery.message_content import Attachment, PlanSection
from lokflow.store import tables as t


def meeting_attachments(session: Session, sections: list[PlanSection], language: str,
                        stamp: datetime) -> list[Attachment]:
    """A dialogue meeting's agenda (PDF) and its invitation (.ics)."""
    found = []
    for item in (i for s in sections for i in s.items if i.kind == "meeting_agenda"):
        meeting = session.get(t.Meeting, item.detail.get("meeting_id"))
        if meeting is None or meeting.agenda_pdf is None:
            continue
        plan = session.get(t.Plan, meeting.plan_id)
        assert plan is not None
        day = meeting.held_on.isoformat()
        found += [Attachment(f"dagordning-{plan.slug}-{day}.pdf", "application", "pdf",
                             meeting.agenda_pdf),
                  Attachment(f"dialogmote-{plan.slug}-{day}.ics", "text", "calendar",
                             invitation(plan, meeting, language, stamp))]
    return found
