"""The store: articles, events, their links and the corrections, behind one SQLAlchemy engine.

It knows how to keep data, not what the data means: :mod:`eventlens.events`
builds event rows from articles and decides what a correction changes; this
module writes them so that nothing is lost. Every write is one transaction
that also raises the store's revision; a correction carries the version of
the event the analyst saw and is refused (:class:`ConflictError`, naming the
other change) when the event moved on since, so two analysts never overwrite
each other silently. Seeds are added on first use, in a transaction that
re-checks, so two first visits cannot add them twice.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from eventlens.store import creation, schema
from eventlens.store.database import WRITE, SqliteProbe, StoreError, describe, translated

EVENT_FIELDS = ("event_date", "trading_date", "date_confidence", "date_label", "date_evidence", "category",
                "direction", "summary", "origin", "corrected")
# What a person changes or reads in a correction; the rest (evidence, origin) is kept for undo but not shown.
SHOWN_FIELDS = ("event_date", "trading_date", "category", "direction", "source")
ARTICLE_FIELDS = ("source",)  # corrected like an event's fields, but kept on its primary article
HEAD = "0002"  # the newest Alembic revision in eventlens/store/migrations/versions


class DuplicateError(StoreError):
    """The same bytes are stored already (``existing`` is their article id)."""

    def __init__(self, message: str, existing: str) -> None:
        super().__init__(message)
        self.existing = existing


class ConflictError(StoreError):
    """The event changed since the caller read it; ``changes`` describes what the other change did."""

    def __init__(self, message: str, current_version: int, changes: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.changes = changes


@dataclass(frozen=True)
class NewArticle:
    """An article and the event it tells, ready to store (built by :mod:`eventlens.events`)."""

    article_id: str
    sha256: str
    filename: str
    raw: bytes
    encoding: str
    title: str
    source: str
    origin: str  # seed | upload
    event: dict[str, Any]  # event_id plus EVENT_FIELDS
    url: str | None = None


_REVISION = sa.select(schema.store_meta.c.value).where(schema.store_meta.c.key == "revision")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _plain(value: Any) -> Any:
    """A field value as JSON can hold it (dates as ISO text, NaN as None)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    return value


def _db_value(field: str, value: Any) -> Any:
    if field in ("event_date", "trading_date"):
        return None if value is None or pd.isna(value) else pd.Timestamp(value).date()
    if field == "date_confidence":
        return None if value is None or pd.isna(value) else float(value)
    return value


class Store:
    """One database of articles and events. Cheap to keep for the life of a process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.writer = engine.execution_options(**{WRITE: True})
        self._probe = SqliteProbe(engine) if SqliteProbe.usable(engine) else None
        self.where = engine.url.render_as_string(hide_password=True)

    # --- opening -------------------------------------------------------------------

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None: no tables yet)."""
        with translated(self.engine), self.engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    def migrate(self) -> bool:
        """Create or upgrade the tables to the newest revision; never drops data. True if it ran.

        An empty database gets the newest schema without Alembic (:mod:`eventlens.store.creation`), one at
        the newest revision is left alone; only an older or unknown one imports Alembic.
        """
        found = self.schema_revision()
        if found == HEAD:
            return False
        if found is None:
            with translated(self.engine), self.writer.begin() as conn:
                self._serialise(conn)
                if creation.create_if_empty(conn, HEAD):
                    self._ensure_revision(conn)
                    return True
            found = self.schema_revision()  # another first visit may have created it meanwhile
            if found == HEAD:
                return False
        from eventlens.store.migrations_runner import known_revisions, upgrade  # alembic only when needed

        if found is not None and found not in known_revisions():
            raise StoreError(f"The store ({describe(self.engine.url)}) was written by a newer EventLens (schema "
                             f"{found}; this one knows up to {HEAD}). It was left as it is: update the app.")
        with translated(self.engine), self.writer.begin() as conn:
            self._serialise(conn)
            upgrade(conn)
            self._ensure_revision(conn)
        return True

    def created_at(self) -> str | None:
        """When this store was created and filled from the seeds (ISO, UTC): a store rebuilt after a wipe says so."""
        with translated(self.engine), self.engine.connect() as conn:
            return conn.execute(sa.select(schema.store_meta.c.value)
                                .where(schema.store_meta.c.key == "seeded")).scalar()

    def is_seeded(self) -> bool:
        with translated(self.engine), self.engine.connect() as conn:
            return conn.execute(sa.select(schema.store_meta.c.value)
                                .where(schema.store_meta.c.key == "seeded")).scalar() is not None

    def seed(self, build: Callable[[], Iterable[NewArticle]]) -> int:
        """Add the seed articles once, the first time the store is used; returns how many were added."""
        if self.is_seeded():
            return 0
        items = list(build())
        with translated(self.engine), self.writer.begin() as conn:
            self._serialise(conn)
            seeded = conn.execute(sa.select(schema.store_meta.c.value)
                                  .where(schema.store_meta.c.key == "seeded")).scalar()
            if seeded is not None:
                return 0
            known = set(conn.execute(sa.select(schema.articles.c.sha256)).scalars())
            added = 0
            for item in items:
                if item.sha256 not in known:
                    self._insert(conn, item)
                    added += 1
            conn.execute(schema.store_meta.insert().values(key="seeded", value=_now().isoformat()))
            self.bump_revision(conn)
        return added

    @staticmethod
    def _serialise(conn: Connection) -> None:
        """Let one process at a time create or fill a new store (SQLite's BEGIN IMMEDIATE does this already)."""
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7262001)"))

    def _ensure_revision(self, conn: Connection) -> None:
        has = conn.execute(sa.select(schema.store_meta.c.value)
                           .where(schema.store_meta.c.key == "revision")).scalar()
        if has is None:
            conn.execute(schema.store_meta.insert().values(key="revision", value="0"))

    # --- reading ------------------------------------------------------------------

    def revision(self) -> int:
        """A number that every write raises: what the app's caches key on (one indexed read, on every page run)."""
        if self._probe is not None:
            return int(self._probe.scalar("SELECT value FROM store_meta WHERE key = 'revision'") or 0)
        with translated(self.engine), self.engine.connect() as conn:
            value = conn.execute(_REVISION).scalar()
        return int(value or 0)

    def events(self) -> pd.DataFrame:
        """Every event with its primary article's id, title, source and encoding, in insertion order."""
        e, a, link = schema.events, schema.articles, schema.event_articles
        query = (
            sa.select(e.c.event_id, a.c.article_id, a.c.title, a.c.source, *[e.c[f] for f in EVENT_FIELDS],
                      a.c.encoding, e.c.version)
            .select_from(e.join(link, (link.c.event_id == e.c.event_id) & link.c.is_primary)
                         .join(a, a.c.article_id == link.c.article_id))
            .order_by(a.c.added_at, a.c.article_id)
        )
        with translated(self.engine), self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return pd.DataFrame([dict(r) for r in rows],
                            columns=["event_id", "article_id", "title", "source", *EVENT_FIELDS, "encoding",
                                     "version"])

    def event_articles(self, event_id: str) -> pd.DataFrame:
        """The articles that tell one event, the primary first, then in the order they were added."""
        a, link = schema.articles, schema.event_articles
        query = (sa.select(a.c.article_id, a.c.title, a.c.source, a.c.filename, a.c.url, link.c.is_primary,
                           a.c.added_at)
                 .select_from(link.join(a, a.c.article_id == link.c.article_id))
                 .where(link.c.event_id == event_id)
                 .order_by(link.c.is_primary.desc(), a.c.added_at, a.c.article_id))
        with translated(self.engine), self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return pd.DataFrame([dict(r) for r in rows],
                            columns=["article_id", "title", "source", "filename", "url", "is_primary", "added_at"])

    def stories_on(self, trading_date: Any, category: str) -> list[tuple[str, bytes, str]]:
        """(event id, raw bytes, file name) of every article of the events on one trading day and topic.

        What near-duplicate grouping compares a new article with: only that day's and topic's news, so the
        cost does not grow with the store.
        """
        with translated(self.engine), self.engine.connect() as conn:
            return self._stories_on(conn, trading_date, category)

    @staticmethod
    def _stories_on(conn: Connection, trading_date: Any, category: str) -> list[tuple[str, bytes, str]]:
        e, a, link = schema.events, schema.articles, schema.event_articles
        query = (sa.select(e.c.event_id, a.c.raw, a.c.filename)
                 .select_from(e.join(link, link.c.event_id == e.c.event_id)
                              .join(a, a.c.article_id == link.c.article_id))
                 .where((e.c.trading_date == _db_value("trading_date", trading_date)) & (e.c.category == category))
                 .order_by(a.c.added_at, a.c.article_id))
        return [(r[0], bytes(r[1]), r[2]) for r in conn.execute(query).all()]

    def article(self, article_id: str) -> tuple[bytes, str] | None:
        """The stored bytes of one article and its file name (None if there is no such article)."""
        a = schema.articles
        with translated(self.engine), self.engine.connect() as conn:
            row = conn.execute(sa.select(a.c.raw, a.c.filename).where(a.c.article_id == article_id)).first()
        return (bytes(row[0]), row[1]) if row else None

    def duplicate_of(self, sha256: str) -> str | None:
        a = schema.articles
        with translated(self.engine), self.engine.connect() as conn:
            return conn.execute(sa.select(a.c.article_id).where(a.c.sha256 == sha256)).scalar()

    def article_ids(self) -> list[str]:
        with translated(self.engine), self.engine.connect() as conn:
            return list(conn.execute(sa.select(schema.articles.c.article_id)).scalars())

    def history(self, event_id: str | None = None) -> pd.DataFrame:
        """Every correction (newest first), with each changed field's old and new value."""
        c = schema.corrections
        query = sa.select(c).order_by(c.c.correction_id.desc())
        if event_id is not None:
            query = query.where(c.c.event_id == event_id)
        with translated(self.engine), self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        out = []
        for r in rows:
            before, after = json.loads(r["before"]), json.loads(r["after"])
            for field in r["fields"].split(","):
                if field not in SHOWN_FIELDS:
                    continue
                out.append({"correction_id": r["correction_id"], "event_id": r["event_id"],
                            "changed_at": r["changed_at"], "kind": r["kind"], "field": field,
                            "old": before.get(field), "new": after.get(field), "note": r["note"],
                            "version": r["version"], "undone": bool(r["undone"])})
        return pd.DataFrame(out, columns=["correction_id", "event_id", "changed_at", "kind", "field", "old", "new",
                                          "note", "version", "undone"])

    # --- writing ------------------------------------------------------------------

    def add(self, item: NewArticle) -> None:
        """Store one article and its event; :class:`DuplicateError` if the same bytes are stored already."""
        self._store_once(item, lambda conn: self._insert(conn, item))

    def add_to_event(self, item: NewArticle, event_id: str) -> None:
        """Store one article as another telling of an existing event (not its primary), in one transaction.

        :class:`DuplicateError` if the same bytes are stored already; :class:`StoreError` if the event is gone.
        The event's own fields are unchanged: it is the same news, now with one more source.
        """
        def link(conn: Connection) -> None:
            found = conn.execute(sa.select(schema.events.c.event_id)
                                 .where(schema.events.c.event_id == event_id)).scalar()
            if found is None:
                raise StoreError(f"No event with id {event_id}; the article was not added.")
            self._link_telling(conn, item, event_id)

        self._store_once(item, link)

    def add_story(self, item: NewArticle, pick: Callable[[list[tuple[str, bytes, str]]], str | None]) -> str | None:
        """Store an article under the event ``pick`` chooses among its day's and topic's stories, or as a new event.

        ``pick`` gets :meth:`stories_on`'s rows and returns the event the article retells, or None. The
        choice and the write are one transaction, and writers of the same day and topic take turns (SQLite's
        BEGIN IMMEDIATE; a PostgreSQL advisory lock on the day and topic), so two outlets' tellings of one
        story added at the same moment end up under one event, not two. Returns the event linked to, or
        None when the article made a new event. :class:`DuplicateError` if the same bytes are stored already.
        """
        chosen: list[str | None] = [None]
        day, topic = item.event.get("trading_date"), item.event.get("category")

        def write(conn: Connection) -> None:
            dated = day is not None and not pd.isna(day)
            if dated and conn.dialect.name == "postgresql":
                key = zlib.crc32(f"{_db_value('trading_date', day)}|{topic}".encode())
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7262002, :key)"),
                             {"key": key - 2**32 if key >= 2**31 else key})
            target = pick(self._stories_on(conn, day, str(topic))) if dated else None
            if target is None:
                self._insert(conn, item)
            else:
                self._link_telling(conn, item, target)
            chosen[0] = target

        self._store_once(item, write)
        return chosen[0]

    def _store_once(self, item: NewArticle, write: Callable[[Connection], None]) -> None:
        """Run ``write`` in one transaction unless these bytes are stored already (then :class:`DuplicateError`)."""
        try:
            with translated(self.engine), self.writer.begin() as conn:
                existing = conn.execute(sa.select(schema.articles.c.article_id)
                                        .where(schema.articles.c.sha256 == item.sha256)).scalar()
                if existing is None:
                    write(conn)
                    self.bump_revision(conn)
        except sa.exc.IntegrityError:  # another writer stored the same bytes between our check and insert
            existing = self.duplicate_of(item.sha256)
            if existing is None:
                raise
        if existing is not None:
            raise DuplicateError(f"{item.filename} is already stored as article {existing}; nothing was added.",
                                 existing)

    def update_event(self, event_id: str, change: Callable[[dict[str, Any]], dict[str, Any]],
                     expected_version: int | None = None, note: str = "") -> dict[str, Any]:
        """Apply ``change`` (current fields -> changed fields) to one event in one transaction.

        ``expected_version`` is the version the caller saw; if the event has moved on,
        :class:`ConflictError` says what the other change did and nothing is written.
        Returns the event's fields after the change (with ``version``).
        """
        with translated(self.engine), self.writer.begin() as conn:
            return self._update(conn, event_id, change, expected_version, note, "edit")

    def undo_last(self, event_id: str, expected_version: int | None = None) -> dict[str, Any]:
        """Revert the event's newest correction not undone yet (every field it changed), in one transaction."""
        c = schema.corrections
        with translated(self.engine), self.writer.begin() as conn:
            last = conn.execute(sa.select(c).where((c.c.event_id == event_id) & (c.c.kind == "edit")
                                                   & sa.not_(c.c.undone))
                                .order_by(c.c.correction_id.desc()).limit(1)).mappings().first()
            if last is None:
                raise StoreError("This event has no correction to undo.")
            before = json.loads(last["before"])
            fields = last["fields"].split(",")
            restored = self._update(conn, event_id, lambda _cur: {f: before.get(f) for f in fields},
                                    expected_version, f"undo of correction {last['correction_id']}", "undo")
            conn.execute(c.update().where(c.c.correction_id == last["correction_id"]).values(undone=True))
        return restored

    def _update(self, conn: Connection, event_id: str, change: Callable[[dict[str, Any]], dict[str, Any]],
                expected_version: int | None, note: str, kind: str) -> dict[str, Any]:
        e, a, link = schema.events, schema.articles, schema.event_articles
        row = conn.execute(sa.select(e).where(e.c.event_id == event_id).with_for_update()).mappings().first()
        if row is None:
            raise StoreError(f"No event with id {event_id}.")
        primary = conn.execute(sa.select(a.c.article_id, a.c.source)
                               .select_from(link.join(a, a.c.article_id == link.c.article_id))
                               .where((link.c.event_id == event_id) & link.c.is_primary)).first()
        current = {f: row[f] for f in EVENT_FIELDS} | {"source": primary[1] if primary else ""}
        if expected_version is not None and row["version"] != expected_version:
            raise self._conflict(conn, event_id, expected_version, row["version"])
        updates = {f: v for f, v in change(dict(current)).items() if _plain(v) != _plain(current[f])}
        if not updates:
            return {**current, "version": row["version"]}
        version = row["version"] + 1
        conn.execute(e.update().where(e.c.event_id == event_id).values(
            **{f: _db_value(f, v) for f, v in updates.items() if f not in ARTICLE_FIELDS}, version=version,
            updated_at=_now()))
        if "source" in updates and primary is not None:
            conn.execute(a.update().where(a.c.article_id == primary[0]).values(source=updates["source"] or ""))
        self._record(conn, event_id, kind, current, {**current, **updates}, list(updates), note, version)
        self.bump_revision(conn)
        return {**current, **updates, "version": version}

    # --- helpers ------------------------------------------------------------------

    def _insert_article(self, conn: Connection, item: NewArticle) -> None:
        conn.execute(schema.articles.insert().values(
            article_id=item.article_id, sha256=item.sha256, filename=item.filename, raw=item.raw,
            encoding=item.encoding, title=item.title, source=item.source, url=item.url, origin=item.origin,
            added_at=_now()))

    def _link_telling(self, conn: Connection, item: NewArticle, event_id: str) -> None:
        """Store the article as another (not primary) telling of ``event_id``."""
        self._insert_article(conn, item)
        conn.execute(schema.event_articles.insert().values(event_id=event_id, article_id=item.article_id,
                                                           is_primary=False))

    def _insert(self, conn: Connection, item: NewArticle) -> None:
        now = _now()
        self._insert_article(conn, item)
        fields = {f: _db_value(f, item.event.get(f)) for f in EVENT_FIELDS}
        fields["corrected"] = fields["corrected"] or ""
        conn.execute(schema.events.insert().values(event_id=item.event["event_id"], **fields, version=1,
                                                   updated_at=now))
        conn.execute(schema.event_articles.insert().values(event_id=item.event["event_id"],
                                                           article_id=item.article_id, is_primary=True))

    def _record(self, conn: Connection, event_id: str, kind: str, before: dict[str, Any], after: dict[str, Any],
                fields: list[str], note: str, version: int) -> None:
        conn.execute(schema.corrections.insert().values(
            event_id=event_id, changed_at=_now(), kind=kind, fields=",".join(fields),
            before=json.dumps({k: _plain(v) for k, v in before.items()}),
            after=json.dumps({k: _plain(v) for k, v in after.items()}), note=note, version=version, undone=False))

    def _conflict(self, conn: Connection, event_id: str, seen: int, current: int) -> ConflictError:
        c = schema.corrections
        rows = conn.execute(sa.select(c).where((c.c.event_id == event_id) & (c.c.version > seen))
                            .order_by(c.c.correction_id)).mappings().all()
        changes = []
        for r in rows:
            before, after = json.loads(r["before"]), json.loads(r["after"])
            for field in r["fields"].split(","):
                changes.append({"field": field, "old": before.get(field), "new": after.get(field),
                                "changed_at": r["changed_at"], "kind": r["kind"]})
        from eventlens.vocabulary import in_words  # the rare path: topics and directions in words, not codes

        said = "; ".join(in_words(f"{ch['field']} {ch['old'] or 'empty'} → {ch['new'] or 'empty'}")
                         for ch in changes if ch["field"] in SHOWN_FIELDS) or "another change"
        return ConflictError(f"This event changed since you opened it ({said}). Your change was not saved; "
                             "review the event as it is now and apply yours on top if it still holds.",
                             current, changes)

    def bump_revision(self, conn: Connection) -> None:
        m = schema.store_meta
        self._ensure_revision(conn)
        conn.execute(m.update().where(m.c.key == "revision")
                     .values(value=sa.cast(sa.cast(m.c.value, sa.Integer) + 1, sa.String)))
