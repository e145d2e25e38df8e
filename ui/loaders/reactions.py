"""Cached loaders of each stored event with its measured move (day-0 return, CAR) against a benchmark.

``store`` arguments are :func:`ui.loaders.events.events_key` (location and revision): hashing that is
free, hashing the frame is not.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from eventlens import reactions
from ui.frame import event_table
from ui.loaders import events
from ui.loaders.prices import return_data


@st.cache_resource(show_spinner="Measuring each event's move…", max_entries=32)
def flagged_events(ticker: str, benchmark: str, store: tuple) -> pd.DataFrame:
    """The events store with each event's day-0 return and market-model CAR[-1,+1] against ``benchmark``."""
    stored = events._events_table(*store)
    moves = reactions.event_reactions(return_data(ticker, benchmark), stored[["event_id", "trading_date"]])
    return stored.merge(moves, on="event_id", how="left")


@st.cache_resource(show_spinner=False, max_entries=64)
def event_rows(ticker: str, benchmark: str, store: tuple, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The compact event table of the events whose trading day lies in ``[start, end]``."""
    flagged = flagged_events(ticker, benchmark, store)
    return event_table(flagged[(flagged["trading_date"] >= start) & (flagged["trading_date"] <= end)])


@st.cache_resource(show_spinner=False, max_entries=32)
def event_records(ticker: str, benchmark: str, store: tuple) -> dict[str, dict]:
    """:func:`flagged_events` as one plain dict per event id, for pages that show a single event."""
    flagged = flagged_events(ticker, benchmark, store)
    return {str(r["event_id"]): r for r in flagged.to_dict("records")}
