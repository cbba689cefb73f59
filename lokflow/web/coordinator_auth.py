"""Who the coordinator is: a signed session cookie after a local login, or a
username header from a trusted reverse proxy. Also the coordinator's CSRF
value and a small throttle on failed logins."""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from fastapi import HTTPException, Request, Response
from sqlalchemy.orm import Session

from lokflow.access import signing
from lokflow.access.accounts import find_user
from lokflow.store import tables as t
from lokflow.web.deps import lokflow_app
from lokflow.web.proxies import is_trusted, peer_of

COOKIE = "lokflow_session"
LOGIN_PATH = "/samordnare/logga-in"
MAX_FAILURES, FAILURE_WINDOW = 10, 15 * 60


@dataclass(frozen=True)
class Coordinator:
    id: int
    username: str
    display_name: str
    organisation_id: int | None
    fingerprint: str
    via: str


def _fingerprint(user: t.User) -> str:
    """Changes when the password changes, which ends every session of the user."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _coordinator(user: t.User, via: str) -> Coordinator:
    return Coordinator(user.id, user.username, user.display_name, user.organisation_id,
                       _fingerprint(user), via)


def session_cookie(request: Request, response: Response, user: t.User) -> None:
    app = lokflow_app(request)
    lifetime = timedelta(hours=app.settings.session_hours)
    signed = signing.sign(app.secret(), f"session|{user.id}|{_fingerprint(user)}", app.now(),
                          lifetime)
    response.set_cookie(COOKIE, f"{user.id}.{signed}", max_age=int(lifetime.total_seconds()),
                        httponly=True, samesite="lax", path="/samordnare",
                        secure=app.settings.base_url.startswith("https://"))


def end_session(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/samordnare")


def current_coordinator(request: Request, session: Session) -> Coordinator | None:
    """The logged-in coordinator, or None. A proxy header naming an unknown
    user is refused outright."""
    app = lokflow_app(request)
    header = app.settings.auth_header
    if header and is_trusted(peer_of(request.scope), app.settings.web_trusted_proxies,
                             allow_any=False):
        username = request.headers.get(header, "").strip()
        if username:
            user = find_user(session, username[:100])
            if user is None:
                raise HTTPException(403)
            return _coordinator(user, "header")
    user_id, _, signed = request.cookies.get(COOKIE, "").partition(".")
    if not user_id.isdigit() or len(user_id) > 12:
        return None
    user = session.get(t.User, int(user_id))
    if user is None or not signing.verify(
            app.secret(), f"session|{user.id}|{_fingerprint(user)}", signed, app.now()):
        return None
    return _coordinator(user, "cookie")


def require_coordinator(request: Request, session: Session) -> Coordinator:
    """The coordinator, or a redirect to the login page that comes back here."""
    found = current_coordinator(request, session)
    if found is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login = f"{LOGIN_PATH}?next={quote(target, safe='/')}"
        raise HTTPException(303, headers={"Location": login})
    return found


def safe_next(target: str | None) -> str:
    """Only ever redirect within the coordinator pages (no open redirect)."""
    if (target and target.startswith("/samordnare") and "//" not in target
            and "\\" not in target and len(target) < 500):
        return target
    return "/samordnare"


def csrf_value(request: Request, who: Coordinator) -> str:
    app = lokflow_app(request)
    return signing.sign(app.secret(), f"coordinator|{who.id}|{who.fingerprint}", app.now())


def check_csrf(request: Request, who: Coordinator, value: str | None) -> None:
    app = lokflow_app(request)
    if not signing.verify(app.secret(), f"coordinator|{who.id}|{who.fingerprint}", value,
                          app.now()):
        raise HTTPException(403)


class LoginThrottle:
    """At most MAX_FAILURES failed logins per client address per window
    (in memory, per process: cheap, and enough against password guessing)."""

    def __init__(self) -> None:
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, client: str) -> deque[float]:
        found = self.failures[client]
        while found and found[0] < time.monotonic() - FAILURE_WINDOW:
            found.popleft()
        return found

    def blocked(self, client: str) -> bool:
        return len(self._recent(client)) >= MAX_FAILURES

    def failed(self, client: str) -> None:
        self._recent(client).append(time.monotonic())


def throttle(request: Request) -> LoginThrottle:
    state = request.app.state
    if not hasattr(state, "login_throttle"):
        state.login_throttle = LoginThrottle()
    found = state.login_throttle
    assert isinstance(found, LoginThrottle)
    return found
