"""The store's tables, as SQLAlchemy Core metadata (one definition for SQLite and PostgreSQL).

What the data *is* decides the tables: an article is the bytes an analyst
gave us (kept whole, so it can be decoded again and exported byte for byte);
an event is a dated piece of news on a trading day; ``event_articles`` links
them (several outlets can tell one event); a correction is one analyst change
with the event's fields before and after it, so history and undo need
nothing else. ``store_meta`` holds the store's revision, a number every write
raises in the same transaction: the app's caches key on it.

Alembic migrations in ``eventlens/store/migrations`` upgrade these tables;
a brand-new store is created from this metadata directly
(:mod:`eventlens.store.creation`), so it must describe exactly the schema the
migrations build: a test compares the two on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),  # the same bytes are stored once
    Column("filename", Text, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("encoding", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("url", Text, nullable=True),
    Column("origin", String(16), nullable=False),  # seed | upload
    Column("added_at", DateTime(timezone=True), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(80), primary_key=True),
    Column("event_date", Date, nullable=True),  # the day the news happened (None: undated)
    Column("trading_date", Date, nullable=True),  # the first session whose close can reflect it
    Column("date_confidence", Float, nullable=True),  # the dating model's probability; None when a person set it
    Column("date_label", String(16), nullable=False),
    Column("date_evidence", Text, nullable=False),
    Column("category", String(40), nullable=False),
    Column("direction", String(24), nullable=False),
    Column("summary", Text, nullable=False),
    Column("origin", String(16), nullable=False),  # inferred | curated | analyst
    Column("corrected", Text, nullable=False, default=""),  # fields an analyst changed, comma-separated
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Optimistic concurrency: +1 on every change. Last and with a server default, as migration 0002 adds it,
    # so that a new store made from this metadata has exactly the migrated schema (eventlens.store.creation).
    Column("version", Integer, nullable=False, default=1, server_default="1"),
)

event_articles = Table(
    "event_articles",
    metadata,
    Column("event_id", String(80), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(64), ForeignKey("articles.article_id", ondelete="CASCADE"), primary_key=True,
           unique=True),  # an article tells exactly one event
    Column("is_primary", Boolean, nullable=False, default=True),
)

corrections = Table(
    "corrections",
    metadata,
    Column("correction_id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(80), ForeignKey("events.event_id", ondelete="CASCADE"), nullable=False, index=True),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("kind", String(8), nullable=False),  # edit | undo
    Column("fields", Text, nullable=False),  # comma-separated field names that changed
    Column("before", Text, nullable=False),  # JSON: the event's stored fields before the change
    Column("after", Text, nullable=False),  # JSON: the same fields after it
    Column("note", Text, nullable=False, default=""),  # the analyst's note (optional)
    Column("version", Integer, nullable=False),  # the event's version this change produced
    Column("undone", Boolean, nullable=False, default=False),
)

store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Text, nullable=False),
)
