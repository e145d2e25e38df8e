"""Cached frames and figures kept in the form Streamlit sends, so a rerun does not convert them again."""

from __future__ import annotations

import weakref

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa

_ARROW: dict[int, pa.Table] = {}
_SENT: dict[int, go.Figure] = {}


def shown(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """A cached, never-mutated frame as an Arrow table for ``st.dataframe``, converted once.

    ``st.dataframe`` converts a pandas frame to Arrow on every call (1-3 ms a table, on every
    rerun); the loaders return the same frame object each time, so its Arrow form is kept
    by identity until the frame is freed. Only for frames from the cached loaders.
    """
    key = id(frame)
    table = _ARROW.get(key)
    if table is None:
        try:
            table = pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowException, TypeError, ValueError):
            return frame  # mixed-type columns: let Streamlit convert (and fix) it as usual
        _ARROW[key] = table
        weakref.finalize(frame, _ARROW.pop, key, None)
    return table


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
    key = id(fig)
    sent = _SENT.get(key)
    if sent is None:
        sent = _SentFigure(fig.to_dict())
        _SENT[key] = sent
        weakref.finalize(fig, _SENT.pop, key, None)
    return sent
