"""Overview: TSLA's daily price with every news event flagged at its trading date."""

import pandas as pd
import streamlit as st

from eventlens.figures.price import MAX_DAILY_CANDLES
from eventlens.paging import PAGE_ROWS
from eventlens.url_state import INTERVALS, ViewState
from ui import state
from ui.downloads import figure_downloads, table_download
from ui.frame import ensure_router, event_columns, source_notice
from ui.loaders import events as event_data
from ui.loaders import figures, prices, reactions
from ui.loaders.wire import sendable
from ui.paging import paged_dataframe

PAGE = "ov"
KEYS = ["ticker", "benchmark", "start", "end", "peers", "basis", "interval"]


def analyst_report_html(ticker: str, benchmark: str, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """The analyst report, built on click. Imported here: it loads scipy.stats, which the page itself never needs
    (about a second of a cold server's first visit)."""
    from eventlens import report

    return report.analyst_report(ticker=ticker, benchmark=benchmark, events=event_data.events_table(), start=start,
                                 end=end).html


ensure_router()
st.title("News on the price chart")

tickers = prices.snapshot_tickers()
main = prices.price_result("TSLA")
index = event_data.event_index()
ctx = state.context(tickers, main.first_date, main.as_of, index.ids)
state.bind(PAGE, KEYS, ctx)

BASIS_LABELS = {"adjusted": "Split-adjusted (today's shares)", "as_traded": "As traded (prices quoted in the news)"}
ss = st.session_state
others = state.others(PAGE, ss[f"{PAGE}_ticker"], tickers)

# One toolbar above the chart. The settings menu is drawn only while open: its seven widgets cost the
# browser about 0.3 s before the chart could draw on every page load. The chart's title, legend and
# caption say what is chosen. (A label that changes with the choices would close the menu on each one.)
bar = st.container(horizontal=True, vertical_alignment="center")
menu = bar.popover("Chart settings", icon=":material/tune:", key=f"{PAGE}_settings", on_change="rerun",
                   help="Stock, date range, comparisons, CAR benchmark, price basis and candle interval.")
if menu.open:
    with menu:
        st.selectbox("Stock", tickers, key=f"{PAGE}_ticker", help="The stock whose price is drawn.")
        st.date_input(
            "From", key=f"{PAGE}_start", min_value=ctx.first_date, max_value=ctx.last_date, format="YYYY-MM-DD"
        )
        st.date_input("To", key=f"{PAGE}_end", min_value=ctx.first_date, max_value=ctx.last_date, format="YYYY-MM-DD")
        st.multiselect(
            "Compare with (rebased, % change)",
            others,
            key=f"{PAGE}_peers",
            help="Benchmarks (SPY, QQQ) and China EV peers (NIO, XPEV, LI), all rebased to the first day.",
        )
        st.selectbox("Benchmark for CAR", others, key=f"{PAGE}_benchmark")
        # With comparisons the chart is rebased % lines: no candles, and a % change is the same on either basis.
        lines = bool(ss[f"{PAGE}_peers"])
        why = " Not used while 'Compare with' holds tickers: the chart then draws rebased % lines." if lines else ""
        st.radio("Price basis", list(BASIS_LABELS), key=f"{PAGE}_basis", format_func=BASIS_LABELS.get,
                 disabled=lines, help="Split-adjusted, or the prices quoted on each day." + why)
        st.radio(
            "Candles",
            list(INTERVALS),
            horizontal=True,
            key=f"{PAGE}_interval",
            format_func=str.capitalize,
            disabled=lines,
            help=f"Auto: daily up to {MAX_DAILY_CANDLES} sessions, weekly beyond (quicker to draw, and a daily "
            "candle is under a pixel wide at that span). Events always sit on their own trading day." + why,
        )
        if lines:
            st.caption("Price basis and candles apply to the candlestick chart only; remove the comparisons to "
                       "use them.")
ticker, start, end, peers, benchmark, basis, interval = (
    ss[f"{PAGE}_{k}"] for k in ("ticker", "start", "end", "peers", "benchmark", "basis", "interval")
)

if pd.Timestamp(start) >= pd.Timestamp(end):
    st.error(f"The range must start before it ends (From {start:%Y-%m-%d}, To {end:%Y-%m-%d}).")
    st.stop()
view = ViewState(
    ticker=ticker, benchmark=benchmark, start=pd.Timestamp(start), end=pd.Timestamp(end), peers=tuple(peers),
    basis=basis, interval=interval,
)
state.copy_link(PAGE, state.publish(view, ctx, KEYS), bar)

result = prices.price_result(ticker)
frame = result.frame.loc[view.start : view.end]
comparisons = [prices.price_result(t) for t in peers]
source_notice([result, *comparisons])
if frame.empty:
    st.warning(f"{ticker} has no prices between {start:%Y-%m-%d} and {end:%Y-%m-%d}; widen the range.")
    st.stop()

store = event_data.events_key()

fig = figures.overview_figure(ticker, view.start, view.end, basis, tuple(peers), interval, benchmark, store)
st.plotly_chart(sendable(fig), key="overview_chart", config={"displaylogo": False})
st.caption(
    "Each marker is a news item about Tesla and China's vehicle-data rules, on the first trading day the market "
    "could react to it: colour = regulatory topic, shape = direction for Tesla (▲ easing, ▼ tightening, "
    "◆ company action). "
    f"CAR[-1,+1]: market-model cumulative abnormal return against {benchmark} over trading days -1..+1, "
    "estimated on days -250..-11."
)
with bar:
    figure_downloads(fig, f"{ticker}_{start:%Y%m%d}_{end:%Y%m%d}_news", key="ov_fig")
bar.download_button(
    "Analyst report (HTML)",
    data=lambda: analyst_report_html(ticker, benchmark, view.start, view.end),  # built on click, from the store then
    file_name=f"eventlens_report_{ticker}_{start:%Y%m%d}_{end:%Y%m%d}.html",
    mime="text/html",
    key="ov_report",
    on_click="ignore",
    icon=":material/summarize:",
    type="primary",
    help="One HTML file: the charts, the events in range, the event study, the method and the sources.",
)

table = reactions.event_rows(ticker, benchmark, store, view.start, view.end)
# Drawn only when opened: the table grid is the page's heaviest element for the browser.
events_box = st.expander(
    f"Events from {start:%Y-%m-%d} to {end:%Y-%m-%d}: {len(table)} of {len(index.ids)} (table, CSV)",
    key=f"{PAGE}_events", on_change="rerun", icon=":material/table:",
)
if events_box.open:
    with events_box:
        if table.empty:
            st.info("No news event falls in this range. Widen the dates, or add articles on the Articles page.")
        else:
            paged_dataframe(table, f"{PAGE}_events_page", hide_index=True, width="stretch",
                            column_config=event_columns())  # 50 rows a page; the CSV holds every row
            table_download(table, f"events_{ticker}_{start:%Y%m%d}_{end:%Y%m%d}", key="ov_events_csv",
                           label="Table as CSV" if len(table) <= PAGE_ROWS else f"All {len(table):,} rows as CSV")
