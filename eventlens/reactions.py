"""How the stock reacted to each event: the figures shown next to a news flag.

The Overview hover, the Timeline and the report quote the same numbers per event: the raw day-0 return,
the market-model CAR[-1,+1] with its t-test p-value and its SQ p-value (Gelbach, Helland and Klick 2013,
valid for one stock's fat-tailed returns), the day-0 abnormal volume and the [-1,+1] abnormal volatility,
and any of the company's own scheduled news within five sessions ([-5,+5]). They are computed once here from the study.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eventlens import study as event_study
from eventlens.vocabulary import DASH

REACTION_COLUMNS = [
    "event_id", "day0_return", "ar0", "car_m1_p1", "p_m1_p1", "sq_p_m1_p1", "sq_n_m1_p1", "abn_volume_day0",
    "volume_p_day0", "volatility_m1_p1", "volatility_p_m1_p1", "company_news_m5_p5", "tests_note", "reaction_note",
]


def event_reactions(data: event_study.ReturnData, events: pd.DataFrame) -> pd.DataFrame:
    """Per event: day-0 return and AR, CAR[-1,+1] with its t and SQ p-values, abnormal volume and volatility
    (market model, default estimation window)."""
    if events.empty:
        return pd.DataFrame(columns=REACTION_COLUMNS)
    study = event_study.run_study(data, events[["event_id", "trading_date"]], windows=[(-1, 1), (-5, 5)])
    # The study's per-event table already holds day 0 (raw and abnormal); [-1,+1] comes from its rows.
    per_event = study.events.drop_duplicates("event_id").set_index("event_id")
    rows = study.rows
    around = rows[(rows["window_start"] == -1) & (rows["window_end"] == 1)].drop_duplicates("event_id")
    around = around.set_index("event_id")
    out = pd.DataFrame({"event_id": events["event_id"].to_numpy()})
    for column, source in (("day0_return", per_event["ret_day0"]), ("ar0", per_event["ar_day0"]),
                           ("car_m1_p1", around["car"]), ("p_m1_p1", around["p_value"]),
                           ("sq_p_m1_p1", around["sq_p_value"]), ("sq_n_m1_p1", around["sq_n_sums"]),
                           ("abn_volume_day0", per_event["abn_volume_day0"]),
                           ("volume_p_day0", per_event["volume_p_day0"]),
                           ("volatility_m1_p1", around["volatility_ratio"]),
                           ("volatility_p_m1_p1", around["volatility_p"])):
        out[column] = out["event_id"].map(source)
    wide = rows[(rows["window_start"] == -5) & (rows["window_end"] == 5)].drop_duplicates("event_id")
    out["company_news_m5_p5"] = out["event_id"].map(wide.set_index("event_id")["company_news"]).fillna("")
    out["tests_note"] = [
        event_study.tests_disagree(float(t), float(q), "[-1,+1]", data.ticker) if pd.notna(t) and pd.notna(q) else ""
        for t, q in zip(out["p_m1_p1"], out["sq_p_m1_p1"], strict=True)
    ]
    out["reaction_note"] = out["event_id"].map(around["notes"]).fillna("")
    return out[REACTION_COLUMNS]


def volume_text(abn_log_volume: float) -> str:
    """Mean abnormal log volume as the % above (+) or below (-) normal volume: "+112%" (100 (exp(AV) - 1)).

    Short, as a metric's value must be: at 1440 px a Timeline metric is ~180 px wide."""
    return DASH if not np.isfinite(abn_log_volume) else f"{np.expm1(abn_log_volume) * 100:+.0f}%"
