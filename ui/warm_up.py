"""Start-up work: the Overview's default view computed once per process, before its first visitor asks.

A cold server's first visit used to pay, inside the visitor's first script run, for pandas, SQLAlchemy and
SciPy to import, the store to open, each event's move to be measured and the chart to be built: about 2 s
more than a hello-world page, on every wake of a sleeping Streamlit Cloud app. ``streamlit_app.py`` runs
:func:`start` from ``st.App``'s lifespan hook and lets the server accept visitors once it has ended. It
fills the very caches the Overview reads (same loaders, same arguments), so the page finds them filled.

Why before serving rather than beside it: measured here, a warm-up thread running while the first browser
loaded Streamlit's JavaScript slowed that load by ~0.7 s (the server's event loop waits on the GIL held by
the import-heavy thread), which took back most of what it saved. Nothing here draws, and a failure is only
logged: the page then meets the same problem and says so in words.
"""

from __future__ import annotations

import logging
import threading
import time

import pandas as pd
from streamlit.logger import get_logger

LOG = get_logger(__name__)  # Streamlit's handler and level: the start-up line shows in the server's log
THREAD_NAME = "eventlens-warm-up"
START_LIMIT_S = 60.0  # the server starts after this even if the warm-up has not ended (it then goes on)


class _NoSessionWarning(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warning on the warm-up thread only: its loaders' spinners
    have no page to show on there, which is expected, not a fault worth a log line per loader."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (threading.current_thread().name == THREAD_NAME and "ScriptRunContext" in record.getMessage())


_QUIET = _NoSessionWarning()


def overview_default_view() -> None:
    """Compute what the Overview's first run without link parameters reads, through its own loaders."""
    from eventlens.url_state import defaults
    from ui import state
    from ui import store as ui_store
    from ui.loaders import events, figures, prices, reactions
    from ui.loaders.wire import sendable

    tickers = prices.snapshot_tickers()
    main = prices.price_result("TSLA")
    index = events.event_index()
    view = defaults(state.context(tickers, main.first_date, main.as_of, index.ids))
    # The page hands the loaders pd.Timestamp of its date inputs: the same values, so the same cache keys.
    start, end = pd.Timestamp(view.start), pd.Timestamp(view.end)
    store = events.events_key()
    sendable(figures.overview_figure(view.ticker, start, end, view.basis, view.peers, view.interval,
                                     view.benchmark, store))
    reactions.event_rows(view.ticker, view.benchmark, store, start, end)
    if ui_store.opened().problem:
        # A database still waking up at start-up must not stay "unavailable" until someone clicks "Try the
        # store again": the first visit opens it afresh, as it would without the warm-up.
        ui_store.retry()


def _run() -> None:
    # addFilter keeps one copy of a filter however often the warm-up runs.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_QUIET)
    t0 = time.perf_counter()
    try:
        overview_default_view()
    except Exception:  # start-up work is an optimisation: the page meets and reports the failure itself
        LOG.warning("Start-up warm-up of the Overview failed; its first visit computes it instead", exc_info=True)
        return
    LOG.info("Overview's default view ready in %.2f s", time.perf_counter() - t0)


def start() -> threading.Thread:
    """Begin the warm-up on a daemon thread: the caller waits for it as long as it chooses (a stuck database
    never keeps the server from starting or stopping)."""
    thread = threading.Thread(target=_run, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread
