"""Shareable view state: URL query parameters <-> widget values.

On a page's first run in a session the URL wins (a pasted link reopens the
same view); afterwards the widgets win and the URL is rewritten after every
change, so the address bar is always a link to what is on screen.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from eventlens import url_state
from eventlens.inert import inert
from eventlens.url_state import ViewContext, ViewState


def _widget_value(state: ViewState, key: str):
    value = getattr(state, key)
    if key in ("start", "end"):
        return value.date()
    if key == "windows":
        return url_state.format_windows(value).replace(";", "; ")
    if key == "peers":
        return list(value)
    return value


def bind(page: str, keys: Iterable[str], ctx: ViewContext) -> None:
    """Seed the page's widget keys (``f"{page}_{key}"``) from the URL once, then from defaults."""
    keys = list(keys)
    loaded = f"_url_loaded_{page}"
    notices_key = f"_url_notices_{page}"
    if not st.session_state.get(loaded):
        state, notices = url_state.parse_query(st.query_params.to_dict(), ctx)
        st.session_state[loaded] = True
        st.session_state[notices_key] = notices
        for key in keys:
            st.session_state[f"{page}_{key}"] = _widget_value(state, key)
    else:
        default = ViewState(start=ctx.first_date, end=ctx.last_date)
        for key in keys:
            st.session_state.setdefault(f"{page}_{key}", _widget_value(default, key))
    keep(page, keys)
    for notice in st.session_state.get(notices_key, []):
        st.info(inert(notice), icon=":material/link:")  # notices quote the link's values


def keep(page: str, keys: Iterable[str]) -> None:
    """Keep the page's widget values through runs that do not draw the widgets.

    Streamlit forgets a widget's value after a run that did not draw it (a
    closed settings menu, another page). Re-assigning the value marks it as
    set by the app, which Streamlit keeps.
    """
    for key in keys:
        name = f"{page}_{key}"
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]


def seed(page: str, defaults: dict) -> None:
    """Page choices the URL does not carry: their defaults once, then kept like :func:`bind`'s."""
    for key, value in defaults.items():
        st.session_state.setdefault(f"{page}_{key}", value)
    keep(page, defaults)


def others(page: str, ticker: str, tickers: list[str]) -> list[str]:
    """The benchmark and peer choices for ``ticker``: every other ticker.

    A stock is never its own benchmark or peer. A link or an earlier choice
    may name the stock itself (``?ticker=SPY`` with SPY the default
    benchmark): the benchmark falls back to SPY, else QQQ, else the first other ticker,
    and the stock leaves the peers, before any widget or study reads them.
    """
    options = [t for t in tickers if t != ticker]
    benchmark, peers = f"{page}_benchmark", f"{page}_peers"
    if benchmark in st.session_state and st.session_state[benchmark] not in options:
        st.session_state[benchmark] = next((b for b in ("SPY", "QQQ") if b in options), options[0])
    if peers in st.session_state and ticker in st.session_state[peers]:
        st.session_state[peers] = [p for p in st.session_state[peers] if p != ticker]
    return options


def publish(state: ViewState, ctx: ViewContext, keys: Iterable[str]) -> None:
    """Write the non-default choices of ``state`` to the URL."""
    wanted = url_state.to_query(state, ctx, keys)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def context(tickers: list[str], first, last, event_ids: Iterable[str] = ()) -> ViewContext:
    """What the URL may name: the tickers, the date span and the events the data holds."""
    return ViewContext(list(tickers), first, last, [str(e) for e in event_ids])
