"""Where the project's files live.

``data/`` and ``seeds/`` are read-only inputs committed with the code (the
price snapshot, the known-events calendar, the seed articles). What users
write lives in the store, a database; its default is an SQLite file in the
state folder, which git ignores (``$EVENTLENS_STATE_DIR``, default
``data/state/``). The only other thing the app writes is the yfinance refresh
cache in ``data/cache/`` (also ignored). Tests point ``EVENTLENS_DATA_DIR`` and
``EVENTLENS_STATE_DIR`` at temporary folders.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The writable data folder (``data/`` unless ``EVENTLENS_DATA_DIR`` is set)."""
    override = os.environ.get("EVENTLENS_DATA_DIR")
    return Path(override) if override else REPO_ROOT / "data"


def prices_dir() -> Path:
    """The offline price snapshot: one CSV per ticker plus ``splits.csv``."""
    return data_dir() / "prices"


def cache_dir() -> Path:
    """Prices refreshed through yfinance, kept apart from the verified snapshot."""
    return data_dir() / "cache"


def seeds_dir() -> Path:
    """The users' seed articles, committed unchanged."""
    override = os.environ.get("EVENTLENS_SEEDS_DIR")
    return Path(override) if override else REPO_ROOT / "seeds"


def state_dir() -> Path:
    """The folder of the default SQLite store (git-ignored; ``EVENTLENS_STATE_DIR`` overrides it)."""
    override = os.environ.get("EVENTLENS_STATE_DIR")
    return Path(override) if override else REPO_ROOT / "data" / "state"
