"""Reading the reply mailbox once: every reply not yet done is recorded in a
transaction of its own, then marked done in the mailbox. A crash between the
two reads the reply again next time, which records nothing twice (the
reply's keys are unique). Automatic replies (out of office) are skipped."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from email import message_from_bytes
from email.policy import default
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from lokflow.inbound.mailbox import ImapMailbox, ImapSettings, parse_email
from lokflow.inbound.replies import record_reply
from lokflow.settings import Settings

LOG = logging.getLogger("lokflow.inbound")
AUTOMATIC = "automatic"


class Mailbox(Protocol):
    def waiting(self) -> list[tuple[str, bytes]]: ...
    def mark_done(self, uid: str) -> None: ...


class InboundContext(Protocol):
    settings: Settings
    sessions: sessionmaker[Session]

    def now(self) -> datetime: ...

    def today(self) -> date: ...

    def secret(self) -> bytes: ...


class NotConfigured(RuntimeError):
    """LOKFLOW_INBOUND_IMAP_URL is empty: there is no mailbox to read."""


@dataclass
class ReadSummary:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def imap_mailbox(settings: Settings) -> AbstractContextManager[Mailbox]:
    if not settings.inbound_imap_url:
        raise NotConfigured("LOKFLOW_INBOUND_IMAP_URL is not set")
    return ImapMailbox(ImapSettings.from_url(settings.inbound_imap_url))


def read_replies(context: InboundContext,
                 mailbox: Callable[[Settings], AbstractContextManager[Mailbox]] = imap_mailbox
                 ) -> ReadSummary:
    """Record every waiting reply; the answers wait in the outbox."""
    summary = ReadSummary()
    with mailbox(context.settings) as box:
        for uid, raw in box.waiting():
            if _automatic(raw):
                summary.add(AUTOMATIC)
                box.mark_done(uid)
                continue
            reply = parse_email(raw)
            try:
                with context.sessions.begin() as session:
                    outcome = record_reply(session, context.secret(), reply, context.now(),
                                           context.today())
            except Exception:  # the next read tries this reply again
                LOG.exception("reply %s could not be recorded", reply.key[:12])
                summary.add("failed")
                continue
            box.mark_done(uid)
            LOG.info("reply %s: %s", reply.key[:12], outcome.outcome)
            summary.add(outcome.outcome)
    return summary


def _automatic(raw: bytes) -> bool:
    """Out-of-office and other machine answers, by their standard headers."""
    headers = message_from_bytes(raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0] + b"\n\n",
                                 policy=default)
    submitted = str(headers.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(headers.get("Precedence", "")).strip().lower()
    return (submitted not in ("", "no") or precedence in ("bulk", "auto_reply", "junk", "list")
            or headers.get("X-Autoreply") is not None
            or headers.get("X-Autorespond") is not None)
