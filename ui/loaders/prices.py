"""Cached price loaders: series per ticker, the snapshot's tickers and sources, returns; and the refresh.

Every loader is keyed by :func:`prices_key`, the stamp of the price files, so a refresh written by
any process is seen on the next run and nothing keeps a list of caches to clear.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from eventlens import prices, provenance
from eventlens import study as event_study
from ui.loaders import caching


def prices_key() -> str:
    """The price files' version stamp (:func:`eventlens.prices.version`): two ``stat`` calls, nothing built."""
    return prices.version()


def price_result(ticker: str, start: str | None = None, end: str | None = None) -> prices.PriceResult:
    """Prices for one ticker from the cached refresh or the snapshot (never the network). Read-only."""
    return _price_result(ticker, start, end, prices_key())


@caching.resource(show_spinner="Loading prices…", max_entries=64)
def _price_result(ticker: str, start: str | None, end: str | None, stamp: str) -> prices.PriceResult:
    return prices.get_prices(ticker, start, end)


def snapshot_tickers() -> list[str]:
    return _snapshot_tickers(prices_key())


@caching.data(show_spinner=False, max_entries=4)
def _snapshot_tickers(stamp: str) -> list[str]:
    return prices.snapshot_tickers()


def refresh_prices(tickers: list[str], progress: Callable[[int, int, str], None]) -> dict[str, prices.PriceResult]:
    """Ask Yahoo Finance for fresh prices. What it writes changes :func:`prices_key`, so every page's next
    run draws the new series; a refresh that wrote nothing (no network) leaves every loader as it was."""
    return prices.get_many(tickers, refresh=True, progress=progress)


def price_sources() -> pd.DataFrame:
    """The Data page's table of every snapshot ticker: source, span, rows, last close, messages."""
    return _price_sources(prices_key())


@caching.resource(show_spinner=False, max_entries=4)
def _price_sources(stamp: str) -> pd.DataFrame:
    return provenance.sources_table({t: price_result(t) for t in snapshot_tickers()})


def split_table() -> pd.DataFrame:
    return _split_table(prices_key())


@caching.resource(show_spinner=False, max_entries=4)
def _split_table(stamp: str) -> pd.DataFrame:
    return provenance.split_table()


def return_data(ticker: str, benchmark: str) -> event_study.ReturnData:
    """Daily returns of a stock and its benchmark on the stock's sessions."""
    return _return_data(ticker, benchmark, prices_key())


@caching.resource(show_spinner="Computing returns…", max_entries=32)
def _return_data(ticker: str, benchmark: str, stamp: str) -> event_study.ReturnData:
    return event_study.load_returns(ticker, benchmark)
