"""The event-study engine against numbers worked out independently.

The maths is checked on a tiny hand-computed series; the real-data checks run
the same regression through statsmodels OLS on the TSLA/SPY snapshot. Expected
values are never taken from the engine itself.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from eventlens import study as es
from eventlens.paths import REPO_ROOT

PRICES = REPO_ROOT / "data" / "prices"


# --- a tiny series worked by hand --------------------------------------------------------------

# Estimation days -6..-2 (positions 1..5), event window -1..+1 (positions 6..8), day 0 = position 7.
M_EST = [0.01, -0.02, 0.03, 0.00, 0.02]
R_EST = [0.02, -0.03, 0.05, 0.01, 0.03]
M_EV = [0.01, -0.01, 0.005]
R_EV = [0.02, 0.06, -0.01]


def _prices(returns: list[float]) -> list[float]:
    out = [100.0]
    for r in returns:
        out.append(out[-1] * (1 + r))
    return out


def tiny_data() -> es.ReturnData:
    dates = pd.bdate_range("2024-01-01", periods=9)
    stock = pd.Series(_prices(R_EST + R_EV), index=dates)
    market = pd.Series(_prices(M_EST + M_EV), index=dates)
    return es.build_returns(stock, market, "AAA", "MKT")


def tiny_study(**kw) -> es.StudyResult:
    data = tiny_data()
    events = pd.DataFrame({"event_id": ["e"], "trading_date": [data.dates[7]]})
    args = {"windows": [(-1, 1), (0, 0)], "estimation": (-6, -2), "min_est": 5, "path_days": (-1, 1)}
    args.update(kw)
    return es.run_study(data, events, **args)


def row(result: es.StudyResult, window: tuple[int, int], event_id: str | None = None) -> pd.Series:
    rows = result.rows
    sel = (rows["window_start"] == window[0]) & (rows["window_end"] == window[1])
    if event_id is not None:
        sel &= rows["event_id"] == event_id
    assert sel.sum() == 1
    return rows[sel].iloc[0]


# Hand arithmetic (written out, not from the engine):
#   mean Rm = 0.04/5 = 0.008, mean R = 0.08/5 = 0.016
#   dm = [0.002, -0.028, 0.022, -0.008, 0.012], dr = [0.004, -0.046, 0.034, -0.006, 0.014]
#   Sxx = 4e-6 + 784e-6 + 484e-6 + 64e-6 + 144e-6 = 0.00148
#   Sxy = 8e-6 + 1288e-6 + 748e-6 + 48e-6 + 168e-6 = 0.00226
HAND_BETA = 0.00226 / 0.00148
HAND_ALPHA = 0.016 - HAND_BETA * 0.008
_resid = [r - HAND_ALPHA - HAND_BETA * m for r, m in zip(R_EST, M_EST, strict=True)]
HAND_SIGMA2 = sum(e * e for e in _resid) / (5 - 2)
HAND_AR = [r - HAND_ALPHA - HAND_BETA * m for r, m in zip(R_EV, M_EV, strict=True)]
HAND_CAR = HAND_AR[0] + HAND_AR[1] + HAND_AR[2]
HAND_T = HAND_CAR / math.sqrt(3 * HAND_SIGMA2)


def test_hand_example_market_model():
    assert HAND_BETA == pytest.approx(1.527027027, rel=1e-9)
    result = tiny_study()
    r = row(result, (-1, 1))
    assert r["beta"] == pytest.approx(HAND_BETA, rel=1e-9)
    assert r["alpha"] == pytest.approx(HAND_ALPHA, abs=1e-12)
    assert r["sigma"] == pytest.approx(math.sqrt(HAND_SIGMA2), rel=1e-9)
    assert r["n_est"] == 5
    assert r["car"] == pytest.approx(HAND_CAR, abs=1e-12)
    assert r["t_stat"] == pytest.approx(HAND_T, rel=1e-9)
    assert r["p_value"] == pytest.approx(2 * stats.t.sf(abs(HAND_T), 3), rel=1e-9)
    day0 = row(result, (0, 0))
    assert day0["car"] == pytest.approx(HAND_AR[1], abs=1e-12)
    assert day0["t_stat"] == pytest.approx(HAND_AR[1] / math.sqrt(HAND_SIGMA2), rel=1e-9)
    assert list(result.paths["ar"]) == pytest.approx(HAND_AR, abs=1e-12)
    assert list(result.paths["car"]) == pytest.approx(
        [HAND_AR[0], HAND_AR[0] + HAND_AR[1], HAND_CAR], abs=1e-12
    )


def test_hand_example_prediction_error_matches_the_matrix_form():
    """1' sigma^2 (I + X*(X'X)^-1 X*') 1 computed with numpy matrices, not the closed form."""
    X = np.column_stack([np.ones(5), M_EST])
    Xs = np.column_stack([np.ones(3), M_EV])
    V = HAND_SIGMA2 * (np.eye(3) + Xs @ np.linalg.inv(X.T @ X) @ Xs.T)
    ones = np.ones(3)
    result = tiny_study(prediction_error=True)
    r = row(result, (-1, 1))
    assert r["car_se"] ** 2 == pytest.approx(ones @ V @ ones, rel=1e-10)
    assert r["t_stat"] == pytest.approx(HAND_CAR / math.sqrt(ones @ V @ ones), rel=1e-10)
    assert row(result, (0, 0))["car_se"] ** 2 == pytest.approx(V[1, 1], rel=1e-10)
    # The correction only ever adds variance.
    assert r["car_se"] > row(tiny_study(), (-1, 1))["car_se"]


def test_hand_example_constant_mean_and_market_adjusted():
    mean_r = 0.08 / 5
    s2 = sum((r - mean_r) ** 2 for r in R_EST) / (5 - 1)
    car = sum(r - mean_r for r in R_EV)
    cm = row(tiny_study(model="constant_mean"), (-1, 1))
    assert cm["alpha"] == pytest.approx(mean_r)
    assert cm["sigma"] == pytest.approx(math.sqrt(s2), rel=1e-9)
    assert cm["car"] == pytest.approx(car, abs=1e-12)
    assert cm["p_value"] == pytest.approx(2 * stats.t.sf(abs(car / math.sqrt(3 * s2)), 4), rel=1e-9)
    # Constant mean with the correction: X = a column of ones, so 1'V1 = s2 * (3 + 9/5).
    cm_pe = row(tiny_study(model="constant_mean", prediction_error=True), (-1, 1))
    assert cm_pe["car_se"] ** 2 == pytest.approx(s2 * (3 + 9 / 5), rel=1e-10)

    ar_est = [r - m for r, m in zip(R_EST, M_EST, strict=True)]  # [0.01, -0.01, 0.02, 0.01, 0.01]
    mean_ar = sum(ar_est) / 5
    s2_ma = sum((a - mean_ar) ** 2 for a in ar_est) / 4
    ma = row(tiny_study(model="market_adjusted"), (-1, 1))
    assert ma["car"] == pytest.approx((0.02 - 0.01) + (0.06 + 0.01) + (-0.01 - 0.005), abs=1e-12)
    assert ma["sigma"] == pytest.approx(math.sqrt(s2_ma), rel=1e-9)
    assert (ma["alpha"], ma["beta"]) == (0.0, 1.0)


# --- real TSLA / SPY through statsmodels ---------------------------------------------------------


def _real_returns() -> tuple[pd.Series, pd.Series]:
    tsla = pd.read_csv(PRICES / "TSLA.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    spy = pd.read_csv(PRICES / "SPY.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    assert tsla.index.equals(spy.index)
    return tsla.pct_change(), spy.pct_change()


@pytest.fixture(scope="module")
def real_result() -> es.StudyResult:
    data = es.load_returns("TSLA", "SPY")
    events = pd.DataFrame({"event_id": ["fsd-china"], "trading_date": [pd.Timestamp("2024-04-29")]})
    return es.run_study(data, events, prediction_error=True)


def test_real_tsla_spy_matches_statsmodels(real_result):
    r, m = _real_returns()
    i0 = r.index.get_loc(pd.Timestamp("2024-04-29"))
    y, x = r.iloc[i0 - 250 : i0 - 10], m.iloc[i0 - 250 : i0 - 10]  # days -250..-11
    assert len(y) == 240
    fit = sm.OLS(y.to_numpy(), sm.add_constant(x.to_numpy())).fit()
    ev = real_result.events.iloc[0]
    assert ev["alpha"] == pytest.approx(fit.params[0], rel=1e-9, abs=1e-12)
    assert ev["beta"] == pytest.approx(fit.params[1], rel=1e-9)
    assert ev["sigma"] == pytest.approx(math.sqrt(fit.scale), rel=1e-9)
    assert ev["dof"] == fit.df_resid == 238
    scatter = real_result.estimation_fit("fsd-china")
    assert list(scatter["date"]) == list(y.index)
    assert (scatter["r_stock"] - scatter["fitted"]).to_numpy() == pytest.approx(fit.resid, abs=1e-12)

    # Prediction-error variance of CAR[-1,+1] from statsmodels' own parameter covariance.
    xs = sm.add_constant(m.iloc[i0 - 1 : i0 + 2].to_numpy(), has_constant="add")
    ones = np.ones(3)
    var = 3 * fit.scale + ones @ xs @ fit.cov_params() @ xs.T @ ones
    car = float((r.iloc[i0 - 1 : i0 + 2] - fit.predict(xs)).sum())
    got = row(real_result, (-1, 1))
    assert got["car"] == pytest.approx(car, rel=1e-9)
    assert got["car_se"] ** 2 == pytest.approx(var, rel=1e-9)
    assert got["p_value"] == pytest.approx(2 * stats.t.sf(abs(car / math.sqrt(var)), 238), rel=1e-7)
    # One day: the variance of a single out-of-sample forecast error, statsmodels' se_obs.
    pred = fit.get_prediction(xs[1:2])
    assert row(real_result, (0, 0))["car_se"] == pytest.approx(float(pred.se_obs[0]), rel=1e-9)


def test_real_event_time_indexing(real_result):
    dates = pd.read_csv(PRICES / "TSLA.csv", parse_dates=["Date"])["Date"]
    i0 = int(dates[dates == pd.Timestamp("2024-04-29")].index[0])
    scatter = real_result.estimation_fit("fsd-china")
    assert len(scatter) == 240 and scatter["used"].all()
    assert scatter["date"].iloc[0] == dates[i0 - 250]
    last_est = int(dates[dates == scatter["date"].iloc[-1]].index[0])
    assert i0 - 1 - last_est == 10  # ends 10 sessions before day -1
    path = real_result.paths.set_index("day")
    assert path.loc[-1, "date"] == pd.Timestamp("2024-04-26")  # the Friday before
    assert path.loc[0, "date"] == pd.Timestamp("2024-04-29")
    assert path.loc[1, "date"] == pd.Timestamp("2024-04-30")
    assert path.loc[0, "ret"] == pytest.approx(_real_returns()[0].loc["2024-04-29"], rel=1e-12)
    reading = es.plain_reading(real_result, "fsd-china")
    assert reading.startswith("TSLA rose 15.3% on 2024-04-29, ")
    assert "than SPY explains; p < 0.001 (SQ p = 0.008, beyond all 240 estimation-window sums)." in reading


def test_vectorised_equals_one_event_at_a_time():
    data = es.load_returns("TSLA", "SPY")
    days = ["2021-05-05", "2021-07-06", "2022-01-04", "2023-03-01", "2024-04-29", "2024-10-11"]
    events = pd.DataFrame({"event_id": days, "trading_date": pd.to_datetime(days)})
    key = ["event_id", "window_start", "window_end"]
    together = es.run_study(data, events, prediction_error=True).rows.set_index(key)
    for day in days:
        alone = es.run_study(data, events[events["event_id"] == day], prediction_error=True).rows
        for _, one in alone.iterrows():
            both = together.loc[(day, one["window_start"], one["window_end"])]
            for col in ("car", "t_stat", "p_value", "alpha", "beta", "sigma", "n_est"):
                assert both[col] == pytest.approx(one[col], rel=1e-12, nan_ok=True)


# --- edge cases, reported never silent ------------------------------------------------------------


@pytest.fixture(scope="module")
def real_data() -> es.ReturnData:
    return es.load_returns("TSLA", "SPY")


def _study(data, days, **kw):
    events = pd.DataFrame({"event_id": [f"e{i}" for i in range(len(days))], "trading_date": pd.to_datetime(days)})
    return es.run_study(data, events, **kw)


def test_window_past_the_end_of_the_data(real_data):
    result = _study(real_data, ["2024-12-20"])  # 6 sessions left in 2024
    assert real_data.dates[-1] == pd.Timestamp("2024-12-31")
    ok, past = row(result, (-5, 5)), row(result, (0, 10))
    assert not ok["window_past_data"] and np.isfinite(ok["car"])
    assert past["window_past_data"] and np.isnan(past["car"]) and np.isnan(past["p_value"])
    assert "[0,+10] runs past the end of the data" in past["notes"]


def test_too_few_estimation_returns(real_data):
    # Day 0 at position p (position 0 has no return): days -250..-11 that exist are positions 1..p-11.
    p = real_data.dates.get_loc(pd.Timestamp("2020-06-01"))
    assert p == 103
    result = _study(real_data, ["2020-06-01"])
    r = row(result, (-1, 1))
    assert r["not_estimable"] and r["n_est"] == 103 - 11
    assert np.isnan(r["car"]) and np.isnan(r["beta"])
    assert "not estimable" in r["notes"]
    # Position 131 is the first day 0 with 120 estimation returns (positions 1..120).
    first_ok = real_data.dates[131]
    assert row(_study(real_data, [first_ok]), (0, 0))["n_est"] == 120
    assert not row(_study(real_data, [first_ok]), (0, 0))["not_estimable"]
    assert row(_study(real_data, [real_data.dates[130]]), (0, 0))["not_estimable"]


def test_overlap_names_three_others_in_date_order_then_counts_the_rest(real_data):
    days = ["2024-04-29", "2024-04-30", "2024-04-26", "2024-05-01", "2024-05-02", "2024-04-29"]
    result = _study(real_data, days)
    notes = row(result, (-5, 5), "e0")["notes"]
    assert ("overlap: 5 other event(s) inside [-5,+5] (e2 (2024-04-26), e5 (2024-04-29), e1 (2024-04-30) "
            "and 2 more)") in notes
    assert "overlap: 1 other event(s) inside [0,0] (e5 (2024-04-29))" in row(result, (0, 0), "e0")["notes"]
    assert "overlap" not in row(result, (0, 0), "e1")["notes"]


def test_overlap_and_contamination(real_data):
    days = ["2024-04-29", "2024-05-02", "2024-01-25"]  # 3 sessions apart; 64 sessions earlier
    result = _study(real_data, days)
    assert row(result, (-5, 5), "e0")["overlap"] and row(result, (-5, 5), "e1")["overlap"]
    assert not row(result, (0, 0), "e0")["overlap"] and not row(result, (-1, 1), "e0")["overlap"]
    assert "overlap: 1 other event(s) inside [-5,+5] (e1 (2024-05-02))" in row(result, (-5, 5), "e0")["notes"]
    assert row(result, (0, 0), "e0")["estimation_contaminated"]
    assert not row(result, (0, 0), "e2")["estimation_contaminated"]
    assert "estimation contaminated: 1 other event(s)" in row(result, (0, 0), "e0")["notes"]
    # Excluding other events' days -1..+1 removes e2's three days from e0's fit; e2's own window is clean.
    excl = _study(real_data, days, exclude_other_events=True)
    assert row(excl, (0, 0), "e0")["n_est"] == 237
    assert row(excl, (0, 0), "e2")["n_est"] == 240
    assert "left out of the fit" in row(excl, (0, 0), "e0")["notes"]


def test_missing_benchmark_days_are_counted(real_data):
    tsla = pd.read_csv(PRICES / "TSLA.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    spy = pd.read_csv(PRICES / "SPY.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    gappy = spy.drop(pd.Timestamp("2024-04-29"))  # the benchmark lacks day 0
    data = es.build_returns(tsla, gappy, "TSLA", "SPY")
    assert "SPY has no price on 1 of TSLA's sessions (2024-04-29)" in data.notes[0]
    result = _study(data, ["2024-04-29"])
    r = row(result, (-1, 1))
    # Day 0 and day +1 lack a market return; only day -1 is left.
    assert r["missing_days"] == 2 and r["n_days"] == 1
    full = _study(real_data, ["2024-04-29"]).paths.set_index("day")
    assert r["car"] == pytest.approx(full.loc[-1, "ar"], rel=1e-12)
    assert "2 missing day(s) in window [-1,+1]: the CAR sums the 1 available day(s)" in r["notes"]


def test_undated_and_non_session_events(real_data):
    events = pd.DataFrame({"event_id": ["sat", "none"], "trading_date": [pd.Timestamp("2024-04-27"), pd.NaT]})
    result = es.run_study(real_data, events)
    notes = result.events.set_index("event_id")["notes"]
    assert "trading date 2024-04-27 is not a TSLA session" in notes["sat"]
    assert "no trading date" in notes["none"]
    assert result.rows["car"].isna().all()


def test_next_session():
    sessions = pd.DatetimeIndex(["2024-04-26", "2024-04-29", "2024-04-30"])
    assert es.next_session("2024-04-27", sessions) == pd.Timestamp("2024-04-29")  # Saturday -> Monday
    assert es.next_session("2024-04-29", sessions) == pd.Timestamp("2024-04-29")
    assert es.next_session("2024-05-01", sessions) is None


# --- windows and design ------------------------------------------------------------------------


def test_parse_windows():
    assert es.parse_windows("-1,1; 0,0; [0,+1]; -5, 5;0,10") == [(-1, 1), (0, 0), (0, 1), (-5, 5), (0, 10)]
    for bad, words in (("-1;1", "Could not read the window '-1'"), ("2,1", "starts after it ends"),
                       ("", "No event window"), ("a,b", "Could not read")):
        with pytest.raises(es.StudyInputError, match=words):
            es.parse_windows(bad)


def test_validate_design():
    with pytest.raises(es.StudyInputError, match="overlaps the estimation window"):
        es.validate_design([(-20, 0)], (-250, -11), "market")
    with pytest.raises(es.StudyInputError, match="fewer than the 120"):
        es.validate_design([(0, 0)], (-100, -11), "market")
    with pytest.raises(es.StudyInputError, match="Unknown model"):
        es.validate_design([(0, 0)], (-250, -11), "fama_french")
    with pytest.raises(es.StudyInputError, match="must differ"):
        es.load_returns("SPY", "SPY")


# --- across events -------------------------------------------------------------------------------


def test_caar_cross_sectional_and_bmp_by_hand():
    cars = [0.05, -0.01, 0.03, 0.02]
    ses = [0.02, 0.04, 0.03, 0.01]
    rows = pd.DataFrame({
        "event_id": ["a", "b", "c", "d", "e"],
        "trading_date": pd.to_datetime(["2024-01-02", "2024-02-01", "2024-03-01", "2024-04-01", "2024-04-01"]),
        "window_start": -1, "window_end": 1,
        "car": [*cars, cars[-1]], "car_se": [*ses, ses[-1]],
        "category": ["x", "x", "y", "y", "y"],
    })
    out = es.caar(rows).set_index("group")
    caar_ = (0.05 - 0.01 + 0.03 + 0.02) / 4  # 0.0225; "e" duplicates "d"'s date and counts once
    sd = math.sqrt(((0.05 - caar_) ** 2 + (-0.01 - caar_) ** 2 + (0.03 - caar_) ** 2 + (0.02 - caar_) ** 2) / 3)
    scar = [0.05 / 0.02, -0.01 / 0.04, 0.03 / 0.03, 0.02 / 0.01]  # 2.5, -0.25, 1, 2
    m_s = sum(scar) / 4
    sd_s = math.sqrt(sum((s - m_s) ** 2 for s in scar) / 3)
    a = out.loc["all events"]
    assert a["n_events"] == 4 and a["caar"] == pytest.approx(caar_)
    assert a["t_cs"] == pytest.approx(caar_ / (sd / 2))
    assert a["p_cs"] == pytest.approx(2 * stats.t.sf(abs(caar_ / (sd / 2)), 3))
    assert a["t_bmp"] == pytest.approx(m_s / (sd_s / 2))
    assert "share a trading date" in a["notes"]
    assert out.loc["x", "caar"] == pytest.approx(0.02)
    one = es.caar(rows[rows["event_id"] == "a"]).set_index("group").loc["all events"]
    assert np.isnan(one["t_cs"]) and "fewer than 2 events" in one["notes"]


def test_significance_stars():
    assert list(es.significance_stars([0.005, 0.02, 0.07, 0.2, np.nan])) == ["***", "**", "*", "", ""]


def test_returns_name_a_shared_source_once_and_different_spans_apart():
    same = es.load_returns("TSLA", "SPY").source
    assert same.startswith("TSLA and SPY: offline snapshot") and same.endswith("2020-01-02 to 2024-12-31")
    apart = es.load_returns("XPEV", "SPY").source  # XPEV listed on 2020-08-27
    assert apart.startswith("XPEV: ") and "2020-08-27 to 2024-12-31; SPY: " in apart
