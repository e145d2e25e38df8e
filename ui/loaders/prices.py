"""Cached price loaders: series per ticker, the snapshot's tickers and sources, returns; and the refresh."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from eventlens import prices, provenance
from eventlens import study as event_study


@st.cache_resource(show_spinner="Loading prices…", max_entries=64)
def price_result(ticker: str, start: str | None = None, end: str | None = None) -> prices.PriceResult:
    """Prices for one ticker from the cached refresh or the snapshot (never the network). Read-only."""
    return prices.get_prices(ticker, start, end)


@st.cache_data(show_spinner=False)
def snapshot_tickers() -> list[str]:
    return prices.snapshot_tickers()


def refresh_prices(tickers: list[str], progress: Callable[[int, int, str], None]) -> dict[str, prices.PriceResult]:
    """Ask Yahoo Finance for fresh prices, then drop cached loaders so every page sees them."""
    results = prices.get_many(tickers, refresh=True, progress=progress)
    clear_prices()
    return results


def clear_prices() -> None:
    """Drop every loader and figure built from prices, so all pages draw the refreshed series."""
    from ui.loaders import figures, reactions, study

    for loader in (price_result, price_sources, return_data, reactions.flagged_events, reactions.event_rows,
                   reactions.event_records, study.study_result, study.study_views, study.study_event_figure,
                   study.pooled_caar, figures.overview_figure, figures.event_window_chart):
        loader.clear()


@st.cache_resource(show_spinner=False)
def price_sources() -> pd.DataFrame:
    """The Data page's table of every snapshot ticker: source, span, rows, last close, messages."""
    return provenance.sources_table({t: price_result(t) for t in snapshot_tickers()})


@st.cache_resource(show_spinner=False)
def split_table() -> pd.DataFrame:
    return provenance.split_table()


@st.cache_resource(show_spinner="Computing returns…", max_entries=32)
def return_data(ticker: str, benchmark: str) -> event_study.ReturnData:
    """Daily returns of a stock and its benchmark on the stock's sessions."""
    return event_study.load_returns(ticker, benchmark)
