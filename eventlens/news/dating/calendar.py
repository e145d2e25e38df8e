"""The calendar days an article can be dated to, with TSLA's sessions and prices on both price bases.

Articles quote prices as they traded that day (before the 2020 and 2022 splits
a share cost 15 or 3 times today's split-adjusted price), so every session's
open, high, low and close are kept on both bases. Sessions come from the
verified snapshot; for a day past its end the NYSE calendar (exchange_calendars
XNYS, imported only then) says which session would reflect it.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from eventlens.paths import prices_dir
from eventlens.prices import load_snapshot
from eventlens.splits import to_as_traded

TICKER = "TSLA"
FIELDS = ("Close", "Open", "High", "Low")


class Calendar:
    """Calendar days of the snapshot span, with a ticker's sessions, prices and daily moves."""

    def __init__(self, prices: pd.DataFrame | pd.Series, ticker: str = TICKER):
        if isinstance(prices, pd.Series):
            prices = prices.to_frame("Close")
        prices = prices.sort_index().astype(float)
        self.ticker = ticker
        self.sessions = pd.DatetimeIndex(prices.index)
        self.closes = prices["Close"]  # split-adjusted
        self.as_traded = to_as_traded(self.closes, ticker)
        # every quoted-price basis: (field, basis) -> values per session
        self.levels: dict[tuple[str, str], np.ndarray] = {}
        for name in FIELDS:
            if name in prices:
                self.levels[(name.lower(), "as traded")] = to_as_traded(prices[name], ticker).to_numpy()
                self.levels[(name.lower(), "split-adjusted")] = prices[name].to_numpy()
        self.pct = self.closes.pct_change() * 100.0
        self.days = pd.date_range(self.sessions[0], self.sessions[-1], freq="D")
        self.on_or_before = self.sessions.searchsorted(self.days, side="right") - 1
        self.strictly_before = self.sessions.searchsorted(self.days, side="left") - 1
        # the session that reflects each calendar day (the day itself or the next session)
        self.session_of_day = self.sessions.searchsorted(self.days, side="left")
        self.last_session = self.sessions[-1]

    def trading_date(self, day: pd.Timestamp) -> pd.Timestamp | None:
        """First session whose close can reflect news of ``day`` (the day itself, or the next session)."""
        i = self.sessions.searchsorted(pd.Timestamp(day).normalize(), side="left")
        return None if i >= len(self.sessions) else self.sessions[i]

    def close_on_or_before(self, days: pd.DatetimeIndex) -> np.ndarray:
        pos = self.sessions.searchsorted(days, side="right") - 1
        values = self.closes.to_numpy()
        return np.where(pos >= 0, values[np.clip(pos, 0, None)], np.nan)

    def window(self, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
        return (self.days >= start) & (self.days <= end)

    def day_index(self, day: pd.Timestamp) -> int | None:
        i = self.days.searchsorted(pd.Timestamp(day))
        return int(i) if i < len(self.days) and self.days[i] == pd.Timestamp(day) else None

    def near_mass(self, probs: np.ndarray, best: int, sessions: int = 1) -> float:
        """Probability that the news is within ``sessions`` trading days of calendar day ``best``."""
        gap = np.abs(self.session_of_day - self.session_of_day[best])
        return float(probs[gap <= sessions].sum())


@functools.lru_cache(maxsize=4)
def _calendar_cached(path: str, mtime: float) -> Calendar:
    return Calendar(load_snapshot(TICKER))


def default_calendar() -> Calendar:
    path = prices_dir() / f"{TICKER}.csv"
    return _calendar_cached(str(path), path.stat().st_mtime)


@functools.lru_cache(maxsize=1)
def _xnys():  # exchange_calendars builds its calendar in ~2 s: only when a day is past the snapshot
    import exchange_calendars

    with warnings.catch_warnings():  # exchange_calendars 4.x reads tz-aware Series.values, deprecated in pandas 3.1
        warnings.simplefilter("ignore", DeprecationWarning)
        return exchange_calendars.get_calendar("XNYS", start="2019-01-01", end="2030-12-31")


def nyse_session_for(day: pd.Timestamp) -> tuple[pd.Timestamp, bool] | None:
    """The NYSE session that would reflect news of ``day`` and whether it closes early; None past 2030."""
    cal = _xnys()
    day = pd.Timestamp(day).normalize()
    if day > cal.last_session:
        return None
    session = cal.date_to_session(day, direction="next")
    return pd.Timestamp(session), bool(session in cal.early_closes)
