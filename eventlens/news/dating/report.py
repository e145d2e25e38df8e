"""A dating result as an analyst reads it: the article with its clues marked, and two tables.

The Articles page shows why a date was chosen: every clue tagged in the text
(E1, E2, ...) and listed with what it implies and its weight, then each
candidate date with its probability and why it won or lost. Building that is
the same for any front end, so it lives here, next to nothing Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from eventlens.inert import inert_paragraphs
from eventlens.news.dating.evidence import DateResult

_AGREES = {True: "yes", False: "no", None: "n/a"}


@dataclass(frozen=True)
class DateReport:
    marked_text: str  # the article as inert markdown, clues in bold and tagged E1, E2, ...
    evidence: pd.DataFrame  # tag, kind, text, implies, weight, agrees with best date
    candidates: pd.DataFrame  # date, probability (%), result, why


def date_report(text: str, result: DateResult) -> DateReport:
    """The marked-up text and the evidence and candidate tables of ``result`` for ``text``."""
    tags = [f"E{i + 1}" for i in range(len(result.evidence))]
    spans = [(ev.start, ev.end, tag) for ev, tag in zip(result.evidence, tags, strict=True)]
    evidence = pd.DataFrame(
        [
            {"tag": tag, "kind": ev.kind, "text": ev.text, "implies": ev.implies, "weight": ev.weight,
             "agrees with best date": _AGREES[ev.supports_winner]}
            for ev, tag in zip(result.evidence, tags, strict=True)
        ],
        columns=["tag", "kind", "text", "implies", "weight", "agrees with best date"],
    )
    rows = []
    if result.dated:
        rows.append({"date": f"{result.event_date:%Y-%m-%d}", "probability (%)": result.confidence * 100,
                     "result": "won", "why": "highest score; agrees with the evidence marked 'yes'"})
    rows += [{"date": f"{c.date:%Y-%m-%d}", "probability (%)": c.probability * 100,
              "result": "lost" if result.dated else "not accepted", "why": c.why} for c in result.alternatives]
    candidates = pd.DataFrame(rows, columns=["date", "probability (%)", "result", "why"])
    return DateReport(inert_paragraphs(text, spans), evidence, candidates)
