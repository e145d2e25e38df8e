"""Adding many articles at once: files, folders, zips, tables and feeds, each item with its own outcome.

``python -m eventlens add`` and the Articles page's multi-upload both turn what
the analyst hands over into items (:mod:`eventlens.news.batch`) and add them
one by one through :func:`eventlens.events.add_article`, so one bad member is
refused with its reason and never loses the good ones. Each item ends as one
:class:`Outcome`: added (a new event), grouped (the same story as an event
already stored, linked to it), duplicate (the same bytes are stored) or refused.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from eventlens import events
from eventlens.errors import UserError
from eventlens.files import read_article_file
from eventlens.news import ARTICLE_SUFFIXES, ArticleError, batch
from eventlens.store import Store

STATUSES = ("added", "grouped", "duplicate", "refused")
MAX_CONTAINER_BYTES = 50_000_000  # a zip, table or feed read from disk; its members are bounded by news.batch
_ROW = re.compile(r"^(.*?) row (\d+): ")  # how news.batch names a table row or a feed entry
TAKEN_SUFFIXES = (*batch.ARTICLE_FILE_SUFFIXES, *batch.HTML_SUFFIXES, ".csv", ".jsonl", ".zip", *batch.FEED_SUFFIXES)


@dataclass(frozen=True)
class Outcome:
    """What became of one item: its display name (untrusted), status, one sentence, and the ids it got."""

    name: str
    status: str  # one of STATUSES
    message: str
    article_id: str = ""
    event_id: str = ""
    event_date: pd.Timestamp | None = None
    date_label: str = ""
    encoding: str = ""
    category: str = ""


def refused(name: str, exc: Exception) -> Outcome:
    return Outcome(name, "refused", str(exc))


# --- reading what was given -------------------------------------------------------------


def _from_disk(path: Path, follow_symlinks: bool) -> list[batch.Item]:
    """One file as items: an article, a page, or a container of them (read with the same checks as one article)."""
    suffix = path.suffix.lower()
    if suffix in batch.ARTICLE_FILE_SUFFIXES:
        return [batch.Item(path.name, read_article_file(path, follow_symlinks))]
    if suffix not in TAKEN_SUFFIXES:
        raise ArticleError(f"{path.name}: only .txt and .md articles are accepted, or .html pages, .csv/.jsonl "
                           "tables of articles, .rss/.atom/.xml feeds and .zip archives of them.")
    payload = read_article_file(path, follow_symlinks, MAX_CONTAINER_BYTES, "zips, tables, feeds and pages")
    return batch.from_named(path.name, payload)


def _is_folder(path: Path, follow_symlinks: bool) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path, follow_symlinks=follow_symlinks).st_mode)
    except OSError:
        return False


def gather(paths: Sequence[str | Path], follow_symlinks: bool = False) -> list[batch.Item | Outcome]:
    """The items of every path (a folder: its files, not recursive); what cannot be read is a refused Outcome."""
    gathered: list[batch.Item | Outcome] = []
    for given in paths:
        path = Path(given)
        if _is_folder(path, follow_symlinks):
            children = sorted(c for c in path.iterdir() if not c.name.startswith(".")
                              and c.suffix.lower() in TAKEN_SUFFIXES)
            if len(children) > batch.MAX_ITEMS:  # refused before any is read
                raise ArticleError(f"{path} holds {len(children):,} article files; add at most {batch.MAX_ITEMS:,} "
                                   "at once.")
            if not children:
                gathered.append(Outcome(str(path), "refused", f"{path} holds no article files (.txt, .md, .html, "
                                        ".csv, .jsonl, .rss, .atom, .xml, .zip); nothing was added."))
            for child in children:
                gathered += _read(child, follow_symlinks)
        else:
            gathered += _read(path, follow_symlinks)
        if sum(isinstance(g, batch.Item) for g in gathered) > batch.MAX_ITEMS:
            raise ArticleError(f"These files hold more than {batch.MAX_ITEMS:,} articles; add at most "
                               f"{batch.MAX_ITEMS:,} at once.")
    return gathered


def _read(path: Path, follow_symlinks: bool) -> list[batch.Item | Outcome]:
    try:
        return list(_from_disk(path, follow_symlinks))
    except UserError as exc:
        return [refused(str(path), exc)]


def gather_uploads(files: Iterable[tuple[str, bytes]]) -> list[batch.Item | Outcome]:
    """Uploaded files (name, bytes) as items; a file that is not an article or a container of them is refused."""
    gathered: list[batch.Item | Outcome] = []
    for name, payload in files:
        try:
            gathered += batch.from_named(name, payload)
        except UserError as exc:
            gathered.append(refused(name, exc))
    if sum(isinstance(g, batch.Item) for g in gathered) > batch.MAX_ITEMS:
        raise ArticleError(f"These files hold more than {batch.MAX_ITEMS:,} articles; add at most "
                           f"{batch.MAX_ITEMS:,} at once.")
    return gathered


# --- adding --------------------------------------------------------------------------------


def stored_name(item_name: str) -> str:
    """The file name an item is stored under: its own for an article file, ``<table> row N.txt`` for a row or
    feed entry, ``<page>.html.txt`` for a saved page."""
    row = _ROW.match(item_name)
    if row is not None:
        return f"{Path(row.group(1)).name} row {row.group(2)}.txt"
    base = Path(item_name).name.strip() or "article"
    return base if Path(base).suffix.lower() in ARTICLE_SUFFIXES else f"{base}.txt"


def add_item(item: batch.Item, store: Store) -> Outcome:
    """Add one item; its refusal or duplicate is an Outcome, not an exception (the store's own failures raise)."""
    try:
        row = events.add_article(item.payload, stored_name(item.name), store=store, url=item.url or None)
    except events.DuplicateArticleError as exc:
        return Outcome(item.name, "duplicate", f"already stored as article {exc.existing}; nothing was added.",
                       article_id=exc.existing)
    except ArticleError as exc:
        return refused(item.name, exc)
    date = None if pd.isna(row["event_date"]) else pd.Timestamp(row["event_date"])
    said = "undated" if date is None else f"{date:%Y-%m-%d}"
    if row["grouped_with"]:
        return Outcome(item.name, "grouped",
                       f"article {row['article_id']} grouped with event {row['event_id']} (the same story as "
                       f"article {row['grouped_with']}, {said}); the event study counts it once.",
                       row["article_id"], row["event_id"], date, str(row["date_label"]), str(row["encoding"]),
                       str(row["category"]))
    trading = "none" if pd.isna(row["trading_date"]) else f"{row['trading_date']:%Y-%m-%d}"
    return Outcome(item.name, "added",
                   f"article {row['article_id']} ({row['encoding']}): event {row['event_id']}, event date {said}, "
                   f"trading date {trading}, {row['date_label']}, category {row['category']}, direction "
                   f"{row['direction']}", row["article_id"], row["event_id"], date, str(row["date_label"]),
                   str(row["encoding"]), str(row["category"]))


def add_all(gathered: Sequence[batch.Item | Outcome], store: Store | None = None,
            progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """Add every item in order (refusals from reading kept in place); ``progress(done, total)`` after each."""
    store = store or events.default_store()
    out: list[Outcome] = []
    for i, entry in enumerate(gathered, start=1):
        out.append(entry if isinstance(entry, Outcome) else add_item(entry, store))
        if progress is not None:
            progress(i, len(gathered))
    return out


def counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    return {status: sum(o.status == status for o in outcomes) for status in STATUSES}


def summary(outcomes: Sequence[Outcome]) -> str:
    n = counts(outcomes)
    return (f"{len(outcomes)} item(s): {n['added']} added, {n['grouped']} grouped with an event already stored, "
            f"{n['duplicate']} duplicate(s), {n['refused']} refused")


def exit_code(outcomes: Sequence[Outcome]) -> int:
    """0 when anything was stored or everything was stored already (a re-run is not a failure); 2 when all refused.

    A batch that was partly refused still exits 0: the good items are stored and each refusal is printed.
    """
    n = counts(outcomes)
    return 2 if outcomes and n["refused"] == len(outcomes) else 0


def is_single_article(paths: Sequence[str | Path], follow_symlinks: bool) -> bool:
    """One path that is not a folder nor a container: ``add`` keeps its one-article contract (a refusal or a
    duplicate is exit 2 with one line on stderr)."""
    if len(paths) != 1:
        return False
    path = Path(paths[0])
    suffix = path.suffix.lower()
    container = suffix in TAKEN_SUFFIXES and suffix not in batch.ARTICLE_FILE_SUFFIXES
    return not container and not _is_folder(path, follow_symlinks)
