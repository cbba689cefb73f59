"""What the public page of a plan shows, read from the database: the plan's
commitments and activities, owners as units, each activity's latest status
and its date, progress per principle and the published annual reports.

Never personal data: no contact, coordinator or reporter name or address,
and none of the free text owners type (comments, obstacles, reasons may
name people). Only the plan's own texts, unit names, statuses and dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.plans.activity_names import label_of, party_name
from lokflow.reporting.joint_confirmation import JointState, joint_states
from lokflow.reporting.principle_progress import PrincipleProgress, principle_progress
from lokflow.reporting.report_queries import latest_reports
from lokflow.store import tables as t


@dataclass(frozen=True)
class PublicActivity:
    key: str
    number: str | None
    party: str
    principle: str | None
    text: str
    owners: list[str]
    timeline: str
    status: str | None
    status_on: date | None
    joint: JointState | None


@dataclass(frozen=True)
class PublicCommitment:
    key: str
    number: str | None
    party: str
    principle: str | None
    text: str
    activities: list[PublicActivity]


@dataclass(frozen=True)
class PublishedPdf:
    id: int
    year: int
    language: str
    size: int


@dataclass(frozen=True)
class PublicPlan:
    slug: str
    organisation: str
    title: str
    short_name: str
    period_start: int
    period_end: int | None
    adopted: str | None
    source: str
    source_url: str | None
    principles: list[tuple[str, str, str | None]]
    progress: list[PrincipleProgress]
    commitments: list[PublicCommitment]
    reports: list[PublishedPdf]
    updated: datetime
    minutes: list[tuple[date, str]] = field(default_factory=list)
    """The dialogue meetings' minutes, newest first (issue 17, part two): the
    coordinator writes them to be published; the writer's name is not shown."""
    party_names: dict[str, str] | None = None
    """The plan's own names of the parties in activity labels (`party_names`)."""

    def principle_name(self, key: str | None) -> str | None:
        return next((name for k, name, _ in self.principles if k == key), None)

    def label(self, party: str, number: str | None, key: str, language: str) -> str:
        """An activity's label, in the plan's own name of its party."""
        return label_of(self.party_names, party, number, key, language)

    def party(self, party: str, language: str) -> str:
        """A party's name as this plan gives it."""
        return party_name(self.party_names, party, language)


def is_public(plan: t.Plan) -> bool:
    return bool(plan.document.get("public")) and not plan.archived


def public_plan(session: Session, plan: t.Plan, zone: ZoneInfo) -> PublicPlan:
    """The page's content for a plan already known to be public."""
    activities = list(session.scalars(select(t.Activity).where(
        t.Activity.plan_id == plan.id, t.Activity.archived.is_(False))
        .order_by(t.Activity.position)))
    latest = latest_reports(session, [a.id for a in activities])
    joint = joint_states(session, activities, latest)
    units = {u.key: u.name for u in session.scalars(
        select(t.Unit).where(t.Unit.plan_id == plan.id))}
    shown: dict[int, list[PublicActivity]] = {a.commitment_id: [] for a in activities}
    for a in activities:
        report = latest.get(a.id)
        shown[a.commitment_id].append(PublicActivity(
            key=a.key, number=a.number, party=a.party, principle=a.principle_key, text=a.text,
            owners=[units.get(k, k) for k in a.owner_keys], timeline=a.timeline,
            status=report.status if report else None,
            status_on=report.created_at.astimezone(zone).date() if report else None,
            joint=joint.get(a.id)))
    document = plan.document
    return PublicPlan(
        slug=plan.slug, organisation=plan.organisation.name, title=plan.title,
        short_name=plan.short_name, period_start=plan.period_start, period_end=plan.period_end,
        adopted=plan.adopted.isoformat() if plan.adopted else None,
        source=document["source"]["document"], source_url=document["source"].get("url"),
        principles=[(p.key, p.name, p.description) for p in session.scalars(
            select(t.Principle).where(t.Principle.plan_id == plan.id,
                                      t.Principle.archived.is_(False))
            .order_by(t.Principle.position))],
        progress=principle_progress(session, plan),
        commitments=_commitments(session, plan, shown), reports=published(session, plan.id),
        updated=_updated(session, plan, latest),
        minutes=[(m.held_on, m.minutes) for m in session.scalars(
            select(t.Meeting).where(t.Meeting.plan_id == plan.id, t.Meeting.minutes.is_not(None))
            .order_by(t.Meeting.held_on.desc())) if m.minutes],
        party_names=document.get("party_names"))


def _updated(session: Session, plan: t.Plan, latest: dict[int, t.StatusReport]) -> datetime:
    """The latest change the page shows: a load, a report, a new date, a publication."""
    activities = select(t.Activity.id).where(t.Activity.plan_id == plan.id)
    moments = session.execute(select(
        select(func.max(t.DateChange.decided_at)).where(
            t.DateChange.activity_id.in_(activities)).scalar_subquery(),
        select(func.max(t.PublishedReport.published_at)).where(
            t.PublishedReport.plan_id == plan.id).scalar_subquery())).one()
    found = [plan.loaded_at, *(r.created_at for r in latest.values())]
    found += [_aware(m) for m in moments if m is not None]
    return max(found)


def _aware(moment: datetime | str) -> datetime:
    """An aggregate's moment (SQLite returns text, and no time zone)."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _commitments(session: Session, plan: t.Plan,
                 shown: dict[int, list[PublicActivity]]) -> list[PublicCommitment]:
    rows = session.scalars(select(t.Commitment).where(
        t.Commitment.plan_id == plan.id, t.Commitment.id.in_(list(shown)))
        .order_by(t.Commitment.position, t.Commitment.id))
    return [PublicCommitment(c.key, c.number, c.party, c.principle_key, c.text, shown[c.id])
            for c in rows]


def published(session: Session, plan_id: int) -> list[PublishedPdf]:
    """The annual reports a coordinator published for this plan, newest year first."""
    query = (select(t.AnnualReport.id, t.AnnualReport.year, t.AnnualReport.language,
                    func.length(t.AnnualReport.pdf))
             .join(t.PublishedReport, t.PublishedReport.annual_report_id == t.AnnualReport.id)
             .where(t.PublishedReport.plan_id == plan_id, t.AnnualReport.pdf.is_not(None))
             .order_by(t.AnnualReport.year.desc(), t.AnnualReport.id.desc()))
    return [PublishedPdf(row[0], row[1], row[2], row[3] or 0) for row in session.execute(query)]


def published_pdf(session: Session, plan: t.Plan, report_id: int) -> bytes | None:
    """A published report's stored PDF, or None (not this plan's, or not published)."""
    if not any(r.id == report_id for r in published(session, plan.id)):
        return None
    return session.get_one(t.AnnualReport, report_id).pdf
