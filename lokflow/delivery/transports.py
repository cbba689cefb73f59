"""Where emails go: an SMTP server (aiosmtplib) or, on the embedded default,
a local maildir. Failures are classified as transient (retry later) or
permanent (mark failed, tell the coordinator)."""

from __future__ import annotations

import hashlib
import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from lokflow.delivery.message_content import OutgoingEmail


class TransientFailure(Exception):
    """Try again later: the server is down, busy, or answered 4xx."""


class PermanentFailure(Exception):
    """Do not retry: the server answered 5xx (bad address, refused)."""


class Transport(Protocol):
    async def open(self) -> None: ...
    async def send(self, email: OutgoingEmail) -> str: ...
    async def close(self) -> None: ...


class MaildirTransport:
    """Writes each email into `maildir/new`; the file name comes from the
    Message-ID, so a repeated delivery replaces instead of duplicating."""

    keeps_placeholders = True  # placeholder addresses' mail is kept here, to be looked at

    def __init__(self, path: Path) -> None:
        self.path = path

    async def open(self) -> None:
        for sub in ("tmp", "new", "cur"):
            (self.path / sub).mkdir(parents=True, exist_ok=True)

    async def send(self, email: OutgoingEmail) -> str:
        name = hashlib.sha256(email.message_id.encode()).hexdigest()[:32] + ".eml"
        temporary = self.path / "tmp" / name
        temporary.write_bytes(email.data)
        os.replace(temporary, self.path / "new" / name)
        return f"maildir: new/{name}"

    async def close(self) -> None:
        return None


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    starttls: bool
    tls: bool

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        """smtp://host:25, smtp+starttls://user:pass@host:587, smtps://host:465."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("smtp", "smtp+starttls", "smtps"):
            raise ValueError("LOKFLOW_SMTP_URL must start with smtp://, smtp+starttls:// or smtps://")
        default_port = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}[scheme]
        return cls(
            host=parts.hostname or "localhost",
            port=parts.port or default_port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            starttls=scheme == "smtp+starttls",
            tls=scheme == "smtps",
        )

    def __repr__(self) -> str:  # never show the password
        return f"SmtpSettings(host={self.host!r}, port={self.port}, user={self.username!r})"


class SmtpTransport:
    """One SMTP connection, reused for many messages."""

    def __init__(self, settings: SmtpSettings, tls_context: ssl.SSLContext | None = None,
                 timeout: float = 30) -> None:
        self.settings = settings
        self.tls_context = tls_context
        self.timeout = timeout
        self.client: aiosmtplib.SMTP | None = None

    async def open(self) -> None:
        s = self.settings
        self.client = aiosmtplib.SMTP(
            hostname=s.host, port=s.port, use_tls=s.tls, start_tls=s.starttls,
            tls_context=self.tls_context, timeout=self.timeout,
        )
        try:
            await self.client.connect()
            if s.username:
                await self.client.login(s.username, s.password or "")
        except aiosmtplib.SMTPAuthenticationError as error:
            raise TransientFailure(f"SMTP login refused ({error.code})") from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise TransientFailure(f"cannot connect to the SMTP server: {type(error).__name__}"
                                   ) from None

    async def send(self, email: OutgoingEmail) -> str:
        if self.client is None or not self.client.is_connected:
            await self.open()
        assert self.client is not None
        try:
            _, reply = await self.client.sendmail(email.sender, [email.recipient],
                                                       email.data)
        except aiosmtplib.SMTPRecipientsRefused as error:
            refused = error.recipients[0] if error.recipients else None
            code = refused.code if refused else 550
            raise _classify(code, refused.message if refused else str(error)) from None
        except aiosmtplib.SMTPResponseException as error:
            raise _classify(error.code, error.message) from None
        except (aiosmtplib.SMTPException, OSError) as error:
            self.client = None
            raise TransientFailure(f"connection lost: {type(error).__name__}") from None
        return reply

    async def close(self) -> None:
        if self.client is not None and self.client.is_connected:
            try:
                await self.client.quit()
            except (aiosmtplib.SMTPException, OSError):
                self.client.close()
        self.client = None


def _classify(code: int, message: str) -> Exception:
    text = f"{code} {message}".strip()
    return PermanentFailure(text) if 500 <= code < 600 else TransientFailure(text)
