"""Plotly figure builders: plain functions from frames to figures.

Pages render these and the exporter writes them to PNG/SVG/HTML, so a chart
looks the same in the app, in a download and in the report. One module per
family of charts: ``price`` (price, events, peers), ``study`` (event study).
"""

import plotly.graph_objects as go
import plotly.io as pio

# A small house template instead of plotly's default one: the default travels with every figure
# (≈6 KB of colourscales) and costs ~6 ms per chart on each page rerun, for settings the charts
# here never use. This one keeps the look (white plot, light grid, a clear colourway) in the app
# and in PNG/SVG/HTML exports alike.
pio.templates["eventlens"] = go.layout.Template(
    layout={
        "font": {"family": "Source Sans Pro, Arial, sans-serif", "size": 13, "color": "#262730"},
        "colorway": ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"],
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": {"gridcolor": "#ececec", "linecolor": "#bbbbbb", "zerolinecolor": "#cccccc", "ticks": "outside"},
        "yaxis": {"gridcolor": "#ececec", "linecolor": "#bbbbbb", "zerolinecolor": "#cccccc", "ticks": "outside"},
        "hoverlabel": {"font": {"size": 12}},
        "title": {"font": {"size": 16}},
    }
)
pio.templates.default = "eventlens"
