"""The whole store as one file, and back: what a Streamlit Cloud user keeps when the app's disk is wiped.

The file is JSON (articles' bytes in base64) so that it can be read, diffed
and restored into any database the store runs on. Restoring is allowed only
into an empty store (one that holds nothing but its untouched seeds), so a
backup never silently merges into, or replaces, an analyst's work.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from eventlens.store import schema
from eventlens.store.database import StoreError, translated
from eventlens.store.repository import Store

FORMAT = "eventlens-store"
FORMAT_VERSION = 1
TABLES = (schema.articles, schema.events, schema.event_articles, schema.corrections)
MAX_BACKUP_BYTES = 200_000_000


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, memoryview)):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _from_json(column: sa.Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.LargeBinary):
        return base64.b64decode(value["base64"])
    if isinstance(column.type, sa.DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, sa.Date):
        return dt.date.fromisoformat(value)
    return value


def export_bytes(store: Store) -> bytes:
    """Every article, event, link and correction as one JSON document (UTF-8)."""
    out: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION,
                           "exported_at": dt.datetime.now(dt.timezone.utc).isoformat()}
    with translated(store.engine), store.engine.connect() as conn:
        for table in TABLES:
            key = next(iter(table.primary_key.columns))
            rows = conn.execute(sa.select(table).order_by(key)).mappings().all()
            out[table.name] = [{k: _jsonable(v) for k, v in row.items()} for row in rows]
    return json.dumps(out, ensure_ascii=False, indent=1).encode("utf-8")


def _parse(payload: bytes) -> dict[str, Any]:
    if len(payload) > MAX_BACKUP_BYTES:
        raise StoreError(f"The backup is {len(payload):,} bytes; at most {MAX_BACKUP_BYTES:,} are accepted.")
    try:
        doc = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError("This file is not an EventLens store backup (not UTF-8 JSON).") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StoreError("This file is not an EventLens store backup (no 'eventlens-store' format mark).")
    if doc.get("format_version") != FORMAT_VERSION:
        raise StoreError(f"This backup has format version {doc.get('format_version')!r}; this app reads version "
                         f"{FORMAT_VERSION}.")
    for table in TABLES:
        if not isinstance(doc.get(table.name), list):
            raise StoreError(f"The backup lacks its '{table.name}' table.")
    return doc


def is_empty(store: Store) -> bool:
    """True when the store holds nothing an analyst made: only seed articles, never corrected."""
    with translated(store.engine), store.engine.connect() as conn:
        uploads = conn.execute(sa.select(sa.func.count()).select_from(schema.articles)
                               .where(schema.articles.c.origin != "seed")).scalar()
        corrections = conn.execute(sa.select(sa.func.count()).select_from(schema.corrections)).scalar()
    return not uploads and not corrections


def import_bytes(store: Store, payload: bytes) -> dict[str, int]:
    """Restore a backup into an empty store in one transaction; returns rows restored per table."""
    doc = _parse(payload)
    if not is_empty(store):
        raise StoreError("This store already holds uploaded articles or corrections; restore a backup only into "
                         "an empty store (a new state folder or database).")
    counts: dict[str, int] = {}
    try:
        with translated(store.engine), store.writer.begin() as conn:
            for table in reversed(TABLES):
                conn.execute(table.delete())
            for table in TABLES:
                rows = [{c.name: _from_json(c, row.get(c.name)) for c in table.columns} for row in doc[table.name]]
                if rows:
                    conn.execute(table.insert(), rows)
                counts[table.name] = len(rows)
            if conn.dialect.name == "postgresql" and counts.get("corrections"):
                conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('corrections', 'correction_id'), "
                                     "(SELECT max(correction_id) FROM corrections))"))
            store.bump_revision(conn)
    except (sa.exc.IntegrityError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoreError("The backup's rows are inconsistent (missing fields or broken links); nothing was "
                         "restored.") from exc
    return counts
