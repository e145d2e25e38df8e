"""Speed of the event study: against a bare numpy computation, and against a per-event statsmodels loop.

Real TSLA/SPY returns; day 0 drawn among real sessions with the whole estimation window [-260, -11] (250
returns) before it and 10 sessions after; 5 event windows.

1. **Whole study vs bare numpy** (the issue-12 target): 900 events. The *bare* computation is the
   market-model sums alone in numpy: index the estimation and event windows, fit alpha and beta, compute
   the ARs, the five CARs and their t. The *whole study* is ``run_study`` plus everything the pages and the
   CLI read: the per-window table (t and SQ p-values, abnormal volume and volatility, company-news flags,
   notes), the per-event table, the CAR paths, and the cross-event table with every test (cross-sectional,
   Patell, BMP, Kolari-Pynnönen, Corrado rank, generalized sign, Wilcoxon). Both are timed in this process,
   alternately, median of several runs, so machine load hits both alike. Target: whole <= 5x bare by CPU
   time (``time.process_time``; wall time is printed too). Measured twice: events drawn with replacement
   (several on one date: the cross-event tests count a date once, so less to sort) and on 900 distinct
   dates (nothing to share); the output says how many distinct dates each case has, and what each piece
   costs (run_study, rows, events, paths, caar: median CPU ms, each built on a fresh result).
2. **Engine vs statsmodels** (the earlier target): 1,000 events; ``run_study`` against the same market
   model through ``statsmodels.OLS`` one event at a time (timed on 200 events, median of 3, scaled
   linearly). Target: engine < 0.5 s and >= 20x faster than the loop.

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
N_WHOLE = 900
WHOLE_REPEATS = 15
TARGET_WHOLE_RATIO = 5.0
WHOLE_INCLUDES = ("run_study, the rows table with notes, the events table, the CAR paths and the cross-event table "
                  "with every test")


def _events(data: es.ReturnData, n: int, seed: int = 20240429, unique: bool = False) -> pd.DataFrame:
    """``n`` events on real sessions, drawn with replacement (several events on one date, as when one piece of
    news is filed under several ids), or on ``n`` distinct dates (nothing shared, nothing to reuse)."""
    rng = np.random.default_rng(seed)
    lo, hi = -ESTIMATION[0] + 1, len(data.dates) - max(w[1] for w in WINDOWS) - 1
    positions = (rng.choice(np.arange(lo, hi + 1), size=n, replace=False) if unique
                 else rng.integers(lo, hi + 1, size=n))
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


def bare_numpy(data: es.ReturnData, positions: np.ndarray) -> list[np.ndarray]:
    """The floor: market-model fit, ARs, CARs and t for every event and window, nothing else."""
    est = positions[:, None] + np.arange(ESTIMATION[0], ESTIMATION[1] + 1)[None, :]
    R, M = data.stock[est], data.market[est]
    n = R.shape[1]
    mr, mm = R.mean(axis=1), M.mean(axis=1)
    dm = M - mm[:, None]
    sxx = np.einsum("ij,ij->i", dm, dm)
    beta = np.einsum("ij,ij->i", dm, R - mr[:, None]) / sxx
    alpha = mr - beta * mm
    resid = R - alpha[:, None] - beta[:, None] * M
    s2 = np.einsum("ij,ij->i", resid, resid) / (n - 2)
    out = []
    for w1, w2 in WINDOWS:
        idx = positions[:, None] + np.arange(w1, w2 + 1)[None, :]
        car = (data.stock[idx] - alpha[:, None] - beta[:, None] * data.market[idx]).sum(axis=1)
        out.append(car / np.sqrt(s2 * (w2 - w1 + 1)))
    return out


def whole_study(data: es.ReturnData, events: pd.DataFrame, design: es.Design) -> es.StudyResult:
    """What the page and the CLI pay for: the study and every table and test built from it."""
    result = es.run_study(data, events, design)
    result.rows, result.events, result.paths  # noqa: B018 - cached properties: building them is the work
    result.caar()
    return result


def pieces(data: es.ReturnData, events: pd.DataFrame, design: es.Design, repeats: int) -> dict[str, float]:
    """Median CPU milliseconds of each part of the whole study, each on a fresh result (nothing cached)."""
    times: dict[str, list[float]] = {}
    for _ in range(repeats):
        c0 = time.process_time()
        result = es.run_study(data, events, design)
        c1 = time.process_time()
        result.rows  # noqa: B018
        c2 = time.process_time()
        result.events  # noqa: B018
        c3 = time.process_time()
        result.paths  # noqa: B018
        c4 = time.process_time()
        result.caar()
        c5 = time.process_time()
        for name, a, b in (("run_study", c0, c1), ("rows", c1, c2), ("events", c2, c3), ("paths", c3, c4),
                           ("caar", c4, c5)):
            times.setdefault(name, []).append(b - a)
    return {name: round(1000 * statistics.median(ts), 1) for name, ts in times.items()}


def whole_vs_bare(data: es.ReturnData, n_events: int = N_WHOLE, repeats: int = WHOLE_REPEATS,
                  unique: bool = False) -> dict:
    events = _events(data, n_events, unique=unique)
    positions = np.asarray(data.dates.get_indexer(events["trading_date"]))
    design = es.Design(data.ticker, data.benchmark, windows=WINDOWS, estimation=ESTIMATION)
    result = whole_study(data, events, design)  # warm-up (imports, the calendar, caches)
    bare = bare_numpy(data, positions)
    got = result.rows["t_stat"].to_numpy().reshape(len(WINDOWS), n_events)
    worst = float(np.max(np.abs(got - np.array(bare))))
    assert worst < 1e-9, f"the study and the bare computation disagree on t by {worst}"
    bare_times, whole_times, bare_cpu, whole_cpu = [], [], [], []
    for _ in range(repeats):  # alternate, so load changes hit both
        t0, c0 = time.perf_counter(), time.process_time()
        bare_numpy(data, positions)
        bare_times.append(time.perf_counter() - t0)
        bare_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        whole_study(data, events, design)
        whole_times.append(time.perf_counter() - t0)
        whole_cpu.append(time.process_time() - c0)
    bare_s, whole_s = statistics.median(bare_times), statistics.median(whole_times)
    cpu_ratio = statistics.median(whole_cpu) / statistics.median(bare_cpu)
    return {"whole_events": n_events, "unique_dates": len(np.unique(positions)),
            "bare_seconds_median": round(bare_s, 5),
            "bare_cpu_median": round(statistics.median(bare_cpu), 5),
            "whole_cpu_median": round(statistics.median(whole_cpu), 5),
            "whole_seconds_median": round(whole_s, 5), "whole_ratio": round(whole_s / bare_s, 2),
            "bare_seconds_min": round(min(bare_times), 5), "whole_seconds_min": round(min(whole_times), 5),
            "whole_ratio_of_minima": round(min(whole_times) / min(bare_times), 2),
            "whole_ratio_cpu": round(cpu_ratio, 2),
            "whole_max_t_difference": worst, "target_whole_ratio": TARGET_WHOLE_RATIO,
            # judged on CPU time: the process's own work, whatever else the (shared) machine runs
            "whole_passed": bool(cpu_ratio <= TARGET_WHOLE_RATIO),
            "pieces_cpu_ms": pieces(data, events, design, repeats)}


def run(n_events: int = N_EVENTS, loop_subset: int = LOOP_SUBSET, repeats: int = REPEATS) -> dict:
    data = es.load_returns("TSLA", "SPY")
    whole = whole_vs_bare(data)
    distinct = whole_vs_bare(data, unique=True)
    whole["unique_case"] = distinct
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
        "engine_passed": bool(engine < TARGET_SECONDS and ratio >= TARGET_RATIO),
        **whole,
        "passed": bool(engine < TARGET_SECONDS and ratio >= TARGET_RATIO and whole["whole_passed"]
                       and distinct["whole_passed"]),
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
          f"-> {'PASS' if res['engine_passed'] else 'FAIL'}")
    print(f"  largest CAR difference engine vs statsmodels: {res['max_car_difference']:.2e}")
    print(f"whole study ({WHOLE_INCLUDES}), {res['whole_events']} events x {res['windows']} windows, vs bare numpy "
          "market-model sums (fit, ARs, CARs, t), same process, alternating, median of "
          f"{WHOLE_REPEATS}; judged on CPU time:")
    for label, case in (("drawn with replacement", res), ("all dates distinct", res["unique_case"])):
        print(f"  {label} ({case['unique_dates']} distinct dates): CPU {case['whole_cpu_median'] * 1000:.1f} ms vs "
              f"{case['bare_cpu_median'] * 1000:.1f} ms = {case['whole_ratio_cpu']:.2f}x; wall "
              f"{case['whole_seconds_median'] * 1000:.1f} ms vs {case['bare_seconds_median'] * 1000:.1f} ms = "
              f"{case['whole_ratio']:.2f}x (fastest runs {case['whole_ratio_of_minima']:.2f}x)   (target <= "
              f"{TARGET_WHOLE_RATIO:.0f}x) -> {'PASS' if case['whole_passed'] else 'FAIL'}")
        print("    pieces, CPU ms (median, each on a fresh result): "
              + ", ".join(f"{name} {ms:.1f}" for name, ms in case["pieces_cpu_ms"].items()))
    return 0 if res["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
