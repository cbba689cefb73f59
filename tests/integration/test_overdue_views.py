"""Overdue is visible everywhere: the shared reporting function, `lokflow
show` (with the latest status report), `lokflow activities --overdue` and
`--due-before`, and the JSON API; the Tierp plan on a real database."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from lokflow.bootstrap import App
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import MaildirTransport
from lokflow.engine.due_run import decide_and_queue
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.reporting.overdue import by_plan_and_key, overdue_by_activity
from lokflow.settings import Settings
from tests.conftest import PLANS, FixedClock
from tests.support.reporting import api_key

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 11, 30)


def first_start(app: App, clock: FixedClock) -> None:
    plans, errors = read_plans([PLANS / "tierp.yaml"])
    assert not errors
    clock.at = datetime.combine(TODAY, time(7, 0), STOCKHOLM)
    with app.sessions.begin() as session:
        sync_plans(session, plans, clock)
        decide_and_queue(session, app.now(), TODAY, zone=STOCKHOLM)
    asyncio.run(OutboxSender(app, lambda: MaildirTransport(app.settings.maildir)).run())


def test_overdue_occurrences_with_since_and_level(app: App, clock: FixedClock) -> None:
    first_start(app, clock)
    with app.read() as session:
        found = by_plan_and_key(overdue_by_activity(session, TODAY, STOCKHOLM, plans=["tierp"]))
    yearly = {o.occurrence: o for o in found[("tierp", "kommun-3.2")]}
    assert set(yearly) == {"2022", "2023", "2024", "2025", "2026"}
    latest = yearly["2026"]
    assert (latest.since, latest.days, latest.level, latest.level_to, latest.last_notice) == (
        date(2026, 11, 15), 15, 1, "owners", TODAY)  # the late notice stood in for level 1
    assert (yearly["2022"].level, yearly["2022"].last_notice) == (0, None)  # too old to mail
    window = found[("tierp", "kommun-1.1")]
    assert [(o.occurrence, o.since) for o in window] == [("deadline", date(2023, 12, 31))]


def _cli(settings: Settings, *args: str) -> str:
    env = {**os.environ, "LOKFLOW_HOME": str(settings.home), "LOKFLOW_DATABASE_URL": "",
           "COLUMNS": "250"}
    done = subprocess.run([sys.executable, "-m", "lokflow.cli", *args], env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout


def test_cli_lists_and_shows_overdue(app: App, clock: FixedClock, settings: Settings) -> None:
    first_start(app, clock)
    today = TODAY.isoformat()
    listed = json.loads(_cli(settings, "activities", "--plan", "tierp", "--overdue", "--json",
                             "--today", today))
    assert listed and all(a["overdue"] for a in listed)
    before = json.loads(_cli(settings, "activities", "--plan", "tierp", "--due-before",
                             "2027-01-01", "--json", "--today", today))
    assert {a["id"] for a in listed} <= {a["id"] for a in before}
    shown = " ".join(_cli(settings, "show", "tierp", "kommun-3.2", "--today", today).split())
    assert "2026-11-15 (15 days overdue; level 1 (owners))" in shown
    assert "no status report yet" in shown
    assert "(deadline)" not in shown and "(yearly)" in shown
    assert "inferred annual_date (not given by the source)" in shown  # the follow-up day


def test_show_names_the_commissioner_and_the_inferred_timeline(
        app: App, clock: FixedClock, settings: Settings) -> None:
    plans, errors = read_plans([PLANS / "orebro.yaml"])
    assert not errors
    with app.sessions.begin() as session:
        sync_plans(session, plans, clock)
    shown = " ".join(_cli(settings, "show", "orebro", "4", "--today", "2017-06-01").split())
    assert "commissioner Kommundirektör" in shown
    assert "executor Samordnare för civila samhället" in shown
    assert "inferred timeline (not given by the source)" in shown
    listed = json.loads(_cli(settings, "activities", "--plan", "orebro", "--json",
                             "--today", "2017-06-01"))
    assert {a["id"]: (a["commissioner"], a["inferred"]) for a in listed}["2"] == (
        "Chef för avd Upphandling och uppföljning", ["timeline"])


def test_api_gives_each_overdue_occurrence(app: App, clock: FixedClock, tmp_path: Path) -> None:
    from lokflow.web.app import create_app

    first_start(app, clock)
    clock.at = datetime.combine(TODAY, time(12, 0), STOCKHOLM).astimezone(UTC)
    key = api_key(app, "tierp")
    with TestClient(create_app(app)) as web:
        one = web.get("/api/v1/plans/tierp/activities/kommun-3.2",
                      headers={"Authorization": f"Bearer {key}"}).json()
    assert one["overdue_since"] == "2022-11-15"
    assert one["inferred"] == ["annual_date"]  # Tierp's follow-up day is not in its source
    assert one["overdue"][-1] == {"occurrence": "2026", "due": "2026-11-15", "days_overdue": 15,
                                  "escalation_level": 1, "escalated_to": "owners",
                                  "last_notice": "2026-11-30"}


def test_owner_feed_marks_overdue_deadlines(app: App, clock: FixedClock) -> None:
    from lokflow.feeds.builder import render_feed
    from lokflow.feeds.subscriptions import FeedSpec
    from lokflow.store import tables as t

    first_start(app, clock)
    with app.read() as session:
        organisation = session.query(t.Organisation).filter_by(slug="tierp").one().id
        owner = render_feed(session, app.settings, FeedSpec("owner", "tierp/kommun"),
                            organisation, TODAY)
        plan = render_feed(session, app.settings, FeedSpec("plan", "tierp"), organisation, TODAY)
    text = owner.body.decode().replace("\r\n ", "")
    assert "Försenad sedan 2026-11-15" in text
    assert "Påminnelser skickade till och med nivå 1." in text
    assert "Försenad" not in plan.body.decode()  # the plan's public feed is unchanged
    assert "Antaget (anges inte i handlingsplanen): datum." in text  # yearly items' day
    assert "Antaget (anges inte i handlingsplanen): datum." in plan.body.decode().replace(
        "\r\n ", "")  # the follow-up day in the plan's feed


def test_the_sent_log_names_late_notices_and_filters_by_them(app: App, clock: FixedClock) -> None:
    """A first start sends late notices: the coordinator's sent log says so in
    words, and offers them as a kind to filter by."""
    from lokflow.web.app import create_app
    from tests.support.follow_up import coordinator_login, text_of

    first_start(app, clock)
    with TestClient(create_app(app), follow_redirects=False) as client:
        coordinator_login(app, client, organisation="tierp")
        page = client.get("/samordnare/planer/tierp/utskick?kind=late")
        assert page.status_code == 200
        assert '<option value="late" selected>sen avisering</option>' in page.text
        table = text_of(page.text[page.text.index("<table"):])
        assert "sen avisering" in table and " late " not in f" {table} "
        english = client.get("/samordnare/planer/tierp/utskick?kind=late&lang=en").text
        assert '<option value="late" selected>late notice</option>' in english
