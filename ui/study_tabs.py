"""The Event study page's four result tabs, each drawn only while it is open.

The page reads the study design from its widgets and hands it here as one
:class:`Design`; every tab draws from the same cached study (``StudyViews``).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from eventlens import study_tables
from eventlens.event_index import StudyKey
from eventlens.inert import inert, plain
from ui.downloads import figure_downloads, table_download
from ui.loaders import study, wire
from ui.loaders.study_pages import EVENTS_PER_PAGE, StudyPage, study_page
from ui.paging import pager

TABS = ["CARs by event", "Across events (CAAR)", "One event in detail", "China EV peers"]
TAB_NAMES = ["cars", "caar", "event", "peers"]  # each tab's name in a link (?tab=caar)
DETAIL = {"bars": "Abnormal return by day", "fit": "Estimation-window fit"}


@dataclass(frozen=True)
class Design:
    """The analyst's study design, as the cached study takes it."""

    ticker: str
    benchmark: str
    model: str
    windows: tuple[tuple[int, int], ...]
    estimation: tuple[int, int]
    prediction_error: bool
    exclude_others: bool
    events: tuple[StudyKey, ...]
    exclude_calendar: bool = False

    def args(self, symbol: str | None = None) -> tuple:
        """Arguments of ``study.study_result``/``study_views`` for ``symbol`` (the stock by default)."""
        return (symbol or self.ticker, self.benchmark, self.model, self.windows, self.estimation,
                self.prediction_error, self.exclude_others, self.events, self.exclude_calendar)

    @property
    def stem(self) -> str:
        return f"{self.ticker}_{self.benchmark}_{self.model}"


def cars_by_event(views: study.StudyViews, shown: StudyPage, design: Design) -> None:
    """CAR paths in event time, the CAR table (one row per event, the windows as columns), then every
    statistic per event and window in a fold; for the events on the page chosen above (the CSVs hold all)."""
    fig = shown.car_paths
    st.plotly_chart(wire.sendable(fig), key="es_car_paths", config={"displaylogo": False})
    figure_downloads(fig, f"car_paths_{design.stem}", key="es_car_fig")
    st.table(wire.shown(shown.car_cells), hide_index=True)
    every = "" if shown.page.count == 1 else f" Events {shown.page.caption[5:]} (the page chosen above)."
    st.caption(f"Cumulative abnormal return (CAR) of {design.ticker} against {design.benchmark} over each window "
               "of trading days around the event (day 0 = its trading day), with the two-sided t-test's p-value "
               f"and its verdict: significant at 1%, 5% or 10%, or not significant.{every}")
    table_download(views.car_summary, f"cars_{design.stem}", key="es_summary_csv",
                   label="CAR table as CSV" + ("" if shown.page.count == 1 else f" (all {shown.page.total:,} events)"))
    details = st.expander("Every statistic per event and window (t, SQ test, volume, volatility, fit, notes)",
                          key="es_details", on_change="rerun", icon=":material/table:")
    if details.open:
        with details:
            st.dataframe(study_tables.readable(shown.car_table), hide_index=True, width="stretch",
                         key="es_details_table")
            st.caption("p (t-test): Student's t, which assumes normal abnormal returns; p (SQ test): the "
                       "Gelbach-Helland-Klick test, which ranks the CAR among the overlapping sums of the same "
                       "length of the event's own estimation-window abnormal returns (no normality; its smallest "
                       "value is 2/(J+1), about 0.008). Volume vs normal: mean abnormal log volume as % above the "
                       "estimation mean (Campbell and Wasley 1996); volatility: mean squared abnormal return over "
                       "σ² (Beaver 1968), p one-sided. σ: residual standard deviation of daily returns in the "
                       "estimation window.")
            table_download(views.car_table, f"event_study_{design.stem}", key="es_table_csv")


def across_events(views: study.StudyViews, design: Design, peer_tickers: list[str] | None = None) -> None:
    """CAAR by topic with every cross-event test (needs two or more CARs per window); with peers chosen, the
    same tests on the stock and its peers pooled, where Kolari-Pynnönen's correction matters."""
    if views.result.rows["car"].notna().sum() <= len(design.windows):
        st.info("CAAR needs two or more events with a CAR: choose more events above.")
        return
    table = views.caar_table
    st.dataframe(study_tables.readable(table), hide_index=True, width="stretch", key="es_caar")
    st.caption("CAAR: mean CAR. Each test's statistic and two-sided p-value; the table below says which "
               "assumption of the plain t-test each one relaxes. Cross-sectional t = CAAR / (sd(CAR)/√N); Patell "
               "(1976) Z sums prediction-error-standardised ARs; BMP (Boehmer, Musumeci and Poulsen 1991) t on "
               "SCAR = CAR / its standard error; Kolari-Pynnönen (2010) scales BMP by √((1−r)/(1+(N−1)r)), r the "
               "mean correlation of the events' estimation residuals; Corrado (1989) ranks each AR among the "
               "event's own; Cowan's (1992) generalized sign test counts positive CARs against the estimation "
               "share of gains; Wilcoxon signed-rank ranks |CAR|.")
    st.dataframe(study_tables.test_assumptions(), hide_index=True, width="stretch", key="es_tests")
    table_download(table, f"caar_{design.stem}", key="es_caar_csv")
    if peer_tickers:
        pooled = study_tables.caar_table(study.pooled_caar(design, tuple(peer_tickers)))
        st.markdown(f"**{design.ticker} and {', '.join(peer_tickers)} pooled** — the same news days for several "
                    "stocks: their abnormal returns move together, so BMP overstates the evidence and "
                    "Kolari-Pynnönen corrects it.")
        st.dataframe(study_tables.readable(pooled), hide_index=True, width="stretch", key="es_caar_pooled")
        table_download(pooled, f"caar_pooled_{design.stem}", key="es_caar_pooled_csv")


def one_event(views: study.StudyViews, shown: StudyPage, design: Design) -> None:
    """One event's abnormal returns by day, or its estimation-window fit (an event of the page chosen above)."""
    ids = list(shown.ids)
    if st.session_state.get("es_focus") not in ids:
        st.session_state["es_focus"] = ids[0]
    focus = st.selectbox("Event", ids, key="es_focus", format_func=lambda i: plain(views.names.get(i, i), 100))
    if st.session_state.get("es_detail") not in DETAIL:  # a second click on the chosen button clears it
        st.session_state["es_detail"] = "bars"
    detail = st.segmented_control("Chart", list(DETAIL), key="es_detail", format_func=DETAIL.__getitem__) or "bars"
    if focus not in views.estimable:
        st.warning(inert(views.readings[focus]))
        return
    chart = study.study_event_figure(detail, focus, *design.args())
    st.plotly_chart(wire.sendable(chart), key=f"es_{detail}", config={"displaylogo": False})
    day = views.names.get(focus, "event")[:10]  # the file is named by the event's day, not its id
    figure_downloads(chart, f"{'ar' if detail == 'bars' else 'fit'}_{design.ticker}_{day}", key=f"es_{detail}_fig")


def peers(views: study.StudyViews, design: Design, peer_tickers: list[str], model_name: str) -> None:
    """The same events' CARs for the China EV makers, each on its own fit."""
    if not peer_tickers:
        st.info("Choose China EV makers under 'Compare with' in the 'Study design' menu to see how they reacted to "
                "the same news.")
        return
    pivot = study_tables.peer_table(
        [views.result.rows] + [study.study_result(*design.args(p)).rows for p in peer_tickers],
        [design.ticker, *peer_tickers],
        views.names,
    )
    st.dataframe(pivot, hide_index=True, width="stretch", key="es_peers_table")
    st.caption(f"Each ticker's CAR with its t-test p-value and verdict, on its own fit ({model_name}) against "
               f"{design.benchmark}, same windows and estimation window. XPEV and LI listed in mid-2020, so their "
               "early estimation windows are shorter, and an event with fewer than 120 estimation returns shows —.")
    table_download(pivot, f"peers_{design.stem}", key="es_peers_csv")


def events_page(views: study.StudyViews, study_args: tuple, key: str) -> StudyPage:
    """The page selector over the study's events (only when they fill more than one page) and that page."""
    which = pager(len(views.readings), key, EVENTS_PER_PAGE, what="events")
    return study_page(which.number, *study_args)

