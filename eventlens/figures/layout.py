"""The frame every price chart shares: a title that wraps, the legend and the source below the plot.

A figure is built once on the server and drawn at whatever width the reader has, from a 390 px
phone to a 1440 px desktop, so the layout must work at both without knowing which: the title is
a short first line (what is drawn) and a smaller second line (the span); the toolbar (modebar)
stands vertically at the right edge instead of over the title; the legend runs horizontally below
the axis, and the source sits at the bottom of the figure, under the legend even when a narrow
screen wraps the legend into one topic per row (the bottom margin has room for that).
"""

from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go

SOURCE_WRAP = 60  # characters per line of the source note: about 330 px at its 11 px font
TICKS_PX = 34  # room under the plot for the date tick labels, above the legend
SOURCE_NAME = "source"  # the source annotation's ``name``, so the exporter can find and move it
# Buttons a reader of these charts does not need; fewer buttons keep the vertical toolbar short.
# The camera goes too: it would save the interactive look, and "Export chart" gives a clean image.
MODEBAR = {"orientation": "v", "remove": ["select2d", "lasso2d", "autoScale2d", "toImage"]}


def wrapped(text: str, width: int) -> str:
    """Plain ``text`` escaped for a plotly label and broken into lines of at most ``width`` characters."""
    lines = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def title(what: str, span: str) -> dict:
    """Two lines: what is drawn (kept short enough for a phone), then the span as a smaller subtitle."""
    return {"text": html.escape(what, quote=False), "subtitle": {"text": html.escape(span, quote=False),
            "font": {"size": 12, "color": "#555"}}, "x": 0.01, "xanchor": "left", "yref": "container", "y": 1,
            "yanchor": "top", "pad": {"t": 10}}


def source_note(source: str, bottom: int, paper_height: int, left: int) -> dict:
    """The source annotation at the bottom of the figure, under the legend, wrapped to fit a phone."""
    return {
        "name": SOURCE_NAME,
        "text": wrapped(f"Source: {source}", SOURCE_WRAP),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "xshift": -(left - 12),
        "y": -(bottom - 6) / paper_height,
        "yanchor": "bottom",
        "xanchor": "left",
        "align": "left",
        "showarrow": False,
        "font": {"size": 11, "color": "#666"},
    }


def frame(
    fig: go.Figure,
    what: str,
    span: str,
    source: str,
    height: int,
    top: int = 96,
    bottom: int = 200,
    left: int = 90,
    right: int = 40,
) -> go.Figure:
    """Title, margins, legend, toolbar and source of a chart ``height`` px tall (see the module docstring)."""
    paper = height - top - bottom
    fig.update_layout(
        title=title(what, span),
        height=height,
        # Wide enough for the price and volume axis titles and tick labels: a narrower margin makes
        # plotly.js widen it after the first pass and draw the whole figure a second time.
        margin={"l": left, "r": right, "t": top, "b": bottom, "autoexpand": False},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -TICKS_PX / paper, "yanchor": "top",
                "groupclick": "toggleitem", "font": {"size": 12}},
        modebar=MODEBAR,
    )
    fig.layout.annotations = [*fig.layout.annotations, source_note(source, bottom, paper, left)]
    return fig
