"""Where the project's files live.

Everything the app writes goes under ``data/`` (Streamlit Community Cloud and
the house rules allow nothing else). Tests point ``EVENTLENS_DATA_DIR`` at a
temporary copy so they never touch the committed snapshot or store.
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


def articles_dir() -> Path:
    """Articles added by analysts (upload or ``python -m eventlens add``)."""
    return data_dir() / "articles"


def events_path() -> Path:
    """The events store."""
    return data_dir() / "events.csv"
