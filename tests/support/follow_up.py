"""Helpers for the LÖK follow-up tests (issue 17): the Följby plan with
principles, assessors and a joint activity; a web client; assessment links,
coordinator logins and status reports through the real services."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.access.accounts import add_user
from lokflow.bootstrap import App
from lokflow.reporting.assessment_access import issue_assessment_link
from lokflow.reporting.report_input import ReportInput
from lokflow.reporting.status_reports import record_report
from lokflow.store import tables as t
from tests.conftest import FIXTURES
from tests.support.reporting import PASSWORD, hidden, load

PLAN = FIXTURES / "follow_up.yaml"
KS = "ks@foljby.example.org"      # the municipality's assessor
RUT = "rut@foljby.example.org"    # civil society's assessor, and the council's contact
KIM = "kim@foljby.example.org"    # the department's contact
FRIDA = "frida@foljby.example.org"
JOINT = "gemensam-1.1"


def plan_text(**changes: str) -> str:
    text = PLAN.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old.replace("_", " ") in text or old in text, old
        text = text.replace(old, new)
    return text


def write_plan(folder: Path, text: str, name: str = "foljby.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_plan(app: App, path: Path = PLAN) -> None:
    load(app, path)


def the_plan(app: App, slug: str = "foljby") -> t.Plan:
    with app.sessions() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == slug)).one()
        session.expunge(plan)
        return plan


def assessment_path(app: App, email: str, party: str, year: int = 2024) -> str:
    """A personal assessment link's path, as the assessor's email carries it."""
    with app.sessions.begin() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == "foljby")).one()
        url = issue_assessment_link(session, app.settings, plan, email, party, year, app.now())
    return url.removeprefix(app.settings.base_url.rstrip("/"))


def fill(client: TestClient, path: str, fields: dict[str, str]) -> tuple[int, str]:
    """Open the form, post it with its own CSRF value and key, follow the redirect."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    answer = client.post(path, data={"csrf": hidden(page.text, "csrf"),
                                     "key": hidden(page.text, "key"), **fields})
    if answer.status_code == 303:
        shown = client.get(answer.headers["location"])
        return shown.status_code, shown.text
    return answer.status_code, answer.text


def coordinator_login(app: App, client: TestClient, organisation: str = "foljby",
                      username: str = "sara") -> None:
    with app.sessions.begin() as session:
        if session.scalar(select(t.User).where(t.User.username == username)) is None:
            add_user(session, username, PASSWORD, "Sara Samordnare", organisation, app.now())
    form = client.get("/samordnare/logga-in").text
    answer = client.post("/samordnare/logga-in", data={
        "username": username, "password": PASSWORD, "next": "/samordnare",
        "csrf": hidden(form, "csrf")})
    assert answer.status_code == 303


def report(app: App, key: str, status: str, *, email: str | None, channel: str = "web",
           name: str = "Rapportör", comment: str | None = None,
           slug: str = "foljby") -> t.StatusReport:
    """A status report through the one recording service, as a channel gives it."""
    from lokflow.domain.statuses import Status

    with app.sessions.begin() as session:
        activity = session.scalars(select(t.Activity).join(t.Plan).where(
            t.Plan.slug == slug, t.Activity.key == key)).one()
        row = record_report(session, activity, ReportInput(
            status=Status(status), reporter_name=name, channel=channel, reporter_email=email,
            comment=comment), app.now(), app.today())
        session.flush()
        session.expunge(row)
        return row


def move(app: App, days: int) -> None:
    """Move the fixed clock."""
    app.clock.at = app.clock.at + timedelta(days=days)  # type: ignore[attr-defined]


def text_of(html: str) -> str:
    """A page's visible text, roughly (tags dropped, entities kept)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)
