"""The seed plans against their sources (../shared/seeds): rows the source
has are activities, inferred values are marked, no people are invented."""

from __future__ import annotations

from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.plan_schedules import activity_schedule
from lokflow.domain.timelines import Deadline, Yearly
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
