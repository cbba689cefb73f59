"""coordinator actions: a decision's reason, reports recorded on an owner's
behalf, a round's counting start, annual-report compile jobs, and an index
for "what was sent since"

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("date_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("status_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of", sa.String(length=300), nullable=True))
    with op.batch_alter_table("reporting_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counts_from", sa.DateTime(timezone=True),
                                      nullable=True))
    op.create_index(op.f("ix_outbox_messages_sent_at"), "outbox_messages", ["sent_at"],
                    unique=False)
    op.create_table(
        "annual_report_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"],
                                name=op.f("fk_annual_report_jobs_plan_id_plans")),
        sa.ForeignKeyConstraint(["report_id"], ["annual_reports.id"],
                                name=op.f("fk_annual_report_jobs_report_id_annual_reports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_report_jobs")),
    )
    op.create_index(op.f("ix_annual_report_jobs_plan_id"), "annual_report_jobs", ["plan_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_annual_report_jobs_plan_id"), table_name="annual_report_jobs")
    op.drop_table("annual_report_jobs")
    op.drop_index(op.f("ix_outbox_messages_sent_at"), table_name="outbox_messages")
    with op.batch_alter_table("reporting_rounds", schema=None) as batch_op:
        batch_op.drop_column("counts_from")
    with op.batch_alter_table("status_reports", schema=None) as batch_op:
        batch_op.drop_column("on_behalf_of")
    with op.batch_alter_table("date_changes", schema=None) as batch_op:
        batch_op.drop_column("decision_reason")
