"""Dating news from its own text: clue extractors (market, dates, known events), the calendar, the engine.

``infer_date(text)`` is the entry point; :mod:`.engine` explains the scoring
and ``weights.json`` holds every weight and threshold. Names are imported on first use (PEP 562), so
importing a module that may date an article later costs nothing until it does.
"""

from typing import TYPE_CHECKING

from eventlens.lazy_exports import lazy_exports

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


__getattr__, __dir__ = lazy_exports(__name__, globals(), _SOURCES, _SUBMODULES, __all__)
