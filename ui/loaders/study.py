"""Cached event studies and what the Event study page draws from them (tables, charts, readings).

Each loader is keyed by the price files' stamp (:func:`ui.loaders.prices.prices_key`); what names the
events is keyed by the store's too (:func:`ui.loaders.events.events_key`), so a refresh or a corrected
headline is seen on the next run.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from eventlens import study as event_study
from eventlens import study_tables, vocabulary
from eventlens.event_index import StudyEvents
from eventlens.figures import study as study_figures
from eventlens.inert import inert
from ui.loaders import caching
from ui.loaders.events import event_names, events_key
from ui.loaders.prices import prices_key, return_data


class StudyArgs(tuple):
    """A study's arguments (ticker, benchmark, model, windows, estimation, options, events), hashed as one digest.

    Every study loader is keyed by these; Streamlit hashes a nested tuple element by element (the windows'
    pairs, each option), about 0.3 ms a loader and rerun. The digest folds in the events' own digest.
    """

    @functools.cached_property
    def digest(self) -> str:
        plain = tuple(a.digest if isinstance(a, StudyEvents) else a for a in self)
        return hashlib.blake2b(repr(plain).encode(), digest_size=16).hexdigest()


# A study's events and arguments are hashed by their digests, computed once per object (hashing 1,000 keys one
# by one cost more than a rerun).
STUDY_HASH: dict[str | type, Callable[[Any], Any]] = {StudyEvents: lambda events: events.digest,
                                                      StudyArgs: lambda args: args.digest}


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
    return _study_result(prices_key(), ticker, benchmark, model, windows, estimation, prediction_error,
                         exclude_other_events, events, exclude_calendar)


@caching.resource(show_spinner="Running the event study…", max_entries=32, hash_funcs=STUDY_HASH)
def _study_result(
    stamp: str,
    ticker: str,
    benchmark: str,
    model: str,
    windows: tuple[tuple[int, int], ...],
    estimation: tuple[int, int],
    prediction_error: bool,
    exclude_other_events: bool,
    events: tuple[tuple[str, str, str], ...],
    exclude_calendar: bool,
) -> event_study.StudyResult:
    frame = pd.DataFrame(list(events), columns=["event_id", "trading_date", "category"])
    frame["trading_date"] = pd.to_datetime(frame["trading_date"].replace("", None), errors="coerce")
    design = event_study.Design(ticker, benchmark, model, windows, estimation, prediction_error,
                                exclude_other_events, exclude_calendar)
    return event_study.run_study(return_data(ticker, benchmark), frame, design)


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


def readings_markdown(readings: dict[str, str], names: dict[str, str], notes: dict[str, str]) -> str:
    """The readings as one markdown block: each event's date and headline in bold, then the reading and any
    data note on that event in italics. All text is escaped."""
    paragraphs = []
    for event_id, reading in readings.items():
        name = names.get(event_id, "")
        note = notes.get(event_id)
        paragraphs.append((f"**{inert(name)}** — " if name else "") + inert(reading)
                          + (f" *Data note: {inert(note)}*" if note else ""))
    return "\n\n".join(paragraphs)


def study_views(*study_args) -> StudyViews:
    """:func:`study_result` plus its tables, CAR-path chart and readings (same arguments)."""
    return _study_views(prices_key(), events_key(), StudyArgs(study_args))


@caching.resource(show_spinner="Drawing the event study…", max_entries=32, hash_funcs=STUDY_HASH)
def _study_views(prices_stamp: str, store: tuple, study_args: StudyArgs) -> StudyViews:
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
        study_figures.car_path_figure(result, names=names),
        readings,
        readings_markdown(readings, {e: vocabulary.event_name(e, long) for e in names}, notes),
        frozenset(str(e) for e in events.loc[events["estimable"].astype(bool), "event_id"]),
    )


def pooled_caar(design, peers: tuple[str, ...]) -> pd.DataFrame:
    """Every cross-event test on the stock and ``peers`` pooled over the same events (``design``: the page's)."""
    return _pooled_caar(prices_key(), design, peers)


@caching.resource(show_spinner="Pooling the peers…", max_entries=16)
def _pooled_caar(stamp: str, design, peers: tuple[str, ...]) -> pd.DataFrame:
    results = [study_result(*design.args(t)) for t in (design.ticker, *peers)]
    return event_study.pooled_caar(results)


def study_event_figure(kind: str, focus: str, *study_args) -> go.Figure:
    """One event's abnormal-return bars (``kind="bars"``) or estimation-window fit (``kind="fit"``)."""
    return _study_event_figure(prices_key(), events_key(), kind, focus, StudyArgs(study_args))


@caching.resource(show_spinner=False, max_entries=64, hash_funcs=STUDY_HASH)
def _study_event_figure(prices_stamp: str, store: tuple, kind: str, focus: str, study_args: StudyArgs) -> go.Figure:
    views = study_views(*study_args)
    draw = study_figures.ar_bars_figure if kind == "bars" else study_figures.fit_scatter_figure
    return draw(views.result, focus, views.names)
