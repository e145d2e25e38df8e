"""Event-study results as the tables analysts read: percentages, units in headers, stars.

The Event study page, the report and the exports show the same tables, so
they are built here once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from eventlens import study as es
from eventlens.figures.price import category_label


def _windows(frame: pd.DataFrame) -> list[str]:
    return [es.fmt_window((a, b)) for a, b in zip(frame["window_start"], frame["window_end"], strict=True)]


def car_table(rows: pd.DataFrame, titles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per event and window: CAR in %, t, p, stars and the market-model fit behind it."""
    pct = 100.0
    table = {
        "Event": rows["event_id"],
        "Trading day": pd.to_datetime(rows["trading_date"]).dt.strftime("%Y-%m-%d"),
    }
    if titles is not None:
        table["Title"] = [titles.get(e) or "" for e in rows["event_id"]]
    table |= {
        "Window (days)": _windows(rows),
        "CAR (%)": (rows["car"] * pct).round(2),
        "t": rows["t_stat"].round(2),
        "p": rows["p_value"].round(4),
        "Sig.": es.significance_stars(rows["p_value"]),
        "α (%/day)": (rows["alpha"] * pct).round(3),
        "β": rows["beta"].round(3),
        "σ (%/day)": (rows["sigma"] * pct).round(2),
        "n est. (days)": rows["n_est"],
        "Notes": rows["notes"] if "notes" in rows else "",
    }
    return pd.DataFrame(table)


def caar_table(caar: pd.DataFrame) -> pd.DataFrame:
    """CAAR per topic and window with the cross-sectional and BMP tests."""
    return pd.DataFrame(
        {
            "Group": [g if g == "all events" else category_label(g) for g in caar["group"]],
            "Window (days)": _windows(caar),
            "Events": caar["n_events"],
            "CAAR (%)": (caar["caar"] * 100).round(2),
            "Cross-sectional t": caar["t_cs"].round(2),
            "p (cross-sectional)": caar["p_cs"].round(4),
            "Sig. (cs)": es.significance_stars(caar["p_cs"]),
            "BMP t": caar["t_bmp"].round(2),
            "p (BMP)": caar["p_bmp"].round(4),
            "Sig. (BMP)": es.significance_stars(caar["p_bmp"]),
            "Notes": caar["notes"],
        }
    )


def peer_table(rows: Sequence[pd.DataFrame], tickers: Sequence[str]) -> pd.DataFrame:
    """CARs of several tickers for the same events side by side: one row per event and window.

    ``rows`` are the studies' ``rows`` frames, one per ticker in ``tickers``
    order (the stock first). A cell reads like ``+3.21% **`` and is ``n/a``
    where the ticker could not be estimated (e.g. it was not listed yet).
    """
    both = pd.concat(list(rows), ignore_index=True)
    both["cell"] = [
        "n/a" if pd.isna(c) else f"{c * 100:+.2f}% {s}".strip()
        for c, s in zip(both["car"], both["stars"], strict=True)
    ]
    both["Window (days)"] = _windows(both)
    both["Trading day"] = pd.to_datetime(both["trading_date"]).dt.strftime("%Y-%m-%d")
    pivot = both.pivot_table(index=["event_id", "Trading day", "Window (days)"], columns="ticker", values="cell",
                             aggfunc="first", sort=False).reset_index()
    pivot = pivot.rename(columns={"event_id": "Event"})[["Event", "Trading day", "Window (days)", *tickers]]
    return pivot.rename(columns={t: f"{t} CAR (%)" for t in tickers})

