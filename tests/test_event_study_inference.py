"""The new statistics against brute-force loops written here from each paper's formula, on real data.

Nothing below calls the engine's maths: returns come straight from the CSVs, the market model is fitted
with plain sums, and every test statistic is a Python loop over events and days. Agreement is to 1e-9.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import product

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eventlens import study as es
from eventlens.paths import REPO_ROOT

PRICES = REPO_ROOT / "data" / "prices"
EST = (-250, -11)
DATES = ["2021-05-06", "2021-05-25", "2022-03-15", "2022-08-02", "2023-01-10", "2023-06-05", "2023-11-14",
         "2024-01-25", "2024-04-29", "2024-08-20"]
WINDOWS = [(0, 0), (-1, 1), (-5, 5)]
TOL = 1e-9


# --- the independent reference ------------------------------------------------------------------------


def raw(ticker: str, benchmark: str = "SPY") -> dict:
    stock = pd.read_csv(PRICES / f"{ticker}.csv", parse_dates=["Date"]).set_index("Date")
    market = pd.read_csv(PRICES / f"{benchmark}.csv", parse_dates=["Date"]).set_index("Date")
    p = stock["Adj Close"].tolist()
    pm = market["Adj Close"].reindex(stock.index).tolist()
    r = [math.nan] + [p[i] / p[i - 1] - 1 for i in range(1, len(p))]
    rm = [math.nan] + [pm[i] / pm[i - 1] - 1 for i in range(1, len(pm))]
    lv = [math.log(v) if v > 0 else math.nan for v in stock["Volume"].tolist()]
    return {"dates": list(stock.index), "r": r, "rm": rm, "lv": lv}


def fit_event(d: dict, day: str) -> dict:
    """Market model by plain sums over days -250..-11 (MacKinlay eq. 7-9), residuals and window helpers."""
    i0 = d["dates"].index(pd.Timestamp(day))
    idx = list(range(i0 + EST[0], i0 + EST[1] + 1))
    y = [d["r"][i] for i in idx]
    x = [d["rm"][i] for i in idx]
    n = len(y)
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    beta = sxy / sxx
    alpha = my - beta * mx
    resid = [b - alpha - beta * a for a, b in zip(x, y, strict=True)]
    s2 = sum(e * e for e in resid) / (n - 2)

    def ar(k: int) -> float:
        return d["r"][i0 + k] - alpha - beta * d["rm"][i0 + k]

    return {"i0": i0, "n": n, "mx": mx, "sxx": sxx, "s2": s2, "resid": resid, "ar": ar, "idx": idx}


def car_of(f: dict, w: tuple[int, int]) -> float:
    return sum(f["ar"](k) for k in range(w[0], w[1] + 1))


def sq_brute(f: dict, car: float, L: int) -> tuple[float, float, float]:
    """GHK SQ: overlapping L-day sums of consecutive estimation residuals; (count + 1) / (J + 1) per tail."""
    e = f["resid"]
    sums = [sum(e[k:k + L]) for k in range(len(e) - L + 1)]
    J = len(sums)
    up = (sum(1 for s in sums if s >= car) + 1) / (J + 1)
    lo = (sum(1 for s in sums if s <= car) + 1) / (J + 1)
    return min(1.0, 2 * min(up, lo)), up, lo


def volume_brute(d: dict, f: dict, w: tuple[int, int]) -> tuple[float, float, float]:
    """Campbell-Wasley mean-adjusted log volume: mean AV over the window, t and two-sided p (n-1 dof)."""
    est = [d["lv"][i] for i in f["idx"]]
    n = len(est)
    mean = sum(est) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in est) / (n - 1))
    av = [d["lv"][f["i0"] + k] - mean for k in range(w[0], w[1] + 1)]
    L = len(av)
    t = sum(av) / (sd * math.sqrt(L))
    return sum(av) / L, t, 2 * stats.t.sf(abs(t), n - 1)


def ranks_brute(x: list[float]) -> list[float]:
    return [1 + sum(1 for b in x if b < a) + 0.5 * (sum(1 for b in x if b == a) - 1) for a in x]


# --- single event ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tsla() -> dict:
    return raw("TSLA")


@pytest.fixture(scope="module")
def result() -> es.StudyResult:
    events = pd.DataFrame({"event_id": DATES, "trading_date": pd.to_datetime(DATES)})
    return es.run_study(es.load_returns("TSLA", "SPY"), events, windows=WINDOWS)


def _row(result: es.StudyResult, day: str, w: tuple[int, int]) -> pd.Series:
    rows = result.rows
    return rows[(rows["event_id"] == day) & (rows["window_start"] == w[0]) & (rows["window_end"] == w[1])].iloc[0]


def test_sq_volume_and_volatility_equal_the_brute_force_on_real_tsla(tsla, result):
    for day, w in product(DATES, WINDOWS):
        f = fit_event(tsla, day)
        row = _row(result, day, w)
        L = w[1] - w[0] + 1
        car = car_of(f, w)
        assert row["car"] == pytest.approx(car, abs=TOL)
        p, up, lo = sq_brute(f, car, L)
        assert row["sq_p_value"] == pytest.approx(p, abs=TOL)
        assert row["sq_p_upper"] == pytest.approx(up, abs=TOL)
        assert row["sq_p_lower"] == pytest.approx(lo, abs=TOL)
        assert row["sq_n_sums"] == 240 - L + 1
        mean_av, t_v, p_v = volume_brute(tsla, f, w)
        assert row["abn_volume"] == pytest.approx(mean_av, abs=TOL)
        assert row["volume_t"] == pytest.approx(t_v, abs=TOL)
        assert row["volume_p"] == pytest.approx(p_v, abs=TOL)
        u = sum(f["ar"](k) ** 2 for k in range(w[0], w[1] + 1)) / L / f["s2"]  # Beaver's U, averaged
        assert row["volatility_ratio"] == pytest.approx(u, abs=TOL)
        assert row["volatility_p"] == pytest.approx(stats.f.sf(u, L, f["n"] - 2), abs=TOL)


def test_2024_04_29_t_and_sq_p_values_and_abnormal_volume(tsla, result):
    """The issue's check: TSLA vs SPY, [-250,-11], market model, day 0 and [-1,+1]."""
    f = fit_event(tsla, "2024-04-29")
    day0, around = _row(result, "2024-04-29", (0, 0)), _row(result, "2024-04-29", (-1, 1))
    t0 = f["ar"](0) / math.sqrt(f["s2"])
    assert day0["p_value"] == pytest.approx(2 * stats.t.sf(abs(t0), 238), rel=1e-9)
    assert day0["p_value"] < 1e-7
    # Day 0's AR (+14.7%) is beyond all 240 residuals: the SQ p is at its floor 2/241.
    assert day0["sq_p_value"] == pytest.approx(2 / 241, abs=TOL)
    t1 = car_of(f, (-1, 1)) / math.sqrt(3 * f["s2"])
    assert around["p_value"] == pytest.approx(2 * stats.t.sf(abs(t1), 238), rel=1e-9)
    assert around["p_value"] == pytest.approx(0.0357, abs=5e-4)
    assert around["sq_p_value"] == pytest.approx(sq_brute(f, car_of(f, (-1, 1)), 3)[0], abs=TOL)
    ev = result.events.set_index("event_id").loc["2024-04-29"]
    mean_av, t_v, _ = volume_brute(tsla, f, (0, 0))
    assert ev["abn_volume_day0"] == pytest.approx(mean_av, abs=TOL) and mean_av > 0.7  # about twice normal volume
    assert ev["volume_t_day0"] == pytest.approx(t_v, abs=TOL)
    assert ev["sq_p_day0"] == pytest.approx(2 / 241, abs=TOL)


def test_tests_disagreeing_at_5_percent_are_said_in_words():
    said = es.tests_disagree(0.03, 0.2, "[-1,+1]", "TSLA")
    assert "t-test calls the move significant at 5%" in said and "SQ test does not" in said
    assert "SQ test calls" in es.tests_disagree(0.2, 0.01, "day 0", "TSLA")
    assert es.tests_disagree(0.01, 0.02, "day 0", "TSLA") == ""
    assert es.tests_disagree(float("nan"), 0.02, "day 0", "TSLA") == ""


# --- across events -------------------------------------------------------------------------------------


def cross_brute(fits: list[dict], w: tuple[int, int]) -> dict:
    """Every cross-event statistic by loops, from each paper's formula (see eventlens.study.cross)."""
    N, L = len(fits), w[1] - w[0] + 1
    cars = [car_of(f, w) for f in fits]
    scar = [c / math.sqrt(L * f["s2"]) for c, f in zip(cars, fits, strict=True)]
    m = sum(scar) / N
    t_bmp = m / (math.sqrt(sum((s - m) ** 2 for s in scar) / (N - 1)) / math.sqrt(N))
    # Patell (1976): prediction-error standardised ARs, Z = N^-1/2 sum CSAR_i / sqrt(L (n-2)/(n-4)).
    z = 0.0
    for f in fits:
        csar = 0.0
        for k in range(w[0], w[1] + 1):
            mkt = f["rm_list"][f["i0"] + k]
            csar += f["ar"](k) / math.sqrt(f["s2"] * (1 + 1 / f["n"] + (mkt - f["mx"]) ** 2 / f["sxx"]))
        z += csar / math.sqrt(L * (f["n"] - 2) / (f["n"] - 4))
    z /= math.sqrt(N)
    # Kolari-Pynnönen (2010): mean pairwise correlation of estimation residuals.
    corr = []
    for i in range(N):
        for j in range(i + 1, N):
            a, b = fits[i]["resid"], fits[j]["resid"]
            ma, mb = sum(a) / len(a), sum(b) / len(b)
            cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
            corr.append(cov / math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b)))
    r = sum(corr) / len(corr)
    t_kp = t_bmp * math.sqrt((1 - r) / (1 + (N - 1) * r))
    # Corrado (1989) rank test, multi-day form, ranks U = K / (1 + M).
    U = []
    for f in fits:
        x = f["resid"] + [f["ar"](k) for k in range(w[0], w[1] + 1)]
        U.append([k / (1 + len(x)) for k in ranks_brute(x)])
    T = len(U[0])
    ubar = [sum(U[i][t] for i in range(N)) / N for t in range(T)]
    s_u = math.sqrt(sum((u - 0.5) ** 2 for u in ubar) / T)
    t_rank = sum(u - 0.5 for u in ubar[-L:]) / math.sqrt(L) / s_u
    # Cowan (1992) generalized sign test.
    p_hat = sum(sum(1 for e in f["resid"] if e > 0) / len(f["resid"]) for f in fits) / N
    wins = sum(1 for c in cars if c > 0)
    z_sign = (wins - N * p_hat) / math.sqrt(N * p_hat * (1 - p_hat))
    # Wilcoxon signed-rank, exact by enumerating every sign pattern.
    ranks = ranks_brute([abs(c) for c in cars])
    w_plus = sum(rk for rk, c in zip(ranks, cars, strict=True) if c > 0)
    dist = [sum(rk for rk, s in zip(ranks, signs, strict=True) if s) for signs in product([0, 1], repeat=N)]
    p_w = min(1.0, 2 * min(sum(1 for v in dist if v <= w_plus), sum(1 for v in dist if v >= w_plus)) / len(dist))
    return {"t_bmp": t_bmp, "z_patell": z, "r_mean": r, "t_kp": t_kp, "t_rank": t_rank, "z_sign": z_sign,
            "p_sign_est": p_hat, "w_wilcoxon": w_plus, "p_wilcoxon": p_w,
            "p_patell": 2 * stats.norm.sf(abs(z)), "p_kp": 2 * stats.t.sf(abs(t_kp), N - 1),
            "p_rank": 2 * stats.norm.sf(abs(t_rank)), "p_sign": 2 * stats.norm.sf(abs(z_sign))}


def _fits(d: dict) -> list[dict]:
    out = []
    for day in DATES:
        f = fit_event(d, day)
        f["rm_list"] = d["rm"]
        out.append(f)
    return out


def test_cross_event_tests_equal_the_brute_force_on_real_tsla(tsla, result):
    table = result.caar(by=None).set_index(["window_start", "window_end"])
    fits = _fits(tsla)
    for w in WINDOWS:
        got = table.loc[w]
        want = cross_brute(fits, w)
        assert got["n_events"] == len(DATES)
        for key, value in want.items():
            assert got[key] == pytest.approx(value, abs=TOL), (w, key)


def test_kolari_pynnonen_on_tsla_and_nio_the_same_days(tsla):
    """Events of two tickers on the same dates: their residuals correlate, and KP shrinks BMP's t."""
    events = pd.DataFrame({"event_id": DATES, "trading_date": pd.to_datetime(DATES)})
    studies = [es.run_study(es.load_returns(t, "SPY"), events, windows=WINDOWS) for t in ("TSLA", "NIO")]
    table = es.pooled_caar(studies).set_index(["window_start", "window_end"])
    fits = _fits(tsla) + _fits(raw("NIO"))
    for w in WINDOWS:
        want = cross_brute(fits, w) if w == (0, 0) else None
        got = table.loc[w]
        assert got["n_events"] == 2 * len(DATES)
        if want:
            for key in ("t_bmp", "r_mean", "t_kp", "p_kp", "z_patell", "t_rank", "z_sign"):
                assert got[key] == pytest.approx(want[key], abs=TOL), key
    assert table["r_mean"].iloc[0] > 0.01  # TSLA and NIO residuals co-move on the same days
    assert (table["t_kp"].abs() < table["t_bmp"].abs()).all()


def test_wilcoxon_normal_branch_and_ties():
    rng = np.random.default_rng(3)
    car = rng.standard_normal(60) + 0.3
    w, p = es.cross_event_tests(car, np.ones(60))["w_wilcoxon"], es.cross_event_tests(car, np.ones(60))["p_wilcoxon"]
    ranks = ranks_brute([abs(c) for c in car])
    w_plus = sum(rk for rk, c in zip(ranks, car, strict=True) if c > 0)
    z = (w_plus - 60 * 61 / 4) / math.sqrt(60 * 61 * 121 / 24)
    assert w == pytest.approx(w_plus, abs=TOL) and p == pytest.approx(2 * stats.norm.sf(abs(z)), abs=TOL)


def test_wilcoxon_with_tied_and_zero_cars_uses_average_ranks_and_the_tie_correction():
    rng = np.random.default_rng(4)
    car = np.round(rng.standard_normal(70), 1) + 0.1  # one decimal: many ties, and some exact zeros
    d = [c for c in car if c != 0]
    n = len(d)
    ranks = ranks_brute([abs(c) for c in d])
    w_plus = sum(rk for rk, c in zip(ranks, d, strict=True) if c > 0)
    ties = Counter(abs(c) for c in d).values()
    var = n * (n + 1) * (2 * n + 1) / 24 - sum(t**3 - t for t in ties) / 48
    z = (w_plus - n * (n + 1) / 4) / math.sqrt(var)
    got = es.cross_event_tests(car, np.ones(len(car)))
    assert n < len(car) and max(ties) > 1
    assert got["w_wilcoxon"] == pytest.approx(w_plus, abs=TOL)
    assert got["p_wilcoxon"] == pytest.approx(2 * stats.norm.sf(abs(z)), abs=TOL)


def test_average_ranks_handle_ties_and_gaps():
    x = np.array([[0.3, np.nan, 0.1, 0.3, -0.2]])
    got = es.ranks.average_ranks(x)[0]
    assert np.isnan(got[1])
    assert list(got[[0, 2, 3, 4]]) == ranks_brute([0.3, 0.1, 0.3, -0.2])


def test_combined_ranks_from_the_sorted_estimation_equal_a_full_sort_with_ties_and_gaps():
    rng = np.random.default_rng(11)
    est = np.round(rng.standard_normal((40, 30)), 1)  # one decimal: many ties
    est[3, 5] = est[7, :4] = np.nan
    window = np.round(rng.standard_normal((40, 4)), 1)
    window[2, 1] = np.nan
    panel = es.Panel(est, window, 0)
    idx = np.arange(40)
    fast = es.ranks.combined_ranks(est, *panel.sorted_est(idx)[:3], window)
    full = es.ranks.average_ranks(np.concatenate([est, window], axis=1))
    np.testing.assert_allclose(fast, full, atol=1e-12)
    for i in (0, 3, 7):  # and the brute-force count on a few rows
        row = [v for v in np.concatenate([est[i], window[i]]) if np.isfinite(v)]
        got = fast[i][np.isfinite(fast[i])]
        assert list(got) == ranks_brute(row)


def test_design_is_frozen_validated_and_names_models_once():
    design = es.Design("tsla", "spy")
    assert design.ticker == "TSLA" and design.windows == es.DEFAULT_WINDOWS
    with pytest.raises(AttributeError):
        design.model = "constant_mean"  # type: ignore[misc]
    with pytest.raises(es.StudyInputError, match="Unknown model"):
        es.Design(model="fama_french")
    with pytest.raises(es.StudyInputError, match="must differ"):
        es.Design("SPY", "SPY")
    assert es.get_model("market").label == es.MODEL_LABELS["market"]
    assert design.with_ticker("NIO").ticker == "NIO" and design.with_ticker("NIO").windows == design.windows


def test_corrado_from_the_sorted_estimation_equals_the_full_sort_with_ties_and_gaps():
    rng = np.random.default_rng(5)
    est = np.round(rng.standard_normal((30, 50)), 1)
    est[4, :7] = est[9, 20] = np.nan
    window = np.round(rng.standard_normal((30, 3)), 1)
    window[6, 2] = np.nan
    fast = es.ranks.corrado_rank(est, window, es.Panel(est, window, 0).sorted_est(np.arange(30)))
    assert fast == pytest.approx(es.ranks.corrado_rank(est, window), abs=1e-12)


@pytest.mark.parametrize("gaps", [False, True])
def test_corrado_from_a_subset_and_the_block_search_equals_the_full_sort(gaps):
    """The panel sorts only the events a group uses, and counts every block day's place once; each window's
    rank t must still equal the one from a full sort of that subset (ties between window and estimation
    values included; with gaps the events' weights differ, so the sort-order path runs)."""
    rng = np.random.default_rng(8 + gaps)
    est = np.round(rng.standard_normal((40, 60)), 1)
    block = np.round(rng.standard_normal((40, 7)), 1)  # relative days -3..3
    if gaps:
        est[4, :7] = est[9, 20] = np.nan
        block[6, 2] = block[11, 5] = np.nan
    panel = es.Panel(est, block, -3)
    idx = np.array([1, 4, 6, 9, 11, 17, 20, 25, 33, 38])
    left, right, lifts = panel.block_counts(idx, -3, 3)
    for w1, w2 in [(0, 0), (-1, 1), (0, 3), (-3, 3)]:
        window = panel.window(idx, w1, w2)
        cols = slice(w1 + 3, w2 + 4)
        full = es.ranks.corrado_rank(est[idx], window)
        for lift in (lifts[cols], None):  # from the counts (one weight for all events), and by the sort order
            fast = es.ranks.corrado_rank(panel.rows(idx), window, panel.sorted_est(idx),
                                         (left[:, cols], right[:, cols]), lift)
            assert fast == pytest.approx(full, abs=1e-12), (w1, w2, lift is None)


@pytest.mark.parametrize("day", ["2023-10-19", "2022-04-28"])
def test_reading_says_when_t_and_sq_disagree_at_5_percent(tsla, day):
    """2023-10-19 (the Q3 2023 earnings day): t says significant, SQ not; 2022-04-28: the other way round."""
    f = fit_event(tsla, day)
    ar0 = f["ar"](0)
    p_t = 2 * stats.t.sf(abs(ar0 / math.sqrt(f["s2"])), f["n"] - 2)
    p_sq = sq_brute(f, ar0, 1)[0]
    assert (p_t < 0.05) != (p_sq < 0.05)
    result = es.run_study(es.load_returns("TSLA", "SPY"), pd.DataFrame({"event_id": [day],
                                                                        "trading_date": [pd.Timestamp(day)]}))
    reading = es.plain_reading(result, day)
    if p_t < 0.05:
        assert (f"Over day 0 the t-test calls the move significant at 5% (p = {p_t:.3f}) but the SQ test does not "
                f"(p = {p_sq:.3f})") in reading
    else:
        assert (f"Over day 0 the SQ test calls the move significant at 5% (p = {p_sq:.3f}) but the t-test does not "
                f"(p = {p_t:.3f})") in reading
