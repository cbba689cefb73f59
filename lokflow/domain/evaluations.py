"""When a plan is evaluated: `follow_up.evaluation` says every N years, the
first after M (Botkyrka: every third year; Tierp: first after two, then
every fifth), counted from the adoption year, else the period's start (the
same rule as the annual report's milestones). Pure."""

from __future__ import annotations

from lokflow.domain.plan_document import PlanDocument


def base_year(plan: PlanDocument) -> int:
    return plan.adopted.year if plan.adopted else plan.period.start


def evaluation_years(plan: PlanDocument, last: int) -> list[int]:
    """Every evaluation year up to `last`."""
    cadence = plan.follow_up.evaluation
    if cadence is None:
        return []
    year, found = base_year(plan) + (cadence.first_after_years or cadence.every_years), []
    while year <= last:
        found.append(year)
        year += cadence.every_years
    return found


def is_evaluation_year(plan: PlanDocument, year: int) -> bool:
    return year in evaluation_years(plan, year)


def covered_years(plan: PlanDocument, year: int) -> tuple[int, int]:
    """The years an evaluation looks back on: since the one before (or the
    start), up to the year before it."""
    before = [y for y in evaluation_years(plan, year - 1)]
    return (before[-1] if before else base_year(plan)), year - 1


def question_key(number: int) -> str:
    """The assessment key of the plan's n-th evaluation question."""
    return f"fraga-{number}"
