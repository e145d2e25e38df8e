"""A package whose public names are imported on first use (PEP 562), shared by ``study``, ``news`` and ``dating``.

Importing such a package, or one of its light modules, loads nothing else: the heavy modules (scipy for the
tests, the readers and dating clues for articles) come when a name from them is first asked for, and a cold
start pays only for what its first page uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(package: str, namespace: dict[str, Any], sources: Mapping[str, str], submodules: Iterable[str],
                 public: Iterable[str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The package's ``__getattr__`` and ``__dir__``.

    ``sources`` maps each public name to the submodule defining it; ``submodules`` are reachable as attributes
    (``es.ranks``), as when the package imported them all; a name, once imported, is stored in ``namespace``
    (the package's globals) so later lookups are plain module attributes.
    """
    subs, names = frozenset(submodules), tuple(public)

    def __getattr__(name: str) -> Any:
        if name in subs:
            return importlib.import_module(f"{package}.{name}")
        module = sources.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        """What the package offers, as when it imported everything: the public names, the submodules, the dunders."""
        dunders = {n for n in namespace if n.startswith("__") and n not in ("__getattr__", "__dir__")}
        return sorted({*names, *subs, *dunders})

    return __getattr__, __dir__
