"""URL state: valid links reopen the same view, bad values fall back with a notice."""

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
