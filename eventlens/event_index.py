"""The events in trading-date order, with the labels and keys the event pickers need.

Timeline and Event study both let an analyst pick events by date and
headline, and the Event study hands them to the engine as plain tuples (so
its cache can key on them). Building that from the store is pandas work
worth doing once per version of the store, not on every widget change, and
in one place so both pages list the same events the same way.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from eventlens.inert import plain

StudyKey = tuple[str, str, str]  # (event_id, trading date YYYY-MM-DD or "", category)


class StudyEvents(tuple):
    """A study's events (:data:`StudyKey` tuples, in order) with one digest of them all.

    The study's caches key on its events. Hashing a tuple of 1,000 keys element by element costs more than
    the rest of a warm rerun, on every cached call; the digest is computed once per object (the UI keeps the
    object per store revision and choice), and caches hash it instead (``STUDY_HASH`` in ``ui/loaders/study.py``).
    """

    @functools.cached_property
    def digest(self) -> str:
        return hashlib.blake2b(repr(tuple(self)).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class EventIndex:
    """Events ordered by trading date (then id); undated events last."""

    ids: tuple[str, ...]
    dated_ids: tuple[str, ...]
    labels: Mapping[str, str]  # "YYYY-MM-DD · headline", or "undated · headline"
    titles: Mapping[str, str]
    study_keys: Mapping[str, StudyKey]

    def study_events(self, selected: Iterable[str]) -> StudyEvents:
        """The study keys of ``selected``, in trading-date order (the order the results are shown in)."""
        chosen = set(selected)
        return StudyEvents(self.study_keys[i] for i in self.ids if i in chosen)


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def build_index(events: pd.DataFrame, label_width: int = 90) -> EventIndex:
    """Index the events store (``event_id``, ``trading_date``, ``title``, ``category`` columns).

    Labels cut headlines at ``label_width`` characters so a picker stays one line wide.
    """
    ordered = events.sort_values(["trading_date", "event_id"], na_position="last", kind="stable")
    ids, dated, labels, titles, keys = [], [], {}, {}, {}
    for event_id, day, title, category in zip(
        ordered["event_id"], ordered["trading_date"], ordered["title"], ordered["category"], strict=True
    ):
        event_id, title = str(event_id), _text(title)
        day_text = "" if pd.isna(day) else f"{pd.Timestamp(day):%Y-%m-%d}"
        ids.append(event_id)
        if day_text:
            dated.append(event_id)
        labels[event_id] = f"{day_text or 'undated'} · {plain(title, label_width)}"
        titles[event_id] = title
        keys[event_id] = (event_id, day_text, _text(category))
    return EventIndex(tuple(ids), tuple(dated), labels, titles, keys)


def typed_study_events(typed: pd.DataFrame) -> StudyEvents:
    """Study keys for trading dates typed by the analyst (:func:`eventlens.event_study.events_for_dates`)."""
    return StudyEvents(
        (str(e), f"{pd.Timestamp(d):%Y-%m-%d}", _text(c))
        for e, d, c in zip(typed["event_id"], typed["trading_date"], typed["category"], strict=True)
    )
