"""One reply to one of lokflow's emails, recorded: the reply is matched to
the email it answers by a signed token, its statements become status reports
(channel "email"), and the owner gets an answer through the outbox — what was
saved, or what was understood and the link to the form.

A reply from an address other than the email's recipient records nothing: it
goes to the plan's coordinators. Everything one reply causes is written in
one transaction under keys derived from the reply, so reading the same reply
twice changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.delivery.reply_tokens import is_signed, message_from_addresses, message_ids_quoted
from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.due_actions import Person
from lokflow.engine.outbox import Notice, queue_notices
from lokflow.inbound.reply_text import ReadReply, Statement, new_text, read_reply
from lokflow.reporting.owner_access import OwnerScope
from lokflow.reporting.owner_overview import OwnerOverview, owner_overview
from lokflow.reporting.owner_reports import record_owner_reports
from lokflow.reporting.report_input import ReportRejected, parse_report
from lokflow.store import tables as t
from lokflow.texts.email import TEXTS
from lokflow.texts.vocabulary import STATUS_LABELS

QUOTE_CHARS = 1500
RECORDED, UNCLEAR, FORWARDED, UNMATCHED = "recorded", "unclear", "forwarded", "unmatched"


@dataclass(frozen=True)
class IncomingReply:
    """The parts of an email that matter here (see `mailbox.parse_email`)."""

    message_id: str
    sender: str
    addresses: list[str]
    quoted_ids: list[str]
    body: str

    @property
    def key(self) -> str:
        return hashlib.sha256(self.message_id.encode()).hexdigest()[:32]


@dataclass
class ReplyOutcome:
    outcome: str
    saved: list[int] = field(default_factory=list)


def answered_message(session: Session, secret: bytes,
                     reply: IncomingReply) -> t.OutboxMessage | None:
    """The outbox message a reply answers: by the signed tag of the address
    it was sent to, else by a signed Message-ID it quotes."""
    found = message_from_addresses(secret, reply.addresses)
    if found is not None:
        return session.get(t.OutboxMessage, found)
    for outbox_id, quoted in message_ids_quoted(reply.quoted_ids):
        row = session.get(t.OutboxMessage, outbox_id)
        if row is not None and is_signed(secret, row.id, row.key, quoted):
            return row
    return None


def record_reply(session: Session, secret: bytes, reply: IncomingReply, now: datetime,
                 today: date) -> ReplyOutcome:
    """Record one reply and queue its answer (the caller commits)."""
    message = answered_message(session, secret, reply)
    if message is None:
        return ReplyOutcome(UNMATCHED)
    plan = _plan_of(session, message)
    if plan is None:
        return ReplyOutcome(UNMATCHED)
    recipient = Person(message.recipient_email, message.recipient_name, message.language)
    if reply.sender.strip().lower() != message.recipient_email.lower():
        _queue(session, reply, plan, _coordinators(session, plan), "reply_forwarded",
               _forwarded_detail(reply, message.language), now, today)
        return ReplyOutcome(FORWARDED)
    scope = OwnerScope(token_id=0, token_hash=f"reply-{message.id}",
                       organisation_id=plan.organisation_id, plan_id=None,
                       email=message.recipient_email.lower(), name=message.recipient_name)
    overview = owner_overview(session, scope, today, message.language)
    read = read_reply(reply.body, [i.label for i in overview.items])
    saved, lines, problems = _record(session, scope, overview, read, reply, message, now,
                                     today)
    clear = bool(saved) and not problems and not read.unread
    detail = _answer(lines, problems + read.unread, clear, reply, message.language)
    _queue(session, reply, plan, [recipient], "reply_confirmed" if clear else "reply_unclear",
           detail, now, today)
    return ReplyOutcome(RECORDED if clear else UNCLEAR, saved)


def _record(session: Session, scope: OwnerScope, overview: OwnerOverview, read: ReadReply,
            reply: IncomingReply, message: t.OutboxMessage, now: datetime,
            today: date) -> tuple[list[int], list[str], list[str]]:
    """Each statement that names (or, alone, implies) one activity becomes a
    report; returns saved ids, the lines saved and the lines not understood."""
    words = TEXTS[message.language]
    asked = _asked(session, message, overview)
    saved: list[int] = []
    lines: list[str] = []
    problems: list[str] = []
    for statement in read.statements:
        item_id = _target(statement, overview, asked, len(read.statements))
        if item_id is None:
            problems.append(statement.text)
            continue
        try:
            report = parse_report(_values(statement, message, reply, item_id),
                                  channel="email", today=today)
            [done] = record_owner_reports(session, scope, {item_id: report}, now, today,
                                          overview)
        except ReportRejected as rejected:
            problems.append(f"{statement.text} ({rejected.messages(message.language)[0]})")
            continue
        item = overview.item(item_id)
        assert item is not None
        saved.append(done.report.id)
        status = STATUS_LABELS[message.language][done.report.status]
        lines.append(words["reply_saved_item"].format(label=item.label, status=status))
    return saved, lines, problems


def _target(statement: Statement, overview: OwnerOverview, asked: list[int],
            count: int) -> int | None:
    """The activity a statement is about: the one it names, or the only one
    the email asked about (a lone statement in a reply)."""
    if statement.label is not None:
        return next((i.id for i in overview.items if i.label == statement.label), None)
    if count == 1 and len(asked) == 1:
        return asked[0]
    return None


def _asked(session: Session, message: t.OutboxMessage, overview: OwnerOverview) -> list[int]:
    """The owner's activities the email was about (all of them for a round)."""
    ids = list(dict.fromkeys(session.scalars(
        select(t.OutboxItem.activity_id).where(t.OutboxItem.message_id == message.id,
                                               t.OutboxItem.activity_id.is_not(None)))))
    mine = {i.id for i in overview.items}
    asked = [i for i in ids if i in mine]
    return asked or ([overview.items[0].id] if len(overview.items) == 1 else [])


def _values(statement: Statement, message: t.OutboxMessage, reply: IncomingReply,
            activity_id: int) -> dict[str, object]:
    digest = hashlib.sha256(f"{reply.key}|{activity_id}".encode()).hexdigest()[:40]
    return {"status": statement.status.value, "progress": statement.progress,
            "comment": statement.comment, "proposed_date": statement.date_text,
            "proposed_reason": statement.reason, "reporter_name": message.recipient_name,
            "reporter_email": message.recipient_email, "submission_key": f"email-{digest}"}


def _answer(lines: list[str], problems: list[str], clear: bool, reply: IncomingReply,
            language: str) -> dict[str, object]:
    """What the owner is told: what was saved and what happens next, or what
    was understood, what was not, and (in the email's section) the form."""
    words = TEXTS[language]
    if clear:
        return {"lines": [*lines, words["reply_next"]]}
    missing = problems or [words["reply_nothing"]]
    return {"lines": [*([words["reply_understood"], *lines] if lines else []),
                      words["reply_not_understood"], *missing, words["reply_use_form"]],
            "quote": "\n".join(new_text(reply.body))[:QUOTE_CHARS]}


def _forwarded_detail(reply: IncomingReply, language: str) -> dict[str, object]:
    words = TEXTS[language]
    return {"lines": [words["reply_from"].format(address=reply.sender[:320]),
                      words["reply_not_recorded"]],
            "quote": "\n".join(new_text(reply.body))[:QUOTE_CHARS]}


def _plan_of(session: Session, message: t.OutboxMessage) -> t.Plan | None:
    plan_id = session.scalar(select(t.OutboxItem.plan_id).where(
        t.OutboxItem.message_id == message.id).order_by(t.OutboxItem.id).limit(1))
    return session.get(t.Plan, plan_id) if plan_id is not None else None


def _coordinators(session: Session, plan: t.Plan) -> list[Person]:
    return [Person(c.email, c.name, c.language) for c in session.scalars(
        select(t.Contact).where(t.Contact.plan_id == plan.id,
                                t.Contact.kind == ContactKind.COORDINATOR,
                                t.Contact.archived.is_(False)).order_by(t.Contact.id))]


def _queue(session: Session, reply: IncomingReply, plan: t.Plan, people: list[Person],
           kind: str, detail: dict[str, object], now: datetime, today: date) -> None:
    notices = [Notice(key=f"reply|{reply.key}|{kind}|{p.email.lower()}", plan_id=plan.id,
                      kind=kind, stage="reply", recipient=p, planned_day=today,
                      detail=detail) for p in people]
    queue_notices(session, notices, now, today)
