"""Cached loaders of each stored event with its measured move (day-0 return, CAR) against a benchmark.

``store`` arguments are :func:`ui.loaders.events.events_key` (location and revision): hashing that is
free, hashing the frame is not. Each loader is also keyed by the price files' stamp
(:func:`ui.loaders.prices.prices_key`), so a write to either is seen on the next run.
"""

from __future__ import annotations

import pandas as pd

from eventlens import reactions
from ui.frame import event_table
from ui.loaders import caching, events
from ui.loaders.prices import prices_key, return_data


def flagged_events(ticker: str, benchmark: str, store: tuple) -> pd.DataFrame:
    """The events store with each event's day-0 return and market-model CAR[-1,+1] against ``benchmark``."""
    return _flagged_events(ticker, benchmark, store, prices_key())


@caching.resource(show_spinner="Measuring each event's move…", max_entries=32)
def _flagged_events(ticker: str, benchmark: str, store: tuple, stamp: str) -> pd.DataFrame:
    stored = events.stored_events(*store)
    moves = reactions.event_reactions(return_data(ticker, benchmark), stored[["event_id", "trading_date"]])
    return stored.merge(moves, on="event_id", how="left")


def event_rows(ticker: str, benchmark: str, store: tuple, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The compact event table of the events whose trading day lies in ``[start, end]``."""
    return _event_rows(ticker, benchmark, store, start, end, prices_key())


@caching.resource(show_spinner=False, max_entries=64)
def _event_rows(ticker: str, benchmark: str, store: tuple, start: pd.Timestamp, end: pd.Timestamp,
                stamp: str) -> pd.DataFrame:
    flagged = flagged_events(ticker, benchmark, store)
    return event_table(flagged[(flagged["trading_date"] >= start) & (flagged["trading_date"] <= end)])


def event_records(ticker: str, benchmark: str, store: tuple) -> dict[str, dict]:
    """:func:`flagged_events` as one plain dict per event id, for pages that show a single event."""
    return _event_records(ticker, benchmark, store, prices_key())


@caching.resource(show_spinner=False, max_entries=32)
def _event_records(ticker: str, benchmark: str, store: tuple, stamp: str) -> dict[str, dict]:
    flagged = flagged_events(ticker, benchmark, store)
    return {str(r["event_id"]): r for r in flagged.to_dict("records")}
