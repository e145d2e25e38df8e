"""Dating news from its own text: clue extractors (market, dates, known events), the calendar, the engine.

``infer_date(text)`` is the entry point; :mod:`.engine` explains the scoring
and ``weights.json`` holds every weight and threshold. Names are imported on first use (PEP 562), so
importing a module that may date an article later costs nothing until it does.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the real types for mypy and editors; at run time each name is imported on first use
    from eventlens.news.dating.calendar import Calendar, default_calendar
    from eventlens.news.dating.engine import collect_evidence, infer_date
    from eventlens.news.dating.evidence import Candidate, DateResult, Evidence

_SOURCES = {
    "Calendar": "calendar", "default_calendar": "calendar",
    "collect_evidence": "engine", "infer_date": "engine",
    "Candidate": "evidence", "DateResult": "evidence", "Evidence": "evidence",
}
_SUBMODULES = ("calendar", "dates", "engine", "evidence", "known", "market", "report", "weights")

__all__ = ["Calendar", "Candidate", "DateResult", "Evidence", "collect_evidence", "default_calendar", "infer_date"]


def __getattr__(name: str) -> Any:
    """PEP 562: import a public name's module on first use (``dating.infer_date`` works as before)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    module = _SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups are plain module attributes
    return value


def __dir__() -> list[str]:
    dunders = {n for n in globals() if n.startswith("__") and n not in ("__getattr__", "__dir__")}
    return sorted({*__all__, *_SUBMODULES, *dunders})
