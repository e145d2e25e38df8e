"""Timeline: events in order; choosing one zooms the price to its window, beside the article."""

import pandas as pd
import streamlit as st

from eventlens import news as articles
from eventlens import vocabulary as vocab
from eventlens.inert import inert
from eventlens.paging import MANY
from eventlens.reactions import volume_text
from eventlens.url_state import ViewState
from ui import state
from ui.downloads import figure_downloads
from ui.frame import ensure_router, source_notice
from ui.loaders import articles as article_data
from ui.loaders import event_picks, figures, prices, reactions
from ui.loaders import events as event_data
from ui.loaders.wire import sendable

PAGE = "tl"
KEYS = ["event", "ticker", "benchmark"]

ensure_router()
st.title("Timeline")
st.caption("Each news event in order of its trading day, with the price reaction around it.")

tickers = prices.snapshot_tickers()
main = prices.price_result("TSLA")
index = event_data.event_index()
ids = list(index.dated_ids)
if not ids:
    st.info("No dated events yet. Add articles, or correct their dates, on the Articles page.")
    st.stop()
ctx = state.context(tickers, main.first_date, main.as_of, ids)
state.bind(PAGE, KEYS, ctx)
if st.session_state.get(f"{PAGE}_event") not in ids:
    st.session_state[f"{PAGE}_event"] = ids[0]


def step(offset: int) -> None:
    current = ids.index(st.session_state[f"{PAGE}_event"])
    st.session_state[f"{PAGE}_event"] = ids[min(max(current + offset, 0), len(ids) - 1)]


store = event_data.events_key()
c1, c2, c3, c4, c5 = st.columns([4, 1, 1, 1, 1], vertical_alignment="bottom")
options = ids
if len(ids) > MANY:  # hundreds of events: pick the month, then the event (Previous/Next still walk them all)
    by_month = event_picks.months(index, store)

    def first_of_month() -> None:
        st.session_state[f"{PAGE}_event"] = by_month[st.session_state[f"{PAGE}_month"]][0]

    st.session_state[f"{PAGE}_month"] = index.study_keys[st.session_state[f"{PAGE}_event"]][1][:7]
    month, pick = c1.columns([1, 3])
    month.selectbox("Month", list(by_month), key=f"{PAGE}_month", on_change=first_of_month,
                    help=f"{len(ids):,} dated events: choose the month of the event's trading day.")
    options = by_month[st.session_state[f"{PAGE}_month"]]
    c1 = pick
chosen = c1.selectbox("Event", options, key=f"{PAGE}_event", format_func=index.labels.get)
position = ids.index(chosen)
c2.button("◀ Previous", key="tl_prev", on_click=step, args=(-1,), disabled=position == 0, width="stretch")
c3.button("Next ▶", key="tl_next", on_click=step, args=(1,), disabled=position == len(ids) - 1, width="stretch")
ticker = c4.selectbox("Stock", tickers, key=f"{PAGE}_ticker")
benchmarks = state.others(PAGE, ticker, tickers)  # the benchmark (from the link) is never the stock itself
benchmark = c5.selectbox("Benchmark", benchmarks, key=f"{PAGE}_benchmark",
                         help="The market the abnormal returns are measured against (SPY = S&P 500, "
                         "QQQ = Nasdaq-100).")
query = state.publish(ViewState(event=chosen, ticker=ticker, benchmark=benchmark), ctx, KEYS)
state.copy_link(PAGE, query)

result = prices.price_result(ticker)
source_notice([result])
event = reactions.event_records(ticker, benchmark, store)[chosen]  # the stored event with its measured reaction

left, right = st.columns([3, 2])
with left:
    fig = figures.event_window_chart(ticker, benchmark, store, chosen)
    st.plotly_chart(sendable(fig), key="timeline_chart", config={"displaylogo": False})
    st.caption(f"Abnormal returns and CARs of {ticker} against {benchmark}: market model fitted on trading days "
               "-250..-11 before the event.")
    m1, m2, m3 = st.columns(3)
    pct = vocab.pct
    m1.metric("Day-0 return", pct(event["day0_return"]), help=f"{ticker}'s close-to-close return on day 0.")
    m2.metric("Day-0 abnormal return", pct(event["ar0"]), help=f"Return minus what {benchmark} explains "
              "(market model fitted on days -250..-11).")
    p = event["p_m1_p1"]
    m3.metric("CAR[-1,+1]" + ("" if pd.isna(p) else f" · p = {p:.3f}"), pct(event["car_m1_p1"]),
              help="Cumulative abnormal return over days -1..+1, with its two-sided t-test p-value.")
    m4, m5, m6 = st.columns(3)
    sq = event.get("sq_p_m1_p1")
    m4.metric("SQ p, CAR[-1,+1]", vocab.DASH if vocab.missing(sq) else f"{sq:.3f}",
              help="Gelbach, Helland and Klick (2013): the CAR ranked among all 3-day sums of the stock's own "
              "estimation-window abnormal returns. Needs no normality, so it stays valid for fat-tailed returns; "
              "its smallest possible value is 2/(J+1), about 0.008.")
    vp = event.get("volume_p_day0")
    m5.metric("Day-0 volume" + ("" if vp is None or pd.isna(vp) else f" · p = {vp:.3f}"),
              volume_text(float(event.get("abn_volume_day0", float("nan")))),
              help="Day-0 volume above (+) or below (-) its normal level: log volume against its mean and sd over "
              "days -250..-11 (Campbell and Wasley 1996).")
    vr, vq = event.get("volatility_m1_p1"), event.get("volatility_p_m1_p1")
    m6.metric("Volatility [-1,+1]" + ("" if vq is None or pd.isna(vq) else f" · p = {vq:.3f}"),
              vocab.DASH if vocab.missing(vr) else f"{vr:.2g}×",
              help="Times normal: mean squared abnormal return over the estimation variance (Beaver 1968); "
              "p one-sided.")
    if event.get("tests_note"):
        st.warning(inert(event["tests_note"]), icon=":material/balance:")
    if event.get("company_news_m5_p5"):
        st.warning("Company news near this event: " + inert(event["company_news_m5_p5"])
                   + ". Its reaction is part of any window that holds it.", icon=":material/event:")
    if event.get("reaction_note"):
        st.caption(f"Note: {inert(vocab.name_events(event['reaction_note'], event_data.event_names()))}")
    figure_downloads(fig, f"{ticker}_{event['trading_date']:%Y%m%d}_window", key="tl_fig")
with right:
    st.subheader("The article")
    st.markdown(f"**{inert(event['title'])}**")
    event_day = "undated" if pd.isna(event["event_date"]) else f"{event['event_date']:%Y-%m-%d}"
    st.caption(
        f"Source: {inert(event['source'])} · News date {event_day} · Trading day "
        f"{event['trading_date']:%Y-%m-%d} · "
        f"Date confidence {inert(vocab.confidence_phrase(event['date_confidence'], event['origin']))} · "
        f"Topic: {inert(vocab.topic_label(event['category']))} · "
        f"Direction: {inert(vocab.direction_label(event['direction']))}"
    )
    with st.container(height=460):
        try:
            st.markdown(article_data.article_markdown(str(event["article_id"])))
        except articles.ArticleError as exc:
            st.warning(f"The article text is not available: {inert(exc)}")
    st.page_link(
        "pages/articles.py", label="Date evidence and corrections on the Articles page", icon=":material/article:"
    )
