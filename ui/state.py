"""Shareable view state: URL query parameters <-> widget values, and each page's 'Copy link'.

On a page's first run in a session the URL wins (a pasted link reopens the
same view); afterwards the widgets win and the URL is rewritten after every
change, so the address bar is always a link to what is on screen. Every
setting of every page travels (:class:`eventlens.url_state.ViewState`).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode, urlsplit

import streamlit as st

from eventlens import url_state
from eventlens.inert import inert
from eventlens.url_state import ViewContext, ViewState


def _widget_value(state: ViewState, key: str, ctx: ViewContext):
    value = getattr(state, key)
    if key in ("start", "end"):
        return value.date()
    if key == "windows":
        return url_state.format_windows(value).replace(";", "; ")
    if key == "events":
        return list(value or ctx.event_ids)
    if key == "tab":
        return ctx.tabs.get(value) if value else None
    if key == "peers":
        return list(value)
    return value


def tab_name(ctx: ViewContext, label: str | None) -> str | None:
    """The link name of the tab whose label is ``label``."""
    return next((name for name, shown in ctx.tabs.items() if shown == label), None)


def bind(page: str, keys: Iterable[str], ctx: ViewContext) -> None:
    """Seed the page's widget keys (``f"{page}_{key}"``) from the URL once, then from defaults.

    A key whose value is None (no event or article named) is left to the page's own default.
    """
    keys = list(keys)
    loaded = f"_url_loaded_{page}"
    notices_key = f"_url_notices_{page}"
    if not st.session_state.get(loaded):
        state, notices = url_state.parse_query(st.query_params.to_dict(), ctx)
        st.session_state[loaded] = True
        st.session_state[notices_key] = notices
        for key in keys:
            value = _widget_value(state, key, ctx)
            if value is not None:
                st.session_state[f"{page}_{key}"] = value
    else:
        default = url_state.defaults(ctx)
        for key in keys:
            value = _widget_value(default, key, ctx)
            if value is not None:
                st.session_state.setdefault(f"{page}_{key}", value)
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


def publish(state: ViewState, ctx: ViewContext, keys: Iterable[str]) -> dict[str, str]:
    """Write the non-default choices of ``state`` to the URL; return them (the link's query)."""
    wanted = url_state.to_query(state, ctx, keys)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    return wanted


def link(query: dict[str, str]) -> str:
    """The full address of this page with ``query``: what a colleague opens to see this view.

    ``st.context.url`` is the browser's address with the page's path (no query);
    without a browser (AppTest) the link is relative.
    """
    base = st.context.url or ""
    if base and not urlsplit(base).path:  # the default page: its address is the root
        base += "/"
    return base + ("?" + urlencode(query, safe=",;:-") if query else "")


def copy_link(page: str, query: dict[str, str], where=None) -> None:
    """A 'Copy link' menu: the page's full link as text, with a copy button (drawn only while open)."""
    menu = (where or st).popover("Copy link", icon=":material/link:", key=f"{page}_link", on_change="rerun",
                                 help="A link to this view, with every setting on the page: whoever opens it "
                                 "sees the same thing.")
    if menu.open:
        with menu:
            # st.code shows the link as plain text (never markdown) with its own copy-to-clipboard button.
            st.code(link(query), language=None, wrap_lines=True)
            st.caption("Copy it with the button at the box's top right.")


def context(tickers: list[str], first, last, event_ids: Iterable[str] = (),
            tabs: dict[str, str] | None = None) -> ViewContext:
    """What the URL may name: the tickers, the date span, the ids the page offers and its tabs."""
    return ViewContext(list(tickers), first, last, [str(e) for e in event_ids], dict(tabs or {}))
