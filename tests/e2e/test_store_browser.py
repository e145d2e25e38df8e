"""Two analysts in two browsers correct two events at once; both corrections are on the chart, also after a restart.

This test runs its own server on its own state folder (the store is the default SQLite file), so that it can
stop and start the server without disturbing the other browser tests.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import shot, wait_for_app
from tests.e2e.server import CHROMIUM, StreamlitServer

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]

EVENT_DATES = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  // A marker sits on its candle (a week's last session on a long range); its key line starts with the trading day.
  return gd.data.filter(t => t.meta === 'events')
    .flatMap(t => Array.from(t.customdata || []).map(c => String(c[1]).slice(0, 10)));
}"""


def _serve(data: Path, state: Path, log: Path) -> StreamlitServer:
    env = {**os.environ, "EVENTLENS_DATA_DIR": str(data), "EVENTLENS_STATE_DIR": str(state), "BROWSER_PATH": CHROMIUM}
    env.pop("EVENTLENS_DB_URL", None)
    return StreamlitServer("streamlit_app.py", REPO, env, log=open(log, "ab"), timeout=90)


def _correct(page, url: str, article_label: str, new_day: str) -> None:
    """Open the article in the Reader, open 'Correct this event', type a new day of the month; saved later."""
    page.goto(url + "/articles")
    wait_for_app(page)
    page.get_by_role("combobox", name="Article", exact=True).click()
    page.locator("[role='option']").filter(has_text=article_label).first.click()
    wait_for_app(page)
    page.get_by_text("Correct this event", exact=True).click()
    wait_for_app(page)
    day = page.get_by_role("spinbutton", name="day, Event date")  # Streamlit's date field: one spinbutton a part
    day.click()
    day.press_sequentially(new_day)
    page.keyboard.press("Tab")


def _chart_dates(page, url: str) -> list[str]:
    page.goto(url + "/?start=2021-01-04&end=2024-12-31")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    return page.evaluate(EVENT_DATES)


def test_two_browsers_correct_two_events_at_once_and_a_restart_keeps_both(browser, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("cache", "state", ".*.lock", "*.tmp"))
    state, log = tmp_path / "state", tmp_path / "streamlit.log"
    server = _serve(data, state, log)
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    alice, bob = (c.new_page() for c in contexts)
    try:
        before = _chart_dates(alice, server.url)
        assert "2021-05-25" in before and "2024-04-29" in before, before
        _correct(alice, server.url, "2021-05-25", "26")
        _correct(bob, server.url, "2024-04-29", "30")
        # Both saves go out before either answer comes back.
        alice.get_by_role("button", name="Save this correction").click(no_wait_after=True)
        bob.get_by_role("button", name="Save this correction").click(no_wait_after=True)
        for pg in (alice, bob):
            pg.wait_for_selector("[data-testid='stAlertContentSuccess']", timeout=60_000)
            assert "Saved" in pg.locator("[data-testid='stAlertContentSuccess']").first.inner_text()
        shot(alice, "store_two_browsers_saved")
        for pg in (alice, bob):
            dates = _chart_dates(pg, server.url)  # a reload of the Overview in each browser
            assert "2021-05-26" in dates and "2024-04-30" in dates, dates
            assert "2021-05-25" not in dates and "2024-04-29" not in dates, dates

        server.stop()
        server = _serve(data, state, log)
        dates = _chart_dates(alice, server.url)
        assert "2021-05-26" in dates and "2024-04-30" in dates, dates
    finally:
        for c in contexts:
            c.close()
        server.stop()
