"""Renegotiating an agreement: a new plan version (a new period, slug
`<plan>-<start year>`) starts from the old one; each activity is carried
over, changed or closed with a reason. By default what is still open is
carried over and a one-off activity already done or cancelled is closed;
the coordinator's decisions override. The old version stays, readable with
its whole history; its period ends the year before the new one starts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.agreement.meeting_cycle import plan_document
from lokflow.domain.period_shift import timeline_in_period
from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.plan_schedules import timeline_context
from lokflow.domain.statuses import Status
from lokflow.plans.activity_names import labels_in
from lokflow.plans.plan_edits import checked
from lokflow.plans.plan_json import plan_data
from lokflow.plans.plan_messages import Problem
from lokflow.plans.revision_apply import apply_document
from lokflow.plans.revisions import Authored
from lokflow.reporting.report_queries import latest_statuses
from lokflow.store import tables as t
from lokflow.texts.renegotiation import renegotiation_words
from lokflow.texts.vocabulary import STATUS_LABELS

Action = Literal["carry", "change", "close"]
CHANGEABLE = ("text", "timeline", "owners", "timeline_note", "note", "kind")


@dataclass(frozen=True)
class Choice:
    """What happens to one activity: carried over, changed (`changes`) or closed."""

    action: Action
    reason: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """One activity of the old plan and what the new plan holds."""

    commitment: str
    key: str
    action: Action
    old: dict[str, Any]
    new: dict[str, Any] | None
    reason: str | None
    label: str = ""
    """How people read the activity's name ("Kommunen 1.4"), from the old plan."""


@dataclass
class Renegotiated:
    old_slug: str
    document: PlanDocument
    outcomes: list[Outcome]
    old_period: tuple[int, int | None]


class RenegotiationRefused(ValueError):
    def __init__(self, problems: list[Problem] | None = None, message: str = "") -> None:
        super().__init__(message or "; ".join(p.text("en") for p in (problems or [])[:5]))
        self.problems = problems or []


def default_choices(session: Session, plan: t.Plan) -> dict[str, Choice]:
    """Open work is carried over; a one-off activity done or cancelled is closed."""
    words = renegotiation_words(plan_document(plan).language.value)
    activities = list(session.scalars(select(t.Activity).where(
        t.Activity.plan_id == plan.id, t.Activity.archived.is_(False))))
    statuses, _ = latest_statuses(session, [a.id for a in activities])
    found = {}
    for activity in activities:
        latest = statuses.get(activity.id, {}).get("deadline")
        one_off = activity.schedule.get("kind") in ("deadline", "window")
        if one_off and latest is not None and Status(latest).resolves:
            label = STATUS_LABELS["sv"].get(latest, latest)
            found[activity.key] = Choice("close", words["closed_done"].format(status=label))
        else:
            found[activity.key] = Choice("carry")
    return found


def renegotiate(old: PlanDocument, start: int, end: int | None, choices: dict[str, Choice],
                slug: str | None = None) -> Renegotiated:
    """The new plan version and what happened to each activity (pure)."""
    unknown = sorted(set(choices) - {a.id for _, a in old.activities()})
    if unknown:
        raise RenegotiationRefused(message=f"no such activity in {old.slug}: {unknown[0]}")
    words = renegotiation_words(old.language.value)
    labels = labels_in(old, old.language.value)
    data = plan_data(old)
    data["slug"] = slug or f"{old.slug}-{start}"
    data["period"] = {"start": start, "end": end}
    data["previous"] = old.slug
    data.pop("adopted", None)
    outcomes: list[Outcome] = []
    for commitment in data["commitments"]:
        kept = []
        for activity in commitment.get("activities", []):
            choice = choices.get(activity["id"], Choice("carry"))
            before = {k: activity.get(k) for k in CHANGEABLE if activity.get(k) is not None}
            label = labels[activity["id"]]
            if choice.action == "close":
                outcomes.append(Outcome(commitment["id"], activity["id"], "close", before, None,
                                        choice.reason, label))
                continue
            changed = {**activity, **{k: v for k, v in choice.changes.items() if k in CHANGEABLE}}
            moved = None if "timeline" in choice.changes else _moved(changed, old, start)
            if moved is not None:
                choice = Choice("change", words["moved_into_period"].format(
                    old=changed["timeline"], new=moved), choice.changes)
                changed["timeline"] = moved
                changed["inferred"] = sorted({*changed.get("inferred", []), "timeline"})
            kept.append(changed)
            after = {k: changed.get(k) for k in CHANGEABLE if changed.get(k) is not None}
            outcomes.append(Outcome(commitment["id"], activity["id"], choice.action, before,
                                    after, choice.reason, label))
        commitment["activities"] = kept
    data["commitments"] = [c for c in data["commitments"] if c["activities"]]
    found = checked(data)
    if isinstance(found, list):
        raise RenegotiationRefused(found)
    return Renegotiated(old.slug, found, outcomes, (old.period.start, old.period.end))


def _moved(activity: dict[str, Any], old: PlanDocument, start: int) -> str | None:
    """The carried-over activity's timeline in the new period, if its dates lie
    before it (a commitment to follow up has no dates)."""
    if activity.get("kind") == "follow_up" or not activity.get("timeline"):
        return None
    context = replace(timeline_context(old), period_start=date(start, 1, 1), adopted=None)
    return timeline_in_period(str(activity["timeline"]), context)


def apply_renegotiation(session: Session, result: Renegotiated, who: str,
                        now: datetime) -> tuple[t.Plan, t.Plan]:
    """Load the new version and end the old one's period (two revisions)."""
    words = renegotiation_words(result.document.language.value)
    new = result.document
    applied = apply_document(session, new, Authored(
        who, "renegotiation", words["new_reason"].format(old=result.old_slug),
        origin=f"renegotiation:{result.old_slug}"), now)
    old_plan = session.scalars(select(t.Plan).where(t.Plan.slug == result.old_slug)).one()
    old = plan_document(old_plan)
    if old.period.end is None or old.period.end >= new.period.start:
        data = plan_data(old)
        data["period"] = {"start": old.period.start, "end": new.period.start - 1}
        ended = checked(data)
        assert not isinstance(ended, list)
        apply_document(session, ended, Authored(
            who, "renegotiation",
            words["old_reason"].format(new=new.slug, start=new.period.start),
            origin=f"renegotiation:{new.slug}"), now)
    new_plan = applied.result
    assert new_plan is not None
    return old_plan, session.scalars(select(t.Plan).where(t.Plan.slug == new.slug)).one()


def outcome_counts(result: Renegotiated) -> dict[str, int]:
    counts = {"carry": 0, "change": 0, "close": 0}
    for outcome in result.outcomes:
        counts[outcome.action] += 1
    return counts
