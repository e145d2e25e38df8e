"""Exports: charts to PNG/SVG (kaleido + a local Chromium) and HTML, tables to CSV.

PNG/SVG draw the chart's print copy (:mod:`eventlens.figures.static`: no controls, numbered
markers with a key, the whole source); HTML keeps the interactive chart with its controls.

Static images need a Chromium-family browser. On these machines and on
Streamlit Community Cloud that is Debian's ``chromium`` (``packages.txt``);
kaleido finds it through ``BROWSER_PATH``. When no browser is there, static
export says so and HTML/CSV still work, because they need nothing but plotly
and pandas.
"""

from __future__ import annotations

import os
import shutil
import threading
import warnings

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from eventlens.figures.static import for_print

STATIC_FORMATS = ("png", "svg")
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_server_lock = threading.Lock()
_server_started = False


class StaticExportUnavailable(RuntimeError):
    """PNG/SVG export cannot run here (no browser, or kaleido failed); HTML/CSV still can."""


def find_browser() -> str | None:
    """The browser kaleido should use: ``BROWSER_PATH`` if it exists, else one on PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured and os.path.exists(configured):
        return configured
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def static_export_status() -> tuple[bool, str]:
    """Whether PNG/SVG export can run, and a sentence for the page saying why not."""
    browser = find_browser()
    if browser is None:
        return False, (
            "PNG/SVG export needs a Chromium browser, and none was found (install Debian's `chromium` "
            "or set BROWSER_PATH). HTML and CSV downloads still work."
        )
    return True, f"Static images are drawn by kaleido with {browser}."


def _ensure_server(browser: str) -> None:
    """Start kaleido's persistent browser once: the first image then costs ~3 s, later ones ~0.3 s."""
    global _server_started
    with _server_lock:
        if _server_started:
            return
        os.environ["BROWSER_PATH"] = browser
        import kaleido

        kaleido.start_sync_server(silence_warnings=True)
        _server_started = True


def figure_image(
    fig: go.Figure, fmt: str = "png", width: int = 1200, height: int | None = None, scale: float = 2.0
) -> bytes:
    """Render ``fig`` to PNG or SVG bytes, or raise :class:`StaticExportUnavailable`.

    The image is of :func:`eventlens.figures.static.for_print`'s copy: no range buttons, markers
    numbered with a key below the chart, the whole source line. ``height`` defaults to that copy's
    own height, which grows with the key.
    """
    if fmt not in STATIC_FORMATS:
        raise ValueError(f"static format must be one of {STATIC_FORMATS}, not {fmt!r}")
    browser = find_browser()
    if browser is None:
        raise StaticExportUnavailable(static_export_status()[1])
    printed = for_print(fig, width)
    height = height or printed.layout.height or 700
    try:
        _ensure_server(browser)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "kopts ignored when using a server"
            return pio.to_image(printed, format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1)
    except StaticExportUnavailable:
        raise
    except Exception as exc:
        raise StaticExportUnavailable(f"Static export failed ({type(exc).__name__}: {str(exc)[:200]}).") from exc


def figure_html(fig: go.Figure, include_plotlyjs: bool | str = True) -> str:
    """A self-contained interactive HTML page for ``fig`` (works offline: plotly.js is embedded)."""
    return pio.to_html(fig, include_plotlyjs=include_plotlyjs, full_html=True, config={"displaylogo": False})


def table_csv(frame: pd.DataFrame, index: bool = False) -> bytes:
    """CSV bytes of a table with ISO dates, so it reloads to the same values."""
    return frame.to_csv(index=index, date_format="%Y-%m-%d").encode("utf-8")
