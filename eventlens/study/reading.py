"""The study in words an analyst can quote, and the same study for the China EV peers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from eventlens.study.design import Design, fmt_window
from eventlens.study.result import CSV_COLUMNS, StudyResult

PEERS = ("NIO", "XPEV", "LI")
LEVEL = 0.05


def format_p(p: float) -> str:
    if not np.isfinite(p):
        return "p n/a"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}"


def format_sq_p(p: float, n_sums: float) -> str:
    """The SQ p-value; at its floor 2/(J+1) the CAR lies beyond all J estimation sums, and the text says so."""
    if np.isfinite(p) and np.isfinite(n_sums) and n_sums > 0 and p <= 2.0 / (n_sums + 1) * (1 + 1e-12):
        return f"{format_p(p)}, beyond all {int(n_sums)} estimation-window sums"
    return format_p(p)


def tests_disagree(t_p: float, sq_p: float, window: str, ticker: str, level: float = LEVEL) -> str:
    """A plain sentence when the t-test and the SQ test fall on different sides of ``level``; else ""."""
    if not (np.isfinite(t_p) and np.isfinite(sq_p)) or (t_p < level) == (sq_p < level):
        return ""
    if t_p < level:
        return (f"Over {window} the t-test calls the move significant at {level:.0%} ({format_p(t_p)}) but the SQ "
                f"test does not ({format_p(sq_p)}): moves this large are not rare in {ticker}'s own fat-tailed "
                "history, so treat the t-test's verdict with caution.")
    return (f"Over {window} the SQ test calls the move significant at {level:.0%} ({format_p(sq_p)}) but the "
            f"t-test does not ({format_p(t_p)}): the move is rare against {ticker}'s own history even though "
            "its volatility makes the t-test's band wide.")


def plain_reading(result: StudyResult, event_id: str) -> str:
    """One or two sentences an analyst can quote, e.g. "TSLA rose 15.3% on 2024-04-29, 14.1 points more
    than SPY explains; p < 0.001 (SQ p = 0.004)." The day-0 test is the one-day CAR [0,0]; a window holding
    the company's own scheduled news and a t/SQ disagreement are said in words."""
    ev = result.events.set_index("event_id").loc[event_id]
    if not ev["estimable"] or not np.isfinite(ev["ret_day0"]):
        reason = ev["notes"].split("; ")[0] if ev["notes"] else "no abnormal return"
        return f"{event_id}: no reading ({reason})."
    ret, ar = float(ev["ret_day0"]) * 100, float(ev["ar_day0"]) * 100
    verb = "rose" if ret >= 0 else "fell"
    more = "more" if ar >= 0 else "less"
    baseline = {
        "market": f"than {result.benchmark} explains",
        "market_adjusted": f"than {result.benchmark}'s move",
        "constant_mean": "than its average day",
    }[result.model]
    sq0 = float(ev["sq_p_day0"])
    text = (
        f"{result.ticker} {verb} {abs(ret):.1f}% on {pd.Timestamp(ev['trading_date']):%Y-%m-%d}, "
        f"{abs(ar):.1f} points {more} {baseline}; {format_p(float(ev['p_day0']))} "
        f"(SQ {format_sq_p(sq0, float(ev['sq_n_day0']))})."
    )
    said = tests_disagree(float(ev["p_day0"]), sq0, "day 0", result.ticker)
    first = result.windows[0]
    rows = result.rows
    row = rows[(rows["event_id"] == event_id) & (rows["window_start"] == first[0]) & (rows["window_end"] == first[1])]
    if len(row) and np.isfinite(row["car"].iloc[0]) and first != (0, 0):
        r = row.iloc[0]
        text += (
            f" Over days {fmt_window(first)} the cumulative abnormal return was {r['car'] * 100:+.1f}% "
            f"(t = {r['t_stat']:.2f}, {format_p(r['p_value'])}; SQ {format_sq_p(r['sq_p_value'], r['sq_n_sums'])})."
        )
    mine = rows[rows["event_id"] == event_id]
    for w1, w2, t_p, sq_p in zip(mine["window_start"], mine["window_end"], mine["p_value"], mine["sq_p_value"],
                                 strict=True):
        said = said or tests_disagree(float(t_p), float(sq_p), fmt_window((int(w1), int(w2))), result.ticker)
    if said:
        text += " " + said
    news = rows.loc[(rows["event_id"] == event_id) & (rows["company_news"] != ""), "company_news"]
    if len(news):
        text += f" Caution: {news.iloc[0]}."
    return text


def peer_reactions(
    events: pd.DataFrame, benchmark: str = "SPY", peers: Sequence[str] = PEERS, design: Design | None = None,
    **study_args,
) -> tuple[pd.DataFrame, list[str]]:
    """The same study for the Chinese EV makers the data holds, stacked; plus a note per peer left out."""
    from eventlens import prices
    from eventlens.study.engine import run_study
    from eventlens.study.returns import load_returns

    held = set(prices.snapshot_tickers())
    frames, notes = [], []
    for peer in peers:
        if peer not in held:
            notes.append(f"{peer} is not in the price data.")
            continue
        data = load_returns(peer, benchmark)
        if design is not None:
            frames.append(run_study(data, events, design.with_ticker(peer)).rows)
        else:
            frames.append(run_study(data, events, **study_args).rows)
    return (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CSV_COLUMNS)), notes
