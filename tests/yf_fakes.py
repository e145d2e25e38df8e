"""Frames shaped exactly as yfinance 1.x returns them, built from the real snapshot.

``yf.download(..., auto_adjust=False)`` returns columns as a MultiIndex
``(Price, Ticker)`` sorted by price name, a tz-naive ``DatetimeIndex`` named
``Date``, and, when Yahoo cannot be reached, an empty frame with those same
columns (yfinance logs the failure instead of raising). The values come from
the committed snapshot, so no price is invented.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
YF_PRICE_ORDER = ["Adj Close", "Close", "High", "Low", "Open", "Volume"]


def snapshot(ticker: str) -> pd.DataFrame:
    return pd.read_csv(REPO / "data" / "prices" / f"{ticker}.csv", index_col="Date", parse_dates=["Date"])


def yf_download_frame(ticker: str, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """What ``yf.download(ticker, start, end, auto_adjust=False)`` returns for these dates (end exclusive)."""
    frame = snapshot(ticker)
    if start is not None:
        frame = frame[frame.index >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame.index < pd.Timestamp(end)]
    frame = frame[YF_PRICE_ORDER]
    frame.columns = pd.MultiIndex.from_product([YF_PRICE_ORDER, [ticker]], names=["Price", "Ticker"])
    frame.index = pd.DatetimeIndex(frame.index, name="Date")
    return frame


def empty_download(tickers) -> pd.DataFrame:
    """yfinance 1.x's answer when the network is down: no rows, the usual columns."""
    names = [tickers] if isinstance(tickers, str) else list(tickers)
    columns = pd.MultiIndex.from_product([YF_PRICE_ORDER, names], names=["Price", "Ticker"])
    return pd.DataFrame(index=pd.DatetimeIndex([], name="Date"), columns=columns, dtype=float)


def offline_download(tickers, *args, **kwargs) -> pd.DataFrame:
    """What ``yf.download`` does with no network (yfinance 1.7, seen on this machine): it logs the curl DNS
    failure on the "yfinance" logger, raises nothing, and returns an empty frame."""
    import logging

    names = [tickers] if isinstance(tickers, str) else list(tickers)
    log = logging.getLogger("yfinance")
    log.error("\n%.f Failed download%s:", len(names), "s" if len(names) > 1 else "")
    log.error(f"{names}: DNSError('Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com. "
              "See https://curl.se/libcurl/c/libcurl-errors.html first for more details.')")
    return empty_download(tickers)
