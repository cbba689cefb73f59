"""The database schema (SQLAlchemy 2.x). Alembic migrations in
`store/migrations` create it; a test checks that the two agree."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in UTC on every database (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    adopted: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(2))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_path: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime]
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    organisation: Mapped[Organisation] = relationship()


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Contact(Base):
    """A person lokflow writes to: a unit's contact or escalation contact, or a
    plan's coordinator or steering group member (unit_key '')."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("plan_id", "unit_key", "kind", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    unit_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(2))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    placeholder: Mapped[bool] = mapped_column(Boolean, default=False,
                                              server_default=sa_false())  # never sent over SMTP


class Principle(Base):
    __tablename__ = "principles"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Commitment(Base):
    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    number: Mapped[str | None] = mapped_column(String(300))
    party: Mapped[str] = mapped_column(String(16))
    principle_key: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    number: Mapped[str | None] = mapped_column(String(300))
    party: Mapped[str] = mapped_column(String(16))
    principle_key: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    owner_keys: Mapped[list[Any]] = mapped_column(JSON)
    responsible_as_written: Mapped[str | None] = mapped_column(Text)
    executor: Mapped[str | None] = mapped_column(Text)
    partners: Mapped[list[Any]] = mapped_column(JSON)
    timeline: Mapped[str] = mapped_column(Text)
    timeline_note: Mapped[str | None] = mapped_column(Text)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON)
    location: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    commissioner: Mapped[str | None] = mapped_column(Text)  # Örebro's uppdragsbeställare
    inferred: Mapped[list[Any]] = mapped_column(JSON, default=list,
                                                server_default="[]")  # fields not in the source

    plan: Mapped[Plan] = relationship()
    commitment: Mapped[Commitment] = relationship()
    owners: Mapped[list[ActivityOwner]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityOwner.position"
    )


class ActivityOwner(Base):
    """Which units answer for an activity (kept as rows so queries can join)."""

    __tablename__ = "activity_owners"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class ActivityEvent(Base):
    """Append-only history of an activity: loaded, changed, reminded, reported ..."""

    __tablename__ = "activity_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class OutboxItem(Base):
    """One decided notice (a reminder, an escalation, a round request ...) for one
    recipient. The unique key makes deciding twice harmless: the second insert
    is a no-op, so sweep and activity flows can never double-send."""

    __tablename__ = "outbox_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(512), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), index=True)
    occurrence_key: Mapped[str | None] = mapped_column(String(64))
    due: Mapped[date | None] = mapped_column(Date, index=True)  # bounds the notice history
    kind: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(32))
    level: Mapped[int] = mapped_column(Integer, default=0)
    recipient_email: Mapped[str] = mapped_column(String(320), index=True)
    recipient_name: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(2))
    planned_day: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime]
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxMessage(Base):
    """One email to one person: bundles that person's items of one day."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    recipient_email: Mapped[str] = mapped_column(String(320), index=True)
    recipient_name: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(2))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))  # fences a lost lease
    subject: Mapped[str | None] = mapped_column(Text)
    message_header_id: Mapped[str | None] = mapped_column(String(300))
    last_error: Mapped[str | None] = mapped_column(Text)
    server_reply: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)


class StatusReport(Base):
    """What an owner said about an activity (or one occurrence). Append-only."""

    __tablename__ = "status_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    occurrence_key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    obstacles: Mapped[str | None] = mapped_column(Text)
    proposed_date: Mapped[date | None] = mapped_column(Date)
    proposed_reason: Mapped[str | None] = mapped_column(Text)
    reporter_name: Mapped[str] = mapped_column(String(300))
    reporter_email: Mapped[str | None] = mapped_column(String(320))
    channel: Mapped[str] = mapped_column(String(16))
    submission_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    on_behalf_of: Mapped[str | None] = mapped_column(String(300))
    """Whose report a coordinator recorded (given by phone, at a meeting ...)."""


class DateChange(Base):
    """A proposed new date for an occurrence and the coordinator's decision."""

    __tablename__ = "date_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    occurrence_key: Mapped[str] = mapped_column(String(64))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("status_reports.id"))
    original_due: Mapped[date | None] = mapped_column(Date)
    proposed_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(String(300))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    decision_reason: Mapped[str | None] = mapped_column(Text)


class ReportingRound(Base):
    """The collection of status reports before one annual follow-up."""

    __tablename__ = "reporting_rounds"
    __table_args__ = (UniqueConstraint("plan_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    opens_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    counts_from: Mapped[datetime | None]
    """Reports from this moment on answer the round (a little before it opened)."""


class AccessToken(Base):
    """A secret link: a status-report page, a calendar feed or an API key.
    Only the SHA-256 of the token is stored."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(16), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    subject: Mapped[dict[str, Any]] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class User(Base):
    """A coordinator's local account (password hashed with scrypt)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    display_name: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime]


class WebSession(Base):
    """A coordinator's login. The cookie holds a random value; only its SHA-256
    is stored, so a copy of the database logs nobody in. Logging out, a new
    password or `lokflow users logout` revoke it at once."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class LoginCounter(Base):
    """Password checks started in the current window, per client address or
    per account (`key`), counted before the check: see services.login_throttle."""

    __tablename__ = "login_counters"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(Integer)


class AnnualReport(Base):
    """A compiled annual follow-up, with the data snapshot it was built from."""

    __tablename__ = "annual_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class PlanRevision(Base):
    """One version of a plan's document: who made it, when, from where (a file,
    a workbook, the web editor, an import, a restore), why, and what changed
    from the revision before. The latest revision is what the plan is."""

    __tablename__ = "plan_revisions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    author: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    changes: Mapped[list[Any]] = mapped_column(JSON)
    restored_from: Mapped[int | None] = mapped_column(Integer)


class AnnualReportJob(Base):
    """A compile of the annual report asked for from the web: its progress,
    readable by every web process, and the report it made."""

    __tablename__ = "annual_report_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16))
    step: Mapped[str] = mapped_column(String(32))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("annual_reports.id"))
    error: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


# --- issue 17 (follow-up): both parties' assessments, joint confirmations, the
# committee's document and the public page.


class Assessment(Base):
    """One party's own assessment of one principle (or, with principle_key '',
    of the whole agreement) for one annual follow-up. Append-only: the latest
    row per (plan, year, party, principle) is the assessment; older ones stay."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    party: Mapped[str] = mapped_column(String(16))
    principle_key: Mapped[str] = mapped_column(String(64))
    scale: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    author_name: Mapped[str] = mapped_column(String(300))
    author_email: Mapped[str] = mapped_column(String(320))
    submission_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime]


class JointConfirmation(Base):
    """What one party said about a joint activity's occurrence (one row per
    report from a known party): a joint activity is done only when the latest
    word of both parties is `done`."""

    __tablename__ = "joint_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    occurrence_key: Mapped[str] = mapped_column(String(64))
    party: Mapped[str] = mapped_column(String(16))
    said_status: Mapped[str] = mapped_column(String(16))
    report_id: Mapped[int] = mapped_column(ForeignKey("status_reports.id"))
    created_at: Mapped[datetime]


class CommitteeNotes(Base):
    """The coordinator's words for one annual report: summary, highlights,
    proposed decision and case number, written before compiling."""

    __tablename__ = "committee_notes"
    __table_args__ = (UniqueConstraint("plan_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(Text)
    highlights: Mapped[str | None] = mapped_column(Text)
    proposed_decision: Mapped[str | None] = mapped_column(Text)
    case_number: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime]


class PublishedReport(Base):
    """A stored annual report a coordinator chose to show on the plan's public
    page (the committee's version, not every draft)."""

    __tablename__ = "published_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    annual_report_id: Mapped[int] = mapped_column(ForeignKey("annual_reports.id"), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    published_by: Mapped[str] = mapped_column(String(300))
    published_at: Mapped[datetime]
# --- issue 17 (part two): dialogue meetings, their decisions, and what the
# parties flagged for discussion.


class Meeting(Base):
    """One dialogue meeting of a plan's cycle: its agenda as made (data and
    PDF), then the minutes the coordinator records and the plan revision the
    decisions wrote."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("plan_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    agenda: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    agenda_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    agenda_made_at: Mapped[datetime | None]
    minutes: Mapped[str | None] = mapped_column(Text)
    minutes_by: Mapped[str | None] = mapped_column(String(300))
    minutes_at: Mapped[datetime | None]
    revision_number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class MeetingDecision(Base):
    """One decision of a meeting: a new date, a new owner, a closed activity
    or an action point; written back to the plan as a revision."""

    __tablename__ = "meeting_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    activity_key: Mapped[str | None] = mapped_column(String(64))
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    revision_number: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]


class DiscussionFlag(Base):
    """'Ta upp på dialogmötet': a party asks for an activity (from a status
    report) or a principle (from an assessment) to be discussed."""

    __tablename__ = "discussion_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"))
    principle_key: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    flagged_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]
