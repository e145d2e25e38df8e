"""Split table and price-basis conversion, anchored on prices articles quote."""

import pandas as pd
import pytest

from eventlens import prices, splits


def test_split_table_is_data():
    table = splits.load_splits()
    tsla = table[table["ticker"] == "TSLA"]
    assert list(tsla["date"].dt.strftime("%Y-%m-%d")) == ["2020-08-31", "2022-08-25"]
    assert list(tsla["ratio"]) == [5.0, 3.0]


def test_benzinga_anchor_adjusted_to_as_traded():
    # Benzinga: "Tesla shares closed 0.39% lower at $670.94 on Wednesday" (2021-05-05).
    close = prices.load_snapshot("TSLA").loc["2021-05-05", "Close"]
    assert close == pytest.approx(223.646667)
    assert splits.as_traded_price(close, "TSLA", "2021-05-05") == pytest.approx(670.94, abs=0.005)


def test_benzinga_anchor_as_traded_to_adjusted():
    assert splits.split_adjusted_price(670.94, "TSLA", "2021-05-05") == pytest.approx(223.646667, abs=1e-6)


@pytest.mark.parametrize(
    ("day", "factor"),
    [("2020-08-28", 15.0), ("2020-08-31", 3.0), ("2022-08-24", 3.0), ("2022-08-25", 1.0), ("2024-04-29", 1.0)],
)
def test_factor_changes_on_the_split_day_itself(day, factor):
    assert splits.as_traded_factor("TSLA", pd.DatetimeIndex([day])).iloc[0] == factor


def test_series_round_trip_and_untouched_ticker():
    frame = prices.load_snapshot("TSLA").loc["2020-08-27":"2020-09-01", ["Close"]]
    raw = splits.to_as_traded(frame, "TSLA")
    # 2020-08-28 traded at 2213.40 before the 5:1 split; the next session at 498.32.
    assert raw.loc["2020-08-28", "Close"] == pytest.approx(2213.40, abs=0.01)
    assert raw.loc["2020-08-31", "Close"] == pytest.approx(498.32, abs=0.01)
    pd.testing.assert_frame_equal(splits.to_split_adjusted(raw, "TSLA"), frame)
    spy = prices.load_snapshot("SPY")["Close"].iloc[:5]
    pd.testing.assert_series_equal(splits.to_as_traded(spy, "SPY"), spy.astype(float), check_names=False)


def test_volume_goes_the_other_way_from_prices():
    # A 5-for-1 split quintuples the shares traded: before it, as traded, fewer (and dearer) shares changed hands.
    frame = prices.load_snapshot("TSLA").loc["2020-08-27":"2020-09-01", ["Close", "Volume"]]
    raw = splits.to_as_traded(frame, "TSLA")
    assert raw.loc["2020-08-28", "Volume"] == pytest.approx(frame.loc["2020-08-28", "Volume"] / 15)
    assert raw.loc["2020-08-31", "Volume"] == pytest.approx(frame.loc["2020-08-31", "Volume"] / 3)
    # Value traded (price x shares) does not depend on the basis.
    assert (raw["Close"] * raw["Volume"]).to_numpy() == pytest.approx((frame["Close"] * frame["Volume"]).to_numpy())
    pd.testing.assert_frame_equal(splits.to_split_adjusted(raw, "TSLA"), frame.astype(float))
