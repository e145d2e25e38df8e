"""The seed articles' events, computed once and kept with the data (``data/seed_events.json``).

Every new store starts from the seeds, and reading, dating and classifying five articles costs about
0.3 s: most of what a new store costs, and it is paid by the first visitor of a woken cloud app, whose
disk (and so its SQLite store) starts empty. A seed's row depends on the seed's bytes, the price
snapshot, the split table and the curated calendar, and each kept row carries a digest of all of them:
a row is used only while its inputs are unchanged, otherwise the seed is dated afresh. A change of the
engine that changes a seed's row is caught by the test comparing the kept rows with fresh ones
(``make seed-events`` writes them anew).

Run: ``python -m eventlens.seed_events`` (writes the file next to the price snapshot).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from eventlens.paths import data_dir, prices_dir, seeds_dir

FILE_NAME = "seed_events.json"
_DATES = ("event_date", "trading_date")
log = logging.getLogger(__name__)


def path() -> Path:
    return data_dir() / FILE_NAME


def _input_files() -> list[Path]:
    """What a seed's row is computed from, besides its own bytes (and the code: see the module's note)."""
    return [prices_dir() / "TSLA.csv", prices_dir() / "splits.csv", data_dir() / "known_events.csv"]


def _inputs_hasher() -> Any:
    h = hashlib.sha256()
    for file in _input_files():
        h.update(file.name.encode())
        h.update(file.read_bytes() if file.is_file() else b"(missing)")
    return h


def digests(payloads: list[bytes]) -> list[str]:
    """One digest per seed: its bytes and every input file, so that any change among them shows."""
    base = _inputs_hasher()
    out = []
    for payload in payloads:
        h = base.copy()
        h.update(hashlib.sha256(payload).digest())
        out.append(h.hexdigest())
    return out


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if v is None or pd.isna(v) else pd.Timestamp(v).isoformat()) if k in _DATES else v
            for k, v in row.items()}


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if v is None else pd.Timestamp(v)) if k in _DATES else v for k, v in row.items()}


def kept_rows() -> dict[str, dict[str, Any]]:
    """The kept rows by digest; empty when the file is missing or unreadable (the seeds are then dated afresh)."""
    try:
        kept = json.loads(path().read_text(encoding="utf-8"))
        return {str(item["digest"]): _typed(dict(item["event"])) for item in kept["rows"]}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring %s (%s): the seeds are dated afresh", path(), exc)
        return {}


def seed_files() -> list[Path]:
    """The seed articles, in name order."""
    from eventlens.news import ARTICLE_SUFFIXES

    folder = seeds_dir()
    return [p for p in sorted(folder.iterdir()) if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file()] \
        if folder.is_dir() else []


def fresh_rows() -> Iterator[tuple[Path, bytes, dict[str, Any]]]:
    """Every seed with its row as the engine computes it now (none taken from the kept file)."""
    from eventlens.events import seed_articles

    for item in seed_articles(kept_rows=False):
        yield seeds_dir() / item.filename, item.raw, item.event


def write() -> Path:
    """Compute every seed's row now and keep them (atomically) in :func:`path`."""
    from eventlens.storage import atomic_write_text

    found = list(fresh_rows())
    rows = [{"file": file.name, "digest": digest, "event": _plain(event)}
            for (file, _, event), digest in zip(found, digests([p for _, p, _ in found]), strict=True)]
    atomic_write_text(path(), json.dumps({"rows": rows}, indent=1, ensure_ascii=False) + "\n")
    return path()


if __name__ == "__main__":
    print(f"wrote {write()}")
