"""The dating engine's weights and thresholds, kept as data (``weights.json``) so they are tuned in one place.

Weights are log-odds: a clue adds its weight to every calendar day it agrees
with, so a day that agrees with a clue of weight 3 becomes e^3 ~ 20 times
more likely than one that does not. ``price_after_session`` is the share of a
price clue's weight given to the days after the quoted session up to the next
one (an article quoting a close is often written the next day);
``price_field_factor`` scales a match on the open, high or low against one on
the close; ``price_move_conflict`` scales a price clue whose quoted move beside it
matches none of the sessions the price matches (one of the two numbers is wrong, and the text
does not say which). A publication stamp agrees fully with its own day and by
``published_before_factor`` with the ``published_days_before`` days before it.
The confidence is the probability that the news is within one trading day of
the chosen date; below ``undated_below`` the article is left undated, and
``labels`` name the confidence bands (lower bounds, highest first).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

WEIGHTS_PATH = Path(__file__).with_name("weights.json")


@dataclass(frozen=True)
class Weights:
    weights: dict[str, float]
    price_after_session: float
    price_field_factor: dict[str, float]
    published_days_before: int
    published_before_factor: float
    undated_below: float
    labels: tuple[tuple[float, str], ...]
    price_move_conflict: float = 1.0

    def __getitem__(self, kind: str) -> float:
        return self.weights[kind]

    def label(self, confidence: float) -> str:
        return next(name for bound, name in self.labels if confidence >= bound)

    def meaning(self, label: str) -> str:
        """What a confidence label promises, in one sentence the Articles page can show beside it."""
        if label == "undated":
            return ("undated: the clues in the text do not single out one trading day; pick a candidate or type "
                    "the date")
        bounds = dict((name, bound) for bound, name in self.labels)
        higher = [b for b, n in self.labels if b > bounds[label]]
        upper = f" and below {min(higher):.0%}" if higher else ""
        return (f"{label}: the engine puts the chance that the news is within one trading day of this date at "
                f"{max(bounds[label], self.undated_below):.0%} or more{upper}; checked against held-out "
                "labelled articles (the dating benchmark)")


def load_weights(path: Path | None = None) -> Weights:
    """Read and check the weights file: a bad value is an error, not a silent default."""
    data = json.loads((path or WEIGHTS_PATH).read_text(encoding="utf-8"))
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    if any(v < 0 for v in weights.values()):
        raise ValueError("dating weights must be >= 0")
    labels = tuple((float(b), str(n)) for b, n in data["labels"])
    if [b for b, _ in labels] != sorted((b for b, _ in labels), reverse=True) or labels[-1][0] != 0.0:
        raise ValueError("confidence labels must be ordered from the highest bound down to 0")
    if not 0 <= float(data.get("price_move_conflict", 1.0)) <= 1:
        raise ValueError("price_move_conflict must be a factor between 0 and 1")
    if not 0 < float(data["undated_below"]) < 1:
        raise ValueError("undated_below must be a probability")
    return Weights(weights, float(data["price_after_session"]),
                   {str(k): float(v) for k, v in data["price_field_factor"].items()},
                   int(data["published_days_before"]), float(data["published_before_factor"]),
                   float(data["undated_below"]), labels, float(data.get("price_move_conflict", 1.0)))


@functools.lru_cache(maxsize=1)
def default_weights() -> Weights:
    return load_weights()
