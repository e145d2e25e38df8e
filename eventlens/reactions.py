"""How the stock reacted to each event: the figures shown next to a news flag.

The Overview hover, the Timeline and the report all quote the same two
numbers per event, the raw day-0 return and the market-model CAR[-1,+1] with
its p-value, so they are computed once here from the event-study engine.
"""

from __future__ import annotations

import pandas as pd

from eventlens import study as event_study

REACTION_COLUMNS = ["event_id", "day0_return", "ar0", "car_m1_p1", "p_m1_p1", "reaction_note"]


def event_reactions(data: event_study.ReturnData, events: pd.DataFrame) -> pd.DataFrame:
    """Per event: day-0 return, day-0 abnormal return, CAR[-1,+1] and its p-value (market model, defaults)."""
    if events.empty:
        return pd.DataFrame(columns=REACTION_COLUMNS)
    study = event_study.run_study(data, events[["event_id", "trading_date"]], windows=[(-1, 1)])
    # The study's per-event table already holds day 0 (raw and abnormal); [-1,+1] comes from its rows.
    per_event = study.events.drop_duplicates("event_id").set_index("event_id")
    rows = study.rows
    around = rows[(rows["window_start"] == -1) & (rows["window_end"] == 1)].drop_duplicates("event_id")
    around = around.set_index("event_id")
    out = pd.DataFrame({"event_id": events["event_id"].to_numpy()})
    out["day0_return"] = out["event_id"].map(per_event["ret_day0"])
    out["ar0"] = out["event_id"].map(per_event["ar_day0"])
    out["car_m1_p1"] = out["event_id"].map(around["car"])
    out["p_m1_p1"] = out["event_id"].map(around["p_value"])
    out["reaction_note"] = out["event_id"].map(around["notes"]).fillna("") if "notes" in around else ""
    return out[REACTION_COLUMNS]
