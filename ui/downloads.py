"""Download buttons for charts (HTML, PNG, SVG) and tables (CSV).

A chart's three buttons sit in one "Export chart" menu that is drawn only
while it is open (a lazy popover), and PNG/SVG are rendered only when
clicked (Streamlit calls the function then): an unexported chart costs one
button on a rerun.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from eventlens import export


def _static(fig: go.Figure, fmt: str):
    def render() -> bytes:
        try:
            return export.figure_image(fig, fmt)
        except export.StaticExportUnavailable as exc:
            # A download must deliver something: a short text file that says why.
            return f"Static export unavailable: {exc}\n".encode()

    return render


def figure_downloads(fig: go.Figure, stem: str, key: str) -> None:
    """An "Export chart" menu with HTML, PNG and SVG downloads; PNG/SVG only when a browser is there.

    The menu's state lives under ``f"{key}_menu"`` in session state (``True`` = open).
    """
    menu = st.popover("Export chart", icon=":material/download:", key=f"{key}_menu", on_change="rerun",
                      help="Download this chart as an interactive HTML file, a PNG image or an SVG drawing.")
    if not menu.open:
        return
    ok, why = export.static_export_status()
    with menu:
        st.download_button(
            "Chart as HTML",
            data=lambda: export.figure_html(fig),
            file_name=f"{stem}.html",
            mime="text/html",
            key=f"{key}_html",
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )
        for fmt, mime in [("png", "image/png"), ("svg", "image/svg+xml")]:
            st.download_button(
                f"Chart as {fmt.upper()}",
                data=_static(fig, fmt),
                file_name=f"{stem}.{fmt}",
                mime=mime,
                key=f"{key}_{fmt}",
                on_click="ignore",
                disabled=not ok,
                help=None if ok else why,
                icon=":material/image:",
                width="stretch",
            )
        if not ok:
            st.caption(why)


def table_download(frame: pd.DataFrame | Callable[[], pd.DataFrame], stem: str, key: str,
                   label: str = "Table as CSV") -> None:
    """A CSV button for one table; the CSV is written only when the button is clicked.

    ``frame`` may be a function that builds the table: it is then built on the click too (a table of
    every event is a loop over the events, not worth doing on every rerun).
    """
    st.download_button(
        label,
        data=lambda: export.table_csv(frame() if callable(frame) else frame),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/table:",
    )
