"""The app's connection to the events store, through ``st.connection`` (Streamlit's SQL connection).

Which database: ``[connections.eventlens]`` in ``.streamlit/secrets.toml``
(a hosted PostgreSQL on Streamlit Cloud), else ``EVENTLENS_DB_URL``, else the
SQLite file in the state folder. Opening it (migrate, seed) happens once per
process; its outcome, failure included, is kept so that a broken database
costs one attempt, not one per rerun. When the store cannot be used the app
still shows the seed events and prices, read-only, and says why; it never
overwrites or deletes a store it cannot read.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx

from eventlens import events
from eventlens.inert import inert
from eventlens.store import Store, StoreError, StoreUnavailable, open_store
from eventlens.store.database import configure, database_url, describe, prepare_folder
from ui.loaders import caching

SEEDS_ONLY = "seeds (read-only)"  # the events key while the store cannot be read


@dataclass(frozen=True)
class Opened:
    """The store, or the one sentence saying why there is none."""

    store: Store | None
    problem: str | None


def _secret_settings() -> dict[str, Any] | None:
    try:
        section = st.secrets.get("connections", {}).get("eventlens")
    except Exception:  # noqa: BLE001 - no or unreadable secrets.toml means: no configured database
        return None
    return dict(section) if section else None


def _engine() -> Engine:
    settings = _secret_settings()
    if settings is None:
        url = database_url()
        prepare_folder(url)
        return st.connection("eventlens", type="sql", url=url).engine
    url = str(settings.get("url", ""))
    extra: dict[str, Any] = {}
    if url.startswith("postgresql") or settings.get("dialect") == "postgresql":
        extra["connect_args"] = {"connect_timeout": 5}
    return st.connection("eventlens", type="sql", **extra).engine


@caching.resource(show_spinner="Opening the events store…")
def _open(source: str) -> Opened:
    try:
        engine = configure(_engine())
    except StoreError as exc:
        return Opened(None, str(exc))
    except Exception:  # noqa: BLE001 - st.connection's own errors (bad URL, missing driver) become our sentence
        return Opened(None, "The events store's database settings cannot be used (check the URL in the secrets "
                            "or EVENTLENS_DB_URL).")
    try:
        return Opened(open_store(engine, events.seed_articles), None)
    except StoreError as exc:
        return Opened(None, str(exc))


def _source() -> str:
    """Which database, as a cache key. Reading ``st.secrets`` costs ~0.15 ms, and this runs on every page run,
    so the answer is kept per environment; "Try the store again" reads the secrets afresh."""
    return _source_for(os.environ.get("EVENTLENS_DB_URL", ""), os.environ.get("EVENTLENS_STATE_DIR", ""))


@functools.lru_cache(maxsize=16)
def _source_for(db_url: str, state_dir: str) -> str:
    settings = _secret_settings()
    return f"secrets:{sorted(settings.items())!r}" if settings else database_url()


def opened() -> Opened:
    return _open(_source())


def current() -> Store | None:
    """The store to read and write, or None when it cannot be used (see :func:`problem`)."""
    return opened().store


def retry() -> None:
    """Forget a failed opening (and the settings read for it) so that the next run tries again."""
    _source_for.cache_clear()
    _open.clear()


# The store key read once per script run: every loader asks for it (six to eight times a run), and each
# ask went through the opened store's cached lookup (~0.3 ms of Streamlit's argument hashing). The run is
# recognised by its context's ``cursors`` dict, which Streamlit replaces at the start of every run; holding
# it keeps its id from being reused. A page that writes to the store reruns (st.rerun) before reading again.
_RUN_KEYS: dict[int, tuple[object, tuple[str, int]]] = {}


def events_key() -> tuple[str, int]:
    """(where, revision): a cheap key that changes with every write to the store, the CLI's included."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:  # outside a script run: the start-up warm-up, with no session to note a lost store in
        return _events_key(in_session=False)
    seen = _RUN_KEYS.get(id(ctx))
    if seen is not None and seen[0] is ctx.cursors:
        return seen[1]
    key = _events_key(in_session=True)
    if len(_RUN_KEYS) > 256:  # contexts of ended sessions
        _RUN_KEYS.clear()
    _RUN_KEYS[id(ctx)] = (ctx.cursors, key)
    return key


def _events_key(in_session: bool) -> tuple[str, int]:
    store = current()
    if store is None:
        return SEEDS_ONLY, 0
    try:
        key = store.where, store.revision()
    except StoreUnavailable as exc:
        if in_session:
            st.session_state["_store_problem"] = str(exc)
        return SEEDS_ONLY, 0
    if in_session:
        st.session_state.pop("_store_problem", None)
    return key


def problem() -> str | None:
    """Why the app is showing seed events read-only, if it is."""
    return opened().problem or st.session_state.get("_store_problem")


def load(where: str) -> pd.DataFrame:
    """The events for an :func:`events_key` (the seed events when the store cannot be read)."""
    store = current()
    if where == SEEDS_ONLY or store is None:
        return events.build_from_seeds()
    return events.load_events(store)


def notice() -> None:
    """The app-wide banner when the store cannot be used; drawn by the router on every page."""
    events_key()  # notices a store that went away since it was opened
    message = problem()
    if message:
        st.error(f"{inert(message)} The app shows the seed articles' events read-only until the store is back; "
                 "nothing was overwritten or deleted.", icon=":material/database_off:")
        if st.button("Try the store again", key="store_retry"):
            st.session_state.pop("_store_problem", None)
            retry()
            st.rerun()


def where() -> str:
    store = current()
    return describe(store.engine.url) if store is not None else "no store (seed events, read-only)"
