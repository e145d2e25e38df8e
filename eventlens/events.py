"""Events: what each article says happened, on which trading day, and the analyst's corrections.

This module holds the meaning of the data: how an article becomes an event
(its inferred or curated date, topic and direction), which fields an analyst
may correct and what a correction implies (a new event date moves the
trading day and makes the date the analyst's). :mod:`eventlens.store` keeps
it: every function here takes the :class:`~eventlens.store.Store` to use, or
the one named by ``EVENTLENS_DB_URL`` (default: the SQLite file in the state
folder), created, migrated and filled from ``seeds/`` on first use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from eventlens import news, seed_events
from eventlens.corrections import EDITABLE, correction, same
from eventlens.files import read_article_file
from eventlens.news import dating  # the readers, classifiers and dating clues load on first use (news.__init__)
from eventlens.news.decode import ArticleError
from eventlens.news.library import ARTICLE_SUFFIXES, sha256_hex
from eventlens.store import ConflictError, DuplicateError, NewArticle, Store, StoreError, open_store

if TYPE_CHECKING:
    from eventlens.news import Article
    from eventlens.news.dating import Calendar, DateResult
    from eventlens.news.dating.known import KnownEvent

COLUMNS = [
    "event_id", "article_id", "title", "source", "event_date", "trading_date", "date_confidence", "date_label",
    "date_evidence", "category", "direction", "summary", "origin", "corrected", "encoding", "version",
]
REQUIRED = ["event_id", "article_id", "title", "source", "event_date", "trading_date", "date_confidence",
            "date_evidence", "category", "direction", "summary", "origin"]
ORIGINS = ("inferred", "curated", "analyst")
DATE_COLUMNS = ("event_date", "trading_date")


EventStoreError = StoreError  # the store cannot be read or a change to it is refused
ArticleConflict = ConflictError
_ID_RE = re.compile(r"^(\d{3,})_([0-9a-f]{16})$")


# --- building rows ------------------------------------------------------------


def event_id_for(article_id: str) -> str:
    return f"ev_{article_id}"


def event_row(article: Article, result: DateResult | None = None, cal: Calendar | None = None,
              known: list[KnownEvent] | None = None) -> dict[str, Any]:
    """The store row for one article: inferred date, or the curated one when the text cannot decide."""
    cal = cal or dating.default_calendar()
    known = dating.known.load_known_events() if known is None else known
    result = result or dating.infer_date(article.text, cal, known)
    cls = article.classify()
    row: dict[str, Any] = {
        "event_id": event_id_for(article.article_id),
        "article_id": article.article_id,
        "title": article.title,
        "source": article.source(),
        "category": cls.category,
        "direction": cls.direction,
        "summary": article.summary(),
        "corrected": "",
        "encoding": article.encoding,
    }
    curated = dating.known.curated_for(article.article_id, known) if not result.dated else None
    if curated is not None:
        row.update(event_date=curated.start, trading_date=cal.trading_date(curated.start), date_confidence=None,
                   date_label="curated", origin="curated",
                   date_evidence=f"curated: {curated.name}, {curated.start:%Y-%m-%d} (source: {curated.source}); "
                                 f"engine: {result.note}; " + result.evidence_summary())
    else:
        row.update(event_date=result.event_date, trading_date=result.trading_date,
                   date_confidence=round(result.confidence, 4) if result.dated else None,
                   date_label=result.label, origin="inferred",
                   date_evidence=f"{result.note}; " + result.evidence_summary())
    row["date_evidence"] += "; why: " + " | ".join(cls.reasons)
    return row


def new_article(payload: bytes, article_id: str, filename: str, origin: str, cal: Calendar | None = None,
                known: list[KnownEvent] | None = None, url: str | None = None) -> NewArticle:
    """An article with its dated, classified event, ready for :meth:`Store.add` (parsing refuses bad input)."""
    article = news.parse_article(payload, article_id, name=filename)
    row = event_row(article, cal=cal, known=known)
    return NewArticle(article_id=article_id, sha256=sha256_hex(payload), filename=filename, raw=payload,
                      encoding=article.encoding, title=row["title"], source=row["source"], origin=origin, event=row,
                      url=url)


def seed_articles(kept_rows: bool = True) -> Iterator[NewArticle]:
    """Every seed article, dated and classified: what a new store starts with.

    A seed whose row is kept in ``data/seed_events.json`` for the same bytes and inputs is taken from
    there (:mod:`eventlens.seed_events`); any other, or every one without ``kept_rows``, is read, dated and
    classified here.
    """
    files = seed_events.seed_files()
    payloads = [f.read_bytes() for f in files]
    kept = seed_events.kept_rows() if kept_rows else {}
    cal, known = None, None
    for path, payload, digest in zip(files, payloads, seed_events.digests(payloads), strict=True):
        row = kept.get(digest)
        if row is not None:
            yield NewArticle(article_id=path.stem, sha256=sha256_hex(payload), filename=path.name, raw=payload,
                             encoding=row["encoding"], title=row["title"], source=row["source"], origin="seed",
                             event=dict(row))
            continue
        if cal is None:
            cal, known = dating.default_calendar(), dating.known.load_known_events()
        yield new_article(payload, path.stem, path.name, "seed", cal, known)


def build_from_seeds() -> pd.DataFrame:
    """The seed events without a store: what the app shows read-only when the store cannot be reached."""
    rows = [{**item.event, "version": 0} for item in seed_articles()]
    return _normalise(pd.DataFrame(rows, columns=COLUMNS))




# --- reading --------------------------------------------------------------------

_STORES: dict[str, Store] = {}


def default_store() -> Store:
    """The store named by ``EVENTLENS_DB_URL`` (default: SQLite in the state folder), opened once per process."""
    from eventlens.store.database import create_store_engine, database_url

    url = database_url()
    store = _STORES.get(url)
    if store is None:
        store = _STORES[url] = open_store(create_store_engine(url), seed_articles)
    return store


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in COLUMNS:
        if col not in frame.columns:
            frame[col] = 0 if col == "version" else ""
    for col in DATE_COLUMNS:
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame["date_confidence"] = pd.to_numeric(frame["date_confidence"]).astype(float)
    frame["version"] = pd.to_numeric(frame["version"]).fillna(0).astype(int)
    for col in COLUMNS:
        if col not in DATE_COLUMNS and col not in ("date_confidence", "version"):
            frame[col] = frame[col].fillna("").astype(str)
    return frame[COLUMNS].reset_index(drop=True)


def to_csv_text(frame: pd.DataFrame) -> str:
    """The events as CSV: ISO dates, empty cells for unknown values (no store-internal version)."""
    out = frame[[c for c in COLUMNS if c != "version"]].copy()
    for col in DATE_COLUMNS:
        out[col] = out[col].dt.strftime("%Y-%m-%d").fillna("")
    return out.to_csv(index=False, lineterminator="\n")


def load_events(store: Store | None = None) -> pd.DataFrame:
    """Every event (``event_date``/``trading_date`` as datetime64, ``version`` for safe corrections)."""
    return _normalise((store or default_store()).events())


def load_article(article_id: str, store: Store | None = None) -> Article:
    """One stored article by id, decoded and cleaned as when it was added."""
    found = (store or default_store()).article(article_id)
    if found is None:
        raise ArticleError(f"No article with id {article_id}.")
    raw, filename = found
    return news.parse_article(raw, article_id, name=filename)


def seed_article(article_id: str) -> Article:
    """A seed article read from ``seeds/`` (what the app shows while the store cannot be read)."""
    for path in seed_events.seed_files():
        if path.stem == article_id:
            return news.parse_article(path.read_bytes(), article_id, name=path.name)
    raise ArticleError(f"No article with id {article_id} (the store cannot be read; only seeds are shown).")


def history(event_id: str | None = None, store: Store | None = None) -> pd.DataFrame:
    """The corrections (newest first): which field changed, from what to what, when, and any note."""
    return (store or default_store()).history(event_id)


# --- corrections ------------------------------------------------------------------


def update_event(event_id: str, expected_version: int | None = None, note: str = "", store: Store | None = None,
                 **changes: Any) -> pd.Series:
    """Correct one event (event_date, category, direction, source); the trading date follows the event date.

    ``expected_version`` is the version the analyst saw: if someone changed the event since,
    :class:`ConflictError` names that change and nothing is saved.
    """
    store = store or default_store()
    store.update_event(event_id, correction(changes, dating.default_calendar()), expected_version, note)
    frame = load_events(store)
    return frame.loc[frame["event_id"] == event_id].iloc[0]


def apply_edits(edited: pd.DataFrame, store: Store | None = None, note: str = "") -> list[str]:
    """Save what changed in an edited copy of the events (``st.data_editor``); returns the changed ids.

    Only the editable columns are compared, against the store as it is *now*, so another
    analyst's change to a different event is kept. With a ``version`` column, a row whose
    event changed since it was read raises :class:`ConflictError` (rows before it are saved).
    """
    store = store or default_store()
    cal = dating.default_calendar()
    missing = [c for c in ("event_id", *EDITABLE) if c not in edited.columns]
    if missing:
        raise EventStoreError(f"The edited table lacks the column(s) {', '.join(missing)}.")
    current = load_events(store).set_index("event_id")
    plans = []
    for _, row in edited.iterrows():
        event_id = row["event_id"]
        if event_id not in current.index:
            raise EventStoreError(f"No event with id {event_id}.")
        seen = int(row["version"]) if "version" in edited.columns and not pd.isna(row["version"]) else None
        changes = {f: row[f] for f in EDITABLE if not same(f, row[f], current.at[event_id, f])}
        if changes:
            plans.append((event_id, correction(changes, cal), seen))  # validated before anything is written
    changed = []
    for event_id, apply, seen in plans:
        after = store.update_event(event_id, apply, seen, note)
        if after["version"] != current.at[event_id, "version"]:
            changed.append(event_id)
    return changed


def undo_last(event_id: str, expected_version: int | None = None, store: Store | None = None) -> pd.Series:
    """Revert the event's newest correction that is not undone yet."""
    store = store or default_store()
    store.undo_last(event_id, expected_version)
    frame = load_events(store)
    return frame.loc[frame["event_id"] == event_id].iloc[0]


# --- adding articles ---------------------------------------------------------------


DuplicateArticleError = DuplicateError


def next_article_id(payload: bytes, store: Store) -> str:
    """``<next number>_<first 16 hex of sha256>``, numbered after every stored article."""
    numbers = [int(m.group(1)) for aid in store.article_ids() if (m := _ID_RE.match(aid))]
    return f"{(max(numbers) + 1) if numbers else 0:03d}_{sha256_hex(payload)[:16]}"


def retold_in(text: str, stories: list[tuple[str, bytes, str]]) -> str | None:
    """The event among ``stories`` ((event id, raw bytes, file name) rows) whose article ``text`` nearly repeats."""
    new = news.duplicates.shingles(text)
    for event_id, raw, filename in stories:
        try:
            old = news.duplicates.shingles(news.parse_article(raw, event_id, name=filename).text)
        except ArticleError:
            continue
        union = new | old
        if union and len(new & old) / len(union) >= news.duplicates.NEAR_DUPLICATE:
            return event_id
    return None


def add_article(payload: bytes, filename: str, store: Store | None = None, url: str | None = None) -> pd.Series:
    """Validate, date and classify an article, then store it with its event in one transaction.

    Everything is checked before anything is written. The same bytes are stored once
    (:class:`DuplicateArticleError`), even when several writers add them at the same time. The
    same story from another outlet (:func:`retold_in`) is linked to the event already stored
    instead of making a second one, so the event study counts news, not articles. Returns the
    event's row with ``article_id`` the new article and ``grouped_with`` the event's primary
    article ("" when the article made a new event).
    """
    store = store or default_store()
    name = Path(filename).name
    suffix = Path(name).suffix.lower() or ".txt"
    if suffix not in ARTICLE_SUFFIXES:
        raise ArticleError(f"{name}: only .txt and .md articles are accepted.")
    text = news.parse_article(payload, "new", name=name).text  # refuse bad content before anything else
    existing = store.duplicate_of(sha256_hex(payload))
    if existing is not None:
        raise DuplicateArticleError(f"{name} is already stored as article {existing}; nothing was added.", existing)
    item = new_article(payload, next_article_id(payload, store), name if Path(name).suffix else name + suffix,
                       "upload", url=url or None)
    try:  # the grouping is decided inside the write, so simultaneous tellings of one story share an event
        target = store.add_story(item, lambda stories: retold_in(text, stories))
    except DuplicateError as exc:
        raise DuplicateArticleError(f"{name} is already stored as article {exc.existing}; nothing was added.",
                                    exc.existing) from None
    frame = load_events(store)
    row = frame.loc[frame["event_id"] == (target or item.event["event_id"])].iloc[0].copy()
    row["grouped_with"] = row["article_id"] if target is not None else ""
    row["article_id"] = item.article_id
    return row


def event_articles(event_id: str, store: Store | None = None) -> pd.DataFrame:
    """The articles that tell one event (primary first): who else reported the same news."""
    return (store or default_store()).event_articles(event_id)


# --- what the command line prints ---------------------------------------------------


def events_csv(store: Store | None = None) -> str:
    return to_csv_text(load_events(store))


def history_csv(store: Store | None = None) -> str:
    frame = history(store=store)
    return frame.to_csv(index=False, lineterminator="\n")


def date_json(path: str | Path, follow_symlinks: bool = False) -> str:
    payload = read_article_file(path, follow_symlinks)
    article = news.parse_article(payload, Path(path).stem, name=Path(path).name)
    result = dating.infer_date(article.text)
    out = {"article": Path(path).name, "encoding": article.encoding, **result.to_json_dict()}
    return json.dumps(out, indent=2, ensure_ascii=False)


def add_file(path: str | Path, follow_symlinks: bool = False, store: Store | None = None) -> str:
    payload = read_article_file(path, follow_symlinks)
    row = add_article(payload, Path(path).name, store)
    date = "undated" if pd.isna(row["event_date"]) else f"{row['event_date']:%Y-%m-%d}"
    trading = "none" if pd.isna(row["trading_date"]) else f"{row['trading_date']:%Y-%m-%d}"
    grouped = (f", grouped with event {row['event_id']} (the same story as article {row['grouped_with']}; counted "
               "once)" if row["grouped_with"] else "")
    return (f"added article {row['article_id']} ({row['encoding']}){grouped}: event {row['event_id']}, "
            f"event date {date}, trading date {trading}, {row['date_label']}, category {row['category']}, "
            f"direction {row['direction']}")
