"""The server's start-up warm-up (ui/warm_up.py, run by streamlit_app.py's st.App lifespan).

What it promises: after it, the Overview's first visit computes neither its chart nor the events' moves
(the two costs a cold first visit paid), and draws the same page; it never raises, and it logs nothing
about missing script contexts. The entry file serves dashboard.py through st.App, and run as a plain
script it still draws the app.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the Overview's chart builds and event-move measurements (the calls behind its caches)."""
    import ui.loaders.figures as figure_loaders
    import ui.loaders.reactions as reaction_loaders

    counts = {"chart": 0, "moves": 0}
    build, measure = figure_loaders.price_figure, reaction_loaders.reactions.event_reactions

    def counted_build(*args, **kwargs):
        counts["chart"] += 1
        return build(*args, **kwargs)

    def counted_measure(*args, **kwargs):
        counts["moves"] += 1
        return measure(*args, **kwargs)

    monkeypatch.setattr(figure_loaders, "price_figure", counted_build)
    monkeypatch.setattr(reaction_loaders.reactions, "event_reactions", counted_measure)
    return counts


def _overview_chart(at) -> dict:
    import json

    charts = at.get("plotly_chart")
    assert len(charts) == 1, "the Overview draws one chart"
    return json.loads(charts[0].proto.spec)


def test_first_visit_after_warm_up_computes_nothing_and_draws_the_same_page(app, computed, store_url) -> None:
    """On each store backend (SQLite, PostgreSQL): the warm-up opens the same store the page reads."""
    from ui import warm_up

    # Control: without the warm-up the first visit builds the chart and measures the moves itself.
    app.switch_page("pages/overview.py")
    app.run()
    assert not app.exception
    assert computed == {"chart": 1, "moves": 1}
    cold_chart = _overview_chart(app)

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    st.cache_data.clear()
    thread = warm_up.start()
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert computed == {"chart": 2, "moves": 2}, "the warm-up computes the chart and the moves once each"

    visit = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    visit.switch_page("pages/overview.py")
    visit.run()
    assert not visit.exception
    assert computed == {"chart": 2, "moves": 2}, "the first visit found both in the caches"
    assert _overview_chart(visit) == cold_chart
    assert visit.title[0].value == app.title[0].value


def test_a_failing_warm_up_is_logged_never_raised(data_dir, monkeypatch, caplog) -> None:
    from ui import warm_up

    def broken() -> None:
        raise OSError("prices folder unreadable")

    monkeypatch.setattr(warm_up, "overview_default_view", broken)
    monkeypatch.setattr(warm_up.LOG, "propagate", True)  # Streamlit's logger does not propagate; caplog listens
    with caplog.at_level(logging.WARNING, logger=warm_up.LOG.name):
        thread = warm_up.start()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert any("warm-up of the Overview failed" in r.getMessage() and r.exc_info for r in caplog.records)


def test_the_warm_up_logs_no_missing_context_warnings(data_dir, monkeypatch) -> None:
    import streamlit as st

    from ui import warm_up

    st.cache_resource.clear()
    st.cache_data.clear()
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.name.startswith(("streamlit", "ui")):
                seen.append(record.getMessage())

    handler = Collect(level=logging.DEBUG)
    loggers = [logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context"),
               logging.getLogger("streamlit.runtime.state.session_state_proxy"), warm_up.LOG]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        warm_up.start().join(timeout=120)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    assert not [m for m in seen if "ScriptRunContext" in m or "Session state" in m], seen


def test_streamlit_run_serves_the_dashboard_through_st_app() -> None:
    """`streamlit run streamlit_app.py` (make run, Streamlit Cloud) must find the st.App and its hook."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    import streamlit_app

    found = discover_asgi_app(REPO / "streamlit_app.py")
    assert found.is_asgi_app and found.app_name == "app"
    assert Path(streamlit_app.app.script_path).resolve() == REPO / "dashboard.py"


def test_run_as_a_plain_script_the_entry_draws_the_app(data_dir, no_network) -> None:
    """A runner that does not serve st.App executes streamlit_app.py itself: it must still draw the app."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "News on the price chart"
    assert len(at.get("plotly_chart")) == 1


def test_a_store_failing_at_start_up_is_tried_again_by_the_first_visit(data_dir, tmp_path, monkeypatch,
                                                                     no_network) -> None:
    """A database not yet reachable when the server starts must not stay 'unavailable' for every visitor."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui import store as ui_store
    from ui import warm_up

    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the store's folder should be")
    monkeypatch.setenv("EVENTLENS_DB_URL", f"sqlite:///{blocker / 'eventlens.sqlite'}")
    st.cache_resource.clear()
    st.cache_data.clear()
    ui_store.retry()
    warm_up.start().join(timeout=120)

    blocker.unlink()  # the database is reachable by the time the first visitor comes
    visit = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    visit.switch_page("pages/overview.py")
    visit.run()
    assert not visit.exception
    assert [e.value for e in visit.error] == []
    assert ui_store.current() is not None
    assert (blocker / "eventlens.sqlite").exists()
