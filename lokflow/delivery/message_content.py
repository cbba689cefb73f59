"""Turns an outbox message and its items into a MIME email: plain text and
HTML parts (Jinja2, autoescaped) and an .ics attachment of the dates.

The email is the municipality's: its name (or the plan's `sender`) in From,
the coordinator in the footer, a subject that says what is asked and by
when, and, when an inbound mailbox is set up, a Reply-To that lets the owner
report by replying."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from lokflow.delivery.ics_attachment import DeadlineEvent, calendar_bytes
from lokflow.delivery.message_sections import (
    ROUND_KINDS,
    ItemView,
    LinkMaker,
    PlanSection,
    SectionLoader,
    heading,
)
from lokflow.delivery.mime import Part, address_of, assemble
from lokflow.store import tables as t
from lokflow.texts.dates import long_date
from lokflow.texts.email import TEXTS

__all__ = ["Attachment", "ItemView", "LinkMaker", "OutgoingEmail", "PlanSection",
           "SectionLoader", "build_email", "heading", "ics_attachment", "subject_for",
           "template_environment"]

TEMPLATES = Path(__file__).parent / "templates"
ASKS = ("reminder", "checkin", "manual_reminder", *ROUND_KINDS)
"""Items that ask the owner to report by a date."""
ANSWERABLE = (*ASKS, "escalation", "reply_confirmed", "reply_unclear")
"""Items an owner may answer by replying; other emails' replies go to the coordinator."""


def template_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        # "bundle.html.j2" ends in .j2: name the double extension, or nothing is escaped.
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"),
                                     default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship with the code: no stat() per email
    )


@dataclass
class Attachment:
    filename: str
    maintype: str
    subtype: str
    data: bytes


def count_text(n: int, language: str) -> str:
    """'1 aktivitet', '3 aktiviteter': never 'aktivitet(er)'."""
    words = TEXTS[language]
    return words["count_one"] if n == 1 else words["count_many"].format(n=n)


def _short(day: date, language: str) -> str:
    """'15 december' this year's way of naming a day in a subject."""
    return long_date(day, language).rsplit(" ", 1)[0]


def subject_for(sections: list[PlanSection], language: str) -> str:
    """What is asked and by when, then the plan: 'Rapportera senast 15
    december: 3 aktiviteter — LÖK Tierp'."""
    words = TEXTS[language]
    items = [i for s in sections for i in s.items]
    kinds = {i.kind for i in items}
    suffix = " — " + ", ".join(s.name for s in sections)
    activities = {(i.activity_key, i.due) for i in items if i.activity_key}
    asked = {a for i in items for a in i.detail.get("asked", [])}
    if "annual_report" in kinds:
        year = next(i.detail.get("year") for i in items if i.kind == "annual_report")
        return words["subject_annual"].format(year=year) + suffix
    if "meeting_agenda" in kinds:  # issue 17 (part two): a dialogue meeting's agenda
        day = next(i.due for i in items if i.kind == "meeting_agenda")
        return words["subject_meeting"].format(day=long_date(day, language)) + suffix
    if "delivery_failed" in kinds:
        return words["subject_failed"] + suffix
    if kinds & {"escalation", "round_escalation", "late"}:
        count = sum(1 for i in items if i.kind in ("escalation", "round_escalation", "late"))
        return words["subject_overdue"].format(what=count_text(count, language)) + suffix
    if kinds & {"assessment_request", "assessment_reminder"}:  # issue 17
        return words["subject_assessment"] + suffix
    if kinds == {"report_link"}:  # asked for from a calendar or an expired link
        return words["subject_report_link"] + suffix
    if kinds & {"reply_confirmed", "reply_unclear", "reply_forwarded"}:
        return words["subject_" + sorted(kinds)[0]] + suffix
    if kinds <= {"date_accepted", "date_rejected"}:  # a coordinator's decision
        return words["subject_date_decision"] + suffix
    dues = [i.due for i in items if i.kind in ASKS and i.due]
    if not dues:
        return words["subject_reminder"].format(n=len(items)) + suffix
    by = _short(min(dues), language)
    if not activities:
        subject = words["subject_round_due"].format(by=by)
        return subject + (f": {count_text(len(asked), language)}" if asked else "") + suffix
    wording = "subject_manual" if "manual_reminder" in kinds else "subject_due"
    return words[wording].format(by=by, what=count_text(len(activities), language)) + suffix


def ics_attachment(
    sections: list[PlanSection], language: str, stamp: datetime
) -> Attachment | None:
    """The dates of the email under the feed's UIDs, with texts that do not
    go stale (no "30 days left")."""
    words = TEXTS[language]
    events = []
    for s in sections:
        for i in s.items:
            if not i.due or i.event is None:
                continue
            if i.activity_key:
                summary = words["ics_summary"].format(activity=i.label, plan=s.name,
                                                      text=(i.activity_text or "")[:120])
                description = f"{i.label}: {i.activity_text or ''}"
            else:
                summary = words["ics_round"].format(plan=s.name)
                description = words["ics_round_text"].format(due=long_date(i.due, language))
            events.append(DeadlineEvent(uid=i.event.uid, day=i.due, summary=summary,
                                        description=description, stamp=stamp,
                                        recurrence_id=i.event.recurrence_id))
    unique = list({(e.uid, e.recurrence_id): e for e in events}.values())
    if not unique:
        return None
    return Attachment("deadlines.ics", "text", "calendar", calendar_bytes(unique))


@dataclass(frozen=True)
class OutgoingEmail:
    """A rendered email, ready for any transport."""

    message_id: str
    sender: str
    recipient: str
    subject: str
    data: bytes


def from_header(sections: list[PlanSection], default: str) -> str:
    """The municipality (or the plan's `sender`) as the sender's name; the
    plan's own address if it gives one, else LOKFLOW_MAIL_FROM's."""
    first = sections[0] if sections else None
    if first is None:
        return _author(None, None, default)
    return _author(first.sender[0] or first.organisation, first.sender[1], default)


@lru_cache(maxsize=1024)  # one per plan: the same few values for a whole batch
def _author(name: str | None, address: str | None, default: str) -> str:
    fallback_name, fallback_address = parseaddr(default)
    return formataddr((name or fallback_name, address or fallback_address or default),
                      charset="utf-8")


def build_email(
    message: t.OutboxMessage,
    sections: list[PlanSection],
    *,
    sender: str,
    report_days: int,
    date: datetime | None = None,
    extra: list[Attachment] | None = None,
    environment: Environment | None = None,
    reply_to: str | None = None,
) -> OutgoingEmail:
    """Plain text and HTML alternatives, plus attachments."""
    language = message.language if message.language in TEXTS else "sv"
    env = environment or template_environment()
    subject = subject_for(sections, language)
    if not any(i.kind in ANSWERABLE for s in sections for i in s.items):
        reply_to = None
    context = {"t": TEXTS[language], "name": message.recipient_name, "sections": sections,
               "report_days": report_days, "language": language, "subject": subject,
               "can_reply": reply_to is not None and _asks(sections),
               "labels": _labels(sections), **role_words(sections, language)}
    stamp = message.created_at.astimezone(UTC)
    attachments = [a for a in [ics_attachment(sections, language, stamp)] if a] + (extra or [])
    message_id = message.message_header_id or make_msgid("lokflow")
    author = from_header(sections, sender)
    data = assemble(
        sender=author, recipient_name=message.recipient_name,
        recipient=message.recipient_email, subject=subject,
        date=format_datetime(date or message.created_at), message_id=message_id,
        language=language, text=env.get_template("bundle.txt.j2").render(context),
        html=env.get_template("bundle.html.j2").render(context),
        attachments=[Part(_content_type(a), a.data, a.filename) for a in attachments],
        reply_to=reply_to or _coordinator(sections))
    return OutgoingEmail(message_id=message_id, sender=address_of(author) or author,
                         recipient=message.recipient_email, subject=subject, data=data)


ESCALATION_ROLES = ("escalation_contacts", "coordinators", "steering_group")


def role_words(sections: list[PlanSection], language: str) -> dict[str, str]:
    """The intro and the role the footer names: an escalation contact,
    coordinator or steering group member who is not an owner of any item is
    not told they are a contact."""
    words = TEXTS[language]
    roles = {str(i.detail.get("to", "owners")) for s in sections for i in s.items}
    if not roles or not roles <= set(ESCALATION_ROLES):
        return {"intro": words["intro"], "role": ""}
    role = words["role_" + next(r for r in ESCALATION_ROLES if r in roles)]
    return {"intro": words["intro_escalation"].format(role=role), "role": role}


def _asks(sections: list[PlanSection]) -> bool:
    return any(i.kind in ASKS and i.activity_key for s in sections for i in s.items)


def _labels(sections: list[PlanSection]) -> list[str]:
    return list(dict.fromkeys(i.label for s in sections for i in s.items if i.label))


def _coordinator(sections: list[PlanSection]) -> str | None:
    found = next((s.coordinator for s in sections if s.coordinator), None)
    return formataddr(found, charset="utf-8") if found else None


def _content_type(attachment: Attachment) -> str:
    kind = f"{attachment.maintype}/{attachment.subtype}"
    if attachment.maintype == "text":
        kind += '; charset="utf-8"'
    if attachment.subtype == "calendar":
        kind += "; method=PUBLISH"
    return kind
