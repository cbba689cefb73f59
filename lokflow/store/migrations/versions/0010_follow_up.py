"""issue 17, part one: both parties' assessments, joint confirmations, the
committee's notes and published annual reports

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=16), nullable=False),
        sa.Column("principle_key", sa.String(length=64), nullable=False),
        sa.Column("scale", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("author_name", sa.String(length=300), nullable=False),
        sa.Column("author_email", sa.String(length=320), nullable=False),
        sa.Column("submission_key", sa.String(length=100), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"],
                                name=op.f("fk_assessments_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_assessments_submission_key")),
    )
    op.create_index(op.f("ix_assessments_plan_id"), "assessments", ["plan_id"], unique=False)
    op.create_table(
        "joint_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_key", sa.String(length=64), nullable=False),
        sa.Column("party", sa.String(length=16), nullable=False),
        sa.Column("said_status", sa.String(length=16), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"],
                                name=op.f("fk_joint_confirmations_activity_id_activities")),
        sa.ForeignKeyConstraint(["report_id"], ["status_reports.id"],
                                name=op.f("fk_joint_confirmations_report_id_status_reports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_joint_confirmations")),
    )
    op.create_index(op.f("ix_joint_confirmations_activity_id"), "joint_confirmations",
                    ["activity_id"], unique=False)
    op.create_table(
        "committee_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("highlights", sa.Text(), nullable=True),
        sa.Column("proposed_decision", sa.Text(), nullable=True),
        sa.Column("case_number", sa.String(length=100), nullable=True),
        sa.Column("updated_by", sa.String(length=300), nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"],
                                name=op.f("fk_committee_notes_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_notes")),
        sa.UniqueConstraint("plan_id", "year", name=op.f("uq_committee_notes_plan_id_year")),
    )
    op.create_index(op.f("ix_committee_notes_plan_id"), "committee_notes", ["plan_id"],
                    unique=False)
    op.create_table(
        "published_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("annual_report_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("published_by", sa.String(length=300), nullable=False),
        sa.Column("published_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["annual_report_id"], ["annual_reports.id"],
                                name=op.f("fk_published_reports_annual_report_id_annual_reports")),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"],
                                name=op.f("fk_published_reports_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_reports")),
        sa.UniqueConstraint("annual_report_id",
                            name=op.f("uq_published_reports_annual_report_id")),
    )
    op.create_index(op.f("ix_published_reports_plan_id"), "published_reports", ["plan_id"],
                    unique=False)


def downgrade() -> None:
    for table in ("published_reports", "committee_notes", "joint_confirmations",
                  "assessments"):
        column = "activity_id" if table == "joint_confirmations" else "plan_id"
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
