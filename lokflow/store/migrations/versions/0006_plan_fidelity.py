"""plan fidelity: placeholder contacts, commissioner and inferred fields of
activities; an index on outbox_items.due for the notice history

Revision ID: 0006
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("placeholder", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("commissioner", sa.Text(), nullable=True))
        batch.add_column(sa.Column("inferred", sa.JSON(), nullable=False,
                                   server_default="[]"))
    op.create_index("ix_outbox_items_due", "outbox_items", ["due"])


def downgrade() -> None:
    op.drop_index("ix_outbox_items_due", table_name="outbox_items")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("inferred")
        batch.drop_column("commissioner")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("placeholder")
