"""Answers that walk every event of the store, kept per store revision (``store_key``) and choice.

With hundreds of events, a filter's matches, a study's event keys and the events by month each loop over the
whole index; a warm rerun reads them from here instead. The index is passed unhashed (``_index``): the store
key already names its version.
"""

from __future__ import annotations

from eventlens import paging
from eventlens.event_index import EventIndex, StudyEvents
from eventlens.paging import EventFilter
from ui.loaders import caching

# A filter is hashed by its repr (every field, Timestamps included): Streamlit's own hashing of a dataclass goes
# through its pickle, ~0.3 ms a call.
FILTER_HASH = {EventFilter: repr}


@caching.resource(show_spinner=False, max_entries=64, hash_funcs=FILTER_HASH)
def _matching(store_key: tuple, chosen: EventFilter, _index: EventIndex) -> tuple[str, ...]:
    return paging.filter_ids(_index, chosen)


def matching(index: EventIndex, store_key: tuple, chosen: EventFilter) -> tuple[str, ...]:
    """The index's events that pass ``chosen``, kept per store revision (``store_key``) and filter."""
    return _matching(store_key, chosen, index)


@caching.resource(show_spinner=False, max_entries=64, hash_funcs=FILTER_HASH)
def _study_events(store_key: tuple, chosen: EventFilter, picks: tuple[str, ...], _index: EventIndex) -> StudyEvents:
    return _index.study_events(picks or paging.filter_ids(_index, chosen))


def study_events(index: EventIndex, store_key: tuple, chosen: EventFilter, picks: tuple[str, ...]) -> StudyEvents:
    """The study's keys of the ``picks`` (none = every event passing ``chosen``), kept per store revision,
    filter and picks, so a warm rerun neither walks nor hashes the events."""
    return _study_events(store_key, chosen, picks, index)


@caching.resource(show_spinner=False, max_entries=8)
def _months(store_key: tuple, _index: EventIndex) -> dict[str, tuple[str, ...]]:
    months: dict[str, list[str]] = {}
    for event_id in _index.dated_ids:
        months.setdefault(_index.study_keys[event_id][1][:7], []).append(event_id)
    return {month: tuple(ids) for month, ids in months.items()}


def months(index: EventIndex, store_key: tuple) -> dict[str, tuple[str, ...]]:
    """The dated events by month of their trading day ("2022-07" -> ids in date order), kept per store
    revision: the Timeline's picker lists one month at a time when the events are many."""
    return _months(store_key, index)
