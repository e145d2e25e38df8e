"""Cached loaders of the events store: its table, index and names, and the Articles page's views of it.

Every loader here is keyed by :func:`events_key` (the store's location and revision), so a write to the
store, the CLI's included, is seen on the next run, and no list of caches is cleared by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from eventlens import events, vocabulary
from eventlens.event_index import EventIndex, build_index
from eventlens.inert import plain
from ui import store
from ui.loaders import caching


@caching.resource(show_spinner=False, max_entries=8)
def stored_events(where: str, revision: int) -> pd.DataFrame:
    """The events of one version of the store (``where, revision`` = :func:`events_key`). Never mutate it."""
    return store.load(where)


@caching.resource(show_spinner=False, max_entries=8)
def _event_index(where: str, revision: int) -> EventIndex:
    return build_index(stored_events(where, revision))


def event_index() -> EventIndex:
    """The store's events in trading-date order with their picker labels and study keys."""
    return _event_index(*events_key())


@caching.resource(show_spinner=False, max_entries=8)
def _event_names(where: str, revision: int, width: int) -> dict[str, str]:
    return vocabulary.headlines(stored_events(where, revision), width)


def event_names(width: int = vocabulary.HEADLINE_WIDTH) -> dict[str, str]:
    """Event id -> "2024-04-29 · Musk in Beijing wins…" (headline cut at ``width``) for the current store; none
    when it cannot be read (the Event study then studies typed dates, which name themselves)."""
    try:
        return _event_names(*events_key(), width)
    except Exception:  # noqa: BLE001 - names only decorate; the page reports the store's failure itself
        return {}


def events_key() -> tuple[str, int]:
    """The store's location and revision: a cheap key that changes with every write, the CLI's too."""
    return store.events_key()


def events_table() -> pd.DataFrame:
    """The events store (a copy the caller may change: copy-on-write makes it free until then)."""
    return stored_events(*events_key()).copy(deep=False)


@dataclass(frozen=True)
class StoreViews:
    """What the Articles page draws from the store, built once per version of the store."""

    listing: pd.DataFrame  # the events list, headers in words, how sure the date is as one phrase
    labels: dict[str, str]  # article id -> "YYYY-MM-DD · headline" (event date, or "undated")
    records: dict[str, dict]  # article id -> its stored row
    editable: pd.DataFrame  # the columns an analyst may correct, with their context


@caching.resource(show_spinner=False, max_entries=8)
def _store_views(where: str, revision: int) -> StoreViews:
    stored = stored_events(where, revision)
    listing = stored[["title", "source", "event_date", "trading_date", "date_label", "date_confidence", "category",
                     "direction", "origin"]].copy()
    # A date a person set (curated, analyst) has no model probability: the one phrase says who set it.
    listing["date_confidence"] = [
        vocabulary.confidence_phrase(c, o) for c, o in zip(stored["date_confidence"], stored["origin"], strict=True)
    ]
    listing["category"] = listing["category"].map(vocabulary.topic_label)  # codes never reach the reader
    listing["direction"] = listing["direction"].map(vocabulary.direction_label)
    # Headers in words in the grid and in its CSV (the grid's toolbar download uses the frame's own names).
    listing = listing.rename(columns={
        "title": "Headline", "source": "Source", "event_date": "News date", "trading_date": "Trading day",
        "date_label": "Confidence", "date_confidence": "Date confidence", "category": "Topic",
        "direction": "Direction", "origin": "Origin"})
    labels = {
        str(a): f"{'undated' if pd.isna(d) else f'{d:%Y-%m-%d}'} · {plain(t, 90)}"
        for a, d, t in zip(stored["article_id"], stored["event_date"], stored["title"], strict=True)
    }
    records = {str(r["article_id"]): r for r in stored.to_dict("records")}
    editable = stored[["event_id", "title", "event_date", "source", "category", "direction", "origin",
                       "version"]].copy()
    return StoreViews(listing, labels, records, editable)


def store_views() -> StoreViews:
    """The Articles page's list, picker labels, rows and correction table for the current store."""
    return _store_views(*events_key())


@caching.resource(show_spinner=False, max_entries=256)  # callers filter it into new frames, never change it
def _event_articles(where: str, revision: int, event_id: str) -> pd.DataFrame:
    opened = store.current()
    if opened is None or where == store.SEEDS_ONLY:
        return pd.DataFrame(columns=["article_id", "title", "source", "is_primary"])
    return events.event_articles(event_id, opened)


def event_articles(event_id: str) -> pd.DataFrame:
    """The articles that tell one event, primary first (re-read when the store changes, the CLI's adds too)."""
    return _event_articles(*events_key(), event_id)


def other_tellings(event_id: str) -> tuple[tuple[str, str], ...]:
    """(source, title) of each article that retells one event, its primary left out: the Reader's "Also reported by"."""
    return _other_tellings(*events_key(), event_id)


@caching.resource(show_spinner=False, max_entries=256)
def _other_tellings(where: str, revision: int, event_id: str) -> tuple[tuple[str, str], ...]:
    told = event_articles(event_id)
    others = told[~told["is_primary"].astype(bool)]
    return tuple((str(s), str(t)) for s, t in zip(others["source"], others["title"], strict=True))


def event_history(event_id: str, version: int) -> pd.DataFrame:
    """One event's corrections as the Articles page shows them (keyed by the event's version and the store's)."""
    return _event_history(event_id, version, *events_key())


@caching.resource(show_spinner=False, max_entries=64)
def _event_history(event_id: str, version: int, where: str, revision: int) -> pd.DataFrame:
    opened = store.current()
    if opened is None or where == store.SEEDS_ONLY:
        raise events.EventStoreError("The events store cannot be read, so its history cannot be shown.")
    changes = events.history(event_id, store=opened)[["changed_at", "kind", "field", "old", "new", "note", "undone"]]
    words = {"category": vocabulary.topic_label, "direction": vocabulary.direction_label}  # codes never shown
    for side in ("old", "new"):
        changes[side] = [words[f](v) if f in words and not vocabulary.missing(v) else v
                         for f, v in zip(changes["field"], changes[side], strict=True)]
    changes["field"] = changes["field"].map(vocabulary.in_words)
    return changes
