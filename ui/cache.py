"""Every ``st.cache_data`` loader of the app, in one place.

Pages call these instead of the core directly when the result is costly and
depends only on its arguments, so a rerun (a widget change) reuses the data.
Functions that write (a refresh, a store edit) clear the matching cache.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from eventlens import event_study, prices, reactions


@st.cache_data(show_spinner="Loading prices…", max_entries=64)
def price_result(ticker: str, start: str | None = None, end: str | None = None) -> prices.PriceResult:
    """Prices for one ticker from the cached refresh or the snapshot (never the network)."""
    return prices.get_prices(ticker, start, end)


@st.cache_data(show_spinner=False)
def snapshot_tickers() -> list[str]:
    return prices.snapshot_tickers()


def refresh_prices(tickers: list[str], progress: Callable[[int, int, str], None]) -> dict[str, prices.PriceResult]:
    """Ask Yahoo Finance for fresh prices, then drop cached loaders so every page sees them."""
    results = prices.get_many(tickers, refresh=True, progress=progress)
    price_result.clear()
    return results


@st.cache_data(show_spinner="Computing returns…", max_entries=32)
def return_data(ticker: str, benchmark: str) -> event_study.ReturnData:
    """Daily returns of a stock and its benchmark on the stock's sessions."""
    return event_study.load_returns(ticker, benchmark)


@st.cache_data(show_spinner="Measuring each event's move…", max_entries=32)
def event_reactions(ticker: str, benchmark: str, events: pd.DataFrame) -> pd.DataFrame:
    """Day-0 return and market-model CAR[-1,+1] per event (hashing the events frame keys the cache)."""
    return reactions.event_reactions(return_data(ticker, benchmark), events)
