"""Pages of a long table and filters of a long list of events: what keeps hundreds of events readable.

A folder of articles brings hundreds of events. A table that shows every one of them is neither readable nor
quick (each row is sent to the browser on every rerun), so the pages show :data:`PAGE_ROWS` rows at a time,
say which ("rows 1–50 of 1,000"), and their CSV downloads still hold every row. Event pickers narrow the
list by topic, headline words and dates before anything is drawn.

Pure Python (no Streamlit): the page selector itself lives in ``ui/paging.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from eventlens.event_index import EventIndex

PAGE_ROWS = 50  # rows of a table shown at a time
MANY = 50  # more events than this and the pickers filter before they list


@dataclass(frozen=True)
class Page:
    """One page of ``total`` rows: rows ``start`` (inclusive) to ``stop`` (exclusive), 0-based."""

    number: int  # 1-based, as the selector shows it
    count: int  # how many pages there are (at least 1)
    start: int
    stop: int
    total: int

    @property
    def caption(self) -> str:
        """ "rows 1–50 of 1,000" (1-based, inclusive, as a reader counts)."""
        if self.total == 0:
            return "no rows"
        return f"rows {self.start + 1:,}–{self.stop:,} of {self.total:,}"


def page_count(total: int, size: int = PAGE_ROWS) -> int:
    """How many pages ``total`` rows fill (at least one, so an empty table still has a page)."""
    if size < 1:
        raise ValueError("A page holds at least one row.")
    return max(1, -(-max(total, 0) // size))


def page(total: int, number: int, size: int = PAGE_ROWS) -> Page:
    """Page ``number`` (1-based) of ``total`` rows; a number out of range is clamped (a table that shrank)."""
    count = page_count(total, size)
    number = min(max(int(number), 1), count)
    start = (number - 1) * size
    return Page(number, count, min(start, total), min(start + size, total), total)


def rows(frame: pd.DataFrame, which: Page) -> pd.DataFrame:
    """The rows of ``frame`` on one page (positional, in the frame's order)."""
    return frame.iloc[which.start : which.stop]


@dataclass(frozen=True)
class EventFilter:
    """Which events a picker lists: topics (codes; empty = every topic), words in the headline, a date span.

    Undated events pass a filter without dates and fail one with dates (they have no day to compare).
    """

    topics: tuple[str, ...] = ()
    text: str = ""
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None

    @property
    def empty(self) -> bool:
        return not self.topics and not self.text.strip() and self.start is None and self.end is None


def filter_ids(index: EventIndex, chosen: EventFilter) -> tuple[str, ...]:
    """The index's ids (in trading-date order) that pass ``chosen``: every word of its text in the headline
    (case-insensitive), its topic among the chosen ones, its trading day inside the span.

    A loop over the events: callers keep the answer per store revision and filter (``ui/paging.py``).
    """
    if chosen.empty:
        return index.ids
    words = chosen.text.casefold().split()
    wanted = set(chosen.topics)
    start = "" if chosen.start is None else f"{chosen.start:%Y-%m-%d}"
    end = "9999" if chosen.end is None else f"{chosen.end:%Y-%m-%d}"
    dated = chosen.start is not None or chosen.end is not None
    out = []
    for event_id in index.ids:
        _, day, topic = index.study_keys[event_id]
        if wanted and topic not in wanted:
            continue
        if words and not all(w in index.titles[event_id].casefold() for w in words):
            continue
        if dated and not (day and start <= day <= end):  # ISO days compare as text
            continue
        out.append(event_id)
    return tuple(out)
