"""An outbox message's items as the plan sections an email shows, loaded for
many messages with a few bulk queries (the sender renders thousands of emails
per batch): each item with its readable label and dates, each plan with the
municipality that sends it and the coordinator to ask."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.delivery.calendar_ids import EventId, activity_event_id, round_event_id
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.round_actions import in_round
from lokflow.plans.activity_names import activity_label
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.owner_access import OwnerScope, scope_activities
from lokflow.reporting.report_queries import latest_statuses
from lokflow.store import tables as t
from lokflow.texts.dates import long_date
from lokflow.texts.email import TEXTS

ROUND_KINDS = ("round_request", "round_reminder")


@dataclass
class ItemView:
    kind: str
    stage: str
    level: int
    heading: str
    activity_key: str | None
    activity_text: str | None
    commitment: str | None
    due: date | None
    due_text: str | None
    timeline: str | None
    owners: list[str]
    partners: list[str]
    detail: dict[str, Any]
    label: str | None = None
    event: EventId | None = None
    link: str | None = None  # an assessor's personal assessment link (issue 17)


@dataclass
class PlanSection:
    slug: str
    name: str
    organisation_id: int
    items: list[ItemView] = field(default_factory=list)
    report_url: str | None = None
    feed_url: str | None = None
    organisation: str = ""
    coordinator: tuple[str, str] | None = None
    sender: tuple[str | None, str | None] = (None, None)


LinkMaker = Callable[[str, int], tuple[str | None, str | None]]
"""(recipient email, organisation id) -> (report url, personal feed url)."""


def heading(item: t.OutboxItem, language: str) -> str:
    words = TEXTS[language]
    due = long_date(item.due, language) if item.due else ""
    if item.kind == "reminder":
        if item.stage.startswith("w"):
            return words["reminder_w"].format(due=due)
        return words["reminder_d"].format(days=item.stage[1:], due=due)
    if item.kind == "escalation":
        if item.level <= 1:
            return words["escalation_1"].format(due=due)
        return words["escalation_n"].format(level=item.level, due=due)
    if item.kind == "annual_report":
        return words["annual_report"].format(year=item.detail.get("year", ""))
    return words[item.kind].format(due=due)


class SectionLoader:
    """Loads the plan sections of many messages at once."""

    def __init__(self, session: Session, message_ids: list[int]) -> None:
        self.session = session
        self.items: dict[int, list[t.OutboxItem]] = defaultdict(list)
        for item in session.scalars(
                select(t.OutboxItem).where(t.OutboxItem.message_id.in_(message_ids))
                .order_by(t.OutboxItem.plan_id, t.OutboxItem.due, t.OutboxItem.id)):
            assert item.message_id is not None
            self.items[item.message_id].append(item)
        every = [i for found in self.items.values() for i in found]
        activity_ids = {i.activity_id for i in every if i.activity_id is not None}
        plan_ids = {i.plan_id for i in every}
        self.plans = {p.id: p for p in session.scalars(
            select(t.Plan).where(t.Plan.id.in_(plan_ids)))}
        self.activities = {a.id: a for a in session.scalars(
            select(t.Activity).where(t.Activity.id.in_(activity_ids)))}
        self.commitments = {c.id: c for c in session.scalars(select(t.Commitment).where(
            t.Commitment.id.in_({a.commitment_id for a in self.activities.values()})))}
        self.units = {(u.plan_id, u.key): u.name for u in session.scalars(
            select(t.Unit).where(t.Unit.plan_id.in_(plan_ids)))}
        self.organisations = {o.id: o.name for o in session.scalars(select(t.Organisation).where(
            t.Organisation.id.in_({p.organisation_id for p in self.plans.values()})))}

    def sections(self, message: t.OutboxMessage, links: LinkMaker) -> list[PlanSection]:
        sections: dict[int, PlanSection] = {}
        for item in self.items.get(message.id, []):
            plan = self.plans[item.plan_id]
            section = sections.setdefault(item.plan_id, self._section(plan))
            view = self._view(item, message.language)
            if item.kind in ROUND_KINDS:
                view.detail = {**view.detail, "asked": self._asked(plan, message, item)}
            section.items.append(view)
        for section in sections.values():
            section.report_url, section.feed_url = links(message.recipient_email,
                                                         section.organisation_id)
        return list(sections.values())

    def _asked(self, plan: t.Plan, message: t.OutboxMessage,
               item: t.OutboxItem) -> list[str]:
        """A round request's activities: the recipient's, not yet reported in the round."""
        round_id = item.detail.get("round")  # a coordinator's reminder names no round
        row = self.session.get(t.ReportingRound, round_id) if round_id is not None else None
        scope = OwnerScope(token_id=0, token_hash="", organisation_id=plan.organisation_id,
                           plan_id=plan.id, email=message.recipient_email.lower(),
                           name=message.recipient_name)
        mine = scope_activities(self.session, scope)
        statuses, _ = latest_statuses(self.session, [a.id for a in mine])
        mine = [a for a in mine
                if in_round(schedule_from_json(a.schedule), statuses.get(a.id, {}))]
        answered = reported_since(self.session, [a.id for a in mine],
                                  row.opened_at if row else None)
        return [f"{activity_label(a, message.language)}: {a.text}" for a in mine
                if a.id not in answered]

    def _section(self, plan: t.Plan) -> PlanSection:
        document = plan.document or {}
        first = (document.get("coordinators") or [{}])[0]
        own = document.get("sender") or {}
        return PlanSection(
            slug=plan.slug, name=plan.short_name, organisation_id=plan.organisation_id,
            organisation=self.organisations.get(plan.organisation_id, ""),
            coordinator=(first["name"], first["email"]) if first.get("email") else None,
            sender=(own.get("name"), own.get("email")))

    def _view(self, item: t.OutboxItem, language: str) -> ItemView:
        activity = self.activities.get(item.activity_id) if item.activity_id else None
        commitment = None
        if activity is not None:
            found = self.commitments[activity.commitment_id]
            commitment = f"{found.number or ''} {found.text}".strip()
        return ItemView(
            kind=item.kind, stage=item.stage, level=item.level,
            heading=heading(item, language),
            activity_key=activity.key if activity else None,
            activity_text=activity.text if activity else None,
            commitment=commitment, due=item.due,
            due_text=long_date(item.due, language) if item.due else None,
            timeline=activity.timeline if activity else None,
            owners=[self.units.get((item.plan_id, k), k) for k in activity.owner_keys]
            if activity else [],
            partners=list(activity.partners) if activity else [],
            detail=item.detail or {},
            label=activity_label(activity, language) if activity else None,
            event=self._event(item, activity),
        )

    def _event(self, item: t.OutboxItem, activity: t.Activity | None) -> EventId | None:
        plan = self.plans[item.plan_id]
        if activity is not None:
            return activity_event_id(plan.slug, activity.key,
                                     schedule_from_json(activity.schedule),
                                     plan_calendar(plan), item.occurrence_key)
        if item.kind in ROUND_KINDS and str(item.detail.get("year", "")).isdigit():
            return round_event_id(plan.slug, plan_calendar(plan), int(item.detail["year"]))
        return None


def reported_since(session: Session, activity_ids: list[int],
                           since: datetime | None) -> set[int]:
    """Activities with a report since `since` (all with any report if None)."""
    if not activity_ids:
        return set()
    query = select(t.StatusReport.activity_id).where(
        t.StatusReport.activity_id.in_(activity_ids))
    if since is not None:
        query = query.where(t.StatusReport.created_at >= since)
    return set(session.scalars(query.distinct()))
