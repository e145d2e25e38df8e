"""Markdown source as a reader sees it: what AppTest returns is the source, escapes included."""

from __future__ import annotations

import html
import re

from eventlens.inert import JOINER

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation


def as_read(markdown: str) -> str:
    """``markdown`` with its backslash escapes and HTML entities resolved, as the page shows it.

    The invisible word joiners :mod:`eventlens.inert` puts after ``:`` and ``@`` are dropped too.
    """
    return html.unescape(_ESCAPED.sub(r"\1", markdown)).replace(JOINER, "")


def shown_texts(at) -> list[str]:
    """Everything a reader of an AppTest run sees as text: headings, markdown, captions, alerts, metrics,
    picker options, expander and tab labels, every table cell and header, and each chart's title, legend
    names, axis titles and annotations (as read: escapes resolved)."""
    import json

    texts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        texts += [as_read(str(e.value)) for e in getattr(at, kind)]
    texts += [as_read(str(e.proto.label)) for e in at.expander]
    for metric in at.metric:
        texts += [as_read(metric.label), as_read(str(metric.value))]
    for picker in (*at.selectbox, *at.multiselect):
        texts += [as_read(str(o)) for o in picker.options]
    for grid in (*at.dataframe, *at.table):
        frame = grid.value
        texts += [as_read(str(c)) for c in frame.columns]
        texts += [as_read(str(v)) for v in frame.to_numpy().ravel()]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        layout = spec.get("layout", {})
        texts += [str(t.get("name", "")) for t in spec.get("data", []) if t.get("showlegend", True)]
        texts.append(str(layout.get("title", {}).get("text", "")))
        texts.append(str(layout.get("title", {}).get("subtitle", {}).get("text", "")))
        texts += [str(a.get("text", "")) for a in layout.get("annotations", [])]
        texts += [str(layout[k].get("title", {}).get("text", "")) for k in layout if k.startswith(("xaxis", "yaxis"))]
    return texts
