"""What the dating engine finds and answers: clues with their spans, candidate days, the result.

Every clue keeps the span of the cleaned text it was read from, what it
implies in words, its weight and the calendar days it agrees with, so the
Articles page can highlight it and explain it line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from eventlens.news.dating.calendar import Calendar
from eventlens.news.dating.weights import Weights


@dataclass
class Evidence:
    """One clue: where it is in the text, what it implies, how much it weighs."""

    kind: str
    start: int
    end: int
    text: str
    implies: str
    weight: float
    mask: np.ndarray = field(repr=False, compare=False)  # agreement per calendar day, 0..1
    supports_winner: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text, "implies": self.implies,
                "weight": self.weight, "supports_winner": self.supports_winner}


@dataclass
class Candidate:
    date: pd.Timestamp
    score: float
    probability: float
    won: bool
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"date": f"{self.date:%Y-%m-%d}", "score": round(self.score, 2),
                "probability": round(self.probability, 4), "won": self.won, "why": self.why}


@dataclass
class DateResult:
    event_date: pd.Timestamp | None
    trading_date: pd.Timestamp | None
    confidence: float
    label: str  # high, medium, low, undated
    evidence: list[Evidence]
    alternatives: list[Candidate]
    note: str

    @property
    def dated(self) -> bool:
        return self.event_date is not None

    def evidence_summary(self) -> str:
        """One line per clue for the store's ``date_evidence`` column."""
        parts = []
        for ev in self.evidence:
            mark = {True: "+", False: "-", None: "·"}[ev.supports_winner]
            parts.append(f"{mark}{ev.kind} '{short(ev.text)}' -> {ev.implies} (w {ev.weight:g})")
        return "; ".join(parts)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "event_date": None if self.event_date is None else f"{self.event_date:%Y-%m-%d}",
            "trading_date": None if self.trading_date is None else f"{self.trading_date:%Y-%m-%d}",
            "confidence": round(self.confidence, 4),
            "label": self.label,
            "note": self.note,
            "evidence": [e.to_dict() for e in self.evidence],
            "alternatives": [c.to_dict() for c in self.alternatives],
        }


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"



def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: split at line breaks and at . ! ? followed by space and a capital or quote."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        line_start = m.start()
        last = 0
        chunk = m.group()
        for cut in re.finditer(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z“\"‘])", chunk):
            spans.append((line_start + last, line_start + cut.start()))
            last = cut.end()
        spans.append((line_start + last, line_start + len(chunk)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


@dataclass
class Context:
    """The text being dated and what extractors tell each other (spans used, the publication anchor)."""

    text: str
    cal: Calendar
    weights: Weights
    lede_end: int
    sents: list[tuple[int, int]] = field(default_factory=list)
    consumed: list[tuple[int, int]] = field(default_factory=list)  # spans another clue already read
    anchors: list[pd.Timestamp] = field(default_factory=list)  # the stated publication date(s)
    anchor_span: tuple[int, int] | None = None
    event_weekday_sentences: set[int] = field(default_factory=set)
    prior_weekday_sentences: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.sents:
            self.sents = sentences(self.text)

    def sentence_of(self, pos: int) -> int:
        return next((i for i, (s, e) in enumerate(self.sents) if s <= pos < e), len(self.sents) - 1)

    def used(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.consumed)

    def zeros(self) -> np.ndarray:
        return np.zeros(len(self.cal.days))

    def day_mask(self, days: list[pd.Timestamp], value: float = 1.0) -> np.ndarray:
        mask = self.zeros()
        for day in days:
            i = self.cal.day_index(day)
            if i is not None:
                mask[i] = max(mask[i], value)
        return mask
