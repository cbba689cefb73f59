"""Turns an outbox message and its items into a MIME email: plain text and
HTML parts (Jinja2, autoescaped) and an .ics attachment of the deadlines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.delivery.ics_attachment import DeadlineEvent, calendar_bytes
from lokflow.delivery.mime import Part, assemble
from lokflow.store import tables as t
from lokflow.texts.dates import long_date
from lokflow.texts.email import TEXTS

TEMPLATES = Path(__file__).parent / "templates"


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
    )


@dataclass
class ItemView:
    kind: str
    stage: str
    level: int
    heading: str
    activity_key: str | None
    activity_text: str | None
    commitment: str | None
    due: date | None
    due_text: str | None
    timeline: str | None
    owners: list[str]
    partners: list[str]
    detail: dict[str, Any]
    link: str | None = None  # an assessor's personal assessment link (issue 17)


@dataclass
class PlanSection:
    slug: str
    name: str
    organisation_id: int
    items: list[ItemView] = field(default_factory=list)
    report_url: str | None = None
    feed_url: str | None = None


@dataclass
class Attachment:
    filename: str
    maintype: str
    subtype: str
    data: bytes


LinkMaker = Callable[[str, int], tuple[str | None, str | None]]
"""(recipient email, organisation id) -> (report url, personal feed url)."""


def heading(item: t.OutboxItem, language: str) -> str:
    words = TEXTS[language]
    due = long_date(item.due, language) if item.due else ""
    if item.kind == "reminder":
        if item.stage.startswith("w"):
            return words["reminder_w"].format(due=due)
        return words["reminder_d"].format(days=item.stage[1:], due=due)
    if item.kind == "escalation":
        if item.level <= 1:
            return words["escalation_1"].format(due=due)
        return words["escalation_n"].format(level=item.level, due=due)
    if item.kind == "annual_report":
        return words["annual_report"].format(year=item.detail.get("year", ""))
    return words[item.kind].format(due=due)


class SectionLoader:
    """Loads the plan sections of many messages with a few bulk queries (the
    sender renders thousands of emails per batch)."""

    def __init__(self, session: Session, message_ids: list[int]) -> None:
        self.items: dict[int, list[t.OutboxItem]] = defaultdict(list)
        for item in session.scalars(
                select(t.OutboxItem).where(t.OutboxItem.message_id.in_(message_ids))
                .order_by(t.OutboxItem.plan_id, t.OutboxItem.due, t.OutboxItem.id)):
            assert item.message_id is not None
            self.items[item.message_id].append(item)
        every = [i for found in self.items.values() for i in found]
        activity_ids = {i.activity_id for i in every if i.activity_id is not None}
        plan_ids = {i.plan_id for i in every}
        self.activities = {a.id: a for a in session.scalars(
            select(t.Activity).where(t.Activity.id.in_(activity_ids)))}
        self.commitments = {c.id: c for c in session.scalars(select(t.Commitment).where(
            t.Commitment.id.in_({a.commitment_id for a in self.activities.values()})))}
        self.units = {(u.plan_id, u.key): u.name for u in session.scalars(
            select(t.Unit).where(t.Unit.plan_id.in_(plan_ids)))}
        self.plans = {p.id: p for p in session.scalars(
            select(t.Plan).where(t.Plan.id.in_(plan_ids)))}

    def sections(self, message: t.OutboxMessage, links: LinkMaker) -> list[PlanSection]:
        sections: dict[int, PlanSection] = {}
        for item in self.items.get(message.id, []):
            plan = self.plans[item.plan_id]
            section = sections.setdefault(item.plan_id, PlanSection(
                slug=plan.slug, name=plan.short_name, organisation_id=plan.organisation_id))
            section.items.append(self._view(item, message.language))
        for section in sections.values():
            section.report_url, section.feed_url = links(message.recipient_email,
                                                         section.organisation_id)
        return list(sections.values())

    def _view(self, item: t.OutboxItem, language: str) -> ItemView:
        activity = self.activities.get(item.activity_id) if item.activity_id else None
        commitment = None
        if activity is not None:
            found = self.commitments[activity.commitment_id]
            commitment = f"{found.number or ''} {found.text}".strip()
        return ItemView(
            kind=item.kind, stage=item.stage, level=item.level,
            heading=heading(item, language),
            activity_key=activity.key if activity else None,
            activity_text=activity.text if activity else None,
            commitment=commitment, due=item.due,
            due_text=long_date(item.due, language) if item.due else None,
            timeline=activity.timeline if activity else None,
            owners=[self.units.get((item.plan_id, k), k) for k in activity.owner_keys]
            if activity else [],
            partners=list(activity.partners) if activity else [],
            detail=item.detail or {},
        )


def subject_for(sections: list[PlanSection], language: str) -> str:
    words = TEXTS[language]
    items = [i for s in sections for i in s.items]
    kinds = {i.kind for i in items}
    prefix = "[" + ", ".join(s.name for s in sections) + "] "
    if "annual_report" in kinds:
        year = next(i.detail.get("year") for i in items if i.kind == "annual_report")
        return prefix + words["subject_annual"].format(year=year)
    if "meeting_agenda" in kinds:  # issue 17 (part two): a dialogue meeting's agenda
        day = next(i.due for i in items if i.kind == "meeting_agenda")
        return prefix + words["subject_meeting"].format(day=long_date(day, language))
    if "delivery_failed" in kinds:
        return prefix + words["subject_failed"]
    if "escalation" in kinds or "round_escalation" in kinds:
        count = sum(1 for i in items if i.kind in ("escalation", "round_escalation"))
        return prefix + words["subject_escalation"].format(n=count)
    if kinds & {"round_request", "round_reminder"}:
        return prefix + words["subject_round"]
    if kinds & {"assessment_request", "assessment_reminder"}:  # issue 17
        return prefix + words["subject_assessment"]
    if kinds == {"report_link"}:  # asked for from a calendar (services.link_requests)
        return prefix + words["subject_report_link"]
    return prefix + words["subject_reminder"].format(n=len(items))


def ics_attachment(
    sections: list[PlanSection], language: str, stamp: datetime
) -> Attachment | None:
    words = TEXTS[language]
    events = [
        DeadlineEvent(
            uid=f"lokflow-{s.slug}-{i.activity_key}-{i.due.isoformat()}@lokflow",
            day=i.due,
            summary=words["ics_summary"].format(activity=i.activity_key, plan=s.name,
                                                text=(i.activity_text or "")[:120]),
            description=f"{i.heading}\n{i.activity_text or ''}",
            stamp=stamp,
        )
        for s in sections for i in s.items if i.due and i.activity_key
    ]
    unique = list({e.uid: e for e in events}.values())
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


def build_email(
    message: t.OutboxMessage,
    sections: list[PlanSection],
    *,
    sender: str,
    report_days: int,
    date: datetime | None = None,
    extra: list[Attachment] | None = None,
    environment: Environment | None = None,
) -> OutgoingEmail:
    """Plain text and HTML alternatives, plus attachments."""
    language = message.language if message.language in TEXTS else "sv"
    env = environment or template_environment()
    context = {"t": TEXTS[language], "name": message.recipient_name, "sections": sections,
               "report_days": report_days, "language": language}
    stamp = message.created_at.astimezone(UTC)
    attachments = [a for a in [ics_attachment(sections, language, stamp)] if a] + (extra or [])
    subject = subject_for(sections, language)
    message_id = message.message_header_id or make_msgid("lokflow")
    data = assemble(
        sender=sender, recipient_name=message.recipient_name,
        recipient=message.recipient_email, subject=subject,
        date=format_datetime(date or message.created_at), message_id=message_id,
        language=language, text=env.get_template("bundle.txt.j2").render(context),
        html=env.get_template("bundle.html.j2").render(context),
        attachments=[Part(_content_type(a), a.data, a.filename) for a in attachments])
    return OutgoingEmail(message_id=message_id, sender=parseaddr(sender)[1] or sender,
                         recipient=message.recipient_email, subject=subject, data=data)


def _content_type(attachment: Attachment) -> str:
    kind = f"{attachment.maintype}/{attachment.subtype}"
    if attachment.maintype == "text":
        kind += '; charset="utf-8"'
    if attachment.subtype == "calendar":
        kind += "; method=PUBLISH"
    return kind
