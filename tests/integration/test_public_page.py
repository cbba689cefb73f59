"""The public transparency page of a plan (issue 17): opt-in, read-only, no
personal data in the page, its JSON, CSV or Atom feed, open data that says
what the database holds, and conditional requests answered from the cache.
The five bundled plans over a history whose reports name people."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.bootstrap import App, bootstrap
from lokflow.domain.statuses import Status
from lokflow.plans.plan_files import read_plans
from lokflow.reporting.report_queries import latest_reports
from lokflow.reporting.status_reports import ReportInput, decide_date, record_report
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import PLANS, FixedClock
from tests.support.follow_up import JOINT, KIM, load_plan, report
from tests.support.reporting import load

SLUGS = ("botkyrka", "lulea", "orebro", "tierp", "vasteras")
FORMATS = ("", ".json", ".csv", ".atom")
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class People:
    """Every contact of a plan file, and the names the plan itself publishes
    (a unit or a text), which a contact may share: "LÖK-samordnarna" is a
    unit and the name of its mailbox."""

    names: set[str]
    emails: set[str]
    published: str


def people(path: Path) -> People:
    [plan], errors = read_plans([path])
    assert not errors
    d = plan.document
    contacts = [*d.coordinators, *d.steering_group]
    for unit in d.units:
        contacts += [*unit.contacts, *([unit.escalation] if unit.escalation else [])]
    published = "\n".join([d.title, d.short_name, d.organisation.name, d.source.document,
                           *(u.name for u in d.units), *(p.name for p in d.principles),
                           *(c.text for c in d.commitments),
                           *(a.text for _, a in d.activities()),
                           *(a.timeline for _, a in d.activities())])
    return People({c.name for c in contacts}, {str(c.email).lower() for c in contacts},
                  published)


def public_copy(folder: Path, slug: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.yaml"
    path.write_text((PLANS / f"{slug}.yaml").read_text(encoding="utf-8") + "\npublic: true\n",
                    encoding="utf-8")
    return path


def seed_reports(app: App) -> None:
    """Every other activity reported by one of its plan's contacts, by name,
    with a comment naming another and giving an address; a proposed date
    with a reason that names someone, accepted."""
    with app.sessions.begin() as session:
        for plan in session.scalars(select(t.Plan)):
            contacts = list(session.scalars(select(t.Contact).where(
                t.Contact.plan_id == plan.id).order_by(t.Contact.id)))
            activities = session.scalars(select(t.Activity).where(
                t.Activity.plan_id == plan.id).order_by(t.Activity.position))
            for n, activity in enumerate(activities):
                if n % 2:
                    continue
                who, named = contacts[n % len(contacts)], contacts[(n + 1) % len(contacts)]
                moment = app.now() - timedelta(days=n)
                row = record_report(session, activity, ReportInput(
                    status=list(Status)[n % len(Status)], reporter_name=who.name,
                    reporter_email=who.email, channel="web",
                    comment=f"Ring {named.name} på {named.email}.", obstacles=who.name,
                    proposed_date=app.today() + timedelta(days=90) if n % 3 == 0 else None,
                    proposed_reason=f"{named.name} är sjuk." if n % 3 == 0 else None),
                    moment, app.today())
                for change in session.scalars(select(t.DateChange).where(
                        t.DateChange.report_id == row.id)):
                    decide_date(session, change, True, who.name, moment)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, TestClient, Path]]:
    folder = tmp_path_factory.mktemp("public")
    app = bootstrap(Settings(home=folder / "home", database_url="", plans_dir=PLANS,
                             _env_file=None),
                    clock=FixedClock(datetime(2024, 11, 1, 9, tzinfo=UTC)))
    load(app, *(PLANS / f"{slug}.yaml" for slug in SLUGS))
    seed_reports(app)
    with TestClient(create_app(app), follow_redirects=False) as client:
        yield app, client, folder
    app.close()


def test_a_plan_is_public_only_when_it_says_so(
        bundled: tuple[App, TestClient, Path]) -> None:
    app, client, folder = bundled
    for slug in SLUGS:  # as bundled: no page, exactly like a plan that does not exist
        for suffix in FORMATS:
            answer = client.get(f"/insyn/{slug}{suffix}")
            assert answer.status_code == 404 and answer.text == client.get(
                f"/insyn/nosuchplan{suffix}").text
    load(app, *(public_copy(folder / "plans", slug) for slug in SLUGS))
    for slug in SLUGS:
        for suffix in FORMATS:
            assert client.get(f"/insyn/{slug}{suffix}").status_code == 200, (slug, suffix)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_personal_data_in_any_public_format(bundled: tuple[App, TestClient, Path],
                                               slug: str) -> None:
    app, client, folder = bundled
    load(app, public_copy(folder / "plans", slug))
    found = people(PLANS / f"{slug}.yaml")
    bodies = {f"{suffix or 'html'} {lang}": client.get(f"/insyn/{slug}{suffix}?lang={lang}"
                                                       ).text
              for suffix in FORMATS for lang in ("sv", "en")}
    assert all(bodies.values())
    shared = {name for name in found.names if name in found.published}
    assert len(shared) <= 1  # an organ's name, not a person's (see People)
    for where, body in bodies.items():
        text = body.lower()
        for email in found.emails:
            assert email not in text, (where, email)
        assert "@" not in re.sub(r"<[^>]*>", "", body) or where.startswith("atom"), where
        for name in found.names - shared:
            assert name.lower() not in text, (where, name)
        assert "Ring " not in body and "är sjuk" not in body  # no comment, no reason


def test_open_data_says_what_the_database_holds(bundled: tuple[App, TestClient, Path]) -> None:
    app, client, folder = bundled
    load(app, public_copy(folder / "plans", "tierp"))
    data = json.loads(client.get("/insyn/tierp.json").text)
    with app.sessions() as session:
        activities = list(session.scalars(select(t.Activity).join(t.Plan).where(
            t.Plan.slug == "tierp", t.Activity.archived.is_(False))))
        latest = latest_reports(session, [a.id for a in activities])
        expected = {a.key: latest[a.id].status if a.id in latest else None for a in activities}
    shown = {a["id"]: a["status"] for c in data["commitments"] for a in c["activities"]}
    assert shown == expected and any(shown.values())
    first = next(a for c in data["commitments"] for a in c["activities"] if a["id"] ==
                 "kommun-1.1")
    assert first["label"] == "Kommunen 1.1" and first["owners"] and "@" not in str(first)
    assert sum(p["total"] for p in data["principles"]) == len(activities) or not data[
        "principles"]
    rows = list(csv.DictReader(io.StringIO(client.get("/insyn/tierp.csv").text.lstrip(
        "\ufeff"))))
    assert {r["activity_id"]: r["status"] or None for r in rows} == expected
    assert rows[0]["label"] == "Kommunen 1.1"
    english = list(csv.DictReader(io.StringIO(client.get("/insyn/tierp.csv?lang=en").text
                                              .lstrip("\ufeff"))))
    assert {r["status_label"] for r in english} <= {"", "not started", "in progress", "done",
                                                   "delayed", "paused", "cancelled"}
    feed = ET.fromstring(client.get("/insyn/tierp.atom").content)
    entries = feed.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= 50
    updated = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert all(e.findtext(f"{ATOM}id") and e.findtext(f"{ATOM}title") for e in entries)


def test_no_tracking_no_cookies_no_outside_assets(bundled: tuple[App, TestClient, Path]) -> None:
    app, client, folder = bundled
    load(app, public_copy(folder / "plans", "vasteras"))
    answer = client.get("/insyn/vasteras")
    assert "set-cookie" not in answer.headers
    assert "script-src 'none'" in answer.headers["content-security-policy"]
    html = answer.text
    assert "<script" not in html and "<iframe" not in html and "<img" not in html
    assets = re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert assets and all(href.startswith("/") for href in assets)
    outside = re.findall(r'href="(https?://[^"]+)"', html)
    assert outside == [re.sub(r"&", "&amp;", PLANS.joinpath("vasteras.yaml").read_text()
                              .split("url: ", 1)[1].split("\n", 1)[0])]  # the source only


@pytest.fixture
def foljby(tmp_path: Path) -> Iterator[tuple[App, TestClient]]:
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS,
                             _env_file=None),
                    clock=FixedClock(datetime(2024, 10, 10, 9, tzinfo=UTC)))
    load_plan(app)
    with TestClient(create_app(app), follow_redirects=False) as client:
        yield app, client
    app.close()


@pytest.mark.parametrize("suffix", FORMATS)
def test_conditional_requests_and_a_change_that_shows(foljby: tuple[App, TestClient],
                                                      suffix: str) -> None:
    app, client = foljby
    url = f"/insyn/foljby{suffix}"
    first = client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"] == "public, no-cache"
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    head = client.head(url)
    assert head.status_code == 200 and head.headers["content-length"] == str(len(first.content))
    assert client.get(url).content == first.content  # from the cache: the same bytes
    app.clock.at += timedelta(hours=1)  # type: ignore[attr-defined]
    report(app, JOINT, "done", email=KIM)
    second = client.get(url, headers={"If-None-Match": etag})
    assert second.status_code == 200 and second.headers["etag"] != etag
    assert second.headers["last-modified"] != modified


def test_english_and_the_joint_wait(foljby: tuple[App, TestClient]) -> None:
    app, client = foljby
    report(app, JOINT, "done", email=KIM)
    english = client.get("/insyn/foljby?lang=en").text
    assert '<html lang="en">' in english and "Open follow-up: LÖK Följby" in english
    assert "Done according to the municipality, waiting for civil society" in english
    assert "Joint 1.1" in english and "Progress, principle by principle" in english
    swedish = client.get("/insyn/foljby").text
    assert "Klar enligt kommunen, väntar på civilsamhället" in swedish
    assert "Gemensamt 1.1" in swedish
    dialog = re.search(r"<h3>Dialog</h3>(.*?)</li>", swedish, re.S)
    assert dialog is not None  # the joint activity is not done yet, so none of the two are
    assert "0 av 2 klara (0 %)" in dialog.group(1) and "pågår 1" in dialog.group(1)
