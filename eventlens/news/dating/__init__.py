"""Dating news from its own text: clue extractors (market, dates, known events), the calendar, the engine.

``infer_date(text)`` is the entry point; :mod:`.engine` explains the scoring
and ``weights.json`` holds every weight and threshold.
"""

from eventlens.news.dating.calendar import Calendar, default_calendar
from eventlens.news.dating.engine import collect_evidence, infer_date
from eventlens.news.dating.evidence import Candidate, DateResult, Evidence

__all__ = ["Calendar", "Candidate", "DateResult", "Evidence", "collect_evidence", "default_calendar", "infer_date"]
