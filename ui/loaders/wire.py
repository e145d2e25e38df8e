"""Cached frames and figures kept in the form Streamlit sends, so a rerun does not convert them again."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa

_ARROW: dict[int, pa.Table] = {}
_SENT: dict[int, go.Figure] = {}
T = TypeVar("T")


def kept_for(owner: object, store: dict[Any, T], key: Any, build: Callable[[], T | None]) -> T | None:
    """``build()``'s result, kept in ``store`` under ``key`` until ``owner`` is freed (a None result is not kept).

    For what a cached, never-mutated object is converted into on every rerun otherwise: the loaders hand back
    the same object each time, so its identity names it, and the entry goes with the object (an id is reused
    only after that).
    """
    found = store.get(key)
    if found is None:
        found = build()
        if found is not None:
            store[key] = found
            weakref.finalize(owner, store.pop, key, None)
    return found


def arrow_table(frame: pd.DataFrame) -> pa.Table | None:
    """``frame`` as Arrow, or None for mixed-type columns (Streamlit then converts, and fixes, it as usual)."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        return None


def shown(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """A cached, never-mutated frame as an Arrow table for ``st.dataframe``, converted once.

    ``st.dataframe`` converts a pandas frame to Arrow on every call (1-3 ms a table, on every
    rerun); the loaders return the same frame object each time, so its Arrow form is kept
    by identity until the frame is freed. Only for frames from the cached loaders.
    """
    table = kept_for(frame, _ARROW, id(frame), lambda: arrow_table(frame))
    return frame if table is None else table


class _SentFigure(go.Figure):
    """A figure standing in for a cached one in ``st.plotly_chart``: it hands over its spec as kept.

    ``st.plotly_chart`` takes a plotly figure and calls its ``to_dict()``, which deep-copies the whole
    figure and walks every array, on every rerun (2-4 ms for five years of candles). The cached figures
    never change, so their dict is made once; Streamlit only reads it (to write the JSON it sends).
    Never handed to anything else: the exporters get the cached figure itself.
    """

    def __init__(self, spec: dict) -> None:
        super().__init__()
        self._sent_spec = spec

    def to_dict(self) -> dict:
        return self._sent_spec


def sendable(fig: go.Figure) -> go.Figure:
    """What to give ``st.plotly_chart`` for a figure from the cached loaders: its dict, made once.

    Kept by the figure's identity until the figure is freed, like :func:`shown`'s Arrow tables; only
    for figures from ``st.cache_resource`` loaders, which hand back the same, never-mutated object.
    """
    sent = kept_for(fig, _SENT, id(fig), lambda: _SentFigure(fig.to_dict()))
    assert sent is not None  # _SentFigure(...) is never None
    return sent
