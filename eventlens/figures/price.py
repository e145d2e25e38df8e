"""Price charts: candles, volume, event flags, split days, rebased comparisons.

The event markers live in :mod:`.markers` (clustered per candle and topic), the frame every chart
shares (title, legend, toolbar, source) in :mod:`.layout`, and what a static export changes in
:mod:`.static`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from eventlens import splits as split_table
from eventlens import vocabulary as vocab
from eventlens.figures import layout
from eventlens.figures.markers import (  # noqa: F401 - re-exported: callers import them from here
    DIRECTION_SYMBOLS,
    add_event_markers,
    category_color,
    event_hover,
)

PRICE_BASIS_LABELS = {"adjusted": "split-adjusted USD", "as_traded": "as-traded USD"}
# Above this many sessions "auto" draws weekly candles: each candle is an SVG element, and five years
# of daily candles (1,258) take a browser about a second longer to draw than 260 weekly ones, while at
# that width a daily candle is under one pixel anyway.
MAX_DAILY_CANDLES = 260
INTERVALS = ("auto", "daily", "weekly")
PRICE_PLOT_HEIGHT = 404  # px of the price and volume panels; the figure adds title, legend and source
COMPARISON_PLOT_HEIGHT = 344
SPLIT_NAME = "split"  # ``name`` of a split flag's annotation
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
    splits: pd.DataFrame | None = None,
) -> go.Figure:
    """Candles with volume below, a range selector and, if given, the news events flagged.

    The source and the span go into the figure itself, so an exported PNG
    still says where its numbers come from. ``frame`` holds daily rows on the
    basis named by ``basis`` (convert with :mod:`eventlens.splits` first for
    as-traded); ``interval`` is "daily", "weekly" or "auto" (see
    :func:`choose_interval`). Events are flagged above the candle that holds
    their trading day, clustered per candle and topic (:mod:`.markers`). On
    the as-traded basis each split day carries a labelled flag (``splits``:
    the split table, by default ``data/prices/splits.csv``).
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
            showlegend=False,  # the title says what the candles are; the legend is the news topics
            increasing_line_color="#26a69a",
            decreasing_line_color="#ef5350",
        ),
        row=1,
        col=1,
    )
    # Volume as two bar traces, rising and falling sessions, one colour each. One trace with a colour per
    # bar costs plotly a validation of every colour string (~0.1 s for five years, on every new chart), and
    # numbers on a colorscale make plotly.js log two console warnings per bar on every draw.
    rising = (frame["Close"] >= frame["Open"]).to_numpy()
    for which, colour in ((rising, "#26a69a"), (~rising, "#ef5350")):
        fig.add_trace(
            go.Bar(
                x=frame.index[which],
                y=frame["Volume"].to_numpy()[which],
                name="Volume",
                marker={"color": colour},
                opacity=0.6,
                showlegend=False,
            ),
            row=2,
            col=1,
        )
    fig.update_layout(barmode="overlay")  # sessions of the two traces never share a day: full-width bars
    span = "no data" if daily.empty else f"{daily.index[0]:%Y-%m-%d} to {daily.index[-1]:%Y-%m-%d}"
    fig.update_layout(xaxis_rangeslider_visible=False, hovermode="x unified")
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
    if basis == "as_traded" and not daily.empty:
        mark_splits(fig, ticker, daily.index, splits)
    return layout.frame(fig, title or f"{ticker} {interval} candles, {unit}", span, source, PRICE_PLOT_HEIGHT)


def mark_splits(
    fig: go.Figure, ticker: str, days: pd.DatetimeIndex, splits: pd.DataFrame | None = None
) -> list[pd.Timestamp]:
    """A dashed line and a labelled flag on each split day of ``ticker`` within ``days`` (as-traded charts).

    On the as-traded basis a split is a cliff in the candles ($880 to $290 on 2022-08-25): the flag
    says it is a split, not a crash. Returns the split days marked.
    """
    table = split_table.load_splits() if splits is None else splits
    mine = table[(table["ticker"].str.upper() == ticker.upper()) & (table["date"] >= days[0])
                 & (table["date"] <= days[-1])]
    for day, ratio in zip(mine["date"], mine["ratio"], strict=True):
        label = f"{ratio:g}-for-1 split"
        fig.add_vline(x=day, line={"dash": "dot", "color": "#555", "width": 1.2}, row="all", col=1)
        fig.add_annotation(
            name=SPLIT_NAME, x=day, y=1, xref="x", yref="paper", yanchor="top", showarrow=False,
            text=f"⚑ {label}", font={"size": 11, "color": "#333"}, bgcolor="rgba(255,255,255,0.85)",
            hovertext=f"{day:%Y-%m-%d}: {ticker} split {ratio:g}-for-1. As traded, prices before this day are "
                      f"{ratio:g}× those after it for the same value.",
        )
    return list(mine["date"])


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
        span = f"daily closes, split-adjusted, {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    others = [t for t in rebased if t != main]
    what = f"{main} vs {', '.join(others)}" if others else main
    layout.frame(fig, f"{what}: % change, rebased", span, source, COMPARISON_PLOT_HEIGHT, left=70)
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(tickformat="%Y-%m-%d", rangebreaks=[{"bounds": ["sat", "mon"]}])
    fig.update_yaxes(title_text="Change since start (%)", ticksuffix="%")
    return fig


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
        title=f"{ticker} daily candles around {day0:%Y-%m-%d} ({before} sessions before, {after} after), "
        "split-adjusted USD",
        events=pd.DataFrame([event]),
    )
    fig.update_xaxes(rangeselector=None, row=1, col=1)
    if day0 in window.index:
        fig.add_vline(x=day0, line_dash="dash", line_color="#444", row="all", col=1)
        fig.add_annotation(
            x=day0, y=1.0, yref="paper", text="day 0", showarrow=False, yanchor="bottom", font={"size": 11}
        )
    fig.update_layout(hovermode="x unified")
    fig.update_yaxes(title_text="Volume", row=2, col=1)  # the full title collides with the price axis title here
    return fig
