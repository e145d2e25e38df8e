"""The Articles page's Reader: one article, its date evidence highlighted, the candidate dates and why one won,
the reasons for its topic, and its corrections (the fix form and the undoable history).

Article text is shown as escaped text with the evidence in bold (``article_report``); every value from the
store passes through :func:`eventlens.inert.inert` before reaching markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from eventlens import events, vocabulary
from eventlens import news as articles
from eventlens.inert import inert
from eventlens.news.dating import known as known_events
from eventlens.paging import Page
from ui import store as ui_store
from ui.article_forms import PAGE, QUESTIONS, UNSETTLED, flash, label_meaning, show_fix, show_question
from ui.loaders import articles as article_data
from ui.loaders import events as event_data
from ui.loaders.wire import shown


def show_reader(views: event_data.StoreViews, listed: Page | None, first_day: pd.Timestamp | None,
                last_day: pd.Timestamp | None) -> None:
    """One article with its date evidence, candidates and the reasons behind its category.

    ``listed``: the page of the events list drawn above (the picker offers its rows), None when none is drawn;
    ``first_day``/``last_day``: the price history's span, the bounds of a corrected date."""
    every = tuple(views.labels)  # article ids in the list's order
    # Many articles: the picker offers the rows on the list's page above (a 1,000-entry list is not read).
    window = None if listed is None or listed.count == 1 else listed
    ids = every if window is None else every[window.start : window.stop]
    if st.session_state.get(f"{PAGE}_article") not in ids:
        st.session_state[f"{PAGE}_article"] = ids[0]
    label = ("Article" if window is None or len(ids) == len(every)
             else f"Article (rows {window.start + 1}–{window.stop} of the list)")
    chosen = st.selectbox(label, ids, format_func=lambda article_id: views.labels.get(article_id, article_id),
                          key=f"{PAGE}_article")
    if chosen is None:  # never with a non-empty list; the store's emptiness is handled by the page
        return
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
                show_fix(row, first_day, last_day)
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
