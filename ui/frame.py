"""What every page shares: the data-source line, failure messages, downloads."""

from __future__ import annotations

import logging
import runpy
import traceback
from pathlib import Path

import pandas as pd
import streamlit as st

from eventlens import vocabulary as vocab
from eventlens.errors import UserError
from eventlens.inert import inert, plain
from eventlens.prices import PriceResult

log = logging.getLogger("eventlens.app")
_DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"


def source_notice(results: list[PriceResult]) -> None:
    """Show where the prices come from and their span; warn about any fallback."""
    for result in results:
        if result.messages:
            st.warning(inert(result.notice()), icon=":material/warning:")
    lines = [f"{r.ticker}: {r.source}, {r.first_date:%Y-%m-%d} to {r.as_of:%Y-%m-%d}" for r in results if r.as_of]
    if lines:
        st.caption("Data: " + " · ".join(lines) + ". Dates are trading days (YYYY-MM-DD, US Eastern).")


def show_failure(exc: BaseException) -> None:
    """A clear message instead of a traceback; the details go to the server log.

    A :class:`UserError` is the app's own sentence and is shown (as text); any
    other exception's words are a library's, and may quote untrusted input, so
    they stay in the log.
    """
    log.error("page failed: %s", "".join(traceback.format_exception(exc)))
    reason = inert(exc) if isinstance(exc, UserError) else "an internal error (the details are in the server log)"
    st.error(
        f"This page could not be drawn: {reason} Nothing was changed or lost; try another choice or reload the page.",
        icon=":material/error:",
    )


def event_table(events: pd.DataFrame) -> pd.DataFrame:
    """The compact event table under charts: one row per event, the move first, units in the headers.

    Numbers stay numbers (the CSV download sorts and sums them); :data:`EVENT_COLUMNS` sizes the grid so
    the day, headline, returns, p and verdict fit at 1440 px.
    """
    table = pd.DataFrame(
        {
            "Trading day": events["trading_date"].dt.strftime("%Y-%m-%d"),
            "Headline": [plain(t, 120) for t in events["title"]],
            "Day-0 return (%)": (events["day0_return"] * 100).round(2),
            "CAR[-1,+1] (%)": (events["car_m1_p1"] * 100).round(2),
            "p (CAR)": events["p_m1_p1"].round(3),
            "Verdict": [vocab.verdict(p) for p in events["p_m1_p1"]],
            "Topic": events["category"].map(vocab.topic_label),
            "Direction": events["direction"].map(vocab.direction_label),
            "Date confidence": [
                vocab.confidence_phrase(c, o) for c, o in zip(events["date_confidence"], events["origin"], strict=True)
            ],
            "Source": [plain(s, 60) for s in events["source"]],
        }
    )
    return table.sort_values("Trading day").reset_index(drop=True)


def event_columns() -> dict:
    """Column widths of :func:`event_table`'s grid: the key numbers inside 1440 px, text cut to fit."""
    return {
        "Trading day": st.column_config.TextColumn(width=90),
        "Headline": st.column_config.TextColumn(width=330),
        "Day-0 return (%)": st.column_config.NumberColumn(width=105, format="%+.2f"),
        "CAR[-1,+1] (%)": st.column_config.NumberColumn(width=105, format="%+.2f"),
        "p (CAR)": st.column_config.NumberColumn(width=70, format="%.3f"),
        "Verdict": st.column_config.TextColumn(width=130),
    }


def ensure_router() -> None:
    """Make sure a page runs inside ``dashboard.py``'s ``st.navigation``, never on its own.

    Until ``st.navigation`` is first called in a process, Streamlit assumes
    the legacy ``pages/`` discovery (``PagesManager.uses_pages_directory``)
    and executes a deep-linked page file such as ``pages/timeline.py``
    directly, without the router; AppTest resets that flag on every run. The
    page then runs the router itself in the same script run (so widget
    events such as a button click are not lost to a rerun) and stops the
    legacy execution. The router resolves the same page, by the same URL path.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(_DASHBOARD), run_name="__main__")
        st.stop()
