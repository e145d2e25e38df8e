"""News markers on a price chart: one marker per topic and candle, with a count and one hover.

Hundreds of events would be hundreds of overlapping symbols: events on the same candle (a trading
day, or a week when candles are weekly) and topic are drawn as one marker that says how many news
items it holds and lists their headlines in its hover (the first :data:`MAX_LISTED`, then "and K
more"). Each topic is one trace, so its legend entry hides and shows its markers, and a colour always
means a topic (:func:`eventlens.vocabulary.topic_color`). The traces are built from arrays, a few per
chart whatever the number of events. Each marker also carries its key line (date and headline) in
``customdata`` so a static export can number the markers and print the key (:mod:`.static`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from eventlens import vocabulary as vocab
from eventlens.news.taxonomy import category_label

# Keys are the direction codes of eventlens.news.taxonomy (category colours and labels live there).
DIRECTION_SYMBOLS = {"easing": "triangle-up", "tightening": "triangle-down", "company_action": "diamond"}
HOVER_WIDTH = 48  # characters per hover line (about 300 px)
MAX_LISTED = 8  # headlines listed in one cluster's hover before "and K more"
KEY_WIDTH = 70  # characters of headline in a static export's key
EVENTS_META = "events"  # ``trace.meta`` of every marker trace (the exporter and the tests find them by it)
category_color = vocab.topic_color  # one colour per topic on every chart


def plain(text: object, limit: int = 140) -> str:
    """Untrusted article text for a plotly label: no markup survives, long text is cut."""
    value = "" if vocab.missing(text) else str(text)
    value = " ".join(value.split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return html.escape(value, quote=False)


def _lines(words: list[str], width: int) -> list[str]:
    """Words into lines of at most ``width`` characters (a word longer than that gets its own line)."""
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _bold_lines(text: object, width: int = HOVER_WIDTH, limit: int = 90) -> str:
    """An untrusted headline in bold, escaped, cut at ``limit`` and wrapped at ``width`` characters."""
    value = "" if vocab.missing(text) else " ".join(str(text).split())
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return "<br>".join(f"<b>{html.escape(line, quote=False)}</b>" for line in _lines(value.split(), width))


def event_hover(row: Mapping) -> str:
    """Headline, topic, source, dates, confidence and the move of one event, as one hover label.

    Short lines: a hover as wide as a phone's screen is cut off at its edge.
    """
    conf = vocab.confidence_phrase(row.get("date_confidence"), row.get("origin"))
    event_date = row.get("event_date")
    event_day = "undated" if vocab.missing(event_date) else f"{pd.Timestamp(event_date):%Y-%m-%d}"
    return "<br>".join(
        [
            _bold_lines(row.get("title")),
            f"{plain(category_label(row.get('category')), 50)} · "
            f"{plain(vocab.direction_label(row.get('direction')), 20)}",
            f"Source: {plain(row.get('source'), 40)}",
            f"News date {event_day} · trading day {pd.Timestamp(row['trading_date']):%Y-%m-%d}",
            f"Date confidence {plain(conf, 30)}",
            f"Day-0 return {vocab.pct(row.get('day0_return'))} · CAR[-1,+1] {vocab.pct(row.get('car_m1_p1'))}",
        ]
    )


def cluster_hover(rows: list[Mapping], bar: pd.Timestamp, weekly: bool) -> str:
    """One hover for several events of one topic on one candle: their headlines, bounded."""
    topic = plain(category_label(rows[0].get("category")), 50)
    where = f"the week to {bar:%Y-%m-%d}" if weekly else f"{bar:%Y-%m-%d}"
    lines = [f"<b>{len(rows)} news on {where}</b>", topic]
    for row in rows[:MAX_LISTED]:
        lines.append(f"• {plain(vocab.headline(row['trading_date'], row.get('title'), HOVER_WIDTH - 15), 80)}")
    if len(rows) > MAX_LISTED:
        lines.append(f"… and {len(rows) - MAX_LISTED} more (see the events table)")
    if not weekly:  # one day: one move for all of them
        first = rows[0]
        lines.append(f"Day-0 return {vocab.pct(first.get('day0_return'))} · "
                     f"CAR[-1,+1] {vocab.pct(first.get('car_m1_p1'))}")
    return "<br>".join(lines)


def key_line(rows: list[Mapping]) -> str:
    """The key entry of one marker in a static export: date and headline (and how many more)."""
    text = vocab.headline(rows[0]["trading_date"], rows[0].get("title"), KEY_WIDTH)
    return text if len(rows) == 1 else f"{text} (+{len(rows) - 1} more)"


def _count_label(n: int) -> str:
    return str(n) if n > 1 else ""


def add_event_markers(
    fig: go.Figure,
    events: pd.DataFrame,
    anchor: pd.Series,
    row: int | None = 1,
    sessions: pd.DatetimeIndex | None = None,
) -> int:
    """Flag the events above ``anchor`` (a price series, daily or weekly), clustered per candle and topic.

    ``sessions`` are the trading days shown (default: ``anchor``'s own dates). Events on the same
    candle and topic become one marker over that candle, its size and label saying how many; topics on
    the same candle are stacked. The shape is the direction for Tesla (a circle when a cluster mixes
    directions). Returns the number of events drawn (those whose trading date is one of ``sessions``).
    """
    if events.empty or anchor.empty:
        return 0
    sessions = anchor.index if sessions is None else sessions
    dated = events.dropna(subset=["trading_date"]).copy()
    dated["trading_date"] = pd.to_datetime(dated["trading_date"])
    dated = dated[dated["trading_date"].isin(sessions)]
    if dated.empty:
        return 0
    # Weekly bars are labelled by their last session: the first label on or after the day holds it.
    holder = anchor.index.get_indexer(dated["trading_date"], method="bfill")
    dated["bar"] = anchor.index[holder]
    dated["level"] = anchor.to_numpy()[holder]
    dated["topic"] = dated["category"].astype(object).where(dated["category"].notna(), "other").astype(str)
    dated = dated.sort_values(["bar", "topic", "trading_date"], kind="stable")
    weekly = len(anchor) < len(sessions)
    span = float(anchor.max() - anchor.min()) or abs(float(anchor.max())) or 1.0
    lift, step = span * 0.04, span * 0.08
    size = 13 if len(dated) <= 50 else 10 if len(dated) <= 200 else 8
    # The rank of each topic among the topics on its candle: stacked so no marker hides another.
    stack = dated.drop_duplicates(["bar", "topic"])[["bar", "topic"]].copy()
    stack["rank"] = stack.groupby("bar").cumcount()
    records = dated.to_dict("records")
    starts = np.flatnonzero(np.r_[True, (dated["bar"].to_numpy()[1:] != dated["bar"].to_numpy()[:-1])
                                  | (dated["topic"].to_numpy()[1:] != dated["topic"].to_numpy()[:-1])])
    bounds = list(zip(starts, [*starts[1:], len(records)], strict=True))
    clusters = pd.DataFrame({
        "bar": [records[a]["bar"] for a, _ in bounds],
        "topic": [records[a]["topic"] for a, _ in bounds],
        "level": [records[a]["level"] for a, _ in bounds],
        "first": [a for a, _ in bounds],
        "last": [b for _, b in bounds],
    }).merge(stack, on=["bar", "topic"], how="left")
    for topic, group in clusters.groupby("topic", sort=True):
        members = [records[a:b] for a, b in zip(group["first"], group["last"], strict=True)]
        counts = np.array([len(m) for m in members])
        symbols = []
        for m in members:
            directions = {r.get("direction") for r in m}
            symbols.append(DIRECTION_SYMBOLS.get(directions.pop(), "circle") if len(directions) == 1 else "circle")
        trace = go.Scatter(
            x=group["bar"].to_numpy(),
            y=group["level"].to_numpy() + lift + step * group["rank"].to_numpy(),
            mode="markers+text",
            name=f"News: {category_label(topic)}",
            marker={
                "symbol": symbols,
                "size": size + np.minimum(np.log2(counts) * 3, 9),
                "color": category_color(topic),
                "line": {"width": 1, "color": "#222"},
            },
            text=[_count_label(int(n)) for n in counts],
            textposition="middle right",
            textfont={"size": 11, "color": "#222"},
            hovertext=[event_hover(m[0]) if len(m) == 1 else cluster_hover(m, bar, weekly)
                       for m, bar in zip(members, group["bar"], strict=True)],
            customdata=np.array([[",".join(str(r.get("event_id", "")) for r in m), key_line(m)] for m in members],
                                dtype=object),
            hovertemplate="%{hovertext}<extra></extra>",
            meta=EVENTS_META,
        )
        if row is None:
            fig.add_trace(trace)
        else:
            fig.add_trace(trace, row=row, col=1)
    return len(dated)


def event_count(trace: go.Scatter) -> list[int]:
    """How many events each marker of a marker trace holds (from the event ids it carries)."""
    return [len(str(ids).split(",")) for ids, _ in trace.customdata]
