"""URL state: valid links reopen the same view, bad values fall back with a notice."""

import dataclasses

import pandas as pd
import pytest

from eventlens import url_state
from eventlens.url_state import ViewContext, ViewState

CTX = ViewContext(["LI", "NIO", "QQQ", "SPY", "TSLA", "XPEV"], pd.Timestamp("2020-01-02"), pd.Timestamp("2024-12-31"),
                  ["E001", "E002"])
KEYS = ["ticker", "benchmark", "start", "end", "event", "model", "windows", "peers"]


def test_defaults_make_an_empty_query():
    state, notices = url_state.parse_query({}, CTX)
    assert notices == []
    assert state == ViewState(start=CTX.first_date, end=CTX.last_date)
    assert url_state.to_query(state, CTX, KEYS) == {}


def test_round_trip_of_every_key():
    state = ViewState(ticker="NIO", benchmark="QQQ", start=pd.Timestamp("2021-03-01"), end=pd.Timestamp("2021-06-30"),
                      event="E002", model="constant_mean", windows=((-2, 2), (0, 3)), peers=("XPEV", "LI"))
    query = url_state.to_query(state, CTX, KEYS)
    assert query == {"ticker": "NIO", "benchmark": "QQQ", "start": "2021-03-01", "end": "2021-06-30", "event": "E002",
                     "model": "constant_mean", "windows": "-2,2;0,3", "peers": "XPEV,LI"}
    again, notices = url_state.parse_query(query, CTX)
    assert notices == [] and again == state


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"ticker": "ZZZZ"}, "ticker", "not among the available tickers"),
        ({"ticker": "<script>alert(1)</script>"}, "ticker", "not among"),
        ({"start": "2019-05-01"}, "start", "outside the data"),
        ({"end": "yesterday-ish"}, "end", "not a YYYY-MM-DD date"),
        ({"model": "magic"}, "model", "must be one of"),
        ({"event": "E999"}, "event", "no event with that id"),
        ({"windows": "1;2"}, "windows", "START,END"),
        ({"peers": "NIO,FAKE"}, "peers", "not among"),
    ],
)
def test_bad_values_fall_back_to_defaults_with_a_notice(params, field, fragment):
    state, notices = url_state.parse_query(params, CTX)
    default = ViewState(start=CTX.first_date, end=CTX.last_date)
    assert getattr(state, field) == getattr(default, field)
    assert len(notices) == 1 and fragment in notices[0] and "default" in notices[0]


def test_reversed_range_falls_back_to_whole_span():
    state, notices = url_state.parse_query({"start": "2024-01-02", "end": "2021-01-04"}, CTX)
    assert (state.start, state.end) == (CTX.first_date, CTX.last_date)
    assert "not before end" in notices[0]


def test_repeated_parameter_takes_the_last_value():
    state, _ = url_state.parse_query({"ticker": ["NIO", "XPEV"]}, CTX)
    assert state.ticker == "XPEV"


# --- every setting of every page ------------------------------------------------------------------------------------

IDS = [f"ev_{i:03d}_{i:016x}" for i in range(40)]
TABS = {"cars": "CARs by event", "caar": "Across events (CAAR)", "event": "One event in detail", "peers": "Peers"}
FULL = ViewContext(CTX.tickers, CTX.first_date, CTX.last_date, IDS, TABS)
ALL_KEYS = [f.name for f in dataclasses.fields(ViewState)]


def test_a_view_with_every_field_changed_reads_back_exactly():
    state = ViewState(ticker="NIO", benchmark="QQQ", start=pd.Timestamp("2021-03-01"), end=pd.Timestamp("2021-06-30"),
                      event=IDS[3], model="constant_mean", windows=((-2, 2), (0, 3)), peers=("XPEV", "LI"),
                      basis="as_traded", interval="weekly", est_start=-300, est_end=-20, pe=True, excl=True,
                      cal=True, events=(IDS[7], IDS[2], IDS[30]), tab="peers", focus=IDS[2], detail="fit",
                      article=IDS[5])
    default = url_state.defaults(FULL)
    assert all(getattr(state, k) != getattr(default, k) for k in ALL_KEYS), "the test must change every field"
    query = url_state.to_query(state, FULL, ALL_KEYS)
    assert query["basis"] == "as_traded" and query["interval"] == "weekly"
    assert (query["est_start"], query["est_end"]) == ("-300", "-20")
    assert (query["pe"], query["excl"], query["cal"]) == ("1", "1", "1")
    assert query["events"] == f"{IDS[7]},{IDS[2]},{IDS[30]}"  # the order chosen, kept
    assert (query["tab"], query["focus"], query["detail"], query["article"]) == ("peers", IDS[2], "fit", IDS[5])
    again, notices = url_state.parse_query(query, FULL)
    assert notices == [] and again == state


def test_default_view_with_tabs_makes_an_empty_query():
    state, notices = url_state.parse_query({}, FULL)
    assert notices == [] and state.tab == "cars" and state.events == ()
    assert url_state.to_query(state, FULL, ALL_KEYS) == {}
    every = dataclasses.replace(state, events=tuple(reversed(IDS)))  # every event, in any order, is the default
    assert url_state.to_query(every, FULL, ALL_KEYS) == {}


def test_most_events_travel_as_the_few_left_out():
    chosen = tuple(i for i in IDS if i not in (IDS[4], IDS[9]))
    query = url_state.to_query(ViewState(events=chosen), FULL, ["events"])
    assert query == {"skip": f"{IDS[4]},{IDS[9]}"}
    state, notices = url_state.parse_query(query, FULL)
    assert notices == [] and state.events == chosen
    shuffled = (chosen[5], *chosen[:5], *chosen[6:])  # an order of the analyst's own travels as it is
    query = url_state.to_query(ViewState(events=shuffled), FULL, ["events"])
    assert url_state.parse_query(query, FULL)[0].events == shuffled


def test_a_choice_of_500_events_fits_the_link_bound_and_501_does_not():
    ids = [f"ev_{i:03d}_{i:016x}" for i in range(1200)]
    ctx = ViewContext(CTX.tickers, CTX.first_date, CTX.last_date, ids)
    query = url_state.to_query(ViewState(events=tuple(ids[:500])), ctx, ["events"])
    state, notices = url_state.parse_query(query, ctx)
    assert notices == [] and state.events == tuple(ids[:500])
    state, notices = url_state.parse_query({"events": ",".join(ids[:501])}, ctx)
    assert state.events == () and "at most 500 events" in notices[0]


def test_unknown_events_are_left_out_and_said():
    state, notices = url_state.parse_query({"events": f"{IDS[1]},ev_gone,{IDS[2]}"}, FULL)
    assert state.events == (IDS[1], IDS[2])
    assert len(notices) == 1 and "Left out 1 event" in notices[0] and "ev_gone" in notices[0]
    state, notices = url_state.parse_query({"events": "ev_gone"}, FULL)
    assert state.events == () and "none of these events" in notices[0]
    state, notices = url_state.parse_query({"skip": ",".join(IDS)}, FULL)
    assert state.events == () and "leaves out every event" in notices[0]
    state, notices = url_state.parse_query({"events": IDS[1], "skip": IDS[2]}, FULL)
    assert state.events == (IDS[1],) and "which win" in notices[0]


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"basis": "raw"}, "basis", "price basis must be one of adjusted, as_traded"),
        ({"basis": "**bold**"}, "basis", "must be one of"),
        ({"interval": "hourly"}, "interval", "candle period must be one of"),
        ({"est_start": "-250.5"}, "est_start", "whole number"),
        ({"est_start": "-5000"}, "est_start", "from -1000 to -2"),
        ({"est_start": "1e3"}, "est_start", "whole number"),
        ({"est_end": "0"}, "est_end", "from -999 to -1"),
        ({"est_end": "9" * 300}, "est_end", "longer than 200 characters"),
        ({"pe": "maybe"}, "pe", "1 (on) or 0 (off)"),
        ({"excl": "2"}, "excl", "1 (on) or 0 (off)"),
        ({"cal": "yes"}, "cal", "1 (on) or 0 (off)"),
        ({"tab": "secret"}, "tab", "tab must be one of cars, caar, event, peers"),
        ({"tab": "CARs by event"}, "tab", "must be one of"),  # the label is not the link name
        ({"focus": "ev_999"}, "focus", "no event with that id"),
        ({"detail": "pie"}, "detail", "chart must be one of bars, fit"),
        ({"article": "[x](javascript:alert(1))"}, "article", "no article with that id"),
        ({"events": "x" * 16_001}, "events", "longer than 16000 characters"),
    ],
)
def test_bad_values_of_the_new_fields_fall_back_with_a_notice(params, field, fragment):
    state, notices = url_state.parse_query(params, FULL)
    assert getattr(state, field) == getattr(url_state.defaults(FULL), field)
    assert len(notices) == 1 and fragment in notices[0] and "default" in notices[0], notices


def test_flags_read_1_0_true_false():
    for raw, value in (("1", True), ("0", False), ("TRUE", True), ("false", False)):
        assert url_state.parse_query({"pe": raw}, FULL)[0].pe is value


def test_an_estimation_window_that_overlaps_the_event_windows_falls_back_together():
    state, notices = url_state.parse_query({"est_start": "-100", "est_end": "-1", "windows": "-5,5"}, FULL)
    assert (state.est_start, state.est_end) == url_state.DEFAULT_ESTIMATION and state.windows == ((-5, 5),)
    assert len(notices) == 1 and "estimation window -100..-1" in notices[0]
    state, notices = url_state.parse_query({"est_start": "-20", "est_end": "-30"}, FULL)
    assert (state.est_start, state.est_end) == url_state.DEFAULT_ESTIMATION and len(notices) == 1


def test_notices_quote_a_hostile_value_clipped():
    state, notices = url_state.parse_query({"tab": "<img src=x onerror=alert(1)>" + "a" * 100}, FULL)
    assert state.tab == "cars" and len(notices) == 1 and len(notices[0]) < 250 and "…" in notices[0]
