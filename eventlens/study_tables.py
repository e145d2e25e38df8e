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


def p_text(p: pd.Series) -> list[str]:
    """p-values as a report's p column prints them: "0.036 (significant at 5%)", "< 0.001 (significant at
    1%)", "—" where there is no test."""
    return [vocab.DASH if vocab.missing(v) else f"{vocab.p_value(v)} ({vocab.verdict(v)})" for v in p]


def _as_text(table: pd.DataFrame, pvalues: Mapping[str, pd.Series], percents: Mapping[str, str],
             decimals: Mapping[str, int] | None = None) -> pd.DataFrame:
    """The text form of a table (for a page that is read, not sorted: the report): each p column holds its
    verdict, so the separate verdict columns go; returns in % with two decimals, statistics with two (or as
    ``decimals`` says per column)."""
    table = table.drop(columns=[c for c in table.columns if c.startswith("Verdict (")])
    for column, raw in pvalues.items():
        table[column] = p_text(raw)
    for column, header in percents.items():
        table[column] = [vocab.pct(v / 100) for v in table[column]]
        table = table.rename(columns={column: header})
    for column in table.columns:
        if pd.api.types.is_float_dtype(table[column]):
            places = (decimals or {}).get(column, 2)
            table[column] = [vocab.DASH if vocab.missing(v) else vocab.ratio(round(v, places) + 0.0, places)
                             for v in table[column]]  # + 0.0: no "-0.00"
    return table


def car_table(rows: pd.DataFrame, names: Mapping[str, str] | None = None, as_text: bool = False) -> pd.DataFrame:
    """Every statistic, one row per event and window: CAR in %, t and SQ p-values with their verdicts,
    abnormal volume and volatility, the company's own news in the window, and the fit behind it.

    ``as_text``: the report's form (see :func:`_as_text`), verdicts taken from the unrounded p-values.
    """
    rows = _ordered(rows)
    pct = 100.0
    notes = rows["notes"] if "notes" in rows else pd.Series([""] * len(rows), index=rows.index)
    news = rows["company_news"] if "company_news" in rows else pd.Series([""] * len(rows), index=rows.index)
    table = pd.DataFrame({
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
    if not as_text:
        return table
    pvalues = {"p (t-test)": rows["p_value"], "p (SQ test)": rows["sq_p_value"], "p (volume)": rows["volume_p"],
               "p (volatility)": rows["volatility_p"]}
    table = _as_text(table, pvalues, {"CAR (%)": "CAR"}, {"α (%/day)": 3, "β": 3})
    table["Volume vs normal (%)"] = [vocab.DASH if vocab.missing(v) else f"{v:+.0f}%"
                                     for v in _volume_pct(rows["abn_volume"])]
    return table.rename(columns={"Volume vs normal (%)": "Volume vs normal"})


_FIT = ["α (%/day)", "β", "σ (%/day)", "Estimation days"]


def car_detail_tables(rows: pd.DataFrame, events: pd.DataFrame, names: Mapping[str, str] | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The report's two detail tables: every statistic per event and window (with only the notes that
    window adds), and the fit behind each event (one row per event, with the event's own notes).

    Text form (see :func:`car_table`): the per-event fit and notes are not repeated on every window's row.
    """
    table = car_table(rows, names, as_text=True)
    ordered = _ordered(rows)
    own = dict(zip(events["event_id"], events["notes"], strict=True))
    added = []
    for event, note, news in zip(ordered["event_id"], ordered["notes"], ordered["company_news"], strict=True):
        text, base = str(note), str(own.get(event) or "")
        text = text[len(base):] if base and text.startswith(base) else text
        text = text.replace(f"company news: {news}", "") if news else text  # it has its own column
        text = "; ".join(part.strip() for part in text.split("; ") if part.strip())
        added.append(vocab.name_events(text, names or {}) or vocab.DASH)
    per_window = table.drop(columns=[*_FIT, "Notes"]).assign(Notes=added)
    fit = table[["Event", *_FIT]].drop_duplicates("Event").reset_index(drop=True)
    first = ordered.drop_duplicates("event_id")["event_id"]
    fit["Notes"] = [vocab.name_events(own.get(e) or "", names or {}) or vocab.DASH for e in first]
    return per_window, fit


def group_label(group: object) -> str:
    """A CAAR group: "all events" as it is, a topic code as its label."""
    return "all events" if group == "all events" else vocab.topic_label(group)


def caar_table(caar: pd.DataFrame, as_text: bool = False) -> pd.DataFrame:
    """CAAR per topic and window with every cross-event test: statistic and p-value side by side.

    ``as_text``: the report's form (see :func:`_as_text`): one column per test, each cell its statistic and
    its p-value with the verdict in words ("0.79; p = 0.472 (not significant)").
    """
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
    if not as_text:
        return pd.DataFrame(table)
    text = _as_text(pd.DataFrame(table), {}, {"CAAR (%)": "CAAR"}, {vocab.header("r_mean"): 3})
    for key in TESTS:
        stat, places = caar[_STAT[key]].to_numpy(), 1 if key == "wilcoxon" else 2  # W+ is a rank sum
        text[vocab.header(_STAT[key])] = [
            vocab.DASH if vocab.missing(v) else f"{vocab.ratio(round(v, places) + 0.0, places)}; {vocab.p_verdict(p)}"
            for v, p in zip(stat, caar[f"p_{key}"], strict=True)]
    return text.drop(columns=[vocab.header(f"p_{key}") for key in TESTS])


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


def peer_ticker_table(rows: Sequence[pd.DataFrame], tickers: Sequence[str],
                      names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The same events' CARs for several tickers, one row per event, window and ticker: the report's form.

    A column names the ticker, so every row says whose move it is. Events in trading-date order, the
    tickers in ``tickers`` order within each event (the stock first); "—" where a ticker could not be
    estimated (e.g. not listed yet).
    """
    both = pd.concat([_ordered(r) for r in rows], ignore_index=True)
    both["_t"] = both["ticker"].map({t: i for i, t in enumerate(tickers)})
    both = both.sort_values(["trading_date", "event_id", "window_start", "window_end", "_t"], kind="stable",
                            na_position="last")
    return pd.DataFrame({
        "Event": _names(both, names),
        "Ticker": both["ticker"].to_numpy(),
        "Window (days)": _windows(both),
        "CAR": [vocab.pct(c) for c in both["car"]],
        "p (t-test)": p_text(both["p_value"]),
    })


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
