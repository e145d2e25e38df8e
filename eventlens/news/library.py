"""The stored articles: the committed seeds and analysts' additions, found by id or by their bytes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from eventlens.news.article import Article, parse_article
from eventlens.news.decode import ArticleError
from eventlens.paths import articles_dir, seeds_dir

ARTICLE_SUFFIXES = (".txt", ".md")
_ID_RE = re.compile(r"^(\d{3,})_([0-9a-f]{16})$")


def article_paths() -> dict[str, Path]:
    """Every known article by id: the committed seeds, then analysts' additions."""
    found: dict[str, Path] = {}
    for folder in (seeds_dir(), articles_dir()):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() in ARTICLE_SUFFIXES and path.is_file():
                    found.setdefault(path.stem, path)
    return found


def load_article(article_id: str) -> Article:
    """Read one stored article by id."""
    path = article_paths().get(article_id)
    if path is None:
        raise ArticleError(f"No article with id {article_id}.")
    return parse_article(path.read_bytes(), article_id, path)


def sha256_hex(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def find_duplicate(payload: bytes) -> str | None:
    """The id of a stored article with exactly these bytes, if any."""
    digest = sha256_hex(payload)
    for article_id, path in article_paths().items():
        if path.stat().st_size == len(payload) and sha256_hex(path.read_bytes()) == digest:
            return article_id
    return None


def new_article_id(payload: bytes) -> str:
    """``<next number>_<first 16 hex of sha256>``, numbered after every stored article."""
    numbers = [int(m.group(1)) for aid in article_paths() if (m := _ID_RE.match(aid))]
    return f"{(max(numbers) + 1) if numbers else 0:03d}_{sha256_hex(payload)[:16]}"


