"""What owners read in their email, over a whole simulated year of the small
test plan (every reminder, check-in, escalation and round notice, sent to the
maildir): the municipality as sender, subjects that say what and by when,
readable labels, an HTML part with a main landmark and a heading, and an .ics
whose events are the subscription feed's own (same UIDs, and each recurring
date an instance the feed's series really has)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import recurring_ical_events
from icalendar import Calendar

from lokflow.bootstrap import App
from lokflow.engine.due_run import sweep_everything
from lokflow.feeds.subscriptions import FeedSpec
from tests.conftest import FIXTURES, FixedClock
from tests.support.feed_data import render, sync

SUBJECT = re.compile(
    r"^(Rapportera senast \d{1,2} [a-zåäö]+: \d+ aktivitet(er)?|"
    r"Rapporteringsomgång: rapportera senast \d{1,2} [a-zåäö]+(: \d+ aktivitet(er)?)?|"
    r"Report by \d{1,2} [A-Z][a-z]+: \d+ activit(y|ies)|"
    r"Reporting round: report by \d{1,2} [A-Z][a-z]+(: \d+ activit(y|ies))?|"
    r"Försenat: \d+ aktivitet(er)?|Overdue: \d+ activit(y|ies)) — LÖK Testby$")


def year_of_email(app: App, clock: FixedClock) -> list[EmailMessage]:
    sync(app, FIXTURES / "minimal.yaml")
    day = date(2024, 1, 1)
    while day <= date(2024, 12, 31):
        clock.at = datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
        with app.sessions.begin() as session:
            sweep_everything(session, app.now(), day, zone=app.settings.tz)
        asyncio.run(app.send_queued())
        day += timedelta(days=1)
    found = []
    for path in sorted((app.settings.maildir / "new").glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        found.append(message)
    return found


def test_a_year_of_emails_reads_well_and_matches_the_feed(app: App, clock: FixedClock) -> None:
    emails = year_of_email(app, clock)
    assert len(emails) > 10
    feed = Calendar.from_ical(render(app, FeedSpec("plan", "testby"), date(2024, 1, 1)).body)
    series = {str(e["UID"]): e for e in feed.walk("VEVENT") if "RECURRENCE-ID" not in e}
    instances = 0
    for email in emails:
        subject = str(email["Subject"])
        assert SUBJECT.match(subject), subject
        assert "(er)" not in subject and "(ies)" not in subject
        assert str(email["From"]) == "Testby kommun <lokflow@localhost>"
        assert str(email["Reply-To"]) == "Samordnare <samordnare@testby.example.org>"
        assert str(email["Auto-Submitted"]) == "auto-generated"
        text = email.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html = email.get_body(("html",)).get_content()  # type: ignore[union-attr]
        assert not re.search(r"\b[ck]-1\.[12]\b", text + html)  # labels, never raw ids
        assert "<main" in html and "<h1" in html and f"<title>{subject}</title>" in html
        assert ("Kontakta samordnaren Samordnare, samordnare@testby.example.org" in text
                or "Contact the coordinator, Samordnare, samordnare@testby.example.org" in text)
        assert text.split("\n", 1)[0] in ("Hej Kim Kultur!", "Hej Föreningsrådet!",
                                          "Hello Föreningsrådet,", "Hej Samordnare!",
                                          "Hej Förvaltningschef!", "Hello Samordnare,")
        for part in email.iter_attachments():
            if part.get_content_type() != "text/calendar":
                continue
            ics = Calendar.from_ical(part.get_content().encode()
                                     if isinstance(part.get_content(), str)
                                     else part.get_content())
            for event in ics.walk("VEVENT"):
                uid = str(event["UID"])
                assert uid in series, uid  # the feed's own event: no second entry
                assert "dagar kvar" not in str(event["SUMMARY"]) + str(event["DESCRIPTION"])
                if "RECURRENCE-ID" in event:
                    instances += 1
                    original = event["RECURRENCE-ID"].dt
                    expanded = recurring_ical_events.of(feed).between(original, original
                                                                      + timedelta(days=1))
                    assert any(str(e["UID"]) == uid for e in expanded), (uid, original)
    assert instances > 0  # yearly, check-in and round dates were among them


def test_a_round_email_carries_the_round_deadline(app: App, clock: FixedClock) -> None:
    emails = year_of_email(app, clock)
    rounds = [e for e in emails if str(e["Subject"]).startswith(("Rapporteringsomgång",
                                                                  "Reporting round"))]
    assert rounds
    for email in rounds:
        [ics] = [p for p in email.iter_attachments() if p.get_content_type() == "text/calendar"]
        body = ics.get_content()
        body = body if isinstance(body, str) else body.decode()
        assert "UID:testby/reporting-round@lokflow" in body
        assert "RECURRENCE-ID;VALUE=DATE:20241001" in body
    kims = [e for e in rounds if "kim@" in str(e["To"])]
    assert kims  # the request, then reminders while nothing is reported
    for kim in kims:
        assert str(kim["Subject"]) == ("Rapporteringsomgång: rapportera senast 1 oktober: "
                                       "2 aktiviteter — LÖK Testby")
        text = kim.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "Kommunen 1.1: Ta fram en bidragsguide." in text
        assert "Kommunen 1.2: Dela ut föreningspriset." in text
