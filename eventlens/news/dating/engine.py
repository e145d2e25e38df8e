"""When did an article's news happen? Every calendar day is scored against the clues, and the best one wins.

Most articles never print their date, but they leave clues (a quoted close,
a dateline, "yesterday" under a publication stamp, "on Tuesday", a named
event). Each extractor turns a clue into an :class:`Evidence`: its span, what
it implies, a weight and the calendar days it agrees with. Scoring is kept
simple so that it can be explained line by line:

* every calendar day of the price snapshot starts at score 0;
* each clue adds its weight times its agreement (0..1) to every day;
* weights are log-odds (``weights.json``), so ``exp(score)`` normalised over
  all days is a probability;
* the confidence is the probability that the news is within one trading day
  of the best day (the accuracy the evaluation measures), so it can be
  calibrated: below ``undated_below`` the article stays undated (a wrong date
  is worse than none).

The trading date is the first session on or after the news day (the first
close that can reflect it); a day past the snapshot cannot be mapped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eventlens.news.article import lede_end
from eventlens.news.dating import dates, market
from eventlens.news.dating.calendar import Calendar, default_calendar, nyse_session_for
from eventlens.news.dating.evidence import Candidate, Context, DateResult, Evidence, short
from eventlens.news.dating.known import KnownEvent, known_clues, load_known_events
from eventlens.news.dating.weights import Weights, default_weights


def collect_evidence(text: str, cal: Calendar | None = None, known: list[KnownEvent] | None = None,
                     weights: Weights | None = None) -> list[Evidence]:
    """Every clue in ``text`` (the cleaned article), in text order."""
    cal = cal or default_calendar()
    known = load_known_events() if known is None else known
    ctx = Context(text, cal, weights or default_weights(), lede_end(text))
    found = market.price_clues(ctx)  # first: each price takes its own move and weekday
    found += market.quote_widget(ctx)
    found += market.return_clues(ctx)
    found += market.move_clues(ctx)
    found += dates.explicit_dates(ctx)  # before relative dates: a publication stamp anchors them
    found += dates.relative_dates(ctx)
    found += dates.months(ctx)
    found += dates.years(ctx)
    found += known_clues(ctx, known)  # last: it needs the weekday roles of each sentence
    return sorted(found, key=lambda ev: (ev.start, ev.end))


def infer_date(text: str, cal: Calendar | None = None, known: list[KnownEvent] | None = None,
               n_alternatives: int = 5, weights: Weights | None = None) -> DateResult:
    """Score every calendar day against the evidence and decide (or refuse to guess)."""
    cal = cal or default_calendar()
    weights = weights or default_weights()
    evidence = collect_evidence(text, cal, known, weights)
    scores = np.zeros(len(cal.days))
    for ev in evidence:
        scores += ev.weight * np.asarray(ev.mask, dtype=float)
    informative = [ev for ev in evidence if ev.weight > 0 and np.ptp(np.asarray(ev.mask, dtype=float)) > 0]
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    order = np.lexsort((cal.days.asi8, -scores))  # best score first, earlier date first on ties
    best = int(order[0])
    confidence = cal.near_mass(probs, best)
    winner: pd.Timestamp | None = cal.days[best]
    if not informative:
        unmappable = [ev for ev in evidence if ev.kind in ("explicit_date", "published") and "snapshot" in ev.implies]
        note = "undated: no usable date clue in the text" + (f" ({unmappable[0].implies}{_beyond(unmappable[0])})"
                                                             if unmappable else "")
        winner = None
    elif confidence < weights.undated_below:
        tied = int((scores == scores[best]).sum())
        why = f"{tied} days tie for the best score" if tied > 1 else (
            f"the best day ({cal.days[best]:%Y-%m-%d}) and its neighbours hold only {confidence:.0%} "
            "of the probability")
        note = f"undated: {why}; the clues are too weak to decide"
        winner = None
    else:
        note = (f"{cal.days[best]:%Y-%m-%d} wins with score {scores[best]:g}; {confidence:.0%} of the probability "
                "is within one trading day of it")
    for ev in evidence:
        ev.supports_winner = bool(np.asarray(ev.mask)[best] > 0) if ev.weight > 0 else None
    alternatives = []
    shown = order[1: n_alternatives + 1] if winner is not None else order[:n_alternatives]
    for k in shown:
        if scores[k] <= scores.min():
            break  # days no clue agrees with are not candidates
        why = f"best candidate, not accepted: {note}" if k == best else _why_lost(
            evidence, best, int(k), winner is None and scores[k] == scores[best])
        alternatives.append(Candidate(cal.days[k], float(scores[k]), float(probs[k]), False, why))
    label = "undated" if winner is None else weights.label(confidence)
    trading = cal.trading_date(winner) if winner is not None else None
    return DateResult(winner, trading, confidence if winner is not None else 0.0, label, evidence, alternatives, note)


def _beyond(ev: Evidence) -> str:
    """For a printed date past the snapshot: the NYSE session that would reflect it (exchange_calendars)."""
    try:
        parsed = pd.Timestamp(ev.implies[:10])
    except ValueError:
        return ""
    found = nyse_session_for(parsed) if parsed > default_calendar().last_session else None
    if found is None:
        return ""
    session, early = found
    return f"; it would be reflected by the NYSE session of {session:%Y-%m-%d}" + (" (an early close)" if early else "")


def _why_lost(evidence: list[Evidence], best: int, k: int, tie: bool) -> str:
    if tie:
        return "ties with the best score: nothing in the text separates them"
    fails = [f"{ev.kind} '{short(ev.text, 30)}'" for ev in evidence
             if ev.weight > 0 and np.asarray(ev.mask)[best] > np.asarray(ev.mask)[k]]
    gains = [f"{ev.kind} '{short(ev.text, 30)}'" for ev in evidence
             if ev.weight > 0 and np.asarray(ev.mask)[k] > np.asarray(ev.mask)[best]]
    text = "disagrees with " + ", ".join(fails) if fails else "agrees with the same clues"
    if gains:
        text += "; but agrees with " + ", ".join(gains)
    return text
