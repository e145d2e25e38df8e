"""The one-file analyst report: charts, events, event-study results, method and sources.

A single self-contained HTML file (plotly.js embedded once, no network
needed to open it), so it can be mailed or archived and still works. Every
piece of text that came from an article is escaped: the report shows it, it
never interprets it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;max-width:1200px;
color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;width:100%}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left}
th{background:#f4f4f4} .meta{color:#666;font-size:.9rem} .note{color:#666;font-size:.8rem}
"""


@dataclass
class ReportSection:
    """A titled block of the report: a chart, a table, or a paragraph (exactly one of them)."""

    title: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    text: str | None = None
    note: str | None = None


def _table_html(frame: pd.DataFrame) -> str:
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d")
    return shown.to_html(index=False, escape=True, na_rep="n/a", border=0)


def build_report(title: str, subtitle: str, sections: Sequence[ReportSection]) -> str:
    """Assemble the report; plotly.js is embedded with the first chart only."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p class='meta'>{html.escape(subtitle)}</p>",
    ]
    js_embedded = False
    for section in sections:
        parts.append(f"<section><h2>{html.escape(section.title)}</h2>")
        if section.text:
            parts.extend(f"<p>{html.escape(p)}</p>" for p in section.text.split("\n\n") if p.strip())
        if section.figure is not None:
            parts.append(
                pio.to_html(
                    section.figure,
                    full_html=False,
                    include_plotlyjs=not js_embedded,
                    config={"displaylogo": False},
                )
            )
            js_embedded = True
        if section.table is not None:
            parts.append(_table_html(section.table))
        if section.note:
            parts.append(f"<p class='note'>{html.escape(section.note)}</p>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
