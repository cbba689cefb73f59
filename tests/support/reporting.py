"""Helpers for the status-report tests: load the small test plan (and a second
organisation's copy of it), issue report links, API keys and accounts through
the real services."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lokflow.access import tokens
from lokflow.access.accounts import add_user
from lokflow.access.api_keys import create_api_key
from lokflow.bootstrap import App
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.store import tables as t
from tests.conftest import FIXTURES

KIM = "kim@testby.example.org"      # contact of 'kultur': k-1.1 and k-1.2
RAD = "rad@testby.example.org"      # contact of 'foreningarna': k-1.2 and c-1.1
OTHER = "kim@annanby.example.org"   # the same role in another organisation
PASSWORD = "ett-langt-losenord"


def other_organisation_plan(folder: Path) -> Path:
    """The test plan as another municipality's (own slug, organisation, emails)."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("slug: testby", "slug: annanby").replace("Testby", "Annanby")
    text = text.replace("testby.example.org", "annanby.example.org")
    path = folder / "annanby.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load(app: App, *paths: Path) -> None:
    plans, errors = read_plans(list(paths))
    assert not errors, errors
    with app.sessions.begin() as session:
        sync_plans(session, plans, app.clock)


def load_two_organisations(app: App, folder: Path) -> None:
    load(app, FIXTURES / "minimal.yaml", other_organisation_plan(folder))


def organisation_id(app: App, slug: str) -> int:
    with app.sessions() as session:
        found = session.scalar(select(t.Organisation.id).where(t.Organisation.slug == slug))
        assert found is not None
        return found


def report_link(app: App, email: str, organisation: str = "testby",
                days: int | None = 60) -> str:
    """A raw report token, as a reminder email would carry it."""
    with app.sessions.begin() as session:
        org = session.scalar(select(t.Organisation.id).where(t.Organisation.slug == organisation))
        assert org is not None
        issued = tokens.issue(session, scope=tokens.REPORT, organisation_id=org,
                              subject={"email": email}, now=app.now(),
                              valid_for=timedelta(days=days) if days else None)
        return issued.raw


def activity_id(app: App, key: str, plan: str = "testby") -> int:
    with app.sessions() as session:
        found = session.scalar(select(t.Activity.id).join(t.Plan).where(
            t.Plan.slug == plan, t.Activity.key == key))
        assert found is not None
        return found


def api_key(app: App, organisation: str = "testby", plan: str | None = None) -> str:
    with app.sessions.begin() as session:
        return create_api_key(session, organisation, "tests", app.now(), plan=plan).raw


def coordinator(app: App, username: str = "anna", organisation: str | None = "testby") -> str:
    with app.sessions.begin() as session:
        add_user(session, username, PASSWORD, f"{username.title()} Samordnare", organisation,
                 app.now())
    return username


def hidden(html: str, name: str) -> str:
    """The value of a hidden input in a page."""
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, f"no hidden field {name!r}"
    return found.group(1)


def form_of(html: str) -> dict[str, str]:
    """Every hidden field of the owner's form (the CSRF value and the keys)."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def reports(app: App) -> list[t.StatusReport]:
    with app.sessions() as session:
        return list(session.scalars(select(t.StatusReport).order_by(t.StatusReport.id)))


def owner_form(client: Any, raw: str) -> dict[str, str]:
    """Every hidden field an owner's pages carry: the CSRF value of the
    overview and each activity's short form (its key and occurrence)."""
    overview = client.get(f"/rapport/{raw}").text
    data = {"csrf": hidden(overview, "csrf")}
    for path in re.findall(r'href="(/rapport/[^"?]+/rapportera)', overview):
        data.update({k: v for k, v in form_of(client.get(path).text).items() if k != "csrf"})
    return data


def short_form_url(raw: str, activity: int) -> str:
    return f"/rapport/{raw}/aktivitet/{activity}/rapportera"
