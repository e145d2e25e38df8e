"""Articles, events, the link between them, and the store's revision counter.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("encoding", sa.String(32), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(80), primary_key=True),
        sa.Column("event_date", sa.Date, nullable=True),
        sa.Column("trading_date", sa.Date, nullable=True),
        sa.Column("date_confidence", sa.Float, nullable=True),
        sa.Column("date_label", sa.String(16), nullable=False),
        sa.Column("date_evidence", sa.Text, nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("direction", sa.String(24), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("corrected", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "event_articles",
        sa.Column("event_id", sa.String(80), sa.ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
                  primary_key=True, unique=True),
        sa.Column("is_primary", sa.Boolean, nullable=False),
    )
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("store_meta", "event_articles", "events", "articles"):
        op.drop_table(table)
