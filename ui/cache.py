"""Every ``st.cache_data`` loader of the app, in one place.

Pages call these instead of the core directly when the result is costly and
depends only on its arguments, so a rerun (a widget change) reuses the data.
Functions that write (a refresh, a store edit) clear the matching cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from eventlens import articles, event_study, prices, reactions, splits
from eventlens.figures import study as study_figures
from eventlens.figures.price import comparison_figure, event_window_figure, price_figure


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


@st.cache_data(show_spinner=False, max_entries=256)
def article(article_id: str) -> articles.Article:
    """One stored article, decoded and cleaned (raises ArticleError if it cannot be read)."""
    return articles.load_article(article_id)


# --- events store (owner: articles/dating) ---


@st.cache_data(show_spinner=False, max_entries=8)
def _events_table(path: str, stamp: tuple[int, int]) -> pd.DataFrame:
    from eventlens import events

    return events.load_events()


def events_table() -> pd.DataFrame:
    """The events store; keyed on the file's mtime and size so a write by the CLI is seen too."""
    from eventlens import events
    from eventlens.paths import events_path

    path = events_path()
    if not path.exists():
        events.load_events()  # builds the store from the seeds on first use
    stat = path.stat() if path.exists() else None
    return _events_table(str(path), (stat.st_mtime_ns, stat.st_size) if stat else (0, 0)).copy()


def clear_events() -> None:
    """Call after any write to the store or to data/articles/."""
    _events_table.clear()
    article.clear()
    article_dating.clear()


@st.cache_data(show_spinner="Weighing the date evidence…", max_entries=64)
def article_dating(article_id: str):
    """The dating engine's full answer (evidence, candidates) for one stored article."""
    from eventlens import dating

    return dating.infer_date(articles.load_article(article_id).text)


# --- event study (owner: event study) ---


@st.cache_data(show_spinner="Running the event study…", max_entries=32)
def study_result(
    ticker: str,
    benchmark: str,
    model: str,
    windows: tuple[tuple[int, int], ...],
    estimation: tuple[int, int],
    prediction_error: bool,
    exclude_other_events: bool,
    events: tuple[tuple[str, str, str], ...],
) -> event_study.StudyResult:
    """The event study for primitive arguments; ``events`` = (event_id, trading date YYYY-MM-DD or "", category)."""
    frame = pd.DataFrame(list(events), columns=["event_id", "trading_date", "category"])
    frame["trading_date"] = pd.to_datetime(frame["trading_date"].replace("", None), errors="coerce")
    return event_study.run_study(
        return_data(ticker, benchmark),
        frame,
        model,
        list(windows),
        estimation,
        prediction_error,
        exclude_other_events=exclude_other_events,
    )


# --- figures ---
# Building a plotly figure validates every value (≈100-250 ms for five years of candles), so the
# built figure is kept. cache_resource hands back the same object without a pickle copy; nothing
# mutates a figure after it is built (st.plotly_chart and the exporters only read it).


@st.cache_resource(show_spinner=False, max_entries=32)
def overview_figure(
    ticker: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    basis: str,
    peers: tuple[str, ...],
    flagged: pd.DataFrame,
    interval: str = "auto",
) -> go.Figure:
    """The Overview chart: candles with events, or rebased lines when peers are compared."""
    result = price_result(ticker)
    frame = result.frame.loc[start:end]
    if peers:
        closes = {ticker: frame["Adj Close"]}
        closes |= {p: price_result(p).frame["Adj Close"].loc[start:end] for p in peers}
        return comparison_figure(closes, result.source, flagged, main=ticker)
    shown = splits.to_as_traded(frame, ticker) if basis == "as_traded" else frame
    return price_figure(shown, ticker, result.source, basis=basis, events=flagged, interval=interval)


@st.cache_resource(show_spinner=False, max_entries=64)
def event_window_chart(ticker: str, event: pd.Series) -> go.Figure:
    """The Timeline's chart: ten sessions either side of one event."""
    result = price_result(ticker)
    return event_window_figure(result.frame, event, ticker, result.source)


@dataclass(frozen=True)
class StudyViews:
    """What the Event study page draws from one study, built once per choice of inputs."""

    result: event_study.StudyResult
    caar: pd.DataFrame
    car_paths: go.Figure
    readings: dict[str, str]


@st.cache_resource(show_spinner="Drawing the event study…", max_entries=32)
def study_views(*study_args) -> StudyViews:
    """:func:`study_result` plus its CAAR table, CAR-path chart and readings (same arguments)."""
    result = study_result(*study_args)
    readings = {e: event_study.plain_reading(result, e) for e in result.events["event_id"]}
    return StudyViews(result, event_study.caar(result.rows), study_figures.car_path_figure(result), readings)


@st.cache_resource(show_spinner=False, max_entries=64)
def study_event_figures(focus: str, *study_args) -> tuple[go.Figure, go.Figure]:
    """Abnormal-return bars and the estimation-window fit of one event."""
    result = study_views(*study_args).result
    return study_figures.ar_bars_figure(result, focus), study_figures.fit_scatter_figure(result, focus)
