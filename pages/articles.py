"""Articles: the news behind each event, its inferred date and the evidence for it.

The page lists the events store, shows one article with its date evidence
highlighted (as escaped text: article content is never rendered as markup),
explains why each candidate date won or lost, accepts new articles (several
files, zips, tables, feeds) with the same checks as ``python -m eventlens add``,
asks for the date of an article the engine could not settle, and saves an
analyst's corrections. The Reader is ``ui/article_reader.py``, the corrections table
``ui/article_corrections.py`` and the forms ``ui/article_forms.py``.
"""

from __future__ import annotations

import streamlit as st

from eventlens import events
from eventlens.inert import inert
from eventlens.url_state import ViewState
from ui import state
from ui.article_corrections import show_corrections
from ui.article_forms import FLASH, PAGE, show_upload
from ui.article_reader import show_reader
from ui.downloads import table_download
from ui.frame import ensure_router, source_notice
from ui.loaders import events as event_data
from ui.loaders import prices
from ui.paging import paged_dataframe

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
reader, adder, corrector = st.tabs([TABS["reader"], TABS["add"], TABS["correct"]], key=f"{PAGE}_tab",
                                   on_change="rerun")
if adder.open:
    with adder:
        show_upload()
for tab, show_stored in (  # both need an article
    (reader, lambda: show_reader(views, listed, tsla.first_date, tsla.as_of)),
    (corrector, lambda: show_corrections(views, tsla.as_of)),
):
    if tab.open:
        with tab:
            if store.empty:
                st.info("No articles yet: add one in the 'Add an article' tab.")
            else:
                show_stored()
