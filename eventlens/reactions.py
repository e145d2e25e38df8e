"""How the stock reacted to each event: the figures shown next to a news flag.

The Overview hover, the Timeline and the report all quote the same two
numbers per event, the raw day-0 return and the market-model CAR[-1,+1] with
its p-value, so they are computed once here from the event-study engine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eventlens import event_study

REACTION_COLUMNS = ["event_id", "day0_return", "ar0", "car_m1_p1", "p_m1_p1", "reaction_note"]


def event_reactions(data: event_study.ReturnData, events: pd.DataFrame) -> pd.DataFrame:
    """Per event: day-0 return, day-0 abnormal return, CAR[-1,+1] and its p-value (market model, defaults)."""
    if events.empty:
        return pd.DataFrame(columns=REACTION_COLUMNS)
    study = event_study.run_study(data, events[["event_id", "trading_date"]], windows=[(0, 0), (-1, 1)])
    rows = study.rows
    day0 = rows[(rows["window_start"] == 0) & (rows["window_end"] == 0)].set_index("event_id")
    around = rows[(rows["window_start"] == -1) & (rows["window_end"] == 1)].set_index("event_id")
    position = pd.Series(data.dates.get_indexer(pd.DatetimeIndex(events["trading_date"])), index=events["event_id"])
    raw = pd.Series(np.where(position >= 0, data.stock[np.clip(position, 0, None)], np.nan), index=events["event_id"])
    out = pd.DataFrame({"event_id": events["event_id"].to_numpy()})
    out["day0_return"] = out["event_id"].map(raw)
    out["ar0"] = out["event_id"].map(day0["car"])
    out["car_m1_p1"] = out["event_id"].map(around["car"])
    out["p_m1_p1"] = out["event_id"].map(around["p_value"])
    out["reaction_note"] = out["event_id"].map(around["notes"]).fillna("") if "notes" in around else ""
    return out[REACTION_COLUMNS]
