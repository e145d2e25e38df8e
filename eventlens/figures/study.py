"""Event-study charts: CAR paths in event time, abnormal-return bars, the estimation-window fit.

Every figure carries the ticker, benchmark and model in its title and the
price source in an annotation, so an exported PNG still says what it shows.
Returns are plotted in percent.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy import stats

from eventlens import vocabulary as vocab
from eventlens.figures import layout
from eventlens.study import StudyResult

# Events are told apart by colours that no topic uses (the topics' colours mean a topic on every chart).
PALETTE = ["#393b79", "#ad494a", "#637939", "#7b4173", "#8c6d31", "#5254a3", "#843c39", "#8ca252", "#bd9e39"]
MAX_BANDS = 6


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


LEGEND_WRAP = 40  # characters per line of an event's legend entry (a headline): fits a phone
AXIS_TITLE_PX = 74  # under the plot: tick labels and the x-axis title, then the legend


def _frame(fig: go.Figure, what: str, sub: str, source: str, plot_height: int = 300) -> go.Figure:
    """Title (wrapped, the design as subtitle), toolbar, legend and source as on the price charts.

    The legend runs below the axis title and the source below the legend; the bottom margin has a
    row for each entry, which is what a 390 px phone needs (:mod:`eventlens.figures.layout`).
    """
    heading = layout.title(what, sub)
    top = 76 + heading["pad"]["t"] - 10
    bottom = AXIS_TITLE_PX + layout.legend_px(fig) + layout.source_px(source)
    fig.update_layout(
        title=heading,
        height=top + plot_height + bottom,
        margin={"l": 70, "r": 40, "t": top, "b": bottom},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -AXIS_TITLE_PX / plot_height, "yanchor": "top",
                "itemsizing": "constant", "tracegroupgap": 0},
        modebar=layout.MODEBAR,
        hovermode="closest",
    )
    fig.layout.annotations = [*fig.layout.annotations, layout.source_note(source, bottom, plot_height, 70)]
    return fig


def _subtitle(result: StudyResult) -> str:
    return f"{result.ticker} vs {result.benchmark}, {vocab.model_name(result.model)}"


def _label(result: StudyResult, event_id: str, names: Mapping[str, str] | None = None) -> str:
    """The event as readers know it: "2024-04-29 · Musk in Beijing…" (its date alone when it has no headline)."""
    if names and event_id in names:
        return names[event_id]
    ev = result.events.set_index("event_id").loc[event_id]
    day = pd.Timestamp(ev["trading_date"])
    return "undated event" if pd.isna(day) else f"{day:%Y-%m-%d}"


def car_path_figure(
    result: StudyResult, event_ids: list[str] | None = None, confidence: float = 0.95, max_bands: int = MAX_BANDS,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """CAR from the first path day (-10) to +10 per event, with a t-based confidence band.

    The band is ±t_{dof}(q)·se(CAR_k), se from the same variance formula as
    the CAR test (with the prediction-error term when the study uses it). With
    many events the bands would hide the lines, so they are drawn for the
    first ``max_bands`` only (the title says so).
    """
    ids = list(event_ids) if event_ids is not None else list(result.events["event_id"])
    paths = result.paths[result.paths["event_id"].isin(ids)]
    fig = go.Figure()
    banded = 0
    for n, event_id in enumerate(ids):
        p = paths[paths["event_id"] == event_id]
        if p["car"].notna().sum() == 0:
            continue
        color = PALETTE[n % len(PALETTE)]
        label = _label(result, event_id, names)
        car = p["car"] * 100
        if banded < max_bands:
            q = stats.t.ppf(0.5 + confidence / 2, p["dof"].to_numpy())
            half = q * p["car_se"].to_numpy() * 100
            fig.add_trace(go.Scatter(
                x=np.concatenate([p["day"], p["day"][::-1]]),
                y=np.concatenate([car + half, (car - half)[::-1]]),
                fill="toself", fillcolor=_rgba(color, 0.12), line={"width": 0}, hoverinfo="skip",
                name=f"{html.escape(label, quote=False)}: {confidence:.0%} band", showlegend=False,
                legendgroup=event_id,
            ))
            banded += 1
        fig.add_trace(go.Scatter(
            x=p["day"], y=car, mode="lines+markers", name=layout.wrapped(label, LEGEND_WRAP), legendgroup=event_id,
            line={"color": color, "width": 2}, marker={"size": 5},
            customdata=np.column_stack([p["date"].dt.strftime("%Y-%m-%d").fillna(""), p["ar"] * 100]),
            hovertemplate="day %{x} (%{customdata[0]})<br>CAR %{y:.2f}%<br>AR %{customdata[1]:.2f}%<extra>"
            + html.escape(label, quote=False).replace("%", "%%") + "</extra>",
        ))
    fig.add_hline(y=0, line={"color": "#888", "width": 1})
    fig.add_vline(x=0, line={"color": "#888", "width": 1, "dash": "dot"})
    lo, hi = int(result.paths["day"].min()), int(result.paths["day"].max())
    note = f"; bands for the first {max_bands} events" if banded < sum(
        result.paths[result.paths["event_id"] == i]["car"].notna().any() for i in ids) else ""
    fig.update_xaxes(title_text="Trading days from the event (day 0)")
    fig.update_yaxes(title_text=f"Cumulative abnormal return from day {lo} (%)", ticksuffix="%")
    what = f"Cumulative abnormal return, days {lo} to +{hi}, with {confidence:.0%} band{note}"
    # Events are named by their headlines: beside the plot the legend would take half its width, so it sits
    # under the axis, and the figure grows by its rows (the plot keeps its height).
    return _frame(fig, what, _subtitle(result), result.data.source)


def ar_bars_figure(result: StudyResult, event_id: str, names: Mapping[str, str] | None = None) -> go.Figure:
    """Daily abnormal returns of one event (bars) with the stock's raw return (markers)."""
    p = result.paths[result.paths["event_id"] == event_id]
    ar = p["ar"] * 100
    sigma = float(result.events.set_index("event_id").loc[event_id, "sigma"]) * 100
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=p["day"], y=ar, name="Abnormal return",
        marker_color=np.where(ar >= 0, "#26a69a", "#ef5350"),
        customdata=p["date"].dt.strftime("%Y-%m-%d").fillna(""),
        hovertemplate="day %{x} (%{customdata})<br>AR %{y:.2f}%<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=p["day"], y=p["ret"] * 100, mode="markers", name=f"{result.ticker} return",
        marker={"color": "#333", "symbol": "diamond", "size": 7},
        hovertemplate="day %{x}<br>return %{y:.2f}%<extra></extra>",
    ))
    if np.isfinite(sigma):
        for sign in (1, -1):
            fig.add_hline(y=sign * 1.96 * sigma, line={"color": "#999", "width": 1, "dash": "dash"})
    fig.update_xaxes(title_text="Trading days from the event (day 0)")
    fig.update_yaxes(title_text="Daily return (%)", ticksuffix="%")
    band = f"; dashed lines ±1.96σ = ±{1.96 * sigma:.1f}%" if np.isfinite(sigma) else ""
    what = f"Daily abnormal returns around {_label(result, event_id, names)}{band}"
    return _frame(fig, what, _subtitle(result), result.data.source, plot_height=260)


def fit_scatter_figure(result: StudyResult, event_id: str, names: Mapping[str, str] | None = None) -> go.Figure:
    """The estimation window: stock against benchmark returns, the fitted line, and the event days."""
    fit = result.estimation_fit(event_id)
    ev = result.events.set_index("event_id").loc[event_id]
    used = fit[fit["used"]]
    left = fit[~fit["used"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=used["r_market"] * 100, y=used["r_stock"] * 100, mode="markers", name="Estimation days",
        marker={"color": "#555555", "size": 5, "opacity": 0.6},
        customdata=used["date"].dt.strftime("%Y-%m-%d"),
        hovertemplate="%{customdata}<br>" + result.benchmark + " %{x:.2f}%<br>" + result.ticker
        + " %{y:.2f}%<extra></extra>",
    ))
    if len(left):
        fig.add_trace(go.Scatter(
            x=left["r_market"] * 100, y=left["r_stock"] * 100, mode="markers", name="Left out of the fit",
            marker={"color": "#aaa", "size": 6, "symbol": "x"},
        ))
    e1, e2 = result.estimation
    if result.model != "constant_mean" and len(used):
        xs = np.linspace(used["r_market"].min(), used["r_market"].max(), 50)
        ys = ev["alpha"] + ev["beta"] * xs
        name = (f"fit: α = {ev['alpha'] * 100:.3f}%/day, β = {ev['beta']:.2f}" if result.model == "market"
                else "R = Rm (β = 1 imposed)")
        fig.add_trace(go.Scatter(x=xs * 100, y=ys * 100, mode="lines", name=name, line={"color": "#222222"}))
    elif len(used):
        fig.add_hline(y=ev["alpha"] * 100, line={"color": "#222222"},
                      annotation_text=f"mean {ev['alpha'] * 100:.3f}%/day")
    days = result.paths[(result.paths["event_id"] == event_id) & (result.paths["day"].between(-1, 1))]
    fig.add_trace(go.Scatter(
        x=days["ret_market"] * 100, y=days["ret"] * 100, mode="markers+text", name="Event days -1, 0, +1",
        text=[f"day {d:+d}" if d else "day 0" for d in days["day"]], textposition="top center",
        marker={"color": "#a6761d", "size": 10, "symbol": "star"},  # not a topic's colour
    ))
    fig.update_xaxes(title_text=f"{result.benchmark} daily return (%)", ticksuffix="%", zeroline=True)
    fig.update_yaxes(title_text=f"{result.ticker} daily return (%)", ticksuffix="%", zeroline=True)
    sigma = ev["sigma"] * 100
    what = f"Estimation window [{e1},{e2}] for {_label(result, event_id, names)}: n = {int(ev['n_est'])}, " \
           f"σ = {sigma:.2f}%"
    return _frame(fig, what, _subtitle(result), result.data.source)
