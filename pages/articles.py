"""Articles: the news behind each event, its inferred date and the evidence for it.

The page lists the events store, shows one article with its date evidence
highlighted (as escaped text: article content is never rendered as markup),
explains why each candidate date won or lost, accepts new articles with the
same checks as ``python -m eventlens add`` and saves an analyst's corrections.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from eventlens import articles, events, known_events
from eventlens.inert import inert
from ui import cache
from ui.frame import ensure_router, source_notice

PAGE = "art"
FLASH = f"{PAGE}_flash"
EDITOR = f"{PAGE}_editor"

ensure_router()
st.title("Articles and their dates")
st.caption("Each article becomes one event. Dates are inferred from evidence in the text; "
           "curated dates cite their source; analysts can correct any date or category.")


def flash(kind: str, message: str) -> None:
    """Keep a message across the rerun that follows a write."""
    st.session_state[FLASH] = (kind, message)


def handle_upload(name: str, payload: bytes) -> tuple[str, str]:
    """Same rules as ``add``: validate, store the article, add its event. Returns (kind, message)."""
    try:
        row = events.add_article(payload, name)
    # The file's name (and the messages that quote it) is untrusted: shown as text, never as markdown.
    except events.DuplicateArticleError as exc:
        return "warning", inert(exc)
    except (articles.ArticleError, events.EventStoreError) as exc:
        return "error", f"Refused: {inert(exc)} Nothing was saved."
    except OSError as exc:
        return "error", f"The article could not be saved ({inert(exc.strerror or exc)}); nothing was changed."
    cache.clear_events()
    date = "undated" if pd.isna(row["event_date"]) else f"{row['event_date']:%Y-%m-%d}"
    return "success", (f"Added {inert(name)} as article {inert(row['article_id'])} (decoded as "
                       f"{inert(row['encoding'])}): event date {date}, {inert(row['date_label'])}, category "
                       f"{inert(row['category'])}.")


tsla = cache.price_result("TSLA")
source_notice([tsla])

try:
    store = cache.events_table()
except events.EventStoreError as exc:
    st.error(f"The events store cannot be read: {inert(exc)} It was not changed; fix data/events.csv "
             "(or restore it with git) and reload.", icon=":material/block:")
    st.stop()

if FLASH in st.session_state:
    kind, message = st.session_state.pop(FLASH)
    getattr(st, kind)(message)

# --- list ---------------------------------------------------------------------
st.subheader("Events")
views = cache.store_views()
if store.empty:
    st.info("No articles yet. Upload a .txt or .md article in the 'Add an article' tab to create the first event.")
else:
    st.dataframe(
        cache.shown(views.listing), hide_index=True, width="stretch",
        column_config={
            "title": st.column_config.TextColumn("Title", width="large"),
            "source": "Source",
            "category": "Category",
            "direction": "Direction",
            "event_date": st.column_config.DateColumn("Event date", format="YYYY-MM-DD"),
            "trading_date": st.column_config.DateColumn("Trading date", format="YYYY-MM-DD",
                                                        help="First session whose close can reflect the news"),
            "date_label": "Confidence",
            "date_confidence": st.column_config.TextColumn(
                "Probability", help="The dating model's probability for the date; n/a where a person set it"),
            "origin": st.column_config.TextColumn("Origin", help="inferred, curated (cited) or analyst (corrected)"),
        },
    )

# --- one task at a time: read, add, correct (only the open tab is drawn) ------


def show_reader(views: cache.StoreViews) -> None:
    """One article with its date evidence, candidates and the reasons behind its category."""
    chosen = st.selectbox("Article", list(views.labels), format_func=views.labels.get, key=f"{PAGE}_article")
    row = views.records[chosen]
    try:
        article = cache.article(chosen)
        result = cache.article_dating(chosen)
        marked = cache.article_report(chosen)
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
        c3.metric("Confidence", inert(row["date_label"]) + ("" if pd.isna(conf) else f" ({conf:.0%})"))
        c4.metric("Origin", inert(row["origin"]))
        if row["origin"] == "curated":
            curated = known_events.curated_for(chosen)
            st.info(f"Curated date: the text alone cannot decide ({inert(result.note)}). "
                    + (f"Date taken from: {inert(curated.name)}, {curated.start:%Y-%m-%d}; source: "
                       f"{inert(curated.source)}." if curated else ""), icon=":material/push_pin:")
        elif row["origin"] == "analyst":
            st.info(f"Corrected by an analyst ({inert(row['corrected'] or 'fields')}). The engine's own answer: "
                    f"{inert(result.note)}.", icon=":material/edit_note:")
        st.caption(f"Source: {inert(row['source'])} · category {inert(row['category'])} · direction "
                   f"{inert(row['direction'])} · decoded as {inert(article.encoding)}")

        with st.container(border=True):
            st.markdown(marked.marked_text)

        st.markdown("**Date evidence** (bold in the text above; weights are log-odds)")
        if len(marked.evidence):
            st.dataframe(cache.shown(marked.evidence), hide_index=True, width="stretch")
        else:
            st.caption("No date clue found in the text.")

        st.markdown(f"**Candidate dates** · {inert(result.note)}")
        if len(marked.candidates):
            st.dataframe(cache.shown(marked.candidates), hide_index=True, width="stretch",
                         column_config={"probability (%)": st.column_config.NumberColumn(format="%.1f %%")})

        # Drawn only while open: most readers never open them.
        why = st.expander("Why this category and direction", key=f"{PAGE}_why", on_change="rerun")
        if why.open:
            with why:
                st.text("\n".join(cache.article_reasons(chosen)))
        found = st.expander("Extracted names, figures and topics", key=f"{PAGE}_found", on_change="rerun")
        if found.open:
            with found:
                st.dataframe(cache.article_mentions(chosen), hide_index=True, width="stretch")
        removed = st.expander(f"Boilerplate removed ({len(article.stripped)})", key=f"{PAGE}_removed",
                              on_change="rerun")
        if removed.open:
            with removed:
                for item in article.stripped:
                    st.caption(inert(item.reason))
                    st.text(item.text)


def show_upload() -> None:
    """Take a new article: same checks as ``python -m eventlens add``."""
    upload = st.file_uploader("Plain-text article (.txt or .md, at most 1 MB)", type=["txt", "md"],
                              key=f"{PAGE}_upload")
    if upload is not None and st.session_state.get(f"{PAGE}_done") != upload.file_id:
        st.session_state[f"{PAGE}_done"] = upload.file_id  # handle each upload once, not on every rerun
        kind, message = handle_upload(upload.name, upload.getvalue())
        if kind == "success":
            flash(kind, message)
            st.rerun()  # redraw the list and reader with the new event
        getattr(st, kind)(message)


def show_corrections(views: cache.StoreViews) -> None:
    """Edit dates and categories in a table; saved only on the button."""
    st.caption("Edit the event date, category or direction, then save. The trading date follows the event date; "
               "corrected rows are marked 'analyst'.")
    edited = st.data_editor(
        views.editable, hide_index=True, width="stretch", key=EDITOR, num_rows="fixed",
        disabled=["event_id", "title", "origin"],
        column_config={
            "event_date": st.column_config.DateColumn("Event date", format="YYYY-MM-DD",
                                                      max_value=tsla.as_of.date() if tsla.as_of is not None else None),
            "category": st.column_config.SelectboxColumn("Category", options=articles.CATEGORIES, required=True),
            "direction": st.column_config.SelectboxColumn("Direction", options=articles.DIRECTIONS, required=True),
        },
    )
    if st.button("Save corrections", key=f"{PAGE}_save", type="primary"):
        try:
            changed = events.apply_edits(edited)
        except events.EventStoreError as exc:
            st.error(f"Not saved: {inert(exc)}")
        else:
            cache.clear_events()
            flash("success", f"Saved {len(changed)} corrected event(s)." if changed else "Nothing to save.")
            st.session_state.pop(EDITOR, None)
            st.rerun()


TABS = ["Reader", "Add an article", "Correct dates and categories"]
reader, adder, corrector = st.tabs(TABS, key=f"{PAGE}_tab", on_change="rerun",
                                   default=TABS[1] if store.empty else TABS[0])
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
