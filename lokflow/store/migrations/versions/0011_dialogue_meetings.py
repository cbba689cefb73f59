"""issue 17, part two: dialogue meetings, their decisions, and the items the
parties flagged for discussion

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("starts_at", MOMENT, nullable=False),
        sa.Column("ends_at", MOMENT, nullable=False),
        sa.Column("agenda", sa.JSON(), nullable=True),
        sa.Column("agenda_pdf", sa.LargeBinary(), nullable=True),
        sa.Column("agenda_made_at", MOMENT, nullable=True),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("minutes_by", sa.String(length=300), nullable=True),
        sa.Column("minutes_at", MOMENT, nullable=True),
        sa.Column("revision_number", sa.Integer(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_meetings_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("plan_id", "held_on", name=op.f("uq_meetings_plan_id_held_on")),
    )
    op.create_index(op.f("ix_meetings_plan_id"), "meetings", ["plan_id"], unique=False)
    op.create_table(
        "meeting_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("activity_key", sa.String(length=64), nullable=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name=op.f("fk_meeting_decisions_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_decisions")),
    )
    op.create_index(op.f("ix_meeting_decisions_meeting_id"), "meeting_decisions",
                    ["meeting_id"], unique=False)
    op.create_table(
        "discussion_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("principle_key", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("flagged_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"],
                                name=op.f("fk_discussion_flags_plan_id_plans")),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"],
                                name=op.f("fk_discussion_flags_activity_id_activities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_flags")),
    )
    op.create_index(op.f("ix_discussion_flags_plan_id"), "discussion_flags", ["plan_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_discussion_flags_plan_id"), table_name="discussion_flags")
    op.drop_table("discussion_flags")
    op.drop_index(op.f("ix_meeting_decisions_meeting_id"), table_name="meeting_decisions")
    op.drop_table("meeting_decisions")
    op.drop_index(op.f("ix_meetings_plan_id"), table_name="meetings")
    op.drop_table("meetings")
