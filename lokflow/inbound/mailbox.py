"""The reply mailbox over IMAP (the standard library's imaplib; lokflow reads
it on a schedule, so a blocking client in the flow's own thread is enough).

A reply is marked with the keyword `$LokflowDone` once it is recorded, so a
person may read the same mailbox in their mail program (which sets \\Seen)
without lokflow skipping or re-reading anything.
"""

from __future__ import annotations

import contextlib
import email
import email.utils
import hashlib
import imaplib
import re
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from lokflow.inbound.replies import IncomingReply

DONE = "$LokflowDone"
BATCH = 200


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    username: str
    password: str
    mailbox: str
    tls: bool
    starttls: bool

    @classmethod
    def from_url(cls, url: str) -> ImapSettings:
        """imaps://user:pass@host:993/INBOX, imap+starttls://…:143/…, imap://… (loopback)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("imap", "imaps", "imap+starttls"):
            raise ValueError("LOKFLOW_INBOUND_IMAP_URL must start with imaps://, "
                             "imap+starttls:// or imap://")
        return cls(host=parts.hostname or "localhost",
                   port=parts.port or (993 if scheme == "imaps" else 143),
                   username=unquote(parts.username or ""), password=unquote(parts.password or ""),
                   mailbox=unquote(parts.path.strip("/")) or "INBOX", tls=scheme == "imaps",
                   starttls=scheme == "imap+starttls")

    def __repr__(self) -> str:  # never show the password
        return f"ImapSettings(host={self.host!r}, port={self.port}, user={self.username!r})"


class ImapMailbox:
    """One IMAP session: the replies not yet done, and marking one done."""

    def __init__(self, settings: ImapSettings, timeout: float = 30) -> None:
        self.settings = settings
        self.timeout = timeout
        self.client: imaplib.IMAP4 | None = None

    def __enter__(self) -> ImapMailbox:
        s = self.settings
        context = ssl.create_default_context()
        if s.tls:
            self.client = imaplib.IMAP4_SSL(s.host, s.port, ssl_context=context,
                                            timeout=self.timeout)
        else:
            self.client = imaplib.IMAP4(s.host, s.port, timeout=self.timeout)
            if s.starttls:
                self.client.starttls(ssl_context=context)
        self.client.login(s.username, s.password)
        status, _ = self.client.select(_quoted(s.mailbox))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open mailbox {s.mailbox!r}")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                self.client.logout()
            self.client = None

    def waiting(self) -> list[tuple[str, bytes]]:
        """(uid, raw message) of replies not yet marked done, oldest first."""
        assert self.client is not None
        status, found = self.client.uid("SEARCH", "UNKEYWORD", DONE)
        if status != "OK":
            raise imaplib.IMAP4.error("SEARCH failed")
        uids = [u.decode() for u in (found[0] or b"").split()[:BATCH]]
        messages = []
        for uid in uids:
            status, data = self.client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in data if isinstance(part, tuple)), None)
            if status == "OK" and raw is not None:
                messages.append((uid, bytes(raw)))
        return messages

    def mark_done(self, uid: str) -> None:
        assert self.client is not None
        self.client.uid("STORE", uid, "+FLAGS", f"({DONE} \\Seen)")


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_email(raw: bytes) -> IncomingReply:
    """The sender, the addresses it went to, the Message-IDs it quotes and
    its text (the plain part, else the HTML part as text)."""
    message = email.message_from_bytes(raw, policy=default)
    assert isinstance(message, EmailMessage)
    addresses = [str(message.get(h, "")) for h in
                 ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")]
    quoted = [str(message.get(h, "")) for h in ("In-Reply-To", "References")]
    sender = email.utils.parseaddr(str(message.get("From", "")))[1]
    message_id = str(message.get("Message-ID", "")).strip()
    if not message_id:
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    return IncomingReply(message_id=message_id[:300], sender=sender, addresses=addresses,
                         quoted_ids=quoted, body=_text_of(message))


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain", "html"))
    if part is None:
        return ""
    try:
        text = str(part.get_content())
    except (LookupError, UnicodeError):
        return ""
    return _html_text(text) if part.get_content_type() == "text/html" else text


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        if tag in ("br", "p", "div", "li", "tr", "blockquote"):
            self.parts.append("\n")
        if tag == "blockquote":
            self.parts.append("> ")  # a quote ends the new text

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"[ \t]+", " ", "".join(parser.parts))
