"""How well does the dating engine date articles it has never seen? Scored on tests/dating_corpus/.

For each labelled article: decode and clean it as an upload would be, infer its date, and compare the
trading day the engine maps it to with the trading day of its true date (the first session on or after
it). "Right" means within one trading day; an undatable article is right only when it is left undated.
Printed twice, with the known-events calendar on and off, so that the engine is seen to date articles
from their own clues and not from a lookup table. Topic, direction and publisher are scored too.

The test split is never tuned on: its rows are printed only as totals. ``--details`` lists each article
and is refused for the test split. A holdout split is written after the engine, blind, in wordings it was not
built for, committed before the engine first runs on it, and looked at once to report what the engine still
misses; if the engine is then changed for those misses, the articles join dev and a new blind holdout is written
(the h* and k* articles went that way; n* is the current holdout).

Run: ``.venv/bin/python -m bench.eval_dating [--split test|dev|all] [--details]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from eventlens.news import parse_article
from eventlens.news.dating import Calendar, default_calendar, infer_date
from eventlens.news.dating.known import load_known_events
from eventlens.news.dating.weights import default_weights

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "dating_corpus"
BUCKETS = ((0.9, 1.0001), (0.7, 0.9), (0.4, 0.7), (0.0, 0.4))


@dataclass
class Outcome:
    """One article's verdict."""

    article_id: str
    truth: pd.Timestamp | None
    got: pd.Timestamp | None
    confidence: float
    label: str
    verdict: str  # right, wrong, undated
    topic_ok: bool
    direction_ok: bool
    publisher_ok: bool
    note: str


@dataclass
class Scores:
    outcomes: list[Outcome] = field(default_factory=list)

    def datable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.truth is not None]

    def undatable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.truth is None]


def load_labels(split: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader((CORPUS / "labels.csv").open(encoding="utf-8")))
    return [r for r in rows if split == "all" or r["split"] == split]


def session_gap(cal: Calendar, a: pd.Timestamp, b: pd.Timestamp) -> int:
    """Number of sessions between two trading dates (0 when the same)."""
    return abs(int(cal.sessions.searchsorted(a)) - int(cal.sessions.searchsorted(b)))


def evaluate(rows: list[dict[str, str]], known_on: bool, cal: Calendar | None = None) -> Scores:
    cal = cal or default_calendar()
    known = load_known_events() if known_on else []
    scores = Scores()
    for row in rows:
        path = CORPUS / "articles" / f"{row['id']}.txt"
        article = parse_article(path.read_bytes(), row["id"], path)
        result = infer_date(article.text, cal, known)
        truth = cal.trading_date(pd.Timestamp(row["date"])) if row["date"] else None
        got = result.trading_date if result.dated else None
        if truth is None:
            verdict = "right" if not result.dated else "wrong"
        elif not result.dated:
            verdict = "undated"
        else:
            verdict = "right" if got is not None and session_gap(cal, truth, got) <= 1 else "wrong"
        cls = article.classify()
        scores.outcomes.append(Outcome(
            row["id"], truth, got, result.confidence, result.label, verdict, cls.category == row["topic"],
            cls.direction == row["direction"], article.source() == row["publisher"], result.note))
    return scores


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({n / d:.0%})" if d else "0/0"


def report(scores: Scores, title: str) -> list[str]:
    datable, undatable = scores.datable(), scores.undatable()
    right = sum(o.verdict == "right" for o in datable)
    undated = sum(o.verdict == "undated" for o in datable)
    wrong = sum(o.verdict == "wrong" for o in datable)
    given = sum(o.verdict == "wrong" for o in undatable)
    lines = [f"== {title}",
             f"datable articles:   right within one trading day {_pct(right, len(datable))}, "
             f"undated {_pct(undated, len(datable))}, wrong {_pct(wrong, len(datable))}",
             f"undatable articles: left undated {_pct(len(undatable) - given, len(undatable))}, "
             f"given a date {_pct(given, len(undatable))}",
             "calibration (dated articles, datable or not):"]
    dated = [o for o in scores.outcomes if o.label != "undated"]
    for name in [name for _, name in default_weights().labels]:
        group = [o for o in dated if o.label == name]
        lines.append(f"  label {name:<7} {_pct(sum(o.verdict == 'right' for o in group), len(group))} right")
    for lo, hi in BUCKETS:
        group = [o for o in dated if lo <= o.confidence < hi]
        lines.append(f"  confidence {lo:.1f}-{min(hi, 1.0):.1f}  "
                     f"{_pct(sum(o.verdict == 'right' for o in group), len(group))} right")
    n = len(scores.outcomes)
    lines.append(f"topic {_pct(sum(o.topic_ok for o in scores.outcomes), n)}, direction "
                 f"{_pct(sum(o.direction_ok for o in scores.outcomes), n)}, publisher "
                 f"{_pct(sum(o.publisher_ok for o in scores.outcomes), n)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--split", choices=("test", "dev", "holdout", "all"), default="test")
    parser.add_argument("--details", action="store_true", help="one line per article (not for the test split)")
    args = parser.parse_args(argv)
    if args.details and args.split in ("test", "all"):
        parser.error("--details is refused for the test split: it is never tuned on")
    rows = load_labels(args.split)
    for known_on in (True, False):
        started = time.perf_counter()
        scores = evaluate(rows, known_on)
        elapsed = time.perf_counter() - started
        title = f"split {args.split} ({len(rows)} articles), known-events calendar {'on' if known_on else 'off'}"
        print("\n".join(report(scores, title)))
        print(f"decoded, dated and classified {len(rows)} articles in {elapsed:.2f} s "
              f"({elapsed / max(1, len(rows)) * 1000:.0f} ms each; the first pass also loads dateparser)")
        if args.details:
            for o in scores.outcomes:
                truth = "undatable" if o.truth is None else f"{o.truth:%Y-%m-%d}"
                got = "undated" if o.got is None else f"{o.got:%Y-%m-%d}"
                print(f"  {o.article_id} {o.verdict:<7} truth {truth:<10} got {got:<10} {o.label:<7} "
                      f"{o.confidence:.2f} topic {'ok' if o.topic_ok else 'X'} dir {'ok' if o.direction_ok else 'X'}"
                      f" pub {'ok' if o.publisher_ok else 'X'} | {o.note[:90]}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
