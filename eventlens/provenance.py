"""Where every number comes from: the sources, spans and split table, as one table.

The Data page, the report and the exports all describe the data the same
way, from the same function.
"""

from __future__ import annotations

import pandas as pd

from eventlens import prices, splits
from eventlens.paths import prices_dir


def sources_table(results: dict[str, prices.PriceResult]) -> pd.DataFrame:
    """One row per ticker: source, first and last date, rows, and any message about it."""
    rows = []
    for ticker, result in results.items():
        frame = result.frame
        rows.append(
            {
                "Ticker": ticker,
                "Source": result.source,
                "First date": None if frame.empty else f"{frame.index[0]:%Y-%m-%d}",
                "Last date": None if frame.empty else f"{frame.index[-1]:%Y-%m-%d}",
                "Trading days": len(frame),
                "Last close (USD)": None if frame.empty else round(float(frame["Close"].iloc[-1]), 2),
                "Notes": " ".join(result.messages),
            }
        )
    return pd.DataFrame(rows)


def split_table() -> pd.DataFrame:
    """The split table as shown to analysts."""
    table = splits.load_splits()
    return pd.DataFrame(
        {
            "Ticker": table["ticker"],
            "Effective date": table["date"].dt.strftime("%Y-%m-%d"),
            "Ratio (new shares per old)": table["ratio"].map(lambda r: f"{r:g}-for-1"),
        }
    )


def provenance_markdown() -> str:
    """The snapshot's provenance file (committed with the data, trusted project text)."""
    path = prices_dir() / "SOURCES.md"
    if not path.exists():
        return "No provenance file found in data/prices/."
    return path.read_text(encoding="utf-8").replace("$", "\\$")  # a dollar sign is not LaTeX here
