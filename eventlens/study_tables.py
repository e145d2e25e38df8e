"""Event-study results as the tables analysts read: percentages, units in headers, stars.

The Event study page, the report and the exports show the same tables, so
they are built here once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from eventlens import study as es
from eventlens.figures.price import category_label
from eventlens.study.cross import TESTS


def _windows(frame: pd.DataFrame) -> list[str]:
    return [es.fmt_window((a, b)) for a, b in zip(frame["window_start"], frame["window_end"], strict=True)]


def _volume_pct(abn_log_volume: pd.Series) -> pd.Series:
    """Mean abnormal log volume as "volume x% above its normal level": 100 (exp(AV) - 1)."""
    return (100 * np.expm1(abn_log_volume.astype(float))).round(0)


def car_table(rows: pd.DataFrame, titles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per event and window: CAR in %, t and SQ p-values with stars, abnormal volume and volatility,
    the company's own news in the window, and the market-model fit behind it."""
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
        "p (t)": rows["p_value"].round(4),
        "Sig. (t)": es.significance_stars(rows["p_value"]),
        "p (SQ)": rows["sq_p_value"].round(4),
        "Sig. (SQ)": es.significance_stars(rows["sq_p_value"]),
        "Volume vs normal (%)": _volume_pct(rows["abn_volume"]),
        "p (volume)": rows["volume_p"].round(4),
        "Volatility (× normal)": rows["volatility_ratio"].round(2),
        "p (volatility)": rows["volatility_p"].round(4),
        "Company news in window": rows["company_news"] if "company_news" in rows else "",
        "α (%/day)": (rows["alpha"] * pct).round(3),
        "β": rows["beta"].round(3),
        "σ (%/day)": (rows["sigma"] * pct).round(2),
        "n est. (days)": rows["n_est"],
        "Notes": rows["notes"] if "notes" in rows else "",
    }
    return pd.DataFrame(table)


def caar_table(caar: pd.DataFrame) -> pd.DataFrame:
    """CAAR per topic and window with every cross-event test: statistic and p-value side by side."""
    table = {
        "Group": [g if g == "all events" else category_label(g) for g in caar["group"]],
        "Window (days)": _windows(caar),
        "Events": caar["n_events"],
        "CAAR (%)": (caar["caar"] * 100).round(2),
    }
    for key, (label, _) in TESTS.items():
        stat = {"cs": "t_cs", "patell": "z_patell", "bmp": "t_bmp", "kp": "t_kp", "rank": "t_rank",
                "sign": "z_sign", "wilcoxon": "w_wilcoxon"}[key]
        table[label] = caar[stat].round(2)
        table[f"p ({label.split()[0]})"] = caar[f"p_{key}"].round(4)
    table["Mean residual correlation (KP)"] = caar["r_mean"].round(3)
    table["Notes"] = caar["notes"]
    return pd.DataFrame(table)


def test_assumptions() -> pd.DataFrame:
    """Each cross-event test and the assumption of the plain t-test it relaxes (shown under the CAAR table)."""
    return pd.DataFrame([{"Test": label, "Relaxes": relaxes} for label, relaxes in TESTS.values()])


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

