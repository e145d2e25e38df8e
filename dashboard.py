"""EventLens: the frame and router of the Streamlit app.

One ``st.Page`` per file in ``pages/``; the pages are thin and call the
``eventlens`` core. Any page failure becomes a clear message, never a traceback.
"""

from pathlib import Path

import streamlit as st

from ui import store
from ui.frame import show_failure

# A local icon: a Material-symbol page icon makes every browser fetch it from fonts.gstatic.com.
st.set_page_config(
    page_title="EventLens · TSLA and China's vehicle-data rules",
    page_icon=str(Path(__file__).resolve().parent / "ui" / "favicon.png"),
    layout="wide",
)

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/candlestick_chart:", default=True),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/event_study.py", title="Event study", icon=":material/query_stats:", url_path="event_study"),
    st.Page("pages/articles.py", title="Articles", icon=":material/article:", url_path="articles"),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
]

page = st.navigation(PAGES)
st.sidebar.caption(
    "EventLens puts news about Tesla and China's vehicle-data rules (2021–2024) next to TSLA's price. "
    "Prices: Yahoo Finance daily data, offline snapshot unless refreshed on the Data page."
)
try:
    store.notice()
    page.run()
except Exception as exc:  # noqa: BLE001 - the page's last line of defence
    show_failure(exc)
