"""Who the coordinator is: a server-side session named by a random cookie
after a local login, or a username header from a trusted reverse proxy. Also
the CSRF values: the coordinator's, bound to the session, and the login
form's, bound to a random pre-session cookie of the browser."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import Form, HTTPException, Request, Response
from sqlalchemy.orm import Session

from lokflow.access import signing, tokens
from lokflow.access.accounts import find_user
from lokflow.access.web_sessions import end_session, find_session
from lokflow.bootstrap import App
from lokflow.store import tables as t
from lokflow.web.deps import lokflow_app
from lokflow.web.proxies import is_trusted, peer_of

COOKIE = "lokflow_session"
LOGIN_COOKIE = "lokflow_login"
LOGIN_PATH = "/samordnare/logga-in"
Csrf = Annotated[str, Form(max_length=200)]
"""The CSRF value every coordinator form posts (checked by `check_csrf`)."""


@dataclass(frozen=True)
class Coordinator:
    id: int
    username: str
    display_name: str
    organisation_id: int | None
    fingerprint: str
    """What CSRF values are bound to: the session (cookie) or the password (header)."""
    via: str


def _coordinator(user: t.User, via: str, fingerprint: str) -> Coordinator:
    return Coordinator(user.id, user.username, user.display_name, user.organisation_id,
                       fingerprint, via)


def _secure(app: App) -> bool:
    return app.settings.base_url.startswith("https://")


def session_cookie(request: Request, response: Response, value: str) -> None:
    """Hand the browser its session; the login form's cookie has done its job."""
    app = lokflow_app(request)
    lifetime = timedelta(hours=app.settings.session_hours)
    response.set_cookie(COOKIE, value, max_age=int(lifetime.total_seconds()), httponly=True,
                        samesite="lax", path="/samordnare", secure=_secure(app))
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH)


def log_out(request: Request, session: Session, response: Response) -> None:
    """Revoke this browser's session on the server, then drop the cookie."""
    end_session(session, request.cookies.get(COOKIE, ""), lokflow_app(request).now())
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
            password = hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
            return _coordinator(user, "header", f"user-{password}")
    found = find_session(session, request.cookies.get(COOKIE, ""), app.now())
    if found is None:
        return None
    row, user = found
    return _coordinator(user, "cookie", f"session-{row.id}")


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


def browser_value(request: Request) -> str:
    """The random pre-session value of this browser (a new one if it has none)."""
    found = request.cookies.get(LOGIN_COOKIE, "")
    return found if tokens.looks_like_token(found) else secrets.token_urlsafe(tokens.TOKEN_BYTES)


def login_csrf(request: Request, browser: str) -> str:
    """The login form's CSRF value, valid only together with `browser`'s cookie."""
    app = lokflow_app(request)
    return signing.sign(app.secret(), f"login|{tokens.hash_token(browser)}", app.now())


def remember_browser(request: Request, response: Response, browser: str) -> None:
    """Set the pre-session cookie, unless the browser sent this very value."""
    if request.cookies.get(LOGIN_COOKIE) == browser:
        return
    response.set_cookie(LOGIN_COOKIE, browser, httponly=True, samesite="strict",
                        path=LOGIN_PATH, secure=_secure(lokflow_app(request)),
                        max_age=int(signing.FORM_LIFETIME.total_seconds()))


def login_csrf_ok(request: Request, value: str | None) -> bool:
    """Whether the posted value was made for the pre-session cookie this browser sent."""
    browser = request.cookies.get(LOGIN_COOKIE, "")
    if not tokens.looks_like_token(browser):
        return False
    app = lokflow_app(request)
    return signing.verify(app.secret(), f"login|{tokens.hash_token(browser)}", value, app.now())
