"""Feed subscriptions: stable derived URLs with only hashes stored, revoking,
a contact managing their own feeds, the link in emails, and what each kind
of feed may contain (no email addresses or report links outside personal
feeds; a contact sees only their own activities)."""

from __future__ import annotations

import re
from datetime import date
from email import message_from_bytes, policy

import pytest
from icalendar import Calendar
from sqlalchemy import select, text

from lokflow.access import tokens
from lokflow.bootstrap import App
from lokflow.delivery.email_links import EmailLinks
from lokflow.delivery.message_content import PlanSection, build_email
from lokflow.feeds.service import serve_feed
from lokflow.feeds.subscriptions import (
    FeedSpec,
    UnknownTarget,
    ensure,
    feeds_of_contact,
    open_feed,
    personal_feed_url,
    revoke_for_contact,
)
from lokflow.store import tables as t
from tests.conftest import FIXTURES, PLANS
from tests.support.feed_data import render, sync

KIM, RAD = "kim@testby.example.org", "rad@testby.example.org"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture
def testby(app: App) -> App:
    sync(app, FIXTURES / "minimal.yaml")
    return app


def _organisation(app: App, slug: str = "testby") -> int:
    with app.sessions() as session:
        return session.scalars(select(t.Organisation.id).where(
            t.Organisation.slug == slug)).one()


def _uids(body: bytes) -> set[str]:
    return {str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT")}


def _unfolded(body: bytes) -> str:
    return body.decode().replace("\r\n ", "")


def test_the_personal_url_is_stable_and_only_its_hash_is_stored(testby: App) -> None:
    organisation = _organisation(testby)
    with testby.sessions.begin() as session:
        first = personal_feed_url(session, testby, KIM, organisation)
        second = personal_feed_url(session, testby, KIM.upper(), organisation)
    assert first == second and first.startswith(testby.settings.base_url + "/feeds/")
    raw = first.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(raw) == 43
    with testby.sessions() as session:
        rows = session.execute(text("SELECT * FROM access_tokens")).all()
        assert len(rows) == 1 and not any(raw in str(value) for value in rows[0])
        row = session.scalars(select(t.AccessToken)).one()
        assert row.token_hash == tokens.hash_token(raw) and row.scope == "feed"
        assert row.subject == {"kind": "contact", "target": "testby/" + KIM, "alarm": True,
                               "language": "sv", "version": 1}


def test_emails_show_the_same_feed_url_in_every_batch(testby: App) -> None:
    organisation = _organisation(testby)
    secret = testby.secret()
    with testby.sessions.begin() as session:
        report_1, feed_1 = EmailLinks(session, testby.settings, testby.now(), secret)(
            KIM, organisation)
        report_2, feed_2 = EmailLinks(session, testby.settings, testby.now(), secret)(
            KIM, organisation)
        coordinator = EmailLinks(session, testby.settings, testby.now(), secret)(
            "samordnare@testby.example.org", organisation)
        without_key = EmailLinks(session, testby.settings, testby.now())(KIM, organisation)
    assert feed_1 == feed_2 and feed_1 is not None and report_1 != report_2
    assert coordinator[1] is None and without_key[1] is None  # no unit contact: no feed


def test_a_reminder_email_shows_the_https_and_webcal_links(testby: App) -> None:
    organisation = _organisation(testby)
    with testby.sessions.begin() as session:
        report, feed = EmailLinks(session, testby.settings, testby.now(), testby.secret())(
            KIM, organisation)
    assert feed is not None
    section = PlanSection(slug="testby", name="LÖK Testby", organisation_id=organisation,
                          report_url=report, feed_url=feed)
    message = t.OutboxMessage(recipient_name="Kim Kultur", recipient_email=KIM, language="sv",
                              message_header_id="<feed-test@lokflow>", created_at=testby.now())
    built = build_email(message, [section], sender="lokflow@localhost", report_days=60)
    parsed = message_from_bytes(built.data, policy=policy.default)
    plain = parsed.get_body(preferencelist=("plain",))
    assert plain is not None
    text = plain.get_content()
    assert feed in text and feed.replace("http://", "webcal://") in text
    assert "Prenumerera på dina aktiviteter i kalendern" in text


def test_revoking_gives_a_new_url_and_the_old_one_stops(testby: App) -> None:
    organisation = _organisation(testby)
    with testby.sessions.begin() as session:
        old = personal_feed_url(session, testby, KIM, organisation)
        [mine] = feeds_of_contact(session, testby, KIM, organisation)
        rad = personal_feed_url(session, testby, RAD, organisation)
        [theirs] = feeds_of_contact(session, testby, RAD, organisation)
        assert not revoke_for_contact(session, testby, KIM, organisation, theirs.row.id)
        assert revoke_for_contact(session, testby, KIM, organisation, mine.row.id)
        new = personal_feed_url(session, testby, KIM, organisation)
        assert feeds_of_contact(session, testby, KIM, organisation)[0].version == 2
    assert new != old
    with testby.sessions.begin() as session:
        assert serve_feed(session, testby, old.rsplit("/", 1)[1][:-4]) is None
        assert serve_feed(session, testby, new.rsplit("/", 1)[1][:-4]) is not None
        assert serve_feed(session, testby, rad.rsplit("/", 1)[1][:-4]) is not None


def test_only_unit_contacts_get_a_personal_feed(testby: App) -> None:
    with testby.sessions.begin() as session, pytest.raises(UnknownTarget):
        personal_feed_url(session, testby, "samordnare@testby.example.org",
                          _organisation(testby))


def test_a_changed_secret_key_issues_new_urls_and_keeps_old_ones(testby: App) -> None:
    with testby.sessions.begin() as session:
        old = ensure(session, testby, FeedSpec("plan", "testby"))
    other = App(testby.settings.model_copy(update={"secret_key": "another key"}),
                testby.engine, testby.sessions, testby.clock)
    with testby.sessions.begin() as session:
        new = ensure(session, other, FeedSpec("plan", "testby"))
        assert new.raw != old.raw and new.version == 2
        assert old.raw and open_feed(session, old.raw, testby.now()) is not None


def test_plan_and_organisation_feeds_have_no_addresses_or_report_links(app: App) -> None:
    sync(app, PLANS)
    with app.sessions() as session:
        addresses = set(session.scalars(select(t.Contact.email)))
    assert len(addresses) > 20
    for slug, year in (("tierp", 2023), ("orebro", 2017), ("lulea", 2019), ("botkyrka", 2019),
                       ("vasteras", 2021)):
        for spec in (FeedSpec("plan", slug), FeedSpec("organisation", slug)):
            body = _unfolded(render(app, spec, date(year, 6, 1)).body)
            assert "BEGIN:VEVENT" in body
            assert not any(address in body for address in addresses), spec
            assert not [m for m in EMAIL.findall(body) if not m.endswith("@lokflow")], spec
            assert "/rapport" not in body and "/feeds/" not in body, spec


def test_a_contact_feed_has_only_that_contacts_activities(testby: App) -> None:
    kim = render(testby, FeedSpec("contact", "testby/" + KIM), date(2024, 1, 10),
                 report_url="https://x.example/feeds/t/rapport")
    activities = {u.split("/")[1] for u in _uids(kim.body) if u.count("/") == 2}
    assert activities == {"k-1.1", "k-1.2"}  # kultur's; c-1.1 belongs to foreningarna
    assert "Rapportera status: https://x.example/feeds/t/rapport" in _unfolded(kim.body)
    rad = render(testby, FeedSpec("contact", "testby/" + RAD, language="en"), date(2024, 1, 10))
    activities = {u.split("/")[1] for u in _uids(rad.body) if u.count("/") == 2}
    assert activities == {"k-1.2", "c-1.1"}
    assert "Responsible: " in _unfolded(rad.body)


def test_an_owner_feed_has_only_that_units_activities(testby: App) -> None:
    feed = render(testby, FeedSpec("owner", "testby/foreningarna"), date(2024, 1, 10))
    activities = {u.split("/")[1] for u in _uids(feed.body) if u.count("/") == 2}
    assert activities == {"k-1.2", "c-1.1"}
    assert "X-WR-CALNAME:LÖK Testby – Alla föreningar" in _unfolded(feed.body)


def test_alarms_can_be_turned_off_per_feed(testby: App) -> None:
    on = render(testby, FeedSpec("plan", "testby"), date(2024, 1, 10)).body
    off = render(testby, FeedSpec("plan", "testby", alarm=False), date(2024, 1, 10)).body
    assert b"BEGIN:VALARM" in on and b"VALARM" not in off
    assert _uids(on) == _uids(off)


def test_unknown_targets_cannot_be_subscribed(testby: App) -> None:
    for spec in (FeedSpec("plan", "nowhere"), FeedSpec("owner", "testby/nobody"),
                 FeedSpec("organisation", "nowhere")):
        with testby.sessions.begin() as session, pytest.raises(UnknownTarget):
            ensure(session, testby, spec)
