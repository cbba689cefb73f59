"""The seed plans against their sources (../shared/seeds): rows the source
has are activities, inferred values are marked, no people are invented."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from lokflow.domain.inferred import activity_inferred
from lokflow.domain.occurrences import PlanCalendar, occurrences
from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.plan_schedules import activity_schedule
from lokflow.domain.timelines import Deadline, MonthDay, Ongoing, Yearly
from lokflow.plans.plan_files import read_plans
from tests.conftest import PLANS


def plan(slug: str) -> PlanDocument:
    found, errors = read_plans([PLANS / f"{slug}.yaml"])
    assert not errors
    return found[0].document


def activity(doc: PlanDocument, key: str):  # type: ignore[no-untyped-def]
    return next(a for _, a in doc.activities() if a.id == key)


def test_tierps_evaluation_row_is_an_activity_with_an_owner() -> None:
    doc = plan("tierp")
    evaluation = activity(doc, "utvardering-1")
    assert "första utvärdering göras efter två år" in evaluation.text
    assert evaluation.owners == ["kommun"]
    assert activity_schedule(doc, evaluation) == Deadline.model_validate(
        {"due": "2024-12-31"})


def test_tierps_annual_accounts_item_falls_due_in_spring_marked_inferred() -> None:
    doc = plan("tierp")
    accounts = activity(doc, "kommun-3.3")
    schedule = activity_schedule(doc, accounts)
    assert isinstance(schedule, Yearly) and (schedule.month, schedule.day) == (3, 31)
    assert accounts.inferred == ["annual_date"]


def test_no_seed_plan_invents_people() -> None:
    for path in sorted(PLANS.glob("*.yaml")):
        found, errors = read_plans([path])
        assert not errors
        doc = found[0].document
        contacts = [*doc.coordinators, *doc.steering_group,
                    *(c for u in doc.units for c in u.contacts),
                    *(u.escalation for u in doc.units if u.escalation)]
        for contact in contacts:
            assert contact.email.endswith(".example.org") and contact.placeholder, contact
        assert len(found[0].warnings) >= len({c.email for c in contacts})


# Örebro's column "Ansvarig uppdragsbeställare. (Ev utpekad utförare inom
# parentes)", cell by cell as the source writes it (activities 10-12: empty).
OREBRO_COMMISSIONER_COLUMN = {
    "1": "Processledare för extern serviceyta  (Samordnare för civila samhället)",
    "2": "Chef för avd Upphandling och uppföljning",
    "3": "(Samordnare för civila samhället)",
    "4": "Kommundirektör  (Samordnare för civila samhället)",
    "5": "(Fritidskonsulent)",
    "6": "Kommundirektör",
    "7": "(Samordnare för civila samhället)",
    "8": "Kommundirektör (Samordnare för civila samhället)",
    "9": "Chef för avd Kansli och demokratistöd",
    "10": "", "11": "", "12": "",
    "13": "Förvaltningschef Kultur och fritid",
    "14": "Kommundirektör  (Samordnare civila samhället)",
}


def _commissioner_and_executor(cell: str) -> tuple[str | None, str | None]:
    """The text outside the parentheses commissions; the one inside carries out."""
    match = re.fullmatch(r"([^(]*?)\s*(?:\(([^)]*)\))?", cell.strip())
    assert match, cell
    return match.group(1).strip() or None, match.group(2) or None


@pytest.mark.parametrize("key", sorted(OREBRO_COMMISSIONER_COLUMN, key=int))
def test_orebros_commissioner_column_is_commissioner_and_executor(key: str) -> None:
    found = activity(plan("orebro"), key)
    expected = _commissioner_and_executor(OREBRO_COMMISSIONER_COLUMN[key])
    assert (found.commissioner, found.executor) == expected


def test_the_readme_does_not_call_the_executor_the_commissioner() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in readme.splitlines()
            if line.startswith("| `executor`") or line.startswith("| `commissioner`")}
    assert "uppdragsbeställare" not in rows["`executor`"]
    assert "uppdragsbeställare" in rows["`commissioner`"]


def _texts_with(doc: PlanDocument, words: str) -> list[str]:
    return [a.id for _, a in doc.activities() if words in " ".join(a.text.split())]


def test_vasteras_keeps_the_lok_groups_task_as_one_sentence() -> None:
    doc = plan("vasteras")
    sentence = ("Samverkansgruppen har till uppgift att genomföra handlingsplanen, följa upp "
                "handlingsplanen samt att arbeta fram förslag till aktiviteter och insatser "
                "för kommande år.")
    assert _texts_with(doc, "har till uppgift") == ["dialog-g1"]
    assert " ".join(activity(doc, "dialog-g1").text.split()) == sentence


def test_vasteras_staff_bullets_are_two_activities() -> None:
    doc = plan("vasteras")
    first = _texts_with(doc, "ett uppdrag på 50 procent med samordning av Stadsledningskontoret")
    second = _texts_with(doc, "en samordnare, 50 procent, med anställning och placering hos "
                              "en av civilsamhällets organisationer")
    assert len(first) == len(second) == 1 and first != second


def test_vasteras_keeps_the_duty_to_report_back_how_views_were_handled() -> None:
    doc = plan("vasteras")
    found = _texts_with(doc, "kommunen återkopplar till civilsamhället hur de synpunkter som "
                             "kommer in har behandlats")
    assert len(found) == 1
    commitment = next(c for c, a in doc.activities() if a.id == found[0])
    assert commitment.party == "municipality" and activity(doc, found[0]).owners == [
        "vasteras-stad"]


def test_luleas_dialogue_meetings_invent_no_dates_and_agree() -> None:
    doc = plan("lulea")
    meetings = doc.follow_up.dialogue_meetings
    assert meetings is not None and meetings.per_year == 2
    assert meetings.dates == [] or "dates" in meetings.inferred
    dialogue = [a.id for _, a in doc.activities() if "dialogträff" in a.text.lower()]
    assert len(dialogue) == 4
    for key in dialogue:
        found = activity(doc, key)
        schedule = activity_schedule(doc, found)
        assert isinstance(schedule, Ongoing) and schedule.checkins_per_year == meetings.per_year
        assert "dates" in found.inferred and "18" not in found.timeline


@pytest.mark.parametrize("key", ["dialog-k1", "dialog-k2", "kvalitet-k2"])
def test_botkyrkas_deliverables_fall_due_by_the_end_of_the_period(key: str) -> None:
    doc = plan("botkyrka")
    found = activity(doc, key)
    schedule = activity_schedule(doc, found)
    calendar = PlanCalendar(MonthDay.parse(doc.follow_up.annual_date), date(2020, 12, 31))
    due = [o for o in occurrences(schedule, calendar, date(2018, 1, 1), date(2030, 1, 1))
           if o.kind == "deadline"]
    assert [o.due for o in due] == [date(2020, 12, 31)]
    assert found.inferred == ["timeline"]


NO_TIME_GIVEN = re.compile(r"[Kk]ällan anger (?:ingen tid|varken tid|ingen tidpunkt|ingen tidplan)")


def test_every_timeline_the_source_does_not_give_is_marked_inferred() -> None:
    for path in sorted(PLANS.glob("*.yaml")):
        doc = plan(path.stem)
        assert doc.follow_up.inferred == ["annual_date"], path.stem
        for _, found in doc.activities():
            if NO_TIME_GIVEN.search(found.timeline_note or ""):
                is_yearly = isinstance(activity_schedule(doc, found), Yearly)
                assert set(found.inferred) & {"timeline", "dates"} or is_yearly, found.id


def test_yearly_items_on_an_inferred_follow_up_day_are_marked() -> None:
    doc = plan("tierp")
    accounts, prizes = activity(doc, "kommun-3.3"), activity(doc, "kommun-3.2")
    assert activity_inferred(doc, prizes, activity_schedule(doc, prizes)) == ["annual_date"]
    assert activity_inferred(doc, accounts, activity_schedule(doc, accounts)) == [
        "annual_date"]
    given = doc.model_copy(update={"follow_up": doc.follow_up.model_copy(
        update={"inferred": []})})
    assert activity_inferred(given, prizes, activity_schedule(given, prizes)) == []
