"""The Articles page's corrections table: dates, sources, topics and directions edited in a grid and saved
on the button, with a conflict (an event changed since this session opened it) kept aside, never merged
silently.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from eventlens import events, vocabulary
from eventlens import news as articles
from eventlens.corrections import MAX_SOURCE
from eventlens.inert import inert
from ui.article_forms import FLASH, PAGE, flash, writable
from ui.loaders import events as event_data

EDITOR = f"{PAGE}_editor"
PENDING = f"{PAGE}_pending"  # an analyst's edits refused because the events changed meanwhile
SEEN = f"{PAGE}_seen"  # each event's version when this session's correction table was opened


def save_edits(edited: pd.DataFrame, note: str) -> None:
    """Save the table's changes; a row whose event changed meanwhile is kept aside with the other change shown."""
    opened = writable()
    if opened is None:
        return
    try:
        changed = events.apply_edits(edited, store=opened, note=note)
    except events.ArticleConflict as exc:
        st.session_state[PENDING] = (edited, note)
        st.session_state[FLASH] = ("warning", inert(str(exc)))
        st.rerun()
    except events.EventStoreError as exc:
        st.error(f"Not saved: {inert(str(exc))}")
        return
    for key in (PENDING, SEEN, EDITOR):
        st.session_state.pop(key, None)
    flash("success", f"Saved {len(changed)} corrected event(s)." if changed else "Nothing to save.")
    st.rerun()


def show_pending(views: event_data.StoreViews) -> None:
    """Edits refused because their event changed: apply them on top of the current version, or drop them."""
    edited, note = st.session_state[PENDING]
    current = views.editable.set_index("event_id")["version"]
    st.warning("Your last edits were not saved because an event changed after you opened it (see above). "
               "The table below shows the events as they are now.", icon=":material/sync_problem:")
    c1, c2 = st.columns(2)
    if c1.button("Apply my edits on top", key=f"{PAGE}_on_top", type="primary"):
        rebased = edited.assign(version=edited["event_id"].map(current))
        save_edits(rebased, note)
    if c2.button("Discard my edits", key=f"{PAGE}_discard"):
        for key in (PENDING, SEEN, EDITOR):
            st.session_state.pop(key, None)
        st.rerun()


def show_corrections(views: event_data.StoreViews, last_day: pd.Timestamp | None) -> None:
    """Edit dates and categories in a table; saved only on the button (``last_day``: the latest date allowed)."""
    if PENDING in st.session_state:
        show_pending(views)
    # The table redraws from the store on every rerun, so the versions this session *saw* are kept apart:
    # a save compares against them, and an event changed meanwhile is a conflict, not a silent merge.
    pending_edits = (st.session_state.get(EDITOR) or {}).get("edited_rows")
    if SEEN not in st.session_state or not pending_edits:
        st.session_state[SEEN] = dict(zip(views.editable["event_id"], views.editable["version"], strict=True))
    st.caption("Edit the event date, source, category or direction, then save. The trading date follows the event "
               "date; corrected rows are marked 'analyst'. Each change is kept in the event's history and can be "
               "undone in the Reader tab.")
    # Topics and directions are edited as the words readers know (the grid's cells, its accessible table and
    # its CSV hold the values themselves) and turned back into the store's codes for the save.
    topics = {vocabulary.topic_label(c): c for c in articles.CATEGORIES}
    directions = {vocabulary.direction_label(d): d for d in articles.DIRECTIONS}
    worded = views.editable.assign(category=views.editable["category"].map(vocabulary.topic_label),
                                  direction=views.editable["direction"].map(vocabulary.direction_label))
    edited = st.data_editor(
        worded, hide_index=True, width="stretch", key=EDITOR, num_rows="fixed",
        disabled=["event_id", "title", "origin", "version"],
        column_config={
            "event_id": None,  # kept (hidden): a save finds the event by it; readers know events by headline
            "title": st.column_config.TextColumn("Headline"),
            "origin": st.column_config.TextColumn("Origin"),
            "event_date": st.column_config.DateColumn("Event date", format="YYYY-MM-DD",
                                                      max_value=last_day.date() if last_day is not None else None),
            "source": st.column_config.TextColumn("Source", max_chars=MAX_SOURCE, required=True),
            "category": st.column_config.SelectboxColumn("Topic", options=list(topics), required=True),
            "direction": st.column_config.SelectboxColumn("Direction", options=list(directions), required=True),
            "version": None,  # kept (hidden) so a save can tell whether the event changed since it was shown
        },
    )
    edited = edited.assign(category=edited["category"].map(topics).fillna(edited["category"]),
                           direction=edited["direction"].map(directions).fillna(edited["direction"]))
    note = st.text_input("Note for the history (optional)", key=f"{PAGE}_note", max_chars=300)
    if st.button("Save corrections", key=f"{PAGE}_save", type="primary"):
        seen = st.session_state[SEEN]
        save_edits(edited.assign(version=edited["event_id"].map(seen).fillna(edited["version"])), note)
