"""Price charts: candles, volume, event flags, rebased comparisons."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

PRICE_BASIS_LABELS = {"adjusted": "split-adjusted USD", "as_traded": "as-traded USD"}


def price_figure(
    frame: pd.DataFrame,
    ticker: str,
    source: str,
    basis: str = "adjusted",
    title: str | None = None,
) -> go.Figure:
    """Daily candles with volume below and a range selector.

    The source and the span go into the figure itself, so an exported PNG
    still says where its numbers come from.
    """
    unit = PRICE_BASIS_LABELS.get(basis, "USD")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.03, row_heights=[0.76, 0.24])
    fig.add_trace(
        go.Candlestick(
            x=frame.index,
            open=frame["Open"],
            high=frame["High"],
            low=frame["Low"],
            close=frame["Close"],
            name=f"{ticker} daily",
            increasing_line_color="#26a69a",
            decreasing_line_color="#ef5350",
        ),
        row=1,
        col=1,
    )
    colors = ["#26a69a" if c >= o else "#ef5350" for o, c in zip(frame["Open"], frame["Close"], strict=True)]
    fig.add_trace(
        go.Bar(x=frame.index, y=frame["Volume"], name="Volume", marker_color=colors, opacity=0.6, showlegend=False),
        row=2,
        col=1,
    )
    span = "no data" if frame.empty else f"{frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d}"
    fig.update_layout(
        title={"text": title or f"{ticker} daily price ({unit}), {span}", "x": 0.01},
        height=620,
        margin={"l": 60, "r": 20, "t": 60, "b": 70},
        xaxis_rangeslider_visible=False,
        hovermode="x unified",
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        annotations=[
            {
                "text": f"Source: {source}",
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.12,
                "showarrow": False,
                "font": {"size": 11, "color": "#666"},
                "xanchor": "left",
            }
        ],
    )
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
        rangebreaks=[{"bounds": ["sat", "mon"]}],
        row=1,
        col=1,
    )
    fig.update_xaxes(rangebreaks=[{"bounds": ["sat", "mon"]}], tickformat="%Y-%m-%d", row=2, col=1)
    fig.update_yaxes(title_text=f"Price ({unit})", row=1, col=1)
    fig.update_yaxes(title_text="Volume (shares)", row=2, col=1)
    return fig
