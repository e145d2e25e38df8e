"""The company's own scheduled news: quarterly earnings releases and production-and-deliveries reports.

A regulatory headline that falls in the same window as an earnings release
is confounded: the window's CAR holds both. ``data/tesla_calendar.csv`` lists
Tesla's releases 2020-2024, each with its date, when it came out relative to
the US session (``before_open``, ``after_close``, or ``market_closed`` for a
weekend or holiday) and a checkable source. The session that first priced it
is derived here, never stored: after the close -> the next session; before
the open -> that day; on a day without a session -> the next session.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from eventlens.study.design import StudyInputError

CALENDAR_FILE = "tesla_calendar.csv"
TIMINGS = {"before_open": "before the open", "after_close": "after the close", "market_closed": "markets closed"}
KINDS = {"earnings": "earnings release", "deliveries": "production-and-deliveries report"}
COLUMNS = ["ticker", "date", "kind", "quarter", "timing", "source", "checked"]


def calendar_path() -> Path:
    from eventlens.paths import REPO_ROOT, data_dir

    path = data_dir() / CALENDAR_FILE
    return path if path.exists() else REPO_ROOT / "data" / CALENDAR_FILE


@lru_cache(maxsize=4)
def _read(path: str, stamp: float) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise StudyInputError(f"The company calendar {path} lacks the column(s) {', '.join(sorted(missing))}.")
    bad = frame[~frame["timing"].isin(list(TIMINGS)) | ~frame["kind"].isin(list(KINDS))]
    if len(bad):
        raise StudyInputError(f"The company calendar has an unknown kind or timing on {bad['date'].iloc[0]}.")
    frame["date"] = pd.to_datetime(frame["date"], errors="raise")
    frame["ticker"] = frame["ticker"].str.upper()
    return frame.sort_values("date").reset_index(drop=True)


def load_calendar(ticker: str | None = None) -> pd.DataFrame:
    """The calendar (one ticker's rows, or all); empty with the same columns for a ticker it does not cover."""
    path = calendar_path()
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS)
    frame = _read(str(path), path.stat().st_mtime)
    return frame if ticker is None else frame[frame["ticker"] == ticker.upper()].reset_index(drop=True)


def priced_sessions(calendar: pd.DataFrame, sessions: pd.DatetimeIndex) -> np.ndarray:
    """Position in ``sessions`` of the session that first priced each release (-1 past the data)."""
    dates = pd.DatetimeIndex(calendar["date"]).normalize()
    after = (calendar["timing"] == "after_close").to_numpy()
    pos = np.where(after, sessions.searchsorted(dates, side="right"), sessions.searchsorted(dates, side="left"))
    return np.where(pos < len(sessions), pos, -1)


def calendar_marks(ticker: str, dates: pd.DatetimeIndex, returns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The priced positions of ``ticker``'s releases inside the data, and one label each.

    A label reads "the 2024-04-23 earnings release, after the close: day 2024-04-24, +12.1%" (the stock's
    close-to-close return on the pricing session).
    """
    calendar = load_calendar(ticker)
    if calendar.empty or not len(dates):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype="U1")
    pos = priced_sessions(calendar, dates)
    keep = pos >= 1
    calendar, pos = calendar[keep], pos[keep]
    labels = [
        f"the {d:%Y-%m-%d} {KINDS[k]}, {TIMINGS[t]}: day {dates[p]:%Y-%m-%d}, "
        + ("return n/a" if not np.isfinite(returns[p]) else f"{returns[p] * 100:+.1f}%")
        for d, k, t, p in zip(calendar["date"], calendar["kind"], calendar["timing"], pos, strict=True)
    ]
    return pos.astype(np.int64), np.asarray(labels, dtype=str)
