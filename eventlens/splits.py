"""Stock splits, kept as data, and conversion between price bases.

The snapshot is split-adjusted to today's share basis, but articles quote the
price of their own day: TSLA "closed at $670.94" on 2021-05-05 is 223.65 on
today's basis (5-for-1 on 2020-08-31, 3-for-1 on 2022-08-25). Matching an
article's price clue, or drawing a chart on the as-traded basis, needs both
directions.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd

from eventlens.paths import prices_dir


def load_splits(path: Path | None = None) -> pd.DataFrame:
    """Read the split table: columns ``ticker, date, ratio`` (new shares per old share).

    Read once per version of the file (its mtime and size): the dating calendar converts five price columns
    and every drawn as-traded chart converts again, and each read cost a CSV parse on a cold start.
    """
    path = path or prices_dir() / "splits.csv"
    stat = os.stat(path)
    return _read_splits(str(path), stat.st_mtime_ns, stat.st_size).copy()


@functools.lru_cache(maxsize=4)
def _read_splits(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    table = pd.read_csv(path, dtype={"ticker": str})
    table["date"] = pd.to_datetime(table["date"])
    table["ratio"] = table["ratio"].astype(float)
    if (table["ratio"] <= 0).any():
        raise ValueError("split ratios must be positive")
    return table.sort_values(["ticker", "date"]).reset_index(drop=True)


def as_traded_factor(ticker: str, dates: pd.DatetimeIndex, splits: pd.DataFrame | None = None) -> pd.Series:
    """Factor from today's basis to the basis traded on each date.

    A split effective on day S changes the basis from S on, so a price on a day
    before S is multiplied by the ratio of every later split.
    """
    splits = load_splits() if splits is None else splits
    mine = splits[splits["ticker"].str.upper() == ticker.upper()]
    dates = pd.DatetimeIndex(dates)
    factor = pd.Series(1.0, index=dates)
    for split_date, ratio in zip(mine["date"], mine["ratio"], strict=True):
        factor[dates < split_date] *= ratio
    return factor


SHARE_COLUMNS = ("Volume",)  # counts of shares: a split multiplies them where it divides prices


def _scaled(prices: pd.DataFrame, factor: pd.Series) -> pd.DataFrame:
    """Prices times ``factor``, share counts divided by it (a 3-for-1 split triples the shares traded)."""
    out = prices.mul(factor, axis=0)
    for column in SHARE_COLUMNS:
        if column in prices:
            out[column] = prices[column].div(factor)
    return out


def to_as_traded(prices: pd.Series | pd.DataFrame, ticker: str, splits: pd.DataFrame | None = None):
    """Convert split-adjusted prices (indexed by date) to the basis traded on each date (volume too)."""
    factor = as_traded_factor(ticker, prices.index, splits)
    if isinstance(prices, pd.DataFrame):
        return _scaled(prices, factor)
    return prices * factor


def to_split_adjusted(prices: pd.Series | pd.DataFrame, ticker: str, splits: pd.DataFrame | None = None):
    """Convert as-traded prices (indexed by date) to today's split-adjusted basis (volume too)."""
    factor = as_traded_factor(ticker, prices.index, splits)
    if isinstance(prices, pd.DataFrame):
        return _scaled(prices, 1.0 / factor)
    return prices / factor


def as_traded_price(adjusted: float, ticker: str, on: str | pd.Timestamp, splits: pd.DataFrame | None = None) -> float:
    """One split-adjusted price as it traded on ``on``."""
    day = pd.DatetimeIndex([pd.Timestamp(on)])
    return float(adjusted * as_traded_factor(ticker, day, splits).iloc[0])


def split_adjusted_price(
    as_traded: float, ticker: str, on: str | pd.Timestamp, splits: pd.DataFrame | None = None
) -> float:
    """One as-traded price on today's split-adjusted basis."""
    day = pd.DatetimeIndex([pd.Timestamp(on)])
    return float(as_traded / as_traded_factor(ticker, day, splits).iloc[0])
