"""Cached charts of the Overview and the Timeline.

Building a plotly figure validates every value (≈100-250 ms for five years of candles), so the
built figure is kept. cache_resource hands back the same object without a pickle copy; nothing
mutates a figure after it is built (st.plotly_chart and the exporters only read it).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from eventlens import splits
from eventlens.figures.price import comparison_figure, event_window_figure, price_figure
from ui.loaders.prices import price_result
from ui.loaders.reactions import flagged_events
from ui.loaders.wire import ready_to_send


@st.cache_resource(show_spinner=False, max_entries=32)
def overview_figure(
    ticker: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    basis: str,
    peers: tuple[str, ...],
    interval: str,
    benchmark: str,
    store: tuple,
) -> go.Figure:
    """The Overview chart: candles with events, or rebased lines when peers are compared."""
    flagged = flagged_events(ticker, benchmark, store)
    result = price_result(ticker)
    frame = result.frame.loc[start:end]
    if peers:
        closes = {ticker: frame["Adj Close"]}
        closes |= {p: price_result(p).frame["Adj Close"].loc[start:end] for p in peers}
        return ready_to_send(comparison_figure(closes, result.source, flagged, main=ticker))
    drawn = splits.to_as_traded(frame, ticker) if basis == "as_traded" else frame
    return ready_to_send(price_figure(drawn, ticker, result.source, basis=basis, events=flagged, interval=interval))


@st.cache_resource(show_spinner=False, max_entries=64)
def event_window_chart(ticker: str, benchmark: str, store: tuple, event_id: str) -> go.Figure:
    """The Timeline's chart: ten sessions either side of one event."""
    flagged = flagged_events(ticker, benchmark, store)
    result = price_result(ticker)
    row = flagged[flagged["event_id"] == event_id].iloc[0]
    return ready_to_send(event_window_figure(result.frame, row, ticker, result.source))
