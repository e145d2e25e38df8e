"""What a chart becomes when it is exported as an image: no controls, numbered markers, a key, the source.

A PNG or SVG is read without a mouse: range-selector buttons and sliders are dead pixels there,
and a coloured triangle does not say which news it is. :func:`for_print` takes the interactive
figure and returns a copy for print: the controls gone, each news marker numbered in date order,
a key below the chart (number, date, short headline) and the source line whole at the bottom. The
interactive HTML export keeps the figure as it is.
"""

from __future__ import annotations

import base64
import html
import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

from eventlens.figures import layout
from eventlens.figures.markers import EVENTS_META

MAX_KEY = 40  # key entries printed; beyond this the key points to the events table
KEY_LINE_PX = 16
KEY_NAME = "key"


def _values(array: Any) -> list:
    """A trace array as a list, also when it is in plotly's typed-array form (``{dtype, bdata}``)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return [] if array is None else list(array)


def _numbered_points(fig: go.Figure) -> list[tuple[object, float, int, int, str]]:
    """(x, y, trace index, point index, key text) of every marker, in date order (stacked ones bottom up)."""
    points = []
    for t, trace in enumerate(fig.data):
        if trace.meta != EVENTS_META or trace.x is None:
            continue
        xs, ys = _values(trace.x), _values(trace.y)
        keys = [row[1] for row in trace.customdata] if trace.customdata is not None else [""] * len(xs)
        points += [(x, float(y), t, i, str(k)) for i, (x, y, k) in enumerate(zip(xs, ys, keys, strict=True))]
    return sorted(points, key=lambda p: (str(p[0]), p[1]))


def for_print(fig: go.Figure, width: int = 1200) -> go.Figure:
    """A copy of ``fig`` for a static image ``width`` px wide (see the module docstring)."""
    spec = fig.to_dict()
    lay = spec.setdefault("layout", {})
    for name in [k for k in lay if k.startswith("xaxis")]:
        lay[name].pop("rangeselector", None)
        lay[name]["rangeslider"] = {"visible": False}  # a candlestick chart draws one unless told not to
    for name in ("updatemenus", "sliders", "modebar"):
        lay.pop(name, None)
    out = go.Figure(spec)
    points = _numbered_points(out)
    labels: dict[int, list[str]] = {t: [""] * len(_values(out.data[t].x)) for _, _, t, _, _ in points}
    for n, (_, _, t, i, _) in enumerate(points, start=1):
        labels[t][i] = str(n)
    for t, text in labels.items():
        out.data[t].update(text=text, mode="markers+text", textposition="middle right",
                           textfont={"size": 12, "color": "#111"})

    margin = out.layout.margin
    top, bottom, left = margin.t or 80, margin.b or 80, margin.l or 80
    right = margin.r or 20
    height = out.layout.height or 600
    paper = height - top - bottom
    shown = [t for t in out.data if t.showlegend is not False and t.name and t.type != "candlestick"]
    per_row = max(1, (width - left - right) // 300)
    row_px = layout.LEGEND_ROW_PX + 16 * max((t.name.count("<br>") for t in shown), default=0)
    legend_px = row_px * math.ceil(len(shown) / per_row)
    # The legend starts where the figure put it: under the tick labels, or under an x-axis title.
    legend_y = out.layout.legend.y
    below_axis = round(-legend_y * paper) if legend_y is not None and legend_y < 0 else layout.TICKS_PX
    key_top = below_axis + legend_px + 12

    annotations = [a for a in out.layout.annotations if a.name != layout.SOURCE_NAME]
    key_px = 0
    if points:
        shown = points[:MAX_KEY]
        lines = [f"{n}  {html.escape(key, quote=False)}" for n, (*_, key) in enumerate(shown, start=1)]
        columns = max(1, min(3, width // 560))
        rows = math.ceil(len(lines) / columns)
        header = "Key to the numbered news markers (trading day · headline):"
        if len(points) > MAX_KEY:
            header += f" the first {MAX_KEY} of {len(points)}; the events table lists them all."
        annotations.append(_note(f"<b>{html.escape(header)}</b>", key_top, paper, left, 0.0, size=12))
        for c in range(columns):
            chunk = lines[c * rows : (c + 1) * rows]
            if chunk:
                annotations.append(_note("<br>".join(chunk), key_top + KEY_LINE_PX + 2, paper, left, c / columns))
        key_px = KEY_LINE_PX * (rows + 1) + 14
    source = next((a for a in fig.layout.annotations if a.name == layout.SOURCE_NAME), None)
    # Exactly the room the legend, key and source take at this width (the screen layout keeps room for a
    # phone's one-topic-per-row legend, which a 1200 px image does not need).
    new_bottom = key_top + key_px + (30 if source is not None else 8)
    if source is not None:
        line = html.unescape(source.text.replace("<br>", " "))
        note = layout.source_note(line.removeprefix("Source: "), new_bottom, paper, left)
        note["text"] = layout.wrapped(line, max(60, (width - 24) // 6))
        annotations.append(note)
    out.layout.annotations = annotations  # assigned: update_layout would merge the lists item by item
    out.update_layout(height=height - bottom + new_bottom, margin={"b": new_bottom, "autoexpand": False})
    return out


def _note(text: str, top_px: int, paper: int, left: int, x: float, size: int = 11) -> dict:
    return {
        "name": KEY_NAME, "text": text, "xref": "paper", "yref": "paper", "x": x,
        "xshift": -(left - 12) if x == 0 else 0,
        "y": -top_px / paper, "yanchor": "top", "xanchor": "left", "align": "left", "showarrow": False,
        "font": {"size": size, "color": "#222"},
    }
