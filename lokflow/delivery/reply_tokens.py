"""Signed tokens that let a reply find the email it answers.

Every email carries the id of its outbox message twice, each signed with the
secret key so nobody can make up a token for someone else's email: in the
Reply-To address (`lok-svar+m123-<mac>@kommun.se`, which replies go to) and
in the Message-ID (`<lokflow.123.<mac>@kommun.se>`, which replies quote in
In-Reply-To and References). Mail servers may change the case of an address,
so the MAC is written in lower-case hex.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from email.utils import getaddresses

from lokflow.delivery.mime import address_of

MAC_LENGTH = 20  # hex characters: 80 bits
REPLY_TAG = re.compile(r"\+m([0-9]{1,12})-([0-9a-f]{20})@", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<lokflow\.([0-9]{1,12})\.([0-9a-f]{16,20})@[^>]*>", re.IGNORECASE)


def _mac(secret: bytes, purpose: str, length: int = MAC_LENGTH) -> str:
    return hmac.new(secret, purpose.encode(), hashlib.sha256).hexdigest()[:length]


def reply_address(inbound: str, secret: bytes, message_id: int) -> str:
    """The inbound mailbox's address with this message's signed tag."""
    local, _, domain = address_of(inbound).partition("@")
    base = local.split("+", 1)[0]
    return f"{base}+m{message_id}-{_mac(secret, f'reply|{message_id}')}@{domain}"


def message_header_id(secret: bytes, message_id: int, message_key: str, sender: str) -> str:
    """A Message-ID that names the outbox row and is signed: every try of a
    message carries the same one, and a reply's In-Reply-To leads back to it."""
    domain = address_of(sender).partition("@")[2] or "lokflow.invalid"
    return f"<lokflow.{message_id}.{_mac(secret, f'msgid|{message_key}', 16)}@{domain}>"


def message_from_addresses(secret: bytes, headers: Iterable[str]) -> int | None:
    """The outbox message named by a signed tag in any of these address
    headers (To, Cc, Delivered-To ...), or None."""
    for _, address in getaddresses(list(headers)):
        found = REPLY_TAG.search(address + "@")
        if found and hmac.compare_digest(
                found.group(2).lower(), _mac(secret, f"reply|{int(found.group(1))}")):
            return int(found.group(1))
    return None


def message_ids_quoted(headers: Iterable[str]) -> list[tuple[int, str]]:
    """(outbox id, the whole Message-ID) of every lokflow Message-ID that a
    reply quotes in In-Reply-To or References; check each with `is_signed`."""
    found = []
    for header in headers:
        for match in MESSAGE_ID.finditer(header or ""):
            found.append((int(match.group(1)), match.group(0)))
    return found


def is_signed(secret: bytes, message_id: int, message_key: str, quoted: str) -> bool:
    expected = message_header_id(secret, message_id, message_key, "x@x")
    return hmac.compare_digest(quoted.split("@", 1)[0].lower(), expected.split("@", 1)[0])
