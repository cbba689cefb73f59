"""Assembles MIME bytes directly: headers, a text/html alternative and
base64 attachments. The standard library's generator costs about a
millisecond per message in header folding alone, and `email.header` most of
a millisecond per non-ASCII subject; the sender renders thousands per batch,
so the structure and the RFC 2047 encoded words are written here, and
headers that repeat across a batch are encoded once."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from functools import lru_cache

from lokflow.domain.plain_text import one_line


@dataclass(frozen=True)
class Part:
    content_type: str  # e.g. 'text/calendar; charset="utf-8"; method=PUBLISH'
    data: bytes
    filename: str | None = None


WORD_BYTES = 45  # UTF-8 bytes per encoded word: 60 base64 characters, 72 in all (RFC 2047: 75)


def encoded_words(value: str) -> str:
    """`value` as RFC 2047 encoded words (UTF-8, base64), folded between
    words; a character is never split across two words."""
    words: list[bytes] = []
    current = bytearray()
    for character in value:
        data = character.encode("utf-8")
        if len(current) + len(data) > WORD_BYTES:
            words.append(bytes(current))
            current.clear()
        current += data
    words.append(bytes(current))
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?="
                         for word in words)


@lru_cache(maxsize=4096)  # subjects repeat across a batch
def _header(value: str) -> str:
    value = one_line(value)
    return value if value.isascii() else encoded_words(value)


@lru_cache(maxsize=256)  # a handful of senders and inboxes, thousands of emails
def address_of(value: str) -> str:
    """The bare address of a From: value ("Tierp <a@b>" -> "a@b"), or ""."""
    return parseaddr(value)[1]


@lru_cache(maxsize=4096)
def mailbox(name: str, address: str) -> str:
    """A To: value, as `formataddr` writes it (a non-ASCII name encoded)."""
    return formataddr((one_line(name), one_line(address)), charset="utf-8")


def _body(part: Part) -> bytes:
    lines = [f"Content-Type: {part.content_type}", "Content-Transfer-Encoding: base64"]
    if part.filename:
        lines.append(f'Content-Disposition: attachment; filename="{part.filename}"')
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + base64.encodebytes(part.data).replace(
        b"\n", b"\r\n")


def _multipart(subtype: str, boundary: str, parts: list[bytes]) -> bytes:
    head = f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n'.encode()
    out = [head]
    for part in parts:
        out += [f"--{boundary}\r\n".encode(), part, b"\r\n"]
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def assemble(*, sender: str, recipient_name: str, recipient: str, subject: str, date: str,
             message_id: str, language: str, text: str, html: str,
             attachments: list[Part], reply_to: str | None = None) -> bytes:
    seed = hashlib.sha256(message_id.encode()).hexdigest()[:24]
    alternative = _multipart("alternative", f"=_alt_{seed}", [
        _body(Part('text/plain; charset="utf-8"', text.encode())),
        _body(Part('text/html; charset="utf-8"', html.encode())),
    ])
    body = alternative
    if attachments:
        body = _multipart("mixed", f"=_mix_{seed}", [alternative, *map(_body, attachments)])
    headers = [
        f"From: {one_line(sender)}",
        f"To: {mailbox(recipient_name, recipient)}",
        f"Subject: {_header(subject)}",
        *([f"Reply-To: {one_line(reply_to)}"] if reply_to else []),
        f"Date: {date}",
        f"Message-ID: {message_id}",
        f"Content-Language: {language}",
        "Auto-Submitted: auto-generated",  # out-of-office replies skip it (RFC 3834)
        "MIME-Version: 1.0",
    ]
    return ("\r\n".join(headers) + "\r\n").encode() + body
