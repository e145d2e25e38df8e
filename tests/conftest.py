"""Shared fixtures: a private copy of data/ for every test that writes."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# No test may read or write the developer's own store (data/state/): tests without the data_dir fixture get a
# throwaway state folder too.
os.environ["EVENTLENS_STATE_DIR"] = tempfile.mkdtemp(prefix="eventlens-test-state-")
os.environ.pop("EVENTLENS_DB_URL", None)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway copy of ``data/`` (the read-only snapshot) and a new, empty state folder for the store.

    Tests never write to the committed ``data/`` nor to the developer's own store; the price CSVs
    are the real snapshot, copied, never generated. ``EVENTLENS_DB_URL`` is left as the run set it,
    so the suite can run against PostgreSQL too (each test then gets its own database: see
    ``tests/pg_server.py``).
    """
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("cache", "state", ".*.lock", "*.tmp"))
    monkeypatch.setenv("EVENTLENS_DATA_DIR", str(target))
    monkeypatch.setenv("EVENTLENS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("EVENTLENS_DB_URL", raising=False)
    return target


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list:
    """Make any yfinance download fail as an unreachable Yahoo does, and record the calls."""
    import yfinance

    from tests.yf_fakes import offline_download

    calls: list = []

    def fake_download(tickers, *args, **kwargs):
        calls.append((tickers, kwargs))
        return offline_download(tickers)

    monkeypatch.setattr(yfinance, "download", fake_download)
    return calls


APP = str(REPO / "dashboard.py")


@pytest.fixture
def app(data_dir, no_network):
    """A fresh AppTest of the whole app (router + default page) on a private data/ copy.

    AppTest resolves relative paths against the calling file, so the entry
    point is given as an absolute path.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    # Both caches are process-wide and keyed by ticker or store stamp, not by data directory:
    # one test's data must not leak into the next.
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture(scope="session")
def postgres():
    """One real PostgreSQL server for the whole run (Debian's package; `.ci/run` installs it)."""
    from tests import pg_server

    try:
        server = pg_server.start()
    except RuntimeError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test the store on PostgreSQL: {exc}")
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, data_dir, tmp_path, monkeypatch) -> str:
    """The store's database for one test, on each backend: a new SQLite file, or a new PostgreSQL database.

    ``EVENTLENS_DB_URL`` names it, so the CLI, the pages and the core all use the same store.
    """
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'state' / 'eventlens.sqlite'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    monkeypatch.setenv("EVENTLENS_DB_URL", url)
    return url
