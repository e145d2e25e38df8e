"""Plotly figure builders: plain functions from frames to figures.

Pages render these and the exporter writes them to PNG/SVG/HTML, so a chart
looks the same in the app, in a download and in the report. One module per
family of charts: ``price`` (price, events, peers), ``study`` (event study).
"""
