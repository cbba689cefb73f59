"""Signed, expiring values for forms (CSRF) and login cookies: an HMAC-SHA256
over the purpose and the expiry time, with the app's secret key. Nothing is
stored on the server, so any web server sharing the secret can check them."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

FORM_LIFETIME = timedelta(hours=24)


def _mac(secret: bytes, purpose: str, expires: int) -> str:
    return hmac.new(secret, f"{purpose}|{expires}".encode(), hashlib.sha256).hexdigest()


def sign(secret: bytes, purpose: str, now: datetime, lifetime: timedelta = FORM_LIFETIME) -> str:
    """`expiry.mac`: valid for `purpose` until `now + lifetime`."""
    expires = int((now + lifetime).timestamp())
    return f"{expires}.{_mac(secret, purpose, expires)}"


def verify(secret: bytes, purpose: str, value: str | None, now: datetime) -> bool:
    """Whether `value` was signed for `purpose` and has not expired (constant time)."""
    if not value or len(value) > 200:
        return False
    expires_text, _, mac = value.partition(".")
    if not expires_text.isdigit() or len(expires_text) > 12:
        return False
    expires = int(expires_text)
    good = hmac.compare_digest(mac.encode(), _mac(secret, purpose, expires).encode())
    return good and now.timestamp() < expires
