"""Daily returns (and volume) of a stock and its benchmark on the stock's sessions.

Daily simple returns on adjusted closes, ``r_t = P_t / P_{t-1} - 1``. The
calendar is the stock's own sessions: day 0 is the event's trading date and
day k is the k-th session after it (k < 0: before), counted by position in the
stock's return series. The benchmark is put on the stock's sessions: its return
on session t is ``Pm_t / Pm_{t-1} - 1`` between the same two sessions as the
stock's. A session the benchmark has no price for gives no market return that
day and the next (never a silent two-day return); such days count as
*missing*. Benchmark sessions the stock does not have are dropped. Both are
reported in :attr:`ReturnData.notes`.

Volume is the stock's split-adjusted share volume; the abnormal-volume
measure works on its logarithm (Campbell and Wasley 1996), so a constant
scale (shares outstanding) would cancel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from eventlens import limits
from eventlens.inert import clip
from eventlens.study.design import StudyInputError

_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ReturnData:
    """A stock's and its benchmark's daily returns on the stock's sessions, and the stock's log volume."""

    ticker: str
    benchmark: str
    dates: pd.DatetimeIndex
    stock: np.ndarray
    market: np.ndarray
    notes: list[str] = field(default_factory=list)
    source: str = ""
    log_volume: np.ndarray | None = None  # ln(shares traded); NaN where unknown or zero
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # derived once per data (calendar)


def build_returns(
    stock_prices: pd.Series,
    market_prices: pd.Series,
    ticker: str,
    benchmark: str,
    source: str = "",
    volume: pd.Series | None = None,
) -> ReturnData:
    """Simple returns of both series on the stock's sessions (see the module docstring)."""
    if ticker.upper() == benchmark.upper():
        raise StudyInputError(f"The benchmark must differ from the ticker ({ticker}).")
    stock_prices = stock_prices.dropna().sort_index()
    market_prices = market_prices.dropna().sort_index()
    dates = pd.DatetimeIndex(stock_prices.index)
    p = stock_prices.to_numpy(dtype=float)
    pm = market_prices.reindex(dates).to_numpy(dtype=float)
    r = np.full(len(p), np.nan)
    rm = np.full(len(p), np.nan)
    r[1:] = p[1:] / p[:-1] - 1.0
    rm[1:] = pm[1:] / pm[:-1] - 1.0  # NaN wherever either day lacks a benchmark price
    notes: list[str] = []
    lacking = dates[np.isnan(pm)]
    if len(lacking):
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in lacking[:5]) + (" …" if len(lacking) > 5 else "")
        notes.append(
            f"{benchmark} has no price on {len(lacking)} of {ticker}'s sessions ({shown}); "
            "market returns of those days and the next are missing."
        )
    inside = market_prices.index[(market_prices.index >= dates[0]) & (market_prices.index <= dates[-1])]
    extra = inside.difference(dates)
    if len(extra):
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in extra[:5]) + (" …" if len(extra) > 5 else "")
        notes.append(f"{len(extra)} {benchmark} session(s) that {ticker} lacks were dropped ({shown}).")
    log_volume = None
    if volume is not None:
        v = volume.reindex(dates).to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_volume = np.where(v > 0, np.log(np.where(v > 0, v, 1.0)), np.nan)
    return ReturnData(ticker.upper(), benchmark.upper(), dates, r, rm, notes, source, log_volume)


def load_returns(ticker: str, benchmark: str = "SPY") -> ReturnData:
    """Returns from the price layer (cached refresh or the offline snapshot; never the network).

    Raises ``prices.UnknownTickerError`` for a ticker no source holds.
    """
    from eventlens import prices

    stock = prices.get_prices(ticker)
    market = prices.get_prices(benchmark)
    spans = [f"{r.source}, {r.first_date:%Y-%m-%d} to {r.as_of:%Y-%m-%d}" for r in (stock, market)]
    source = (  # one line under a chart: name a shared source once
        f"{stock.ticker} and {market.ticker}: {spans[0]}" if spans[0] == spans[1]
        else f"{stock.ticker}: {spans[0]}; {market.ticker}: {spans[1]}"
    )
    volume = stock.frame["Volume"] if "Volume" in stock.frame else None
    data = build_returns(prices.adjusted_close(stock), prices.adjusted_close(market), stock.ticker, market.ticker,
                         source, volume)
    data.notes = [*stock.messages, *market.messages, *data.notes]
    return data


def next_session(date: str | pd.Timestamp, sessions: pd.DatetimeIndex) -> pd.Timestamp | None:
    """The first session on or after ``date`` (a weekend or holiday maps forward), or None past the data.

    News published on a Saturday is first priced on Monday, so forward is the
    right direction; the caller reports the mapping.
    """
    day = pd.Timestamp(date).normalize()
    i = int(sessions.searchsorted(day, side="left"))
    return None if i >= len(sessions) else pd.Timestamp(sessions[i])


def _typed_day(text: str) -> pd.Timestamp:
    """A typed ``YYYY-MM-DD`` date; anything else (a time, a time zone, not a date) is refused in the app's words."""
    shown = clip(str(text).strip(), 40)
    if not _DAY_RE.match(str(text).strip()):
        raise StudyInputError(f"'{shown}' is not a date; write YYYY-MM-DD (no time or time zone).")
    try:
        day = pd.Timestamp(str(text).strip())
    except (ValueError, TypeError, OverflowError) as exc:
        raise StudyInputError(f"'{shown}' is not a date; write YYYY-MM-DD.") from exc
    if pd.isna(day):
        raise StudyInputError(f"'{shown}' is not a date; write YYYY-MM-DD.")
    return day.normalize()


def events_for_dates(dates: Sequence[str], sessions: pd.DatetimeIndex) -> tuple[pd.DataFrame, list[str]]:
    """Events for trading dates typed by the analyst; non-sessions map to the next session (reported).

    The event id is the date as typed, so a mapped date stays recognisable; a
    date given more than once is studied once, and said so. Raises
    :class:`StudyInputError` for a date that does not parse or lies outside
    the data (never a silent substitute), and for more than
    ``limits.MAX_DATES`` distinct dates.
    """
    counts: dict[str, int] = {}
    for text in dates:
        event_id = f"{_typed_day(text):%Y-%m-%d}"
        counts[event_id] = counts.get(event_id, 0) + 1
        if len(counts) > limits.MAX_DATES:
            raise StudyInputError(f"A study takes at most {limits.MAX_DATES} dates.")
    rows, notes = [], []
    for event_id, times in counts.items():
        day = pd.Timestamp(event_id)
        if day < sessions[0]:
            raise StudyInputError(f"{event_id} is before the first session in the data ({sessions[0]:%Y-%m-%d}).")
        session = next_session(day, sessions)
        if session is None:
            raise StudyInputError(f"{event_id} is after the last session in the data ({sessions[-1]:%Y-%m-%d}).")
        if session != day:
            notes.append(
                f"{day:%Y-%m-%d} ({day:%A}) is not a trading session; studied {session:%Y-%m-%d}, the next one."
            )
        if times > 1:
            notes.append(f"{event_id} was given {times} times; it is studied once.")
        rows.append({"event_id": event_id, "trading_date": session, "category": ""})
    return pd.DataFrame(rows, columns=["event_id", "trading_date", "category"]), notes


def store_events(selection: Sequence[str] | None = None) -> pd.DataFrame:
    """Events from the store (all, or the ids in ``selection``); a clear refusal when it is unavailable.

    The store is read through ``events.load_events()`` only, whatever backs it.
    """
    from eventlens.events import load_events

    try:
        events = load_events()
    except OSError as exc:
        why = f" ({exc.strerror})" if exc.strerror else ""  # not a library's words
        raise StudyInputError(f"The events store could not be read{why}; use --date YYYY-MM-DD.") from exc
    ids = [s for s in (selection or []) if s.lower() != "all"]
    if len(set(ids)) > limits.MAX_EVENTS:
        raise StudyInputError(f"A study takes at most {limits.MAX_EVENTS} event ids.")
    if ids:
        known = set(events["event_id"].astype(str))
        unknown = [s for s in ids if s not in known]
        if unknown:
            raise StudyInputError(f"Unknown event id(s): {clip(', '.join(unknown), 200)}.")
        events = events[events["event_id"].astype(str).isin(ids)]
    if events.empty:
        raise StudyInputError("The events store holds no events; add some, or use --date YYYY-MM-DD.")
    return events
