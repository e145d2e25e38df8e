"""The loaders' cache decorators: Streamlit's, with every argument handed over by name.

On each call Streamlit hashes the arguments into a key, and for an argument passed by position it looks
up its name with ``inspect.signature`` first (``cache_utils._get_positional_arg_name``, uncached): about
50-80 µs per positional argument, a few milliseconds a rerun over a page's loaders, more than the hashing
itself. Passed by name, the same arguments give the same key (name and value are hashed either way, and
``_``-prefixed names are still left out) without that lookup.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

import streamlit as st

P = ParamSpec("P")
R = TypeVar("R")


class ByName(Generic[P, R]):
    """A Streamlit-cached function called with its positional arguments turned into keywords."""

    def __init__(self, cached: Callable[P, R], func: Callable[P, R]) -> None:
        self._cached: Any = cached
        params = inspect.signature(func).parameters.values()
        if any(p.kind in (p.VAR_POSITIONAL, p.POSITIONAL_ONLY) for p in params):
            raise TypeError(f"{func.__qualname__}: a cached loader takes named parameters (a tuple, not *args)")
        self._names = tuple(p.name for p in params)
        functools.update_wrapper(self, func)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        result: R = self._cached(**dict(zip(self._names, args, strict=False)), **kwargs)
        return result

    def clear(self) -> None:
        """Empty this function's cache (as Streamlit's ``.clear()``)."""
        self._cached.clear()


def resource(**options: Any) -> Callable[[Callable[P, R]], ByName[P, R]]:
    """``st.cache_resource(**options)``, called by name: the stored object itself, no copy."""

    def decorate(func: Callable[P, R]) -> ByName[P, R]:
        return ByName(st.cache_resource(**options)(func), func)

    return decorate


def data(**options: Any) -> Callable[[Callable[P, R]], ByName[P, R]]:
    """``st.cache_data(**options)``, called by name: a fresh (unpickled) copy on each call."""

    def decorate(func: Callable[P, R]) -> ByName[P, R]:
        return ByName(st.cache_data(**options)(func), func)

    return decorate
