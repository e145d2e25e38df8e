"""Many articles at once: a folder, a .zip, a CSV or JSONL of articles, an RSS/Atom feed, saved web pages.

The CLI's ``add`` and the Articles page's multi-upload both need the same
thing: turn whatever the analyst hands over into ``(name, bytes)`` items that
the single-article path (decode, clean, date, store) then accepts or refuses
one by one, so a bad member never loses the good ones. Everything is
bounded: a batch holds at most :data:`MAX_ITEMS` articles, a zip at most
:data:`MAX_ZIP_BYTES` uncompressed, each article at most ``MAX_BYTES``
(checked later by :func:`eventlens.news.decode.decode_article`).

CSV and JSONL rows carry ``title`` and ``text`` (``url`` and ``published``
optional); the item is the title, a blank line and the text, with a
``Published <date>`` line when one is given, so the dating engine reads it as
a publication stamp like any other.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from eventlens.news.decode import MAX_BYTES, ArticleError
from eventlens.news.html import html_to_article

MAX_ITEMS = 1000
MAX_ZIP_BYTES = 200_000_000
ARTICLE_FILE_SUFFIXES = (".txt", ".md")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Item:
    """One article of a batch: a display name (file, zip member, row or feed entry) and its bytes."""

    name: str
    payload: bytes
    url: str = ""


def _article_bytes(title: str, text: str, published: str = "") -> bytes:
    head = title.strip()
    stamp = f"\nPublished {published.strip()}" if published.strip() else ""
    return f"{head}{stamp}\n\n{text.strip()}\n".encode()


def _bounded(items: list[Item], source: str) -> list[Item]:
    if len(items) > MAX_ITEMS:
        raise ArticleError(f"{source} holds {len(items):,} articles; at most {MAX_ITEMS:,} are taken at once.")
    return items


def from_rows(rows: list[dict[str, str]], source: str) -> list[Item]:
    """CSV/JSONL rows with title and text (url, published optional) as items; a row without text is refused."""
    items = []
    for i, row in enumerate(rows, start=1):
        row = {str(k).strip().lower(): "" if v is None else str(v) for k, v in row.items()}
        if not row.get("text", "").strip():
            raise ArticleError(f"{source} row {i} has no 'text'; each row needs a title and a text.")
        items.append(Item(f"{source} row {i}: {row.get('title', '').strip()[:80] or 'untitled'}",
                          _article_bytes(row.get("title", ""), row["text"], row.get("published", "")),
                          row.get("url", "").strip()))
    return _bounded(items, source)


def from_csv(payload: bytes, source: str = "the CSV") -> list[Item]:
    try:
        reader = csv.DictReader(io.StringIO(payload.decode("utf-8-sig")))
        rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ArticleError(f"{source} is not a readable UTF-8 CSV file.") from exc
    if reader.fieldnames is None or "text" not in {f.strip().lower() for f in reader.fieldnames}:
        raise ArticleError(f"{source} lacks a 'text' column (expected title, text, and optionally url, published).")
    return from_rows(rows, source)


def from_jsonl(payload: bytes, source: str = "the JSONL file") -> list[Item]:
    rows = []
    for i, line in enumerate(payload.decode("utf-8-sig", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ArticleError(f"{source} line {i} is not valid JSON.") from exc
        if not isinstance(row, dict):
            raise ArticleError(f"{source} line {i} is not a JSON object with title and text.")
        rows.append(row)
    return from_rows(rows, source)


def from_feed(payload: bytes, source: str = "the feed") -> list[Item]:
    """RSS or Atom entries (title, summary or content, link, published) as items, read by feedparser."""
    import feedparser  # only when a feed is added

    feed = feedparser.parse(payload)
    if feed.bozo and not feed.entries:
        raise ArticleError(f"{source} is not a readable RSS or Atom feed.")
    rows = []
    for entry in feed.entries:
        content = entry.get("content") or []
        text = (content[0].get("value") if content else None) or entry.get("summary", "")
        rows.append({"title": entry.get("title", ""), "text": text, "url": entry.get("link", ""),
                     "published": entry.get("published", "") or entry.get("updated", "")})
    if not rows:
        raise ArticleError(f"{source} has no entries.")
    return from_rows(rows, source)


def from_zip(payload: bytes, source: str = "the zip") -> list[Item]:
    """Article files inside a zip (folders and other files skipped); sizes are bounded before reading."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile as exc:
        raise ArticleError(f"{source} is not a readable zip archive.") from exc
    members = [m for m in archive.infolist() if not m.is_dir() and Path(m.filename).suffix.lower() in (
        *ARTICLE_FILE_SUFFIXES, ".csv", ".jsonl", *FEED_SUFFIXES) and not Path(m.filename).name.startswith(".")]
    if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
        raise ArticleError(f"{source} unpacks to more than {MAX_ZIP_BYTES:,} bytes; split it into smaller zips.")
    items: list[Item] = []
    for m in sorted(members, key=lambda m: m.filename):
        if m.file_size > MAX_BYTES * 50:
            raise ArticleError(f"{source} member {m.filename} is too large to be articles.")
        items += from_named(m.filename, archive.read(m), nested=True)
    return _bounded(items, source)


def from_named(name: str, payload: bytes, nested: bool = False) -> list[Item]:
    """One uploaded or stored file, by its suffix: an article, a table of articles, a feed or (not nested) a zip."""
    suffix = Path(name).suffix.lower()
    if suffix in ARTICLE_FILE_SUFFIXES:
        return [Item(name, payload)]
    if suffix in HTML_SUFFIXES:
        return [Item(name, html_to_article(payload, name))]
    if suffix == ".csv":
        return from_csv(payload, name)
    if suffix == ".jsonl":
        return from_jsonl(payload, name)
    if suffix in FEED_SUFFIXES:
        return from_feed(payload, name)
    if suffix == ".zip" and not nested:
        return from_zip(payload, name)
    raise ArticleError(f"{name} is not an article (.txt, .md, .html), a table (.csv, .jsonl), a feed (.rss, .atom, "
                       ".xml) or a .zip of them.")


def from_path(path: Path) -> list[Item]:
    """A file or a folder (its article files, tables and feeds, not recursive) as items."""
    if path.is_dir():
        items: list[Item] = []
        for child in sorted(path.iterdir()):
            if child.is_file() and not child.name.startswith(".") and child.suffix.lower() in (
                    *ARTICLE_FILE_SUFFIXES, *HTML_SUFFIXES, ".csv", ".jsonl", ".zip", *FEED_SUFFIXES):
                items += from_named(child.name, child.read_bytes())
        return _bounded(items, str(path))
    if not path.is_file():
        raise ArticleError(f"{path} is neither a file nor a folder.")
    return _bounded(from_named(path.name, path.read_bytes()), str(path))
