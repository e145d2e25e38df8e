"""The Event study's per-event views one page of events at a time: readings, CAR table, CAR paths, details.

A study of hundreds of events would otherwise write a reading, a table row and a chart line for every one of
them on every rerun. The page shows :data:`EVENTS_PER_PAGE` events at a time (one selector drives
the readings, the CAR table, the CAR-path chart and the one-event picker together); the CSV downloads keep
every event. Each page's views are built once per study and page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from eventlens import paging, study_tables, vocabulary
from eventlens.figures import study as study_figures
from eventlens.inert import inert
from ui.loaders import caching
from ui.loaders.events import event_names, events_key
from ui.loaders.prices import prices_key
from ui.loaders.study import STUDY_HASH, StudyArgs, StudyViews, readings_markdown, study_views

# Events a page: ten readings, table rows and CAR paths are what a reader compares at once (and a chart of
# more paths is a tangle that costs every rerun); the CSVs hold every event.
EVENTS_PER_PAGE = 10


@dataclass(frozen=True)
class StudyPage:
    """One page of a study's events and what the page draws for them."""

    page: paging.Page
    ids: tuple[str, ...]  # the events on this page, in the order shown
    readings_markdown: str  # each event's date and headline in bold, its reading, any data note (all escaped)
    car_summary: pd.DataFrame  # these events' rows of the CAR table
    car_cells: pd.DataFrame  # the same, every cell made inert for ``st.table`` (which renders markdown)
    car_table: pd.DataFrame  # every statistic of these events, one row per event and window
    car_paths: go.Figure  # these events' CAR paths


def _readings(views: StudyViews, ids: tuple[str, ...]) -> str:
    """The readings of ``ids`` as one markdown block, written as the whole study's are."""
    long = event_names(120)  # prose has room for more of the headline
    known = event_names()
    events = views.result.events
    notes = {str(e): vocabulary.name_events(n, known)
             for e, n in zip(events["event_id"], events["notes"], strict=True) if str(e) in ids and n}
    return readings_markdown({e: views.readings[e] for e in ids}, {e: vocabulary.event_name(e, long) for e in ids},
                             notes)


def study_page(number: int, *study_args) -> StudyPage:
    """Page ``number`` of the study's events (``study_args`` as :func:`ui.loaders.study.study_views` takes them)."""
    return _study_page(prices_key(), events_key(), number, StudyArgs(study_args))


@caching.resource(show_spinner=False, max_entries=32, hash_funcs=STUDY_HASH)
def _study_page(prices_stamp: str, store: tuple, number: int, study_args: StudyArgs) -> StudyPage:
    views = study_views(*study_args)
    every = tuple(views.readings)  # the study's events in the order shown
    which = paging.page(len(every), number, EVENTS_PER_PAGE)
    ids = every[which.start : which.stop]
    if which.count == 1:  # the whole study: its own views, built already
        return StudyPage(which, ids, views.readings_markdown, views.car_summary, views.car_summary.map(inert),
                         views.car_table, views.car_paths)
    rows: pd.DataFrame = views.result.rows[views.result.rows["event_id"].astype(str).isin(ids)]
    summary = study_tables.car_summary(rows, views.names)
    figure = study_figures.car_path_figure(views.result, event_ids=list(ids), names=views.names)
    return StudyPage(which, ids, _readings(views, ids), summary, summary.map(inert),
                     study_tables.car_table(rows, views.names), figure)

