"""Event study: did the news move the stock more than the market explains, by how much, and is it significant?"""

import streamlit as st

from eventlens import study as es
from eventlens import vocabulary
from eventlens.errors import UserError
from eventlens.event_index import typed_study_events
from eventlens.inert import inert
from eventlens.paging import MANY
from eventlens.url_state import ViewState
from ui import paging as paged
from ui import state, study_tabs
from ui.frame import ensure_router, source_notice
from ui.loaders import events as event_data
from ui.loaders import prices, study

PAGE = "es"
KEYS = ["ticker", "benchmark", "model", "windows", "peers", "est_start", "est_end", "pe", "excl", "cal", "tab",
        "focus", "detail"]
MODEL_NAMES = vocabulary.MODEL_NAMES

ensure_router()
st.title("Event study: did the news move the stock?")

tickers = prices.snapshot_tickers()
main = prices.price_result("TSLA")

# --- events: the store, or typed trading dates when the store cannot be read -----------------------------------
store_error = None
try:
    index = event_data.event_index()
except UserError as exc:
    index, store_error = None, inert(exc)
except Exception:  # noqa: BLE001 - any other store failure: say so (not the library's words) and offer typed dates
    index, store_error = None, "it could not be read"

if index is not None and not index.ids:
    index, store_error = None, "the store holds no events yet"

ctx = state.context(tickers, main.first_date, main.as_of, [] if index is None else index.ids,
                    dict(zip(study_tabs.TAB_NAMES, study_tabs.TABS, strict=True)))
state.bind(PAGE, KEYS if index is None else [*KEYS, "events"], ctx)

if index is None:
    st.warning(
        f"The events store is not available ({store_error}). Study trading dates directly instead; "
        "add articles on the Articles page to study news events.",
        icon=":material/warning:",
    )
    typed = st.text_input("Trading dates (YYYY-MM-DD, separated by commas)", value="2024-04-29", key=f"{PAGE}_dates")
    sessions = prices.return_data("TSLA", "SPY").dates
    try:
        typed_events, mapped = es.events_for_dates([d for d in typed.split(",") if d.strip()], sessions)
    except es.StudyInputError as exc:
        st.error(inert(exc))
        st.stop()
    for note in mapped:
        st.info(inert(note))
    if typed_events.empty:
        st.error("Type at least one trading date, e.g. 2024-04-29.")
        st.stop()
    study_events = typed_study_events(typed_events)
else:
    ids = list(index.ids)
    if len(ids) > MANY:  # hundreds of events: filter first (a multiselect of every one is neither quick nor read)
        study_events = paged.many_events(index, event_data.events_key(), f"{PAGE}_events")
        if not study_events:
            st.stop()
    else:
        current = st.session_state.get(f"{PAGE}_events")
        if current is None or not set(current) <= set(ids):
            st.session_state[f"{PAGE}_events"] = [i for i in (current or ids) if i in ids] or ids
        chips = event_data.event_names()  # short headlines: two or three chips a row, none cut by the box
        selected = st.multiselect("Events", ids, key=f"{PAGE}_events",
                                  format_func=lambda i: chips.get(i) or index.labels.get(i, i),
                                  help="All events in the store by default.")
        if not selected:
            st.info("Choose at least one event.")
            st.stop()
        study_events = index.study_events(selected)

# --- design: a menu drawn only while open (the Method box below states the design in words) --------------------
ss = st.session_state
bar = st.container(horizontal=True, vertical_alignment="center")
bench_options = state.others(PAGE, ss[f"{PAGE}_ticker"], tickers)
menu = bar.popover("Study design", icon=":material/tune:", key=f"{PAGE}_design", on_change="rerun",
                  help="Stock, benchmark, model, event windows, estimation window, variance options and peers.")
if menu.open:
    with menu:
        st.selectbox("Stock", tickers, key=f"{PAGE}_ticker")
        st.selectbox("Benchmark", bench_options, key=f"{PAGE}_benchmark",
                     help="The market the stock is compared with (SPY = S&P 500; QQQ = Nasdaq-100).")
        st.radio("Model", list(MODEL_NAMES), key=f"{PAGE}_model", format_func=MODEL_NAMES.get)
        st.text_input(
            "Event windows (trading days, START,END separated by ';')", key=f"{PAGE}_windows",
            help="Day 0 is the event's trading date; -1,1 is the day before through the day after.",
        )
        st.number_input("Estimation window start (day)", min_value=-1000, max_value=-2, step=10,
                        key=f"{PAGE}_est_start")
        st.number_input("Estimation window end (day)", min_value=-999, max_value=-1, step=1, key=f"{PAGE}_est_end")
        st.checkbox("Prediction-error correction", key=f"{PAGE}_pe",
                    help="Add the estimation error of α and β to Var(CAR) (MacKinlay eq. 11-13).")
        st.checkbox("Leave other events out of the fit", key=f"{PAGE}_excl",
                    help="Drop other events' days -1..+1 from each estimation window.")
        st.checkbox("Leave Tesla's earnings and deliveries days out of the fit", key=f"{PAGE}_cal",
                    help="Drop the sessions that priced Tesla's quarterly earnings and production-and-deliveries "
                    "reports (data/tesla_calendar.csv) from each estimation window, so they neither widen σ nor "
                    "enter the SQ test's reference sums.")
        st.multiselect("Compare with China EV makers (same events)",
                       [p for p in es.PEERS if p in tickers and p != ss[f"{PAGE}_ticker"]], key=f"{PAGE}_peers",
                       help="Shown in the 'China EV peers' tab.")
(ticker, benchmark, model, windows_text, est_start, est_end, prediction_error, exclude_others, exclude_cal,
 peers) = (
    ss[f"{PAGE}_{k}"]
    for k in ("ticker", "benchmark", "model", "windows", "est_start", "est_end", "pe", "excl", "cal", "peers")
)

try:
    windows = es.parse_windows(windows_text)
    estimation = (int(est_start), int(est_end))
    es.validate_design(windows, estimation, model)
except es.StudyInputError as exc:
    st.error(inert(exc), icon=":material/block:")
    st.stop()
view = ViewState(ticker=ticker, benchmark=benchmark, model=model, windows=tuple(windows), peers=tuple(peers),
                 est_start=estimation[0], est_end=estimation[1], pe=prediction_error, excl=exclude_others,
                 cal=exclude_cal, tab=state.tab_name(ctx, ss.get(f"{PAGE}_tab")), focus=ss.get(f"{PAGE}_focus"),
                 detail=ss.get(f"{PAGE}_detail") or "bars",
                 events=() if index is None else tuple(ss[f"{PAGE}_events"]))
state.copy_link(PAGE, state.publish(view, ctx, KEYS if index is None else [*KEYS, "events"]), bar)


design = study_tabs.Design(ticker, benchmark, model, tuple(windows), estimation, prediction_error, exclude_others,
                           study_events, exclude_cal)
views = study.study_views(*design.args())
result = views.result
source_notice([prices.price_result(ticker), prices.price_result(benchmark)])
st.info(
    "For each news event: the stock's return beyond what the market explains (abnormal return), summed over "
    "event windows (CAR), with a t-test of whether it differs from zero (MacKinlay 1997, “Event Studies in "
    "Economics and Finance”) and the SQ test of Gelbach, Helland and Klick (2013), which stays valid for one "
    "stock's fat-tailed returns; beside them the day's abnormal volume and volatility, and any of the "
    f"company's own scheduled news inside the window.\n\n**Method.** {inert(result.describe())}",
    icon=":material/functions:",
)
for note in result.data.notes:
    st.caption(f"Data note: {inert(note)}")

# --- readings ---------------------------------------------------------------------------------------------------
st.markdown("### In plain words")
shown = study_tabs.events_page(views, design.args(), f"{PAGE}_page")  # many events: one page at a time
st.markdown(shown.readings_markdown)

# --- results, one tab at a time (only the open tab is computed and drawn) ----------------------------------------
by_event, across, detail_tab, peer_tab = st.tabs(study_tabs.TABS, key=f"{PAGE}_tab", on_change="rerun")
if by_event.open:
    with by_event:
        study_tabs.cars_by_event(views, shown, design)
if across.open:
    with across:
        study_tabs.across_events(views, design, peers)
if detail_tab.open:
    with detail_tab:
        study_tabs.one_event(views, shown, design)
if peer_tab.open:
    with peer_tab:
        study_tabs.peers(views, design, peers, vocabulary.model_name(model))
