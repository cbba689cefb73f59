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
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
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
