"""Cached charts of the Overview and the Timeline.

Building a plotly figure validates every value (≈100-250 ms for five years of candles), so the
built figure is kept. cache_resource hands back the same object without a pickle copy; nothing
mutates a figure after it is built (st.plotly_chart and the exporters only read it). Each chart is
keyed by the store's stamp (``store``) and the price files' (:func:`ui.loaders.prices.prices_key`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from eventlens import splits
from eventlens.figures.price import comparison_figure, event_window_figure, price_figure
from ui.loaders import caching
from ui.loaders.prices import price_result, prices_key
from ui.loaders.reactions import flagged_events


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
    return _overview_figure(ticker, start, end, basis, peers, interval, benchmark, store, prices_key())


@caching.resource(show_spinner=False, max_entries=32)
def _overview_figure(
    ticker: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    basis: str,
    peers: tuple[str, ...],
    interval: str,
    benchmark: str,
    store: tuple,
    stamp: str,
) -> go.Figure:
    flagged = flagged_events(ticker, benchmark, store)
    result = price_result(ticker)
    frame = result.frame.loc[start:end]
    if peers:
        closes = {ticker: frame["Adj Close"]}
        closes |= {p: price_result(p).frame["Adj Close"].loc[start:end] for p in peers}
        return comparison_figure(closes, result.source, flagged, main=ticker)
    drawn = splits.to_as_traded(frame, ticker) if basis == "as_traded" else frame
    return price_figure(drawn, ticker, result.source, basis=basis, events=flagged, interval=interval)


def event_window_chart(ticker: str, benchmark: str, store: tuple, event_id: str) -> go.Figure:
    """The Timeline's chart: ten sessions either side of one event."""
    return _event_window_chart(ticker, benchmark, store, event_id, prices_key())


@caching.resource(show_spinner=False, max_entries=64)
def _event_window_chart(ticker: str, benchmark: str, store: tuple, event_id: str, stamp: str) -> go.Figure:
    flagged = flagged_events(ticker, benchmark, store)
    result = price_result(ticker)
    row = flagged[flagged["event_id"] == event_id].iloc[0]
    return event_window_figure(result.frame, row, ticker, result.source)
