"""Named, dated, cited events that articles mention (``data/known_events.csv``).

A mention of the China Development Forum or of Premier Li Qiang pins an
article's date the way a weekday or a quoted close does: it is one kind of
evidence among others, scored in :mod:`eventlens.dating`. Each row carries
its source so an analyst can check it. ``curated_for`` names the article (if
any) whose date the text alone cannot decide and which takes this row's date
as a curated, cited date instead.

``match`` is a small rule: groups separated by ``;`` must all occur in one
sentence, alternatives inside a group are separated by ``|`` (each a
case-insensitive regular expression matched at word boundaries).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from eventlens.paths import data_dir

KINDS = ("news", "period", "tenure")
COLUMNS = ["key", "name", "start", "end", "kind", "match", "source", "curated_for"]


@dataclass(frozen=True)
class KnownEvent:
    key: str
    name: str
    start: pd.Timestamp
    end: pd.Timestamp | None  # None: still ongoing (a tenure)
    kind: str
    groups: tuple[tuple[str, ...], ...]
    source: str
    curated_for: str | None

    def find(self, sentence: str) -> tuple[int, int] | None:
        """Offsets (within ``sentence``) spanning the matched words, if every group matches."""
        spans = []
        for group in self.groups:
            pattern = "|".join(f"(?:{alt})" for alt in group)
            m = re.search(rf"(?<!\w)(?:{pattern})(?!\w)", sentence, re.I)
            if m is None:
                return None
            spans.append((m.start(), m.end()))
        return min(s for s, _ in spans), max(e for _, e in spans)

    @property
    def last_day(self) -> pd.Timestamp:
        return self.end if self.end is not None else self.start

    def describe(self) -> str:
        span = f"{self.start:%Y-%m-%d}" if self.end == self.start else (
            f"{self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}" if self.end is not None else f"since {self.start:%Y-%m-%d}")
        return f"{self.name} ({span}; source: {self.source})"


def known_events_path() -> Path:
    return data_dir() / "known_events.csv"


def load_known_events(path: Path | None = None) -> list[KnownEvent]:
    """Read and check the table; a malformed row is an error, not a silent skip."""
    path = path or known_events_path()
    if not path.exists():
        return []
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path.name} lacks the column(s) {', '.join(missing)}.")
    events = []
    for i, row in table.iterrows():
        try:
            start = pd.Timestamp(row["start"])
            end = pd.Timestamp(row["end"]) if row["end"].strip() else None
        except ValueError as exc:
            raise ValueError(f"{path.name} row {i + 2}: a date does not parse.") from exc
        if row["kind"] not in KINDS:
            raise ValueError(f"{path.name} row {i + 2}: kind must be one of {', '.join(KINDS)}.")
        groups = tuple(tuple(a.strip() for a in g.split("|") if a.strip()) for g in row["match"].split(";"))
        if not groups or not all(groups):
            raise ValueError(f"{path.name} row {i + 2}: empty match rule.")
        events.append(KnownEvent(row["key"], row["name"], start, end, row["kind"], groups, row["source"],
                                 row["curated_for"].strip() or None))
    return events


def curated_for(article_id: str, events: list[KnownEvent] | None = None) -> KnownEvent | None:
    """The known event that supplies a curated date for this article, if any."""
    events = load_known_events() if events is None else events
    return next((e for e in events if e.curated_for == article_id), None)
