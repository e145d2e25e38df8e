"""Articles: the news behind each event, its inferred date and the evidence for it.

The page lists the events store, shows one article with its date evidence
highlighted (as escaped text: article content is never rendered as markup),
explains why each candidate date won or lost, accepts new articles (several
files, zips, tables, feeds) with the same checks as ``python -m eventlens add``,
asks for the date of an article the engine could not settle, and saves an
analyst's corrections. The forms live in ``ui/article_forms.py``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from eventlens import events, vocabulary
from eventlens import news as articles
from eventlens.corrections import MAX_SOURCE
from eventlens.inert import inert
from eventlens.news.dating import known as known_events
from eventlens.url_state import ViewState
from ui import state
from ui import store as ui_store
from ui.article_forms import (
    FLASH,
    PAGE,
    QUESTIONS,
    UNSETTLED,
    flash,
    label_meaning,
    show_fix,
    show_question,
    show_upload,
    writable,
)
from ui.downloads import table_download
from ui.frame import ensure_router, source_notice
from ui.loaders import articles as article_data
from ui.loaders import events as event_data
from ui.loaders import prices
from ui.loaders.wire import shown
from ui.paging import paged_dataframe

EDITOR = f"{PAGE}_editor"
PENDING = f"{PAGE}_pending"  # an analyst's edits refused because the events changed meanwhile
SEEN = f"{PAGE}_seen"  # each event's version when this session's correction table was opened

ensure_router()
st.title("Articles and their dates")
st.caption("Each article becomes one event. Dates are inferred from evidence in the text; "
           "curated dates cite their source; analysts can correct any date or category.")


tsla = prices.price_result("TSLA")
source_notice([tsla])

try:
    store = event_data.events_table()
except events.EventStoreError as exc:
    st.error(f"The events store cannot be read: {inert(exc)} It was not changed.", icon=":material/block:")
    st.stop()

if FLASH in st.session_state:
    kind, message = st.session_state.pop(FLASH)
    getattr(st, kind)(message)

# --- list ---------------------------------------------------------------------
views = event_data.store_views()
TABS = {"reader": "Reader", "add": "Add an article", "correct": "Correct dates and categories"}
if store.empty:  # the page's default tab: with no article yet, adding one
    TABS = {"add": TABS["add"], "reader": TABS["reader"], "correct": TABS["correct"]}
ctx = state.context(prices.snapshot_tickers(), tsla.first_date, tsla.as_of, list(views.labels), TABS)
state.bind(PAGE, ["article", "tab"], ctx)
if st.session_state.get(f"{PAGE}_article") not in views.labels:  # e.g. an article removed since it was chosen
    st.session_state.pop(f"{PAGE}_article", None)
query = state.publish(ViewState(article=st.session_state.get(f"{PAGE}_article"),
                                tab=state.tab_name(ctx, st.session_state.get(f"{PAGE}_tab"))), ctx, ["article", "tab"])
state.copy_link(PAGE, query)
st.subheader("Events")
listed = None
if store.empty:
    st.info("No articles yet. Upload a .txt or .md article in the 'Add an article' tab to create the first event.")
else:
    listing = views.listing
    listed = paged_dataframe(  # 50 rows a page: the Reader below picks among the rows on this page
        listing, f"{PAGE}_list_page", hide_index=True, width="stretch",
        column_config={
            "Headline": st.column_config.TextColumn(width="large"),
            "News date": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Trading day": st.column_config.DateColumn(format="YYYY-MM-DD",
                                                       help="First session whose close can reflect the news"),
            "Date confidence": st.column_config.TextColumn(
                help="The dating model's probability for the date, or who set it (curated, analyst)"),
            "Origin": st.column_config.TextColumn(help="inferred, curated (cited) or analyst (corrected)"),
        },
    )
    if listed.count > 1:
        table_download(listing, "events_list", key=f"{PAGE}_list_csv",
                       label=f"All {listed.total:,} rows as CSV")

# --- one task at a time: read, add, correct (only the open tab is drawn) ------


def show_reader(views: event_data.StoreViews) -> None:
    """One article with its date evidence, candidates and the reasons behind its category."""
    every = tuple(views.labels)  # article ids in the list's order
    # Many articles: the picker offers the rows on the list's page above (a 1,000-entry list is not read).
    ids = every if listed is None or listed.count == 1 else every[listed.start : listed.stop]
    if st.session_state.get(f"{PAGE}_article") not in ids:
        st.session_state[f"{PAGE}_article"] = ids[0]
    label = "Article" if len(ids) == len(every) else f"Article (rows {listed.start + 1}–{listed.stop} of the list)"
    chosen = st.selectbox(label, ids, format_func=views.labels.get, key=f"{PAGE}_article")
    row = views.records[chosen]
    try:
        article = article_data.article(chosen)
        result = article_data.article_dating(chosen)
        marked = article_data.article_report(chosen)
        evidence, candidates = article_data.article_evidence_tables(chosen)
    except articles.ArticleError as exc:
        st.error(f"This article cannot be shown: {inert(exc)}")
    else:
        event_date = "undated" if pd.isna(row["event_date"]) else f"{row['event_date']:%Y-%m-%d}"
        trading = "none" if pd.isna(row["trading_date"]) else f"{row['trading_date']:%Y-%m-%d}"
        c1, c2, c3, c4 = st.columns(4)
        c1.metric("Event date", event_date)
        c2.metric("Trading date", trading)
        conf = row["date_confidence"]
        # A metric's value is markdown too, and these come from a hand-editable store.
        c3.metric("Confidence", inert(vocabulary.confidence_phrase(conf, row["origin"])))
        c4.metric("Origin", inert(row["origin"]))
        st.caption(inert(label_meaning(str(row["date_label"]))))
        if row["date_label"] in UNSETTLED and row["origin"] == "inferred" and chosen not in (
                st.session_state.get(QUESTIONS) or []):
            show_question(chosen)
        if row["origin"] == "curated":
            curated = known_events.curated_for(chosen)
            st.info(f"Curated date: the text alone cannot decide ({inert(result.note)}). "
                    + (f"Date taken from: {inert(curated.name)}, {curated.start:%Y-%m-%d}; source: "
                       f"{inert(curated.source)}." if curated else ""), icon=":material/push_pin:")
        elif row["origin"] == "analyst":
            st.info(f"Corrected by an analyst ({inert(row['corrected'] or 'fields')}). The engine's own answer: "
                    f"{inert(result.note)}.", icon=":material/edit_note:")
        st.caption(f"Source: {inert(row['source'])} · topic {inert(vocabulary.topic_label(row['category']))} · "
                   f"{inert(vocabulary.direction_label(row['direction']))} · decoded as {inert(article.encoding)}")
        others = event_data.other_tellings(str(row["event_id"]))
        if others:
            st.caption("Also reported by: " + "; ".join(f"{inert(s)} ({inert(t)})" for s, t in others))

        with st.container(border=True):
            st.markdown(marked.marked_text)

        st.markdown("**Date evidence** (bold in the text above; weights are log-odds)")
        if len(marked.evidence):
            st.dataframe(shown(evidence), hide_index=True, width="stretch")
        else:
            st.caption("No date clue found in the text.")

        st.markdown(f"**Candidate dates** · {inert(result.note)}")
        if len(marked.candidates):
            st.dataframe(shown(candidates), hide_index=True, width="stretch",
                         column_config={"Probability (%)": st.column_config.NumberColumn(format="%.1f")})

        # Drawn only while open: most readers never open them.
        why = st.expander("Why this category and direction", key=f"{PAGE}_why", on_change="rerun")
        if why.open:
            with why:
                st.text("\n".join(vocabulary.in_words(r) for r in article_data.article_reasons(chosen)))
        found = st.expander("Extracted names, figures and topics", key=f"{PAGE}_found", on_change="rerun")
        if found.open:
            with found:
                st.dataframe(vocabulary.worded(article_data.article_mentions(chosen)), hide_index=True, width="stretch")
        fix = st.expander("Correct this event", key=f"{PAGE}_fix", on_change="rerun", icon=":material/edit:")
        if fix.open:
            with fix:
                show_fix(row, tsla.first_date, tsla.as_of)
        past = st.expander("Correction history", key=f"{PAGE}_history", on_change="rerun")
        if past.open:
            with past:
                show_history(row)
        removed = st.expander(f"Boilerplate removed ({len(article.stripped)})", key=f"{PAGE}_removed",
                              on_change="rerun")
        if removed.open:
            with removed:
                for item in article.stripped:
                    st.caption(inert(item.reason))
                    st.text(item.text)


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


def show_corrections(views: event_data.StoreViews) -> None:
    """Edit dates and categories in a table; saved only on the button."""
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
    shown = views.editable.assign(category=views.editable["category"].map(vocabulary.topic_label),
                                  direction=views.editable["direction"].map(vocabulary.direction_label))
    edited = st.data_editor(
        shown, hide_index=True, width="stretch", key=EDITOR, num_rows="fixed",
        disabled=["event_id", "title", "origin", "version"],
        column_config={
            "event_id": None,  # kept (hidden): a save finds the event by it; readers know events by headline
            "title": st.column_config.TextColumn("Headline"),
            "origin": st.column_config.TextColumn("Origin"),
            "event_date": st.column_config.DateColumn("Event date", format="YYYY-MM-DD",
                                                      max_value=tsla.as_of.date() if tsla.as_of is not None else None),
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


def show_history(row: dict) -> None:
    """The event's corrections, newest first, and an undo of the last one."""
    opened = ui_store.current()
    if opened is None:
        st.caption("The history is unavailable while the store cannot be read.")
        return
    changes = event_data.event_history(str(row["event_id"]), int(row["version"]))
    if changes.empty:
        st.caption("No correction yet: the event is as the engine (or its cited source) dated it.")
        return
    st.dataframe(shown(vocabulary.worded(changes.rename(columns={"changed_at": "When (UTC)"}))),
                 hide_index=True, width="stretch",
                 column_config={"When (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
    if st.button("Undo the last change", key=f"{PAGE}_undo", icon=":material/undo:"):
        try:
            events.undo_last(str(row["event_id"]), int(row["version"]), store=opened)
        except events.ArticleConflict as exc:
            flash("warning", inert(str(exc)))
        except events.EventStoreError as exc:
            flash("error", f"Not undone: {inert(exc)}")
        else:
            flash("success", "The last change was undone; it stays in the history.")
        st.rerun()


reader, adder, corrector = st.tabs([TABS["reader"], TABS["add"], TABS["correct"]], key=f"{PAGE}_tab",
                                   on_change="rerun")
if adder.open:
    with adder:
        show_upload()
for tab, show_stored in ((reader, show_reader), (corrector, show_corrections)):  # both need an article
    if tab.open:
        with tab:
            if store.empty:
                st.info("No articles yet: add one in the 'Add an article' tab.")
            else:
                show_stored(views)
