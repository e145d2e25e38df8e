"""Named, dated, cited events that articles mention (``data/known_events.csv``).

A mention of the China Development Forum or of Premier Li Qiang pins an
article's date the way a weekday or a quoted close does: it is one kind of
evidence among others (:func:`known_clues`), and articles with a price or an
explicit date are dated without it (the evaluation runs with it on and off).
Each row carries its source (publisher, headline, date) so a reader can check it. ``curated_for`` names the article (if
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

from eventlens.news.dating.evidence import Context, Evidence
from eventlens.news.dating.market import NUMBER_WORDS, number_word
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


_RELATION_RE = re.compile(r"\b(?P<last>last|previous) (?P<unit>month|year)\b|\b(?P<n>\d+|" + "|".join(NUMBER_WORDS)
                          + r") (?P<unit2>years?|months?) ago\b", re.I)


def known_clues(ctx: Context, events: list[KnownEvent]) -> list[Evidence]:
    """Named events of the table found in the text, one clue among others (weights in weights.json)."""
    out = []
    cal, w = ctx.cal, ctx.weights
    priority = {"known_relation": 4, "known_subject": 3, "tenure": 3, "known_prior": 2, "known_background": 1}
    for ke in events:
        best: Evidence | None = None
        for i, (s, e) in enumerate(ctx.sents):
            sent = ctx.text[s:e]
            hit = ke.find(sent)
            if hit is None:
                continue
            start, end = s + hit[0], s + hit[1]
            rel = _RELATION_RE.search(sent)
            last_day = ke.last_day
            if rel and ke.kind != "tenure":
                if rel.group("last"):
                    if rel.group("unit").lower() == "month":
                        target = last_day + pd.DateOffset(months=1)
                        mask = (cal.days.year == target.year) & (cal.days.month == target.month)
                        implies = f"'{rel.group()}' after {ke.describe()}: the news is in {target:%Y-%m}"
                    else:
                        mask = cal.days.year == last_day.year + 1
                        implies = f"'{rel.group()}' after {ke.describe()}: the news is in {last_day.year + 1}"
                else:
                    n = number_word(rel.group("n")) or 0
                    if rel.group("unit2").lower().startswith("year"):
                        mask = cal.days.year == ke.start.year + n
                        implies = f"'{rel.group()}' after {ke.describe()}: the news is in {ke.start.year + n}"
                    else:
                        target = ke.start + pd.DateOffset(months=n)
                        mask = (cal.days.year == target.year) & (cal.days.month == target.month)
                        implies = f"'{rel.group()}' after {ke.describe()}: the news is in {target:%Y-%m}"
                ev = Evidence("known_relation", start, end, ctx.text[start:end], implies, w["known_relation"], mask)
            elif ke.kind == "tenure":
                stop = ke.end if ke.end is not None else cal.days[-1]
                ev = Evidence("tenure", start, end, ctx.text[start:end], f"during {ke.describe()}", w["tenure"],
                              cal.window(ke.start, stop))
            elif ke.kind == "period":
                ev = Evidence("known_background", start, end, ctx.text[start:end], f"after {ke.describe()}",
                              w["known_background"], cal.days > last_day)
            elif start < ctx.lede_end or i in ctx.event_weekday_sentences:
                where = "headline/lede" if start < ctx.lede_end else "the sentence with the news weekday"
                ev = Evidence("known_subject", start, end, ctx.text[start:end],
                              f"the news is {ke.describe()} (named in {where})", w["known_subject"],
                              cal.window(ke.start, last_day))
            elif i in ctx.prior_weekday_sentences:
                ev = Evidence("known_prior", start, end, ctx.text[start:end],
                              f"reported earlier: the news is within a week after {ke.describe()}", w["known_prior"],
                              cal.window(ke.start, ke.start + pd.Timedelta(days=7)))
            else:
                ev = Evidence("known_background", start, end, ctx.text[start:end],
                              f"background: the news is within 60 days after {ke.describe()}", w["known_background"],
                              cal.window(ke.start, ke.start + pd.Timedelta(days=60)))
            if best is None or priority[ev.kind] > priority[best.kind]:
                best = ev
        if best is not None:
            out.append(best)
    return out
