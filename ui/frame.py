"""What every page shares: the data-source line, failure messages, downloads."""

from __future__ import annotations

import logging
import traceback

import streamlit as st

from eventlens.prices import PriceResult

log = logging.getLogger("eventlens.app")


def source_notice(results: list[PriceResult]) -> None:
    """Show where the prices come from and their span; warn about any fallback."""
    for result in results:
        if result.messages:
            st.warning(result.notice(), icon="⚠️")
    lines = [f"{r.ticker}: {r.source}, {r.first_date:%Y-%m-%d} to {r.as_of:%Y-%m-%d}" for r in results if r.as_of]
    if lines:
        st.caption("Data: " + " · ".join(lines) + ". Dates are trading days (YYYY-MM-DD, US Eastern).")


def show_failure(exc: BaseException) -> None:
    """A clear message instead of a traceback; the details go to the server log."""
    log.error("page failed: %s", "".join(traceback.format_exception(exc)))
    st.error(
        f"This page could not be drawn: {type(exc).__name__}: {str(exc)[:300] or 'no detail'}. "
        "Nothing was changed or lost; try another choice or reload the page.",
        icon="🚫",
    )
