"""Joint activities ("Västerås stad och civilsamhället"): either party
reports, but the activity is done only when both have said so.

It applies to an activity of party `joint` whose owner units speak for both
parties, in a plan with `follow_up.joint_needs_both` (the default). A report
through a personal link (the web form, or a reply by email) speaks for the
parties of the reporter's own owner units. When one party says `klar` and
the other has not, the report is stored as `pågår` and the party's word is
kept here, so reminders, escalation, feeds and the annual report go on
treating the work as unfinished; the pages say "klar enligt kommunen,
väntar på civilsamhället". The second party's `klar` stores `klar`. A report
that speaks for no party (the CLI and the API act for the coordinator) is
stored as it was given."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.statuses import Status
from lokflow.reporting.parties import BOTH, JOINT, other_party, parties_of, unit_parties
from lokflow.store import tables as t

TRUSTED_CHANNELS = frozenset({"web", "email"})  # the address comes from a personal link
DONE, WAITING = Status.DONE.value, Status.IN_PROGRESS.value


@dataclass(frozen=True)
class JointDecision:
    """What a report on a joint activity becomes: the status stored, and the
    parties it speaks for with their latest words after it."""

    said: str
    stored: str
    parties: frozenset[str]
    done_by: frozenset[str]


@dataclass(frozen=True)
class JointState:
    """A joint activity one party has called done, waiting for the other."""

    occurrence: str
    done_by: str
    waiting_for: str


def needs_both(activity: t.Activity) -> bool:
    """Whether a `done` on this activity needs both parties."""
    document = activity.plan.document
    wanted = document.get("follow_up", {}).get("joint_needs_both", True)
    return bool(wanted) and activity.party == JOINT and (
        parties_of(activity.owner_keys, document) >= BOTH)


def decide(said: str, parties: frozenset[str], earlier: Mapping[str, str]) -> JointDecision:
    """The pure rule: `done` is stored only when both parties' latest word is done."""
    words = {**earlier, **dict.fromkeys(parties, said)}
    done_by = frozenset(p for p in BOTH if words.get(p) == DONE)
    stored = WAITING if said == DONE and parties and done_by != BOTH else said
    return JointDecision(said=said, stored=stored, parties=parties, done_by=done_by)


def waiting_state(status: str | None, occurrence: str,
                  words: Mapping[str, str]) -> JointState | None:
    """'Done according to one party, waiting for the other', or None."""
    if status == DONE:
        return None
    done_by = [p for p in sorted(BOTH) if words.get(p) == DONE]
    if len(done_by) != 1:
        return None
    return JointState(occurrence, done_by[0], other_party(done_by[0]))


def reporter_parties(session: Session, activity: t.Activity, email: str) -> frozenset[str]:
    """The parties of the activity's owner units that list `email` as a contact."""
    units = set(session.scalars(select(t.Contact.unit_key).where(
        t.Contact.plan_id == activity.plan_id, t.Contact.kind == ContactKind.CONTACT,
        t.Contact.email == email.strip().lower(), t.Contact.archived.is_(False))))
    known = unit_parties(activity.plan.document)
    return frozenset(p for key in activity.owner_keys
                     if key in units and (p := known.get(key)) is not None)


def settle(session: Session, activity: t.Activity, occurrence: str, said: str,
           email: str | None, channel: str) -> JointDecision | None:
    """The decision for a report about to be stored, or None when the rule
    does not apply (not joint, or the report speaks for no party)."""
    if channel not in TRUSTED_CHANNELS or not email or not needs_both(activity):
        return None
    parties = reporter_parties(session, activity, email)
    if not parties:
        return None
    earlier = words_of(session, [activity.id]).get((activity.id, occurrence), {})
    return decide(said, parties, earlier)


def remember(session: Session, report: t.StatusReport, decision: JointDecision,
             now: datetime) -> None:
    """Keep each party's word, and say in the activity's history what it means."""
    for party in sorted(decision.parties):
        session.add(t.JointConfirmation(
            activity_id=report.activity_id, occurrence_key=report.occurrence_key,
            party=party, said_status=decision.said, report_id=report.id, created_at=now))
    waiting = sorted(BOTH - decision.done_by) if decision.said == DONE else []
    session.add(t.ActivityEvent(
        activity_id=report.activity_id, at=now,
        kind="joint_waiting" if waiting else "joint_word",
        detail={"report": report.id, "occurrence": report.occurrence_key,
                "parties": sorted(decision.parties), "said": decision.said,
                "stored": decision.stored, "waiting_for": waiting}))


def words_of(session: Session, activity_ids: Collection[int],
             as_of: datetime | None = None) -> dict[tuple[int, str], dict[str, str]]:
    """Each party's latest word per (activity, occurrence)."""
    found: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
    if not activity_ids:
        return found
    query = select(t.JointConfirmation).where(
        t.JointConfirmation.activity_id.in_(list(activity_ids)))
    if as_of is not None:
        query = query.where(t.JointConfirmation.created_at <= as_of)
    for row in session.scalars(query.order_by(t.JointConfirmation.id)):
        found[(row.activity_id, row.occurrence_key)][row.party] = row.said_status
    return found


def joint_states(session: Session, activities: Collection[t.Activity],
                 latest: Mapping[int, t.StatusReport]) -> dict[int, JointState]:
    """Which activities are waiting for the other party, judged on the
    occurrence of each activity's latest report."""
    chosen = [a for a in activities if a.id in latest and needs_both(a)]
    words = words_of(session, [a.id for a in chosen])
    found = {}
    for activity in chosen:
        report = latest[activity.id]
        state = waiting_state(report.status, report.occurrence_key,
                              words.get((activity.id, report.occurrence_key), {}))
        if state is not None:
            found[activity.id] = state
    return found
