"""EventLens's server entry: ``streamlit run streamlit_app.py`` (``make run``, Streamlit Cloud's main file).

The app is ``dashboard.py`` (frame and router) and ``pages/``; this wrapper only adds a start-up hook.
``streamlit run`` finds the ``st.App`` below and serves ``dashboard.py`` through it; its lifespan runs
:mod:`ui.warm_up` before the server accepts visitors, filling the Overview's caches (a woken Cloud app's
first visitor no longer waits for pandas, the store and the chart inside the first script run). The
server starts after at most ``warm_up.START_LIMIT_S`` seconds whatever the warm-up is doing.

Run as a plain Streamlit script instead (a runner that does not serve ``st.App``), it draws the dashboard
itself, without the warm-up: the app never depends on the hook.
"""

from __future__ import annotations

import asyncio
import runpy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit as st

DASHBOARD = Path(__file__).resolve().with_name("dashboard.py")


@asynccontextmanager
async def warm_up_on_start(_app: Any) -> AsyncIterator[None]:
    """Lifespan: compute the Overview's default view, then serve (the event loop stays free meanwhile)."""
    from ui import warm_up  # after the runtime has started: the caches it fills are the server's

    await asyncio.to_thread(warm_up.start().join, warm_up.START_LIMIT_S)
    yield


app = st.App(str(DASHBOARD), lifespan=warm_up_on_start)

if __name__ == "__main__":  # executed as the page script itself, not served through st.App
    runpy.run_path(str(DASHBOARD), run_name="__main__")
