"""Correction history with undo, and a version per event for optimistic concurrency.

Before this revision a correction overwrote the event and left only the list
of corrected fields; now every change is a row with the event's fields
before and after it, and each event counts its versions so that a save made
on a stale view is refused instead of silently overwriting another analyst.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.create_table(
        "corrections",
        sa.Column("correction_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(80), sa.ForeignKey("events.event_id", ondelete="CASCADE"), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("undone", sa.Boolean, nullable=False),
    )
    op.create_index("ix_corrections_event_id", "corrections", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_corrections_event_id", "corrections")
    op.drop_table("corrections")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("version")
