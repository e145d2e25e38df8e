"""Data: where every number comes from, a refresh from Yahoo Finance, and the raw tables."""

import streamlit as st

from eventlens import provenance
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
results = {t: cache.price_result(t) for t in tickers}
source_notice([results["TSLA"]] if "TSLA" in results else [])
st.subheader("Price series")
sources = provenance.sources_table(results)
st.dataframe(sources, hide_index=True, width="stretch")
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
            st.warning(" ".join(result.messages) or f"{ticker}: refresh failed.", icon=":material/warning:")
        else:
            st.success(f"{ticker}: refreshed, {len(result.frame)} trading days up to {result.as_of:%Y-%m-%d}.")

st.subheader("Stock splits")
st.dataframe(provenance.split_table(), hide_index=True)
st.caption("Prices are split-adjusted to today's shares; the Overview can show them as traded on each day.")

st.subheader("Download tables")
pick = st.selectbox(
    "Daily prices of", tickers, key="data_download_ticker", index=tickers.index("TSLA") if "TSLA" in tickers else 0
)
frame = results[pick].frame.reset_index()
table_download(frame, f"{pick}_daily_prices", key="data_prices_csv", label=f"{pick} daily prices as CSV")
events = cache.events_table()
table_download(events, "events", key="data_events_csv", label="Events table as CSV")

with st.expander("Provenance of the snapshot (data/prices/SOURCES.md)"):
    st.markdown(provenance.provenance_markdown())
