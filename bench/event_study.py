"""Speed of the vectorised event study against a per-event statsmodels loop.

1,000 events on real TSLA/SPY returns (day 0 drawn among real sessions with
250 returns of history before the estimation window's end and 10 sessions
after), 5 event windows, a 250-return estimation window [-260, -11] (the
issue's "250-day" window; the app's default [-250, -11] holds 240). The
engine time is the median of several complete runs of ``run_study``, from
the return arrays to the tidy result frames (notes included). The reference
is the same market model through ``statsmodels.OLS`` one event at a time,
with the five CARs and their t/p; it is timed on the first 200 events
(median of 3 runs) and scaled linearly to 1,000 (every event costs the
same: one fit of 250 returns). Both are measured in the same process, one
after the other, so machine load affects both alike.

Target: engine < 0.5 s and >= 20x faster than the loop.

Run ``python bench/event_study.py``; ``run() -> dict`` for bench/run.py.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventlens import study as es

N_EVENTS = 1000
ESTIMATION = (-260, -11)
WINDOWS = es.DEFAULT_WINDOWS
LOOP_SUBSET = 200
LOOP_REPEATS = 3
REPEATS = 7
TARGET_SECONDS = 0.5
TARGET_RATIO = 20.0


def _events(data: es.ReturnData, n: int, seed: int = 20240429) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    lo, hi = -ESTIMATION[0] + 1, len(data.dates) - max(w[1] for w in WINDOWS) - 1
    positions = rng.integers(lo, hi + 1, size=n)  # real sessions, drawn with replacement
    return pd.DataFrame({"event_id": [f"b{i:04d}" for i in range(n)], "trading_date": data.dates[positions]})


def statsmodels_loop(data: es.ReturnData, events: pd.DataFrame) -> list[dict]:
    """The reference: one OLS fit per event, then the window CARs and tests."""
    import statsmodels.api as sm
    from scipy import stats

    out = []
    for _, ev in events.iterrows():
        p = data.dates.get_loc(ev["trading_date"])
        y = data.stock[p + ESTIMATION[0] : p + ESTIMATION[1] + 1]
        x = data.market[p + ESTIMATION[0] : p + ESTIMATION[1] + 1]
        fit = sm.OLS(y, sm.add_constant(x)).fit()
        sigma = np.sqrt(fit.scale)
        for w1, w2 in WINDOWS:
            ar = data.stock[p + w1 : p + w2 + 1] - fit.predict(sm.add_constant(data.market[p + w1 : p + w2 + 1],
                                                                                  has_constant="add"))
            car = ar.sum()
            t = car / (sigma * np.sqrt(w2 - w1 + 1))
            out.append({"event_id": ev["event_id"], "window": (w1, w2), "car": car, "t": t,
                        "p": 2 * stats.t.sf(abs(t), fit.df_resid), "beta": fit.params[1]})
    return out


def run(n_events: int = N_EVENTS, loop_subset: int = LOOP_SUBSET, repeats: int = REPEATS) -> dict:
    data = es.load_returns("TSLA", "SPY")
    events = _events(data, n_events)
    es.run_study(data, events.head(10), windows=WINDOWS, estimation=ESTIMATION)  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = es.run_study(data, events, windows=WINDOWS, estimation=ESTIMATION)
        times.append(time.perf_counter() - t0)
    engine = statistics.median(times)

    subset = events.head(loop_subset)
    statsmodels_loop(data, subset.head(3))  # warm-up
    loop_times = []
    for _ in range(LOOP_REPEATS):
        t0 = time.perf_counter()
        ref = statsmodels_loop(data, subset)
        loop_times.append(time.perf_counter() - t0)
    loop_subset_s = statistics.median(loop_times)
    loop = loop_subset_s * n_events / len(subset)

    # Same numbers, or the speed means nothing.
    got = result.rows.set_index(["event_id", "window_start", "window_end"])
    worst = max(abs(got.loc[(r["event_id"], *r["window"]), "car"] - r["car"]) for r in ref)
    assert worst < 1e-10, f"engine and statsmodels disagree by {worst}"
    assert (result.rows["n_est"] == 250).all()

    ratio = loop / engine
    return {
        "name": "event_study",
        "events": n_events,
        "windows": len(WINDOWS),
        "estimation_window": list(ESTIMATION),
        "estimation_returns": 250,
        "engine_seconds_median": round(engine, 4),
        "engine_seconds_all": [round(t, 4) for t in times],
        "statsmodels_loop_seconds_scaled": round(loop, 3),
        "statsmodels_loop_events_timed": len(subset),
        "statsmodels_loop_seconds_timed": round(loop_subset_s, 3),
        "ratio": round(ratio, 1),
        "max_car_difference": float(worst),
        "target_seconds": TARGET_SECONDS,
        "target_ratio": TARGET_RATIO,
        "passed": bool(engine < TARGET_SECONDS and ratio >= TARGET_RATIO),
    }


def main() -> int:
    res = run()
    print(f"event study, {res['events']} events x {res['windows']} windows, estimation {res['estimation_window']} "
          f"({res['estimation_returns']} returns), real TSLA/SPY")
    print(f"  vectorised engine:   {res['engine_seconds_median']:.3f} s (median of {len(res['engine_seconds_all'])})")
    print(f"  statsmodels loop:    {res['statsmodels_loop_seconds_scaled']:.3f} s for {res['events']} events "
          f"(timed {res['statsmodels_loop_events_timed']} events in {res['statsmodels_loop_seconds_timed']:.3f} s, "
          "median of 3, scaled linearly)")
    print(f"  ratio:               {res['ratio']:.1f}x   (targets: < {TARGET_SECONDS} s and >= {TARGET_RATIO:.0f}x) "
          f"-> {'PASS' if res['passed'] else 'FAIL'}")
    print(f"  largest CAR difference engine vs statsmodels: {res['max_car_difference']:.2e}")
    return 0 if res["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
