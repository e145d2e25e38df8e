"""Long tables a page at a time, and event pickers that filter first (the Streamlit side of ``eventlens.paging``).

With hundreds of events a table of every row is slow to send and impossible to read, and a picker of every
event is a list no one scrolls. Tables show :data:`~eventlens.paging.PAGE_ROWS` rows with a page selector and
say which rows ("rows 1–50 of 1,000"); their CSV buttons keep every row. The answers that loop over the events
(a filter's matches, a study's event keys, events by month) are kept in :mod:`ui.loaders.event_picks`.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from eventlens import paging, vocabulary
from eventlens.event_index import EventIndex, StudyEvents
from eventlens.news import CATEGORIES
from eventlens.paging import MANY, EventFilter, Page
from ui.loaders import event_picks, wire

_SLICES: dict[tuple[int, int, int], pa.Table | pd.DataFrame] = {}


def pager(total: int, key: str, size: int = paging.PAGE_ROWS, what: str = "rows") -> Page:
    """A page selector (only when the rows fill more than one page) and the caption "rows 1–50 of 1,000".

    The selector's value is kept under ``key``; a table that shrank since (a filter, a narrower range)
    clamps it to its last page instead of failing.
    """
    count = paging.page_count(total, size)
    if count == 1:
        return paging.page(total, 1, size)
    if not 1 <= int(st.session_state.get(key, 1)) <= count:
        st.session_state[key] = min(max(int(st.session_state.get(key, 1)), 1), count)
    bar = st.container(horizontal=True, vertical_alignment="center")
    number = bar.number_input(f"Page (of {count})", min_value=1, max_value=count, step=1, key=key, width=140,
                              help=f"{size} {what} a page; the CSV download holds all {total:,}.")
    shown = paging.page(total, number, size)
    bar.caption(shown.caption.replace("rows", what, 1))
    return shown


def page_of(frame: pd.DataFrame, which: Page) -> pa.Table | pd.DataFrame:
    """One page of a cached, never-mutated frame, ready for ``st.dataframe`` (its Arrow slice, kept by identity
    and page, so a warm rerun converts nothing)."""

    def build() -> pa.Table | pd.DataFrame:
        part = paging.rows(frame, which)
        table = wire.arrow_table(part)
        return part if table is None else table

    found = wire.kept_for(frame, _SLICES, (id(frame), which.start, which.stop), build)
    assert found is not None  # build never returns None
    return found


def paged_dataframe(frame: pd.DataFrame, key: str, **options) -> Page:
    """``st.dataframe`` of one page of ``frame`` with its page selector above; returns the page shown."""
    which = pager(len(frame), key)
    st.dataframe(page_of(frame, which), **options)
    return which


# --- event pickers ---------------------------------------------------------------------------------------------


def event_filter(prefix: str, dates: bool = True) -> EventFilter:
    """Topic, headline-words and (optionally) date widgets in one row; their keys start with ``prefix``."""
    row = st.container(horizontal=True)
    topics = row.multiselect("Topics", CATEGORIES, key=f"{prefix}_topics", format_func=vocabulary.topic_label,
                             placeholder="Every topic", width=320)
    text = row.text_input("Headline contains", key=f"{prefix}_text", max_chars=100, width=260,
                          placeholder="e.g. data centre")
    start = end = None
    if dates:
        start = row.date_input("From", value=None, key=f"{prefix}_from", format="YYYY-MM-DD", width=150)
        end = row.date_input("To", value=None, key=f"{prefix}_to", format="YYYY-MM-DD", width=150)
    return EventFilter(tuple(topics), text.strip(), None if start is None else pd.Timestamp(start),
                       None if end is None else pd.Timestamp(end))


def many_events(index: EventIndex, store_key: tuple, key: str) -> StudyEvents:
    """The Event study's picker for a store of more than :data:`MANY` events: filter, then pick.

    Every event that passes the filter is studied; once the filter leaves :data:`MANY` or fewer, single
    events can be picked among them (none picked = all of them). ``key`` holds the picks, as the short
    picker's multiselect does. The study's keys are kept per store revision, filter and picks, so a warm
    rerun neither walks nor hashes the events.
    """
    st.caption(f"The store holds {len(index.ids):,} events: narrow them by topic, headline or dates.")
    chosen = event_filter(f"{key}_f")
    found = event_picks.matching(index, store_key, chosen)
    picks: tuple[str, ...] = ()
    if not found:
        st.info("No event matches this filter: widen it.")
        return StudyEvents()
    if len(found) > MANY:
        st.caption(f"Studying all {len(found):,} events that match. Narrow the filter to {MANY} or fewer to pick "
                   "single events.")
    else:
        allowed = set(found)
        current = st.session_state.get(key) or []
        if len(current) >= len(index.ids):  # "every event", the short picker's default: no single pick
            current = []
        st.session_state[key] = [i for i in current if i in allowed]
        picks = tuple(st.multiselect(f"Only these events (none chosen = all {len(found)} that match)", found,
                                     key=key, format_func=lambda i: index.labels[i]))
    return event_picks.study_events(index, store_key, chosen, picks)
