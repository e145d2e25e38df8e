"""Event-study results as the tables analysts read: events by headline, percentages, units, verdicts in words.

The Event study page, the report and the UI's CSV downloads show the same tables, so they are built here
once, from the study's result frames and :mod:`eventlens.vocabulary` (the engine's codes never reach them).
The CLI's ``study`` CSV keeps the engine's columns: scripts read those.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from eventlens import vocabulary as vocab
from eventlens.study.cross import TESTS

_STAT = {"cs": "t_cs", "patell": "z_patell", "bmp": "t_bmp", "kp": "t_kp", "rank": "t_rank", "sign": "z_sign",
         "wilcoxon": "w_wilcoxon"}


def _windows(frame: pd.DataFrame) -> list[str]:
    return [vocab.window_label((int(a), int(b)))
            for a, b in zip(frame["window_start"], frame["window_end"], strict=True)]


def _volume_pct(abn_log_volume: pd.Series) -> pd.Series:
    """Mean abnormal log volume as "volume x% above its normal level": 100 (exp(AV) - 1)."""
    return (100 * np.expm1(abn_log_volume.astype(float))).round(0)


def _names(rows: pd.DataFrame, names: Mapping[str, str] | None) -> list[str]:
    return [vocab.event_name(e, names or {}) for e in rows["event_id"]]


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """Events in trading-date order, windows in the design's order within each event."""
    order = {w: i for i, w in enumerate(dict.fromkeys(zip(rows["window_start"], rows["window_end"], strict=True)))}
    key = [order[(a, b)] for a, b in zip(rows["window_start"], rows["window_end"], strict=True)]
    return (rows.assign(_w=key).sort_values(["trading_date", "event_id", "_w"], kind="stable", na_position="last")
            .drop(columns="_w"))


def window_cell(car: object, p: object) -> str:
    """One window of one event: "+15.32% · p < 0.001 (significant at 1%)", or "—" when there is no CAR."""
    if vocab.missing(car):
        return vocab.DASH
    return f"{vocab.pct(car)} · {vocab.p_verdict(p)}"


def car_summary(rows: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per event, the windows as columns: each cell the CAR in %, its t-test p and the verdict.

    The table an analyst reads first (the details are in :func:`car_table`): the event by its date and
    headline, then one column per window in the design's order.
    """
    rows = _ordered(rows)
    windows = list(dict.fromkeys(_windows(rows)))
    table = pd.DataFrame({"Event": list(dict.fromkeys(_names(rows, names)))}) if len(rows) else pd.DataFrame(
        {"Event": []})
    cells = pd.DataFrame({
        "event": _names(rows, names), "window": _windows(rows),
        "cell": [window_cell(c, p) for c, p in zip(rows["car"], rows["p_value"], strict=True)],
    })
    for window in windows:
        mine = cells[cells["window"] == window].drop_duplicates("event").set_index("event")["cell"]
        table[f"CAR {window}"] = table["Event"].map(mine).fillna(vocab.DASH)
    return table


def car_table(rows: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every statistic, one row per event and window: CAR in %, t and SQ p-values with their verdicts,
    abnormal volume and volatility, the company's own news in the window, and the fit behind it."""
    rows = _ordered(rows)
    pct = 100.0
    notes = rows["notes"] if "notes" in rows else pd.Series([""] * len(rows), index=rows.index)
    news = rows["company_news"] if "company_news" in rows else pd.Series([""] * len(rows), index=rows.index)
    return pd.DataFrame({
        "Event": _names(rows, names),
        "Window (days)": _windows(rows),
        "CAR (%)": (rows["car"] * pct).round(2).to_numpy(),
        "t": rows["t_stat"].round(2).to_numpy(),
        "p (t-test)": rows["p_value"].round(4).to_numpy(),
        "Verdict (t-test)": [vocab.verdict(p) for p in rows["p_value"]],
        "p (SQ test)": rows["sq_p_value"].round(4).to_numpy(),
        "Verdict (SQ test)": [vocab.verdict(p) for p in rows["sq_p_value"]],
        "Volume vs normal (%)": _volume_pct(rows["abn_volume"]).to_numpy(),
        "p (volume)": rows["volume_p"].round(4).to_numpy(),
        "Volatility (× normal)": rows["volatility_ratio"].round(2).to_numpy(),
        "p (volatility)": rows["volatility_p"].round(4).to_numpy(),
        "Company news in window": [vocab.name_events(n, names or {}) for n in news],
        "α (%/day)": (rows["alpha"] * pct).round(3).to_numpy(),
        "β": rows["beta"].round(3).to_numpy(),
        "σ (%/day)": (rows["sigma"] * pct).round(2).to_numpy(),
        "Estimation days": rows["n_est"].to_numpy(),
        "Notes": [vocab.name_events(n, names or {}) for n in notes],
    })


def group_label(group: object) -> str:
    """A CAAR group: "all events" as it is, a topic code as its label."""
    return "all events" if group == "all events" else vocab.topic_label(group)


def caar_table(caar: pd.DataFrame) -> pd.DataFrame:
    """CAAR per topic and window with every cross-event test: statistic and p-value side by side."""
    table = {
        "Topic": [group_label(g) for g in caar["group"]],
        "Window (days)": _windows(caar),
        "Events": caar["n_events"].to_numpy(),
        "CAAR (%)": (caar["caar"] * 100).round(2).to_numpy(),
    }
    for key in TESTS:
        table[vocab.header(_STAT[key])] = caar[_STAT[key]].round(2).to_numpy()
        table[vocab.header(f"p_{key}")] = caar[f"p_{key}"].round(4).to_numpy()
    table["Verdict (cross-sectional t)"] = [vocab.verdict(p) for p in caar["p_cs"]]
    table[vocab.header("r_mean")] = caar["r_mean"].round(3).to_numpy()
    table["Notes"] = caar["notes"].to_numpy()
    return pd.DataFrame(table)


def test_assumptions() -> pd.DataFrame:
    """Each cross-event test and the assumption of the plain t-test it relaxes (shown under the CAAR table)."""
    return pd.DataFrame([{"Test": label, "Relaxes": relaxes} for label, relaxes in TESTS.values()])


def peer_table(rows: Sequence[pd.DataFrame], tickers: Sequence[str], names: Mapping[str, str] | None = None
               ) -> pd.DataFrame:
    """CARs of several tickers for the same events side by side: one row per event and window.

    ``rows`` are the studies' ``rows`` frames, one per ticker in ``tickers`` order (the stock first). A cell
    reads like ``+3.21% · p = 0.012 (significant at 5%)`` and is "—" where the ticker could not be estimated
    (e.g. it was not listed yet).
    """
    both = pd.concat([_ordered(r) for r in rows], ignore_index=True)
    both["cell"] = [window_cell(c, p) for c, p in zip(both["car"], both["p_value"], strict=True)]
    both["Window (days)"] = _windows(both)
    both["Event"] = _names(both, names)
    pivot = both.pivot_table(index=["Event", "Window (days)"], columns="ticker", values="cell",
                             aggfunc="first", sort=False).reset_index()
    pivot = pivot[["Event", "Window (days)", *tickers]]
    pivot.columns.name = None
    return pivot.rename(columns={t: f"{t}: CAR, p" for t in tickers}).fillna(vocab.DASH)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for a grid or an HTML table: numbers as text (as rounded), missing values as "—".

    A grid shows a missing number as "None" and a float as 0.018334; readers see neither.
    """
    out = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = [vocab.DASH if pd.isna(v) else f"{v:%Y-%m-%d}" for v in values]
        elif pd.api.types.is_bool_dtype(values):
            out[column] = ["yes" if v else "no" for v in values]
        elif pd.api.types.is_numeric_dtype(values):
            out[column] = [vocab.DASH if vocab.missing(v) or not np.isfinite(v) else
                           (f"{int(v):d}" if float(v).is_integer() and pd.api.types.is_integer_dtype(values)
                            else f"{v + 0.0:g}" if abs(v) < 1e6 else f"{v:.0f}") for v in values]
        else:
            out[column] = [vocab.DASH if vocab.missing(v) or str(v) == "" else str(v) for v in values]
    return pd.DataFrame(out, columns=frame.columns)
