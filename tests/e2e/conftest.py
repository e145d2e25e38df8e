"""A real app in a real browser: ``streamlit run`` on a free port, driven by Debian's chromium.

The server and the browser come from :mod:`tests.e2e.server` (the benchmarks use
the same). Screenshots go to ``test-artifacts/e2e/``, which git ignores.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.server import CHROMIUM, StreamlitServer, launch_chromium

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def e2e_data(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("e2e") / "data"
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("cache", "state", ".*.lock", "*.tmp"))
    return target


@pytest.fixture(scope="session")
def app_url(e2e_data):
    """The app served as ``make run`` and Streamlit Cloud serve it (``streamlit run streamlit_app.py``) on
    loopback, with a private copy of data/."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    env = {**os.environ, "EVENTLENS_DATA_DIR": str(e2e_data), "EVENTLENS_STATE_DIR": str(e2e_data.parent / "state"),
           "BROWSER_PATH": CHROMIUM}
    env.pop("EVENTLENS_DB_URL", None)
    server = StreamlitServer("streamlit_app.py", REPO, env, log=open(tmp_path_log(e2e_data), "wb"), timeout=60)
    try:
        yield server.url
    finally:
        server.stop()


def tmp_path_log(data: Path) -> Path:
    return data.parent / "streamlit.log"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until the script run has finished, the page's title is drawn and the 'running' indicator is gone.

    ``stApp`` carries ``data-test-script-state``: 'initial' until the first
    run starts, 'running' during it, 'notRunning' once it is done; the title
    alone appears long before a slow page has drawn its last element.
    """
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", state="attached",
                           timeout=timeout)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=timeout)
    page.wait_for_timeout(300)  # the status widget appears a moment after a run starts
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=timeout)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, keep a screenshot and put the page's alerts and the server log's tail in the report.

    CI shows only the test output, so a flaky failure must explain itself there.
    """
    report = yield
    if report.when != "call" or not report.failed:
        return report
    pg = item.funcargs.get("page")
    if pg is not None:
        try:
            shot(pg, f"FAILED_{item.name}")
            alerts = pg.locator("[data-testid='stAlert'], [data-testid='stException']").all_inner_texts()
            report.sections.append(("page at failure", f"url: {pg.url}\nalerts: {alerts}"))
        except Exception as exc:  # noqa: BLE001 - a report must not fail on a closed page
            report.sections.append(("page at failure", f"unavailable: {exc}"))
    data = item.funcargs.get("e2e_data")
    if data is not None and tmp_path_log(data).exists():
        tail = tmp_path_log(data).read_text(errors="replace").splitlines()[-40:]
        report.sections.append(("streamlit log (last 40 lines)", "\n".join(tail)))
    return report
