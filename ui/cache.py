"""Every cached loader of the app, in one place.

Pages call these instead of the core directly when the result is costly and
depends only on its arguments, so a rerun (a widget change) reuses the data.
Functions that write (a refresh, a store edit) clear the matching caches.

Most loaders use ``st.cache_resource``: it hands back the stored object itself,
where ``st.cache_data`` unpickles a fresh copy on every call (1-3 ms per
frame, on every rerun). That is safe here because nothing the app draws
mutates a loaded price frame, study, events table or figure: pages derive new
frames from them (pandas copy-on-write keeps derived frames independent), and
:func:`events_table` hands out a copy for callers that change the table.
Results depend on the data directory, so tests clear both caches between apps.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from eventlens import events, prices, provenance, reactions, splits, study_tables, vocabulary
from eventlens import news as articles
from eventlens import study as event_study
from eventlens.event_index import EventIndex, StudyEvents, build_index
from eventlens.figures import study as study_figures
from eventlens.figures.price import comparison_figure, event_window_figure, price_figure
from eventlens.inert import inert, inert_paragraphs, plain
from eventlens.news.dating import report as date_report
from ui import store
from ui.frame import event_table

_ARROW: dict[int, pa.Table] = {}
# A study's events are hashed by their digest, computed once (hashing 1,000 keys one by one cost more than a rerun).
STUDY_HASH: dict[str | type, Callable[[Any], Any]] = {StudyEvents: lambda events: events.digest}


def shown(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """A cached, never-mutated frame as an Arrow table for ``st.dataframe``, converted once.

    ``st.dataframe`` converts a pandas frame to Arrow on every call (1-3 ms a table, on every
    rerun); the loaders here return the same frame object each time, so its Arrow form is kept
    by identity until the frame is freed. Only for frames from this module's cached loaders.
    """
    key = id(frame)
    table = _ARROW.get(key)
    if table is None:
        try:
            table = pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowException, TypeError, ValueError):
            return frame  # mixed-type columns: let Streamlit convert (and fix) it as usual
        _ARROW[key] = table
        weakref.finalize(frame, _ARROW.pop, key, None)
    return table


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
    for loader in (price_result, price_sources, return_data, flagged_events, event_rows, event_records, study_result,
                   study_views, study_event_figure, pooled_caar, overview_figure, event_window_chart):
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


@st.cache_resource(show_spinner="Measuring each event's move…", max_entries=32)
def flagged_events(ticker: str, benchmark: str, store: tuple) -> pd.DataFrame:
    """The events store with each event's day-0 return and market-model CAR[-1,+1] against ``benchmark``.

    ``store`` is :func:`events_key` (location and revision): hashing that is free, hashing the frame is not.
    """
    stored = _events_table(*store)
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


@st.cache_data(show_spinner=False, max_entries=256)
def article(article_id: str) -> articles.Article:
    """One stored article, decoded and cleaned (raises ArticleError if it cannot be read)."""
    opened = store.current()
    return events.load_article(article_id, opened) if opened is not None else events.seed_article(article_id)


@st.cache_resource(show_spinner=False, max_entries=256)
def article_markdown(article_id: str) -> str:
    """The article's text as inert markdown, one paragraph per non-empty line (every character escaped)."""
    return inert_paragraphs(article(article_id).text)


# --- events store (owner: articles/dating) ---


@st.cache_resource(show_spinner=False, max_entries=8)
def _events_table(where: str, revision: int) -> pd.DataFrame:
    return store.load(where)


@st.cache_resource(show_spinner=False, max_entries=8)
def _event_index(where: str, revision: int) -> EventIndex:
    return build_index(_events_table(where, revision))


def event_index() -> EventIndex:
    """The store's events in trading-date order with their picker labels and study keys."""
    return _event_index(*events_key())


@st.cache_resource(show_spinner=False, max_entries=8)
def _event_names(where: str, revision: int, width: int) -> dict[str, str]:
    return vocabulary.headlines(_events_table(where, revision), width)


def event_names(width: int = vocabulary.HEADLINE_WIDTH) -> dict[str, str]:
    """Event id -> "2024-04-29 · Musk in Beijing wins…" (headline cut at ``width``) for the current store; none
    when it cannot be read (the Event study then studies typed dates, which name themselves)."""
    try:
        return _event_names(*events_key(), width)
    except Exception:  # noqa: BLE001 - names only decorate; the page reports the store's failure itself
        return {}


def events_key() -> tuple[str, int]:
    """The store's location and revision: a cheap key that changes with every write, the CLI's too."""
    return store.events_key()


def events_table() -> pd.DataFrame:
    """The events store (a copy the caller may change: copy-on-write makes it free until then)."""
    return _events_table(*events_key()).copy(deep=False)


@dataclass(frozen=True)
class StoreViews:
    """What the Articles page draws from the store, built once per version of the store."""

    listing: pd.DataFrame  # the events list; how sure the date is as text ("81% (engine)", "set by analyst")
    labels: dict[str, str]  # article id -> "YYYY-MM-DD · headline" (event date, or "undated")
    records: dict[str, dict]  # article id -> its stored row
    editable: pd.DataFrame  # the columns an analyst may correct, with their context


@st.cache_resource(show_spinner=False, max_entries=8)
def _store_views(where: str, revision: int) -> StoreViews:
    stored = _events_table(where, revision)
    listing = stored[["title", "source", "event_date", "trading_date", "date_label", "date_confidence", "category",
                     "direction", "origin"]].copy()
    # A date a person set (curated, analyst) has no model probability: the one phrase says who set it.
    listing["date_confidence"] = [
        vocabulary.confidence_phrase(c, o) for c, o in zip(stored["date_confidence"], stored["origin"], strict=True)
    ]
    listing["category"] = listing["category"].map(vocabulary.topic_label)  # codes never reach the reader
    listing["direction"] = listing["direction"].map(vocabulary.direction_label)
    labels = {
        str(a): f"{'undated' if pd.isna(d) else f'{d:%Y-%m-%d}'} · {plain(t, 90)}"
        for a, d, t in zip(stored["article_id"], stored["event_date"], stored["title"], strict=True)
    }
    records = {str(r["article_id"]): r for r in stored.to_dict("records")}
    editable = stored[["event_id", "title", "event_date", "source", "category", "direction", "origin",
                       "version"]].copy()
    return StoreViews(listing, labels, records, editable)


def store_views() -> StoreViews:
    """The Articles page's list, picker labels, rows and correction table for the current store."""
    return _store_views(*events_key())


@st.cache_resource(show_spinner="Weighing the date evidence…", max_entries=64)
def article_report(article_id: str) -> date_report.DateReport:
    """The article with its date clues marked, and the evidence and candidate tables."""
    return date_report.date_report(article(article_id).text, article_dating(article_id))


@st.cache_data(show_spinner=False, max_entries=256)
def article_reasons(article_id: str) -> list[str]:
    """Why the rules chose the article's category and direction."""
    return article(article_id).classify().reasons


@st.cache_data(show_spinner=False, max_entries=256)
def article_mentions(article_id: str) -> pd.DataFrame:
    """Names, places, figures and topics found in the article, with their offsets."""
    found = article(article_id).mentions()
    return pd.DataFrame(
        [{"kind": m.kind, "label": m.label, "text": m.text, "start": m.start, "end": m.end} for m in found],
        columns=["kind", "label", "text", "start", "end"],
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _event_articles(where: str, revision: int, event_id: str) -> pd.DataFrame:
    opened = store.current()
    if opened is None or where == store.SEEDS_ONLY:
        return pd.DataFrame(columns=["article_id", "title", "source", "is_primary"])
    return events.event_articles(event_id, opened)


def event_articles(event_id: str) -> pd.DataFrame:
    """The articles that tell one event, primary first (re-read when the store changes, the CLI's adds too)."""
    return _event_articles(*store.events_key(), event_id)


@st.cache_resource(show_spinner=False, max_entries=64)
def event_history(event_id: str, version: int) -> pd.DataFrame:
    """One event's corrections as the Articles page shows them (keyed by the event's version)."""
    opened = store.current()
    if opened is None:
        raise events.EventStoreError("The events store cannot be read, so its history cannot be shown.")
    changes = events.history(event_id, store=opened)[["changed_at", "kind", "field", "old", "new", "note", "undone"]]
    words = {"category": vocabulary.topic_label, "direction": vocabulary.direction_label}  # codes never shown
    for side in ("old", "new"):
        changes[side] = [words[f](v) if f in words and not vocabulary.missing(v) else v
                         for f, v in zip(changes["field"], changes[side], strict=True)]
    changes["field"] = changes["field"].map(vocabulary.in_words)
    return changes


def clear_events() -> None:
    """Call after any write to the store or to data/articles/."""
    _events_table.clear()
    _event_index.clear()
    _event_names.clear()
    _store_views.clear()
    event_history.clear()
    article_report.clear()
    article.clear()
    article_markdown.clear()
    article_reasons.clear()
    article_mentions.clear()
    article_dating.clear()


@st.cache_data(show_spinner="Weighing the date evidence…", max_entries=64)
def article_dating(article_id: str):
    """The dating engine's full answer (evidence, candidates) for one stored article."""
    from eventlens.news.dating import engine as dating

    return dating.infer_date(article(article_id).text)


# --- event study (owner: event study) ---


@st.cache_resource(show_spinner="Running the event study…", max_entries=32, hash_funcs=STUDY_HASH)
def study_result(
    ticker: str,
    benchmark: str,
    model: str,
    windows: tuple[tuple[int, int], ...],
    estimation: tuple[int, int],
    prediction_error: bool,
    exclude_other_events: bool,
    events: tuple[tuple[str, str, str], ...],
    exclude_calendar: bool = False,
) -> event_study.StudyResult:
    """The event study for primitive arguments; ``events`` = (event_id, trading date YYYY-MM-DD or "", category)."""
    frame = pd.DataFrame(list(events), columns=["event_id", "trading_date", "category"])
    frame["trading_date"] = pd.to_datetime(frame["trading_date"].replace("", None), errors="coerce")
    design = event_study.Design(ticker, benchmark, model, windows, estimation, prediction_error,
                                exclude_other_events, exclude_calendar)
    return event_study.run_study(return_data(ticker, benchmark), frame, design)


# --- figures ---


def _ready_to_send(fig: go.Figure) -> go.Figure:
    """The same figure with its arrays already in plotly's typed-array form (``{dtype, bdata}``).

    ``st.plotly_chart`` calls ``fig.to_dict()`` on every rerun, and that converts (and type-checks)
    every numpy array again: about 3 ms for the CAR-path chart, on every widget change. A cached
    figure kept in the converted form sends the same JSON without redoing that work.
    """
    return go.Figure(fig.to_dict())


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
        return _ready_to_send(comparison_figure(closes, result.source, flagged, main=ticker))
    drawn = splits.to_as_traded(frame, ticker) if basis == "as_traded" else frame
    return _ready_to_send(price_figure(drawn, ticker, result.source, basis=basis, events=flagged, interval=interval))


@st.cache_resource(show_spinner=False, max_entries=64)
def event_window_chart(ticker: str, benchmark: str, store: tuple, event_id: str) -> go.Figure:
    """The Timeline's chart: ten sessions either side of one event."""
    flagged = flagged_events(ticker, benchmark, store)
    result = price_result(ticker)
    row = flagged[flagged["event_id"] == event_id].iloc[0]
    return _ready_to_send(event_window_figure(result.frame, row, ticker, result.source))


@dataclass(frozen=True)
class StudyViews:
    """What the Event study page draws from one study, built once per choice of inputs."""

    result: event_study.StudyResult
    names: dict[str, str]  # event id -> "YYYY-MM-DD · headline": how every table, title and legend names it
    car_summary: pd.DataFrame  # one row per event, the windows as columns (CAR, p, verdict)
    car_table: pd.DataFrame  # every statistic, one row per event and window
    caar_table: pd.DataFrame
    car_paths: go.Figure
    readings: dict[str, str]  # event id -> plain-words reading, in the order shown
    readings_markdown: str  # the readings as one block, headlines in bold, data notes in italics (all escaped)
    estimable: frozenset[str]  # events whose estimation window holds enough returns


def _readings_markdown(readings: dict[str, str], names: dict[str, str], notes: dict[str, str]) -> str:
    """The readings as one markdown block: each event's date and headline in bold, then the reading and any
    data note on that event in italics. All text is escaped."""
    paragraphs = []
    for event_id, reading in readings.items():
        name = names.get(event_id, "")
        note = notes.get(event_id)
        paragraphs.append((f"**{inert(name)}** — " if name else "") + inert(reading)
                          + (f" *Data note: {inert(note)}*" if note else ""))
    return "\n\n".join(paragraphs)


@st.cache_resource(show_spinner="Drawing the event study…", max_entries=32, hash_funcs=STUDY_HASH)
def study_views(*study_args) -> StudyViews:
    """:func:`study_result` plus its tables, CAR-path chart and readings (same arguments)."""
    result = study_result(*study_args)
    known, long = event_names(), event_names(120)  # prose has room for more of the headline
    events = result.events
    names = {str(e): vocabulary.event_name(e, known) for e in events["event_id"]}
    readings = {str(e): vocabulary.name_events(event_study.plain_reading(result, e), names)
                for e in events["event_id"]}
    notes = {str(e): vocabulary.name_events(n, known)
             for e, n in zip(events["event_id"], events["notes"], strict=True) if n}
    return StudyViews(
        result,
        names,
        study_tables.car_summary(result.rows, names),
        study_tables.car_table(result.rows, names),
        study_tables.caar_table(result.caar_table),
        _ready_to_send(study_figures.car_path_figure(result, names=names)),
        readings,
        _readings_markdown(readings, {e: vocabulary.event_name(e, long) for e in names}, notes),
        frozenset(str(e) for e in events.loc[events["estimable"].astype(bool), "event_id"]),
    )


@st.cache_resource(show_spinner="Pooling the peers…", max_entries=16)
def pooled_caar(design, peers: tuple[str, ...]) -> pd.DataFrame:
    """Every cross-event test on the stock and ``peers`` pooled over the same events (``design``: the page's)."""
    results = [study_result(*design.args(t)) for t in (design.ticker, *peers)]
    return event_study.pooled_caar(results)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=STUDY_HASH)
def study_event_figure(kind: str, focus: str, *study_args) -> go.Figure:
    """One event's abnormal-return bars (``kind="bars"``) or estimation-window fit (``kind="fit"``)."""
    views = study_views(*study_args)
    draw = study_figures.ar_bars_figure if kind == "bars" else study_figures.fit_scatter_figure
    return _ready_to_send(draw(views.result, focus, views.names))
