"""The events store (``data/events.csv``): one dated, categorised event per article.

The store is what every page reads, so :func:`load_events` only reads and
checks a small CSV (the dating engine runs when an article is added, not on
every page view). It is built from the seed articles on first use when the
file is missing. A store that someone hand-edited into a broken state is
reported with a clear :class:`EventStoreError` and never overwritten: the
analyst's corrections in it are worth more than a rebuild.

Every write is a read-modify-write under :func:`eventlens.storage.locked`
and lands with :func:`eventlens.storage.atomic_write_text`, so two writers
cannot drop each other's change and a failed write leaves the old file intact.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
from pathlib import Path
from typing import Any

import pandas as pd

from eventlens import known_events as known_mod
from eventlens.articles import (
    ARTICLE_SUFFIXES,
    CATEGORIES,
    DIRECTIONS,
    MAX_BYTES,
    Article,
    ArticleError,
    find_duplicate,
    new_article_id,
    parse_article,
)
from eventlens.dating import Calendar, DateResult, default_calendar, infer_date
from eventlens.errors import UserError
from eventlens.paths import articles_dir, events_path, seeds_dir
from eventlens.storage import atomic_write_bytes, atomic_write_text, locked

COLUMNS = [
    "event_id", "article_id", "title", "source", "event_date", "trading_date", "date_confidence", "date_label",
    "date_evidence", "category", "direction", "summary", "origin", "corrected", "encoding",
]
REQUIRED = ["event_id", "article_id", "title", "source", "event_date", "trading_date", "date_confidence",
            "date_evidence", "category", "direction", "summary", "origin"]
ORIGINS = ("inferred", "curated", "analyst")
EDITABLE = ("event_date", "category", "direction")
DATE_COLUMNS = ("event_date", "trading_date")


class EventStoreError(UserError):
    """The store cannot be read or a change to it is refused; one sentence for the user."""


# --- building rows ------------------------------------------------------------


def event_id_for(article_id: str) -> str:
    return f"ev_{article_id}"


def event_row(article: Article, result: DateResult | None = None, cal: Calendar | None = None,
              known: list[known_mod.KnownEvent] | None = None) -> dict[str, Any]:
    """The store row for one article: inferred date, or the curated one when the text cannot decide."""
    cal = cal or default_calendar()
    known = known_mod.load_known_events() if known is None else known
    result = result or infer_date(article.text, cal, known)
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
    curated = known_mod.curated_for(article.article_id, known) if not result.dated else None
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


def build_from_seeds() -> pd.DataFrame:
    """Date and classify every seed article (used when the store does not exist yet)."""
    cal, known = default_calendar(), known_mod.load_known_events()
    rows = []
    folder = seeds_dir()
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.suffix.lower() in ARTICLE_SUFFIXES:
            rows.append(event_row(parse_article(path.read_bytes(), path.stem, path), cal=cal, known=known))
    return _normalise(pd.DataFrame(rows, columns=COLUMNS))


# --- reading and writing --------------------------------------------------------


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    for col in DATE_COLUMNS:
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame["date_confidence"] = pd.to_numeric(frame["date_confidence"]).astype(float)
    for col in COLUMNS:
        if col not in DATE_COLUMNS and col != "date_confidence":
            frame[col] = frame[col].fillna("").astype(str)
    return frame[COLUMNS].reset_index(drop=True)


def to_csv_text(frame: pd.DataFrame) -> str:
    """The store's on-disk form: ISO dates, empty cells for unknown values."""
    out = frame[COLUMNS].copy()
    for col in DATE_COLUMNS:
        out[col] = out[col].dt.strftime("%Y-%m-%d").fillna("")
    return out.to_csv(index=False, lineterminator="\n")


def read_store(path: Path | None = None) -> pd.DataFrame:
    """Read and check the store; raise EventStoreError (never crash, never rewrite) when it is broken."""
    path = path or events_path()
    name = path.name
    try:
        raw = path.read_bytes()
        frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise EventStoreError(f"{name} is not a readable CSV file ({type(exc).__name__}); fix or remove it.") from exc
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise EventStoreError(f"{name} lacks the column(s) {', '.join(missing)}; fix the file or restore it from git.")
    for col in DATE_COLUMNS:
        parsed = pd.to_datetime(frame[col].replace("", None), format="%Y-%m-%d", errors="coerce")
        bad = frame.index[parsed.isna() & (frame[col].str.strip() != "")]
        if len(bad):
            raise EventStoreError(f"{name} row {bad[0] + 2}: {col} '{frame.at[bad[0], col]}' is not a YYYY-MM-DD date.")
    conf = pd.to_numeric(frame["date_confidence"].replace("", None), errors="coerce")
    bad = frame.index[conf.isna() & (frame["date_confidence"].str.strip() != "")]
    if len(bad):
        raise EventStoreError(f"{name} row {bad[0] + 2}: date_confidence '{frame.at[bad[0], 'date_confidence']}' "
                              "is not a number.")
    if frame["event_id"].duplicated().any():
        dup = frame.loc[frame["event_id"].duplicated(), "event_id"].iloc[0]
        raise EventStoreError(f"{name} holds event_id {dup} twice.")
    for col in DATE_COLUMNS:
        frame[col] = frame[col].replace("", None)
    frame["date_confidence"] = frame["date_confidence"].replace("", None)
    return _normalise(frame)


def _write(frame: pd.DataFrame) -> None:
    atomic_write_text(events_path(), to_csv_text(frame))


def load_events() -> pd.DataFrame:
    """The store as a DataFrame (``event_date``/``trading_date`` as datetime64); built from seeds if missing."""
    path = events_path()
    if not path.exists():
        with locked(path):
            if not path.exists():
                frame = build_from_seeds()
                with contextlib.suppress(OSError):  # a read-only deployment still gets the seeds
                    _write(frame)
                return frame
    return read_store(path)


# --- corrections ------------------------------------------------------------------


def _validate_change(field: str, value: Any, cal: Calendar) -> Any:
    if field == "event_date":
        try:
            day = pd.Timestamp(value)
        except (ValueError, TypeError) as exc:
            raise EventStoreError(f"'{value}' is not a date (use YYYY-MM-DD).") from exc
        if pd.isna(day):
            raise EventStoreError("The event date cannot be empty.")
        day = day.normalize().tz_localize(None) if day.tzinfo else day.normalize()
        if day > cal.last_session:
            raise EventStoreError(f"{day:%Y-%m-%d} is after the last session in the price data "
                                  f"({cal.last_session:%Y-%m-%d}); it cannot be mapped to a trading day.")
        if day < cal.days[0]:
            raise EventStoreError(f"{day:%Y-%m-%d} is before the price data starts ({cal.days[0]:%Y-%m-%d}).")
        return day
    if field == "category":
        if value not in CATEGORIES:
            raise EventStoreError(f"'{value}' is not a category ({', '.join(CATEGORIES)}).")
        return value
    if field == "direction":
        if value not in DIRECTIONS:
            raise EventStoreError(f"'{value}' is not a direction ({', '.join(DIRECTIONS)}).")
        return value
    raise EventStoreError(f"'{field}' cannot be edited (only {', '.join(EDITABLE)}).")


def _apply(frame: pd.DataFrame, event_id: str, changes: dict[str, Any], cal: Calendar) -> bool:
    hits = frame.index[frame["event_id"] == event_id]
    if not len(hits):
        raise EventStoreError(f"No event with id {event_id}.")
    i = hits[0]
    changed = []
    for field, value in changes.items():
        value = _validate_change(field, value, cal)
        current = frame.at[i, field]
        if field == "event_date" and not pd.isna(current) and pd.Timestamp(current) == value:
            continue
        if field != "event_date" and current == value:
            continue
        old = "undated" if field == "event_date" and pd.isna(current) else (
            f"{current:%Y-%m-%d}" if field == "event_date" else current)
        frame.at[i, field] = value
        if field == "event_date":
            frame.at[i, "trading_date"] = cal.trading_date(value)
            frame.at[i, "date_label"] = "analyst"
            frame.at[i, "date_confidence"] = float("nan")
        changed.append(field)
        frame.at[i, "date_evidence"] = f"analyst set {field} (was {old}); " + frame.at[i, "date_evidence"]
    if changed:
        frame.at[i, "origin"] = "analyst"
        previous = [c for c in frame.at[i, "corrected"].split(",") if c]
        frame.at[i, "corrected"] = ",".join(dict.fromkeys([*previous, *changed]))
    return bool(changed)


def update_event(event_id: str, **changes: Any) -> pd.Series:
    """Correct one event (event_date, category, direction); the trading date follows the event date."""
    cal = default_calendar()
    with locked(events_path()):
        frame = load_events()
        if _apply(frame, event_id, changes, cal):
            _write(frame)
        return frame.loc[frame["event_id"] == event_id].iloc[0]


def apply_edits(edited: pd.DataFrame) -> list[str]:
    """Save what changed in an edited copy of the store (``st.data_editor``); all or nothing.

    Only the editable columns are compared, against the store as it is *now*
    on disk, so a concurrent writer's change to another event is kept.
    """
    cal = default_calendar()
    missing = [c for c in ("event_id", *EDITABLE) if c not in edited.columns]
    if missing:
        raise EventStoreError(f"The edited table lacks the column(s) {', '.join(missing)}.")
    changed: list[str] = []
    with locked(events_path()):
        frame = load_events()
        current = frame.set_index("event_id")
        for _, row in edited.iterrows():
            event_id = row["event_id"]
            if event_id not in current.index:
                raise EventStoreError(f"No event with id {event_id}.")
            changes = {}
            for field in EDITABLE:
                new, old = row[field], current.at[event_id, field]
                if field == "event_date":
                    if pd.isna(new) and pd.isna(old):
                        continue
                    if not pd.isna(new) and not pd.isna(old) and pd.Timestamp(new) == pd.Timestamp(old):
                        continue
                elif new == old:
                    continue
                changes[field] = new
            if changes and _apply(frame, event_id, changes, cal):
                changed.append(event_id)
        if changed:
            _write(frame)
    return changed


# --- adding articles ---------------------------------------------------------------


class DuplicateArticleError(ArticleError):
    """The same bytes are already stored."""


def add_article(payload: bytes, filename: str) -> pd.Series:
    """Validate, store the article in ``data/articles/`` and add its inferred event; return the new row.

    Everything is checked before anything is written; if the store write
    fails after the article file was written, the article file is removed
    again so the two never disagree.
    """
    name = Path(filename).name
    parse_article(payload, "new", name=name)  # refuse bad content before anything else
    suffix = Path(filename).suffix.lower() or ".txt"
    if suffix not in ARTICLE_SUFFIXES:
        raise ArticleError(f"{name}: only .txt and .md articles are accepted.")
    with locked(events_path()):
        frame = load_events()
        duplicate = find_duplicate(payload)
        if duplicate is not None:
            raise DuplicateArticleError(f"{name} is already stored as article {duplicate}; nothing was added.")
        article_id = new_article_id(payload)
        article = parse_article(payload, article_id, name=name)
        row = event_row(article)
        target = articles_dir() / f"{article_id}{suffix}"
        atomic_write_bytes(target, payload)
        try:
            frame = _normalise(pd.concat([frame, pd.DataFrame([row])], ignore_index=True))
            _write(frame)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
            raise
        return frame.iloc[-1]


def read_article_file(path: str | Path, follow_symlinks: bool = False) -> bytes:
    """Read a file for ``date``/``add`` without loading a huge one into memory.

    Only a regular file is read: a symbolic link is refused unless
    ``follow_symlinks`` (``add`` of a link to ``/etc/passwd`` would store it and
    show it to every web user), and a FIFO, device or folder always (opening a
    FIFO blocks; ``/dev/zero`` never ends). The size in a refusal is the file's
    own, read before anything is. Messages quote the name as given; the CLI
    prints them on one line (:func:`eventlens.inert.one_line`).
    """
    path = Path(path)
    flags = os.O_RDONLY | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0)) | getattr(os, "O_NONBLOCK", 0)
    try:
        info = os.stat(path, follow_symlinks=follow_symlinks)
        if stat.S_ISLNK(info.st_mode):
            raise ArticleError(f"{path} is a symbolic link; it was not followed (use --follow-symlinks to read "
                               "the file it points to).")
        if not stat.S_ISREG(info.st_mode):
            raise ArticleError(f"{path} is not a regular file; give a plain-text article (.txt or .md).")
        fd = os.open(path, flags)  # O_NOFOLLOW: a link swapped in after the check is refused too
    except FileNotFoundError as exc:
        raise ArticleError(f"{path} is not a readable file (it does not exist).") from exc
    except OSError as exc:
        raise ArticleError(f"{path} is not a readable file ({exc.strerror or 'cannot be opened'}).") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ArticleError(f"{path} is not a regular file; give a plain-text article (.txt or .md).")
        if info.st_size > MAX_BYTES:
            raise ArticleError(f"{path.name} is {info.st_size:,} bytes; articles larger than 1 MB (1,000,000 bytes) "
                               "are refused.")
        return handle.read(MAX_BYTES + 1)


# --- command-line helpers (wired in eventlens/cli.py) -------------------------------


def events_csv() -> str:
    return to_csv_text(load_events())


def date_json(path: str | Path, follow_symlinks: bool = False) -> str:
    payload = read_article_file(path, follow_symlinks)
    article = parse_article(payload, Path(path).stem, name=Path(path).name)
    result = infer_date(article.text)
    out = {"article": Path(path).name, "encoding": article.encoding, **result.to_json_dict()}
    return json.dumps(out, indent=2, ensure_ascii=False)


def add_file(path: str | Path, follow_symlinks: bool = False) -> str:
    payload = read_article_file(path, follow_symlinks)
    row = add_article(payload, Path(path).name)
    date = "undated" if pd.isna(row["event_date"]) else f"{row['event_date']:%Y-%m-%d}"
    trading = "none" if pd.isna(row["trading_date"]) else f"{row['trading_date']:%Y-%m-%d}"
    return (f"added article {row['article_id']} ({row['encoding']}): event {row['event_id']}, event date {date}, "
            f"trading date {trading}, {row['date_label']}, category {row['category']}, direction {row['direction']}")
