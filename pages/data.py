"""Data: where every number comes from, a refresh from Yahoo Finance, and the raw tables."""

import streamlit as st

from eventlens import provenance, vocabulary
from eventlens.inert import inert
from eventlens.store import StoreError
from eventlens.store import backup as store_backup
from eventlens.url_state import ViewState
from ui import state
from ui import store as ui_store
from ui.downloads import table_download
from ui.frame import ensure_router, source_notice
from ui.loaders import events as event_data
from ui.loaders import prices
from ui.loaders.wire import shown

ensure_router()
st.title("Data sources")
st.caption(
    "Daily prices are Yahoo Finance data. The app runs on a verified offline snapshot and refreshes through "
    "yfinance only when you ask below; any failure falls back to the snapshot and says so."
)

tickers = prices.snapshot_tickers()
main = prices.price_result("TSLA" if "TSLA" in tickers else tickers[0])
ctx = state.context(tickers, main.first_date, main.as_of)
state.bind("data", ["ticker"], ctx)  # the ticker whose daily prices are offered for download
if st.session_state["data_ticker"] not in tickers:
    st.session_state["data_ticker"] = tickers[0]
source_notice([prices.price_result("TSLA")] if "TSLA" in tickers else [])
state.copy_link("data", state.publish(ViewState(ticker=st.session_state["data_ticker"]), ctx, ["ticker"]))
st.subheader("Price series")
sources = prices.price_sources()
st.dataframe(shown(sources), hide_index=True, width="stretch")
table_download(sources, "price_sources", key="data_sources_csv", label="Sources as CSV")

st.subheader("Refresh from Yahoo Finance")
chosen = st.multiselect("Tickers to refresh", tickers, default=["TSLA"], key="data_refresh_tickers")
if st.button("Refresh now", key="data_refresh", type="primary", disabled=not chosen):
    bar = st.progress(0.0, text="Contacting Yahoo Finance…")

    def progress(done: int, total: int, ticker: str) -> None:
        bar.progress(done / max(total, 1), text=f"Fetching {ticker}…" if ticker else "Done.")

    outcome = prices.refresh_prices(chosen, progress)
    for ticker, result in outcome.items():
        if result.fell_back:
            st.warning(inert(" ".join(result.messages) or f"{ticker}: refresh failed."), icon=":material/warning:")
        else:
            st.success(f"{ticker}: refreshed, {len(result.frame)} trading days up to {result.as_of:%Y-%m-%d}.")

st.subheader("Stock splits")
st.dataframe(shown(prices.split_table()), hide_index=True)
st.caption("Prices are split-adjusted to today's shares; the Overview can show them as traded on each day.")

st.subheader("Download tables")
pick = st.selectbox("Daily prices of", tickers, key="data_ticker")
frame = prices.price_result(pick).frame
table_download(frame.reset_index(), f"{pick}_daily_prices", key="data_prices_csv", label=f"{pick} daily prices as CSV")
table_download(lambda: vocabulary.events_table(event_data.events_table(), evidence=True), "events",  # built on click
               key="data_events_csv", label="Events table as CSV")

st.subheader("Events store")
opened = ui_store.current()
st.caption(f"Articles, events and every correction are kept in {inert(ui_store.where())}. On Streamlit Community Cloud "
           "a local file is wiped when the app restarts: keep a backup, or connect a hosted PostgreSQL "
           "(see the README).")
if opened is not None:
    created = opened.created_at()
    if created:
        st.caption(f"This store was created on {created[:16].replace('T', ' ')} UTC from the seed articles; "
                   "anything older than that is not in it.")
    st.download_button("Whole store as one backup file (JSON)", data=lambda: store_backup.export_bytes(opened),
                       file_name="eventlens-store-backup.json", mime="application/json", key="data_store_backup",
                       on_click="ignore", icon=":material/backup:")
    restore = st.expander("Restore a backup into an empty store", key="data_restore", on_change="rerun")
    if restore.open:
        with restore:
            upload = st.file_uploader("Backup file (from the button above or `eventlens export --store`)",
                                      type=["json"], key="data_restore_file")
            if upload is not None and st.button("Restore", key="data_restore_go", type="primary"):
                try:
                    counts = store_backup.import_bytes(opened, upload.getvalue())
                except StoreError as exc:
                    st.error(f"Not restored: {inert(str(exc))}")
                else:
                    st.success("Restored " + ", ".join(f"{n} {table.replace('_', ' ')}"
                                                       for table, n in counts.items()) + ".")

provenance_box = st.expander("Provenance of the snapshot (data/prices/SOURCES.md)", key="data_provenance",
                             on_change="rerun")
if provenance_box.open:
    with provenance_box:
        st.markdown(provenance.provenance_markdown())
