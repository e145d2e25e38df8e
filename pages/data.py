"""Data: where every number comes from, a refresh from Yahoo Finance, and the raw tables."""

import streamlit as st

from eventlens import provenance
from eventlens.inert import inert
from ui import cache
from ui.downloads import table_download
from ui.frame import ensure_router, source_notice

ensure_router()
st.title("Data sources")
st.caption(
    "Daily prices are Yahoo Finance data. The app runs on a verified offline snapshot and refreshes through "
    "yfinance only when you ask below; any failure falls back to the snapshot and says so."
)

tickers = cache.snapshot_tickers()
source_notice([cache.price_result("TSLA")] if "TSLA" in tickers else [])
st.subheader("Price series")
sources = cache.price_sources()
st.dataframe(cache.shown(sources), hide_index=True, width="stretch")
table_download(sources, "price_sources", key="data_sources_csv", label="Sources as CSV")

st.subheader("Refresh from Yahoo Finance")
chosen = st.multiselect("Tickers to refresh", tickers, default=["TSLA"], key="data_refresh_tickers")
if st.button("Refresh now", key="data_refresh", type="primary", disabled=not chosen):
    bar = st.progress(0.0, text="Contacting Yahoo Finance…")

    def progress(done: int, total: int, ticker: str) -> None:
        bar.progress(done / max(total, 1), text=f"Fetching {ticker}…" if ticker else "Done.")

    outcome = cache.refresh_prices(chosen, progress)
    for ticker, result in outcome.items():
        if result.fell_back:
            st.warning(inert(" ".join(result.messages) or f"{ticker}: refresh failed."), icon=":material/warning:")
        else:
            st.success(f"{ticker}: refreshed, {len(result.frame)} trading days up to {result.as_of:%Y-%m-%d}.")

st.subheader("Stock splits")
st.dataframe(cache.shown(cache.split_table()), hide_index=True)
st.caption("Prices are split-adjusted to today's shares; the Overview can show them as traded on each day.")

st.subheader("Download tables")
pick = st.selectbox(
    "Daily prices of", tickers, key="data_download_ticker", index=tickers.index("TSLA") if "TSLA" in tickers else 0
)
frame = cache.price_result(pick).frame
table_download(frame.reset_index(), f"{pick}_daily_prices", key="data_prices_csv", label=f"{pick} daily prices as CSV")
events = cache.events_table()
table_download(events, "events", key="data_events_csv", label="Events table as CSV")

provenance_box = st.expander("Provenance of the snapshot (data/prices/SOURCES.md)", key="data_provenance",
                             on_change="rerun")
if provenance_box.open:
    with provenance_box:
        st.markdown(provenance.provenance_markdown())
