"""The Luleå plan's dialogue meetings (issue 17, part two): two weeks before
each meeting the cycle makes an agenda from the seeded overdue items, the
items at risk, the missing reports and what a party flagged, stores it as a
tagged PDF and queues it with an invitation for the participants; decisions
recorded afterwards write back to the plan as revisions linked to the
meeting, and appear in the activity's history."""

from __future__ import annotations

import asyncio
import email
import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select

from lokflow.agreement.agenda_mail import participants, run_cycle
from lokflow.agreement.discussion_flags import flag_activity
from lokflow.agreement.meeting_cycle import find_meeting, plan_document
from lokflow.agreement.meeting_decisions import Decision, DecisionRefused, record_decision
from lokflow.bootstrap import App, bootstrap
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import MaildirTransport
from lokflow.domain.meetings import meeting_days
from lokflow.domain.statuses import Status
from lokflow.plans.revisions import head_revision
from lokflow.reporting.report_input import ReportInput
from lokflow.reporting.status_reports import record_report
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import PLANS, FixedClock
from tests.support.meeting_plans import lulea_with_meeting_days
from tests.support.pdf_structure import HEADINGS, normalized, tag_tree
from tests.support.reporting import load

AGENDA_DAY = datetime(2021, 3, 4, 6, 0, tzinfo=UTC)  # two weeks before 18 March 2021


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    clock = FixedClock(AGENDA_DAY)
    booked = lulea_with_meeting_days(tmp_path / "plans")
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=booked.parent,
                             _env_file=None), clock=clock)
    load(app, booked)
    yield app
    app.close()


def plan(session: object) -> t.Plan:
    return session.scalars(select(t.Plan).where(t.Plan.slug == "lulea")).one()  # type: ignore[attr-defined]


def activity(session: object, key: str) -> t.Activity:
    return session.scalars(select(t.Activity).where(t.Activity.key == key)).one()  # type: ignore[attr-defined]


def seed_reports(app: App) -> None:
    """A delayed report, a proposed new date, an old report and a flag."""
    earlier = AGENDA_DAY - timedelta(days=30)
    with app.sessions.begin() as session:
        record_report(session, activity(session, "kvalitet-k2"), ReportInput(
            Status.DELAYED, "Kim", "web", comment="Upphandlingen drog ut på tiden"),
            earlier, earlier.date())
        record_report(session, activity(session, "mangfald-k1"), ReportInput(
            Status.IN_PROGRESS, "Kim", "web", proposed_date=date(2021, 12, 31),
            proposed_reason="Nya riktlinjer först"), earlier, earlier.date())
        flag_activity(session, activity(session, "langsiktighet-k1"), "Föreningsrådet",
                      earlier, "Hur ser bidragen ut framåt?")


def test_the_cycle_follows_the_plan_dates(tmp_path: Path) -> None:
    from lokflow.plans.plan_files import read_plans

    [bundled], _ = read_plans([PLANS / "lulea.yaml"])
    spread = meeting_days(bundled.document, date(2021, 1, 1), date(2021, 12, 31))
    # No days in the source: two a year, spread from the follow-up date (15 May).
    assert [m.day for m in spread] == [date(2021, 5, 15), date(2021, 11, 15)]
    [booked], _ = read_plans([lulea_with_meeting_days(tmp_path)])
    days = meeting_days(booked.document, date(2021, 1, 1), date(2021, 12, 31))
    assert [m.day for m in days] == [date(2021, 3, 18), date(2021, 9, 18)]
    assert [m.agenda_day for m in days] == [date(2021, 3, 4), date(2021, 9, 4)]


def test_the_agenda_is_made_from_the_seeded_items_and_sent(app: App) -> None:
    seed_reports(app)
    with app.sessions.begin() as session:
        found = run_cycle(session, plan(session), app.today(), app.settings.tz, app.now())
        again = run_cycle(session, plan(session), app.today(), app.settings.tz, app.now())
        people = participants(plan_document(plan(session)))
    assert found.agendas == 1 and found.queued == len(people) >= 1
    assert again.agendas == 0 and again.queued == 0  # a rerun sends nothing twice
    with app.read() as session:
        meeting = find_meeting(session, plan(session).id, date(2021, 3, 18))
        assert meeting is not None and meeting.agenda is not None
        agenda = meeting.agenda
        overdue = {item["key"] for item in agenda["overdue"]}
        # Yearly items of 15 Nov 2020; the dialogue activities ("Två gånger per år")
        # are ongoing work with check-ins, which are never overdue.
        expected_overdue = {"oppenhet-c1", "kvalitet-c1", "ramverk-g2"}
        assert expected_overdue <= overdue and "dialog-k1" not in overdue
        assert {i["key"] for i in agenda["at_risk"]} == {"kvalitet-k2", "mangfald-k1"}
        assert [i["key"] for i in agenda["flagged"]] == ["langsiktighet-k1"]
        missing = {i["key"] for i in agenda["missing"]}
        assert "oppenhet-k2" in missing and "sjalvstandighet-k1" not in missing  # follow-up
        assert not missing & (overdue | {"kvalitet-k2", "mangfald-k1"})
    asyncio.run(OutboxSender(app, lambda: MaildirTransport(app.settings.maildir)).run())
    mails = [email.message_from_bytes(p.read_bytes())
             for p in (app.settings.maildir / "new").iterdir()]
    assert len(mails) == len(people)
    parts = {part.get_filename(): part for part in mails[0].walk() if part.get_filename()}
    assert "dagordning-lulea-2021-03-18.pdf" in parts
    invite = Calendar.from_ical(parts["dialogmote-lulea-2021-03-18.ics"].get_payload(decode=True))
    event = next(iter(invite.walk("VEVENT")))
    assert event.decoded("dtstart").date() == date(2021, 3, 18)
    subject = str(make_header(decode_header(mails[0]["Subject"])))
    assert subject == "Dialogmöte 18 mars 2021: förslag till dagordning — LÖK Luleå"


def test_the_agenda_pdf_is_tagged(app: App, tmp_path: Path) -> None:
    seed_reports(app)
    with app.sessions.begin() as session:
        run_cycle(session, plan(session), app.today(), app.settings.tz, app.now())
    with app.read() as session:
        meeting = find_meeting(session, plan(session).id, date(2021, 3, 18))
        assert meeting is not None and meeting.agenda_pdf is not None
        pdf = tmp_path / "agenda.pdf"
        pdf.write_bytes(meeting.agenda_pdf)
    elements = tag_tree(pdf).walk()
    headings = [e.text() for e in elements if e.kind in HEADINGS]
    assert headings[0] == "Dialogmöte 18 mars 2021"
    assert {"Försenade aktiviteter", "Aktiviteter i riskzonen", "Rapporter som saknas",
            "Att ta upp på dialogmötet"} <= set(headings)
    assert [e for e in elements if e.kind == "Table"] and [e for e in elements if e.kind == "TH"]
    reading = normalized(tag_tree(pdf).text())
    assert normalized("Upphandlingen drog ut på tiden") not in reading  # comments stay out
    assert normalized("Hur ser bidragen ut framåt?") in reading  # the flag's note is shown
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes", info.stdout, re.MULTILINE)


def test_decisions_write_back_as_revisions_linked_to_the_meeting(app: App) -> None:
    with app.sessions.begin() as session:
        run_cycle(session, plan(session), app.today(), app.settings.tz, app.now())
        the_plan = plan(session)
        meeting = find_meeting(session, the_plan.id, date(2021, 3, 18))
        assert meeting is not None
        before = head_revision(session, the_plan.id)
        assert before is not None
        first = record_decision(session, the_plan, meeting, Decision(
            "new_date", activity="kvalitet-k2", day=date(2021, 10, 31)), "Sara", app.now())
        record_decision(session, the_plan, meeting, Decision(
            "action", commitment="kvalitet-kommun", text="Bjud in till en upphandlingsträff.",
            owner="kommun", day=date(2021, 6, 1)), "Sara", app.now())
        record_decision(session, the_plan, meeting, Decision(
            "close", activity="oppenhet-c1", text="Registret sköts nu av föreningarna."),
            "Sara", app.now())
        with pytest.raises(DecisionRefused):
            record_decision(session, the_plan, meeting, Decision(
                "owner", activity="kvalitet-k2", owner="finns-inte"), "Sara", app.now())
    with app.read() as session:
        the_plan = plan(session)
        head = head_revision(session, the_plan.id)
        assert head is not None and head.number == before.number + 3
        assert head.source == "meeting" and head.origin == f"meeting:{meeting.id}"
        document = plan_document(the_plan)
        by_id = {a.id: a for _, a in document.activities()}
        assert by_id["kvalitet-k2"].timeline == "2021-10-31"
        assert by_id["mote-2021-03-18-1"].owners == ["kommun"]
        assert by_id["oppenhet-c1"].policy is not None and not by_id["oppenhet-c1"].policy.enabled
        events = session.scalars(select(t.ActivityEvent).where(
            t.ActivityEvent.activity_id == activity(session, "kvalitet-k2").id,
            t.ActivityEvent.kind == "meeting_decision")).all()
        assert [e.detail["revision"] for e in events] == [first.revision_number]
        assert activity(session, "kvalitet-k2").schedule["kind"] == "deadline"


def test_the_annual_report_shows_the_years_meetings_and_decisions(app: App,
                                                                   tmp_path: Path) -> None:
    from lokflow.agreement.meeting_decisions import save_minutes
    from lokflow.annual_report.html import render_html
    from lokflow.annual_report.markdown import render_markdown
    from lokflow.annual_report.pdf import render_pdf
    from lokflow.annual_report.snapshot import compile_snapshot

    with app.sessions.begin() as session:
        run_cycle(session, plan(session), app.today(), app.settings.tz, app.now())
        meeting = find_meeting(session, plan(session).id, date(2021, 3, 18))
        assert meeting is not None
        save_minutes(meeting, "Vi gick igenom läget.\n\nNästa möte i september.", "Sara",
                     app.now())
        record_decision(session, plan(session), meeting, Decision(
            "new_date", activity="kvalitet-k2", day=date(2021, 10, 31)), "Sara", app.now())
    with app.read() as session:
        as_of = datetime(2021, 11, 15, 20, tzinfo=UTC)
        snapshot = compile_snapshot(session, plan(session), 2021, as_of, as_of, app.settings.tz)
        empty = compile_snapshot(session, plan(session), 2020, datetime(
            2020, 11, 15, 20, tzinfo=UTC), as_of, app.settings.tz)
    assert snapshot["meetings"] == [{"day": "2021-03-18",
                                     "minutes": "Vi gick igenom läget.\n\nNästa möte i september.",
                                     "decisions": ["Nytt datum för kvalitet-k2: 31 oktober 2021"]}]
    assert empty["meetings"] == []
    html = render_html(snapshot, "sv")
    assert "Årets dialogmöten och beslut" in html and "Nästa möte i september." in html
    assert "Årets dialogmöten och beslut" not in render_html(empty, "sv")
    assert "- Nytt datum för kvalitet-k2: 31 oktober 2021" in render_markdown(snapshot, "sv")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(snapshot, "sv"))
    headings = [e.text() for e in tag_tree(pdf).walk() if e.kind in HEADINGS]
    assert "Årets dialogmöten och beslut" in headings and "Dialogmöte 18 mars 2021" in headings


def _agenda_text(app: App, tmp_path: Path) -> str:
    with app.sessions.begin() as session:
        run_cycle(session, plan(session), app.today(), app.settings.tz, app.now())
    with app.read() as session:
        [meeting] = session.scalars(select(t.Meeting).where(
            t.Meeting.plan_id == plan(session).id, t.Meeting.agenda_pdf.is_not(None))).all()
        tmp_path.mkdir(parents=True, exist_ok=True)
        pdf = tmp_path / "agenda.pdf"
        pdf.write_bytes(meeting.agenda_pdf or b"")
    return normalized(tag_tree(pdf).text())


def test_an_assumed_meeting_day_says_so_on_the_agenda(app: App, tmp_path: Path) -> None:
    """Luleå's source names no meeting days: with the bundled file lokflow
    spreads them over the year, and the agenda's cover says the day is
    assumed; with the days booked in the plan it does not."""
    assert normalized("dagen är antagen") not in _agenda_text(app, tmp_path / "booked")
    other = bootstrap(Settings(home=tmp_path / "home2", database_url="", plans_dir=PLANS,
                               _env_file=None), clock=FixedClock(AGENDA_DAY))
    try:
        load(other, PLANS / "lulea.yaml")
        with other.read() as session:
            days = meeting_days(plan_document(plan(session)), date(2021, 1, 1),
                                date(2021, 12, 31))
        other.clock.at = datetime.combine(days[0].agenda_day, time(6), tzinfo=UTC)  # type: ignore[attr-defined]
        assert normalized("dagen är antagen: planen anger inga mötesdagar") in _agenda_text(
            other, tmp_path / "assumed")
    finally:
        other.close()
