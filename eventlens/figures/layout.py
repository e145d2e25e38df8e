"""The frame every price chart shares: a title that wraps, the legend and the source below the plot.

A figure is built once on the server and drawn at whatever width the reader has, from a 390 px
phone to a 1440 px desktop, so the layout must work at both without knowing which: the title is
a short first line (what is drawn) and a smaller second line (the span); the toolbar (modebar)
stands vertically at the right edge instead of over the title; the legend runs horizontally below
the axis, and the source sits at the bottom of the figure, under the legend even when a narrow
screen wraps the legend into one entry per row (the bottom margin has a row for each entry).
"""

from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go

TITLE_WRAP = 42  # characters per title line: about 320 px at its 16 px font
TITLE_LINE_PX = 22
SOURCE_WRAP = 60  # characters per line of the source note: about 330 px at its 11 px font
TICKS_PX = 34  # room under the plot for the date tick labels, above the legend
LEGEND_ROW_PX = 22  # one legend row (12 px text, constant-size symbols, no group gap)
SOURCE_LINE_PX = 15  # one line of the 11 px source note
SOURCE_NAME = "source"  # the source annotation's ``name``, so the exporter can find and move it
# Buttons a reader of these charts does not need; fewer buttons keep the vertical toolbar short.
# The camera goes too: it would save the interactive look, and "Export chart" gives a clean image.
MODEBAR = {"orientation": "v", "remove": ["select2d", "lasso2d", "autoScale2d", "toImage"]}


def wrapped(text: str, width: int) -> str:
    """Plain ``text`` escaped for a plotly label and broken into lines of at most ``width`` characters."""
    lines = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def title(what: str, span: str) -> dict:
    """What is drawn (wrapped to fit a phone), then the span as a smaller subtitle."""
    text = wrapped(what, TITLE_WRAP)
    # plotly.js anchors a title's top by its first line and draws the others above it: push it down by them.
    extra = TITLE_LINE_PX * text.count("<br>")
    return {"text": text, "subtitle": {"text": html.escape(span, quote=False),
            "font": {"size": 12, "color": "#555"}}, "x": 0.01, "xanchor": "left", "yref": "container", "y": 1,
            "yanchor": "top", "pad": {"t": 10 + extra}}


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


def legend_entries(fig: go.Figure) -> int:
    """How many entries the legend shows (a phone shows them one per row)."""
    return sum(1 for t in fig.data if t.showlegend is not False and t.name and t.type not in ("bar", "candlestick"))


def legend_px(fig: go.Figure) -> int:
    """The height of the legend on a phone: a row per entry, and a line more for each break in a name."""
    shown = [t for t in fig.data if t.showlegend is not False and t.name and t.type != "candlestick"]
    return sum(LEGEND_ROW_PX + 16 * t.name.count("<br>") for t in shown)


def source_px(source: str) -> int:
    """The height of the source note as :func:`source_note` wraps it, and some air above it."""
    return SOURCE_LINE_PX * (wrapped(f"Source: {source}", SOURCE_WRAP).count("<br>") + 1) + 18


def frame(
    fig: go.Figure,
    what: str,
    span: str,
    source: str,
    plot_height: int,
    top: int = 96,
    left: int = 90,
    right: int = 40,
) -> go.Figure:
    """Title, margins, legend, toolbar and source of a chart whose plot is ``plot_height`` px tall.

    Call it once the traces are in: the bottom margin holds one legend row per entry (a phone's
    layout) above the source.
    """
    bottom = TICKS_PX + legend_px(fig) + source_px(source)
    heading = title(what, span)
    top += heading["pad"]["t"] - 10  # room for a title that wraps
    fig.update_layout(
        title=heading,
        height=top + plot_height + bottom,
        # Wide enough for the price and volume axis titles and tick labels: a narrower margin makes
        # plotly.js widen it after the first pass and draw the whole figure a second time.
        margin={"l": left, "r": right, "t": top, "b": bottom, "autoexpand": False},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -TICKS_PX / plot_height, "yanchor": "top",
                # Legend symbols of one size and no gap between entries: a row per topic on a phone stays
                # about 20 px, whatever the marker sizes (clusters draw bigger markers).
                "itemsizing": "constant", "tracegroupgap": 0, "font": {"size": 12}},
        modebar=MODEBAR,
    )
    fig.layout.annotations = [*fig.layout.annotations, source_note(source, bottom, plot_height, left)]
    return fig
