"""plan revisions: every version of a plan's document, with who, when, why and
what changed; each plan loaded before gets its current document as revision 1

Revision ID: 0009
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"],
                                name=op.f("fk_plan_revisions_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_revisions")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_plan_revisions_plan_id_number")),
    )
    op.create_index(op.f("ix_plan_revisions_plan_id"), "plan_revisions", ["plan_id"],
                    unique=False)
    _first_revisions()


def _first_revisions() -> None:
    """Each existing plan's stored document becomes its revision 1 (from its file)."""
    bind = op.get_bind()
    plans = sa.table("plans", sa.column("id"), sa.column("document", sa.JSON()),
                     sa.column("source_path"), sa.column("loaded_at", sa.DateTime(timezone=True)))
    revisions = sa.table(
        "plan_revisions", sa.column("plan_id"), sa.column("number"),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("author"),
        sa.column("source"), sa.column("origin"), sa.column("reason"),
        sa.column("document", sa.JSON()), sa.column("digest"), sa.column("changes", sa.JSON()))
    rows = []
    for plan_id, document, path, loaded in bind.execute(
            sa.select(plans.c.id, plans.c.document, plans.c.source_path, plans.c.loaded_at)):
        text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        rows.append({"plan_id": plan_id, "number": 1, "created_at": loaded or datetime.now(UTC),
                     "author": "lokflow sync", "source": "file", "origin": path,
                     "reason": "loaded before plans had revisions", "document": document,
                     "digest": hashlib.sha256(text.encode("utf-8")).hexdigest(), "changes": []})
    if rows:
        op.bulk_insert(revisions, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_revisions_plan_id"), table_name="plan_revisions")
    op.drop_table("plan_revisions")
