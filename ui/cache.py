"""Every ``st.cache_data`` loader of the app, in one place.

Pages call these instead of the core directly when the result is costly and
depends only on its arguments, so a rerun (a widget change) reuses the data.
Functions that write (a refresh, a store edit) clear the matching cache.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from eventlens import articles, event_study, prices, reactions


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
        return_data(ticker, benchmark), frame, model, list(windows), estimation, prediction_error,
        exclude_other_events=exclude_other_events,
    )
