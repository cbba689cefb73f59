"""Picks the transport from settings: SMTP when configured, else the maildir."""

from __future__ import annotations

from collections.abc import Callable

from lokflow.delivery.transports import MaildirTransport, SmtpSettings, SmtpTransport, Transport
from lokflow.settings import Settings


def transport_factory(settings: Settings) -> Callable[[], Transport]:
    if not settings.smtp_url:
        return lambda: MaildirTransport(settings.maildir)
    smtp = SmtpSettings.from_url(settings.smtp_url)
    return lambda: SmtpTransport(smtp)
