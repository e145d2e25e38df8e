"""Per-event reactions shown on the charts, checked against an independent computation."""

import numpy as np
import pandas as pd
import pytest

from eventlens import prices, reactions
from eventlens import study as event_study


def independent_car(day0: str, lo: int, hi: int) -> float:
    """Market model by numpy.polyfit on days -250..-11, ARs summed over [lo, hi] (no eventlens maths)."""
    stock = prices.load_snapshot("TSLA")["Adj Close"]
    market = prices.load_snapshot("SPY")["Adj Close"].reindex(stock.index)
    r, rm = stock.pct_change(), market.pct_change()
    p = stock.index.get_loc(pd.Timestamp(day0))
    est = slice(p - 250, p - 10)  # days -250..-11 inclusive
    beta, alpha = np.polyfit(rm.iloc[est], r.iloc[est], 1)
    window = slice(p + lo, p + hi + 1)
    return float((r.iloc[window] - alpha - beta * rm.iloc[window]).sum())


def test_reactions_match_hand_and_independent_values():
    data = event_study.load_returns("TSLA", "SPY")
    events = pd.DataFrame({"event_id": ["musk-beijing", "benzinga"],
                           "trading_date": pd.to_datetime(["2024-04-29", "2021-05-06"])})
    out = reactions.event_reactions(data, events).set_index("event_id")
    # 2024-04-29 closed at 194.050003 after 168.289993: +15.31 %.
    assert out.loc["musk-beijing", "day0_return"] == pytest.approx(194.050003 / 168.289993 - 1, abs=1e-12)
    assert out.loc["benzinga", "day0_return"] == pytest.approx(221.179993 / 223.646667 - 1, abs=1e-12)
    for event_id, day in [("musk-beijing", "2024-04-29"), ("benzinga", "2021-05-06")]:
        assert out.loc[event_id, "ar0"] == pytest.approx(independent_car(day, 0, 0), abs=1e-10)
        assert out.loc[event_id, "car_m1_p1"] == pytest.approx(independent_car(day, -1, 1), abs=1e-10)
    assert 0 < out.loc["musk-beijing", "p_m1_p1"] < 0.05


def test_non_session_date_gives_no_numbers_and_a_note():
    data = event_study.load_returns("TSLA", "SPY")
    events = pd.DataFrame({"event_id": ["sat"], "trading_date": pd.to_datetime(["2021-03-20"])})
    out = reactions.event_reactions(data, events)
    assert out[["day0_return", "ar0", "car_m1_p1", "p_m1_p1"]].isna().all(axis=None)
    assert "not a TSLA session" in out.loc[0, "reaction_note"]


def test_no_events_gives_an_empty_table_with_the_columns():
    data = event_study.load_returns("TSLA", "SPY")
    out = reactions.event_reactions(data, pd.DataFrame(columns=["event_id", "trading_date"]))
    assert list(out.columns) == reactions.REACTION_COLUMNS and out.empty
