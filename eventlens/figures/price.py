"""Price charts: candles, volume, event flags, rebased comparisons."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from eventlens import vocabulary as vocab
from eventlens.news.taxonomy import category_label

# Legend under the plot: above it, it collides with the title and the range buttons.
_LEGEND_BELOW = {"orientation": "h", "y": -0.1, "x": 0, "xanchor": "left", "yanchor": "top"}
PRICE_BASIS_LABELS = {"adjusted": "split-adjusted USD", "as_traded": "as-traded USD"}
# Above this many sessions "auto" draws weekly candles: each candle is an SVG element, and five years
# of daily candles (1,258) take a browser about a second longer to draw than 260 weekly ones, while at
# that width a daily candle is under one pixel anyway.
MAX_DAILY_CANDLES = 260
INTERVALS = ("auto", "daily", "weekly")
_WEEKLY = {"Open": "first", "High": "max", "Low": "min", "Close": "last", "Adj Close": "last", "Volume": "sum"}


def choose_interval(sessions: int, requested: str = "auto") -> str:
    """'daily' or 'weekly': what ``requested`` means for a range of ``sessions`` trading days."""
    if requested not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)}")
    if requested != "auto":
        return requested
    return "daily" if sessions <= MAX_DAILY_CANDLES else "weekly"


def weekly_bars(frame: pd.DataFrame) -> pd.DataFrame:
    """Weekly OHLCV (weeks ending Friday, labelled by their last session) from daily rows."""
    if frame.empty:
        return frame
    week = frame.index.to_period("W-FRI")
    weekly = frame.groupby(week).agg(_WEEKLY)
    weekly.index = frame.index.to_series().groupby(week).max().to_numpy()
    weekly.index.name = frame.index.name
    return weekly


def price_figure(
    frame: pd.DataFrame,
    ticker: str,
    source: str,
    basis: str = "adjusted",
    title: str | None = None,
    events: pd.DataFrame | None = None,
    interval: str = "daily",
) -> go.Figure:
    """Candles with volume below, a range selector and, if given, the news events flagged.

    The source and the span go into the figure itself, so an exported PNG
    still says where its numbers come from. ``frame`` holds daily rows on the
    basis named by ``basis`` (convert with :mod:`eventlens.splits` first for
    as-traded); ``interval`` is "daily", "weekly" or "auto" (see
    :func:`choose_interval`). Events are flagged on their own trading day
    either way.
    """
    unit = PRICE_BASIS_LABELS.get(basis, "USD")
    daily = frame
    interval = choose_interval(len(frame), interval)
    if interval == "weekly":
        frame = weekly_bars(frame)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.03, row_heights=[0.76, 0.24])
    fig.add_trace(
        go.Candlestick(
            x=frame.index,
            open=frame["Open"],
            high=frame["High"],
            low=frame["Low"],
            close=frame["Close"],
            name=f"{ticker} {interval}",
            increasing_line_color="#26a69a",
            decreasing_line_color="#ef5350",
        ),
        row=1,
        col=1,
    )
    # One colour string per bar: a numeric array with a colorscale makes plotly.js log two console
    # warnings per bar on every draw ("Invalid color specifier"), which cost more than the bars themselves.
    rising = (frame["Close"] >= frame["Open"]).to_numpy()
    fig.add_trace(
        go.Bar(
            x=frame.index,
            y=frame["Volume"],
            name="Volume",
            marker={"color": ["#26a69a" if up else "#ef5350" for up in rising]},
            opacity=0.6,
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    span = "no data" if daily.empty else f"{daily.index[0]:%Y-%m-%d} to {daily.index[-1]:%Y-%m-%d}"
    fig.update_layout(
        title={"text": title or f"{ticker} {interval} candles ({unit}), {span}", "x": 0.01},
        height=620,
        # Wide enough for the price and volume axis titles and tick labels: a narrower margin makes
        # plotly.js widen it after the first pass and draw the whole figure a second time.
        margin={"l": 90, "r": 20, "t": 70, "b": 140},
        xaxis_rangeslider_visible=False,
        hovermode="x unified",
        legend=_LEGEND_BELOW,
        annotations=[_source_note(source)],
    )
    # Daily candles skip weekends. Weekly candles are already evenly spaced, and every range break
    # costs plotly.js a search on each coordinate it draws.
    weekends = [{"bounds": ["sat", "mon"]}] if interval == "daily" else None
    fig.update_xaxes(
        rangeselector={
            "buttons": [
                {"count": 1, "label": "1M", "step": "month", "stepmode": "backward"},
                {"count": 6, "label": "6M", "step": "month", "stepmode": "backward"},
                {"count": 1, "label": "YTD", "step": "year", "stepmode": "todate"},
                {"count": 1, "label": "1Y", "step": "year", "stepmode": "backward"},
                {"step": "all", "label": "All"},
            ]
        },
        rangebreaks=weekends,
        row=1,
        col=1,
    )
    fig.update_xaxes(rangebreaks=weekends, tickformat="%Y-%m-%d", row=2, col=1)
    # One precision for every price in the hover (the unified label mixed 224.22 and 221.9033).
    fig.update_yaxes(title_text=f"Price ({unit})", hoverformat=".2f", row=1, col=1)
    fig.update_yaxes(title_text=f"Volume (shares per {'day' if interval == 'daily' else 'week'})", hoverformat=",.0f",
                     row=2, col=1)
    if events is not None and not frame.empty:
        add_event_markers(fig, events, frame["High"], sessions=daily.index)
    return fig


# --- events on the chart ----------------------------------------------------

# Keys are the direction codes of eventlens.news.taxonomy (category colours and labels live there).
DIRECTION_SYMBOLS = {"easing": "triangle-up", "tightening": "triangle-down", "company_action": "diamond"}
category_color = vocab.topic_color  # one colour per topic on every chart (kept under its old name for callers)


def _plain(text: object, limit: int = 140) -> str:
    """Untrusted article text for a plotly hover label: no markup survives, long text is cut."""
    value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    value = " ".join(value.split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return html.escape(value, quote=False)


_pct = vocab.pct


def event_hover(row: pd.Series) -> str:
    """Headline, source, dates, confidence and the move, as one hover label."""
    conf = vocab.confidence_phrase(row.get("date_confidence"), row.get("origin"))
    event_date = row.get("event_date")
    event_day = "undated" if event_date is None or pd.isna(event_date) else f"{pd.Timestamp(event_date):%Y-%m-%d}"
    return "<br>".join(
        [
            f"<b>{_plain(row.get('title'), 90)}</b>",
            f"Source: {_plain(row.get('source'), 40)} · {_plain(category_label(row.get('category')), 50)} · "
            f"{_plain(vocab.direction_label(row.get('direction')), 20)}",
            f"News date {event_day} · trading day {pd.Timestamp(row['trading_date']):%Y-%m-%d} · "
            f"date confidence {_plain(conf, 30)}",
            f"Day-0 return {_pct(row.get('day0_return'))} · CAR[-1,+1] {_pct(row.get('car_m1_p1'))}",
        ]
    )


def add_event_markers(
    fig: go.Figure,
    events: pd.DataFrame,
    anchor: pd.Series,
    row: int | None = 1,
    sessions: pd.DatetimeIndex | None = None,
) -> int:
    """Flag each event above ``anchor`` (a price series) at its trading date.

    One trace per category so the legend explains colours; the marker shape
    is the direction for Tesla. ``sessions`` are the trading days shown
    (default: ``anchor``'s own dates); when ``anchor`` is weekly, each flag
    sits above the week that holds its day. Returns the number of markers
    drawn (events whose trading date is one of ``sessions``).
    """
    if events.empty:
        return 0
    sessions = anchor.index if sessions is None else sessions
    dated = events.dropna(subset=["trading_date"]).copy()
    dated["trading_date"] = pd.to_datetime(dated["trading_date"])
    dated = dated[dated["trading_date"].isin(sessions)]
    if dated.empty:
        return 0
    # Weekly bars are labelled by their last session: the first label on or after the day holds it.
    holder = anchor.index.get_indexer(dated["trading_date"], method="bfill")
    dated["anchor"] = anchor.to_numpy()[holder]
    lift = (anchor.max() - anchor.min()) * 0.04
    size = 13 if len(dated) <= 50 else 9 if len(dated) <= 200 else 7
    for category, group in dated.groupby("category", sort=True, dropna=False):
        code = "other" if pd.isna(category) else str(category)
        trace = go.Scatter(
            x=group["trading_date"],
            y=group["anchor"].to_numpy() + lift,
            mode="markers",
            name=f"News: {category_label(code)}",
            marker={
                "symbol": [DIRECTION_SYMBOLS.get(d, "circle") for d in group["direction"]],
                "size": size,
                "color": category_color(code),
                "line": {"width": 1, "color": "#222"},
            },
            text=[event_hover(r) for _, r in group.iterrows()],
            customdata=group["event_id"].to_numpy() if "event_id" in group else None,
            hovertemplate="%{text}<extra></extra>",
            meta="events",
        )
        if row is None:
            fig.add_trace(trace)
        else:
            fig.add_trace(trace, row=row, col=1)
    return len(dated)


def comparison_figure(
    closes: dict[str, pd.Series],
    source: str,
    events: pd.DataFrame | None = None,
    main: str = "TSLA",
) -> go.Figure:
    """Each ticker's adjusted close as % change since the first day shown.

    Rebasing puts a $400 stock, a $500 ETF and a $5 ADR on one scale, which
    is how an analyst compares their reactions to the same news.
    """
    fig = go.Figure()
    rebased: dict[str, pd.Series] = {}
    for ticker, series in closes.items():
        series = series.dropna()
        if series.empty:
            continue
        rebased[ticker] = (series / series.iloc[0] - 1.0) * 100.0
        fig.add_trace(
            go.Scatter(
                x=series.index,
                y=rebased[ticker],
                mode="lines",
                name=ticker,
                line=vocab.ticker_line(0 if ticker == main else len(set(rebased) - {main})),
                hovertemplate=f"{ticker} %{{x|%Y-%m-%d}}: %{{y:+.1f}}%<extra></extra>",
            )
        )
    if events is not None and main in rebased:
        add_event_markers(fig, events, rebased[main], row=None)
    span = ""
    if rebased:
        first = min(s.index[0] for s in rebased.values())
        last = max(s.index[-1] for s in rebased.values())
        span = f", {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    fig.update_layout(
        title={"text": f"Change since the first day shown (%, adjusted close){span}", "x": 0.01},
        height=560,
        hovermode="closest",
        margin={"l": 60, "r": 20, "t": 70, "b": 140},
        legend=_LEGEND_BELOW,
        annotations=[_source_note(source)],
    )
    fig.update_xaxes(tickformat="%Y-%m-%d", rangebreaks=[{"bounds": ["sat", "mon"]}])
    fig.update_yaxes(title_text="Change since start (%)", ticksuffix="%")
    return fig


def _source_note(source: str) -> dict:
    return {
        "text": f"Source: {_plain(source, 160)}",
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": -0.3,
        "showarrow": False,
        "font": {"size": 11, "color": "#666"},
        "xanchor": "left",
    }


def event_window_figure(
    frame: pd.DataFrame,
    event: pd.Series,
    ticker: str,
    source: str,
    before: int = 10,
    after: int = 10,
) -> go.Figure:
    """The price around one event: ``before``/``after`` sessions either side, day 0 marked.

    Zooming by sessions, not calendar days, keeps the window the same width
    as the event study's event time.
    """
    day0 = pd.Timestamp(event["trading_date"])
    pos = int(frame.index.searchsorted(day0))
    window = frame.iloc[max(0, pos - before) : pos + after + 1]
    fig = price_figure(
        window,
        ticker,
        source,
        title=f"{ticker} around {day0:%Y-%m-%d}: {before} sessions before to {after} after (split-adjusted USD)",
        events=pd.DataFrame([event]),
    )
    fig.update_xaxes(rangeselector=None, row=1, col=1)
    if day0 in window.index:
        fig.add_vline(x=day0, line_dash="dash", line_color="#444", row="all", col=1)
        fig.add_annotation(
            x=day0, y=1.0, yref="paper", text="day 0", showarrow=False, yanchor="bottom", font={"size": 11}
        )
    fig.update_layout(height=520, hovermode="x unified")
    fig.update_yaxes(title_text="Volume", row=2, col=1)  # the full title collides with the price axis title here
    return fig
