"""Both parties' own assessments of the annual follow-up: per principle and
overall, a scale of 1–4 and free text, written by each party's assessors.

The two are never merged: each party's rows are its own, and every reader
(the annual report, the coordinator's page) shows them side by side.
Append-only: saving the form records a row for each assessment that
changed; the latest row per (plan, year, party, principle) is the current
one and the older ones stay."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokflow.domain.evaluations import is_evaluation_year, question_key
from lokflow.domain.plan_document import PlanDocument
from lokflow.reporting.assessment_access import AssessorScope
from lokflow.reporting.free_text import TextRefused, free_text
from lokflow.store import tables as t

OVERALL = ""  # the principle key of the assessment of the agreement as a whole
SCALE = (1, 2, 3, 4)


@dataclass(frozen=True)
class Target:
    """What is assessed: the agreement as a whole (key '') or one principle."""

    key: str
    name: str | None
    description: str | None
    follow_ups: tuple[str, ...] = ()
    """The texts of the commitments to follow up that this assessment covers."""


@dataclass(frozen=True)
class Entry:
    """One assessment as typed: a step of the scale and a text, either empty."""

    key: str
    scale: int | None
    text: str | None

    @property
    def empty(self) -> bool:
        return self.scale is None and self.text is None


def targets(session: Session, plan_id: int, year: int | None = None) -> list[Target]:
    """The overall assessment, then the plan's principles in order; in an
    evaluation year also the plan's evaluation questions (issue 17)."""
    principles = list(session.scalars(select(t.Principle).where(
        t.Principle.plan_id == plan_id, t.Principle.archived.is_(False))
        .order_by(t.Principle.position)))
    found = follow_ups_by_principle(session, plan_id)
    keys = [p.key for p in principles]
    unplaced = tuple(text for key, texts in found.items() if key not in keys for text in texts)
    return [Target(OVERALL, None, None, unplaced),
            *(Target(p.key, p.name, p.description, tuple(found.get(p.key, ())))
              for p in principles),
            *(question_targets(session, plan_id, year) if year is not None else [])]


def question_targets(session: Session, plan_id: int, year: int) -> list[Target]:
    """The evaluation round's questions, when `year` is an evaluation year."""
    plan = session.get_one(t.Plan, plan_id)
    document = PlanDocument.model_validate(plan.document)
    cadence = document.follow_up.evaluation
    if cadence is None or not is_evaluation_year(document, year):
        return []
    return [Target(question_key(n), text, None) for n, text in enumerate(cadence.questions, 1)]


def follow_ups_by_principle(session: Session, plan_id: int) -> dict[str | None, list[str]]:
    """The plan's commitments to follow up (statements of attitude or rights),
    by principle: they are judged here, in the joint assessment, not reported."""
    found: dict[str | None, list[str]] = defaultdict(list)
    for activity in session.scalars(select(t.Activity).where(
            t.Activity.plan_id == plan_id, t.Activity.archived.is_(False))
            .order_by(t.Activity.position)):
        if activity.schedule.get("kind") == "follow_up":
            found[activity.principle_key].append(activity.text)
    return found


def parse_entry(key: str, scale: str, text: str) -> tuple[Entry, dict[str, str]]:
    """One target's fields as typed, and the rule each broken field breaks."""
    errors: dict[str, str] = {}
    chosen = scale.strip()
    step = int(chosen) if chosen.isascii() and chosen.isdigit() and int(chosen) in SCALE else None
    if chosen and step is None:
        errors["scale"] = "scale_invalid"
    try:
        written = free_text(text)
    except TextRefused as refused:
        errors["text"], written = refused.code, None
    return Entry(key, step, written), errors


def latest(session: Session, plan_id: int, year: int,
           as_of: datetime | None = None) -> dict[str, dict[str, t.Assessment]]:
    """Per party, the current row of each target (an empty row: cleared)."""
    query = select(t.Assessment).where(t.Assessment.plan_id == plan_id,
                                       t.Assessment.year == year)
    if as_of is not None:
        query = query.where(t.Assessment.created_at <= as_of)
    found: dict[str, dict[str, t.Assessment]] = defaultdict(dict)
    for row in session.scalars(query.order_by(t.Assessment.created_at, t.Assessment.id)):
        found[row.party][row.principle_key] = row
    return found


def current_entries(session: Session, scope: AssessorScope) -> dict[str, Entry]:
    """What the party's form shows: its current assessment of each target."""
    mine = latest(session, scope.plan_id, scope.year).get(scope.party, {})
    return {key: Entry(key, row.scale, row.text) for key, row in mine.items()}


def record_assessments(session: Session, scope: AssessorScope, entries: list[Entry],
                       submission_key: str, now: datetime) -> int:
    """Record the entries that differ from the party's current ones; the same
    form sent twice (same submission key) records nothing the second time.
    Returns how many rows were written."""
    first = f"{submission_key}-0"
    if session.scalar(select(t.Assessment.id).where(t.Assessment.submission_key == first)):
        return 0
    current = current_entries(session, scope)
    known = {target.key for target in targets(session, scope.plan_id, scope.year)}
    changed = [e for e in entries if e.key in known
               and e != current.get(e.key, Entry(e.key, None, None))]
    rows = [t.Assessment(plan_id=scope.plan_id, year=scope.year, party=scope.party,
                         principle_key=e.key, scale=e.scale, text=e.text,
                         author_name=scope.name, author_email=scope.email,
                         submission_key=f"{submission_key}-{n}", created_at=now)
            for n, e in enumerate(changed)]
    try:
        with session.begin_nested():  # the same form, sent twice at once
            session.add_all(rows)
            session.flush()
    except IntegrityError:
        return 0
    return len(rows)


@dataclass(frozen=True)
class Submitted:
    """When a party last saved its assessment, and who."""

    party: str
    at: datetime
    author: str


def submitted(session: Session, plan_id: int, year: int) -> dict[str, Submitted]:
    """Each party that has assessed this year, with its latest save."""
    found = {}
    for party, rows in latest(session, plan_id, year).items():
        given = [r for r in rows.values() if r.scale is not None or r.text]
        if given:
            last = max(given, key=lambda r: (r.created_at, r.id))
            found[party] = Submitted(party, last.created_at, last.author_name)
    return found
