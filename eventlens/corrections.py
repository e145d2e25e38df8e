"""What an analyst may correct on an event, and what a correction implies.

A new event date moves the trading day and makes the date the analyst's; a
new source (the publisher, kept on the article) is one line of plain text.
Every change is validated before anything is written, so a refusal saves
nothing; :mod:`eventlens.events` hands the resulting change to the store,
which records it in the event's history (and can undo it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from eventlens.news import CATEGORIES, DIRECTIONS
from eventlens.store import StoreError

if TYPE_CHECKING:
    from eventlens.news.dating import Calendar

EDITABLE = ("event_date", "category", "direction", "source")
MAX_SOURCE = 120  # characters in a publisher's name


def validate_change(field: str, value: Any, cal: Calendar) -> Any:
    """The value to store for ``field``, or :class:`StoreError` saying why it is refused."""
    if field == "event_date":
        try:
            day = pd.Timestamp(value)
        except (ValueError, TypeError) as exc:
            raise StoreError(f"'{value}' is not a date (use YYYY-MM-DD).") from exc
        if pd.isna(day):
            raise StoreError("The event date cannot be empty.")
        day = day.normalize().tz_localize(None) if day.tzinfo else day.normalize()
        if day > cal.last_session:
            raise StoreError(f"{day:%Y-%m-%d} is after the last session in the price data "
                             f"({cal.last_session:%Y-%m-%d}); it cannot be mapped to a trading day.")
        if day < cal.days[0]:
            raise StoreError(f"{day:%Y-%m-%d} is before the price data starts ({cal.days[0]:%Y-%m-%d}).")
        return day
    if field == "category":
        if value not in CATEGORIES:
            raise StoreError(f"'{value}' is not a category ({', '.join(CATEGORIES)}).")
        return value
    if field == "direction":
        if value not in DIRECTIONS:
            raise StoreError(f"'{value}' is not a direction ({', '.join(DIRECTIONS)}).")
        return value
    if field == "source":
        text = " ".join(str("" if value is None or (isinstance(value, float) and pd.isna(value)) else value)
                        .split())
        if not text:
            raise StoreError("The source cannot be empty (type the publisher's name, or 'unknown').")
        if len(text) > MAX_SOURCE:
            raise StoreError(f"A source is at most {MAX_SOURCE} characters; this one has {len(text):,}.")
        return text
    raise StoreError(f"'{field}' cannot be edited (only {', '.join(EDITABLE)}).")


def same(field: str, new: Any, old: Any) -> bool:
    """Whether a cell's new value is the stored one (dates compared as days, sources as their words)."""
    if field == "event_date":
        return (pd.isna(new) and pd.isna(old)) or (
            not pd.isna(new) and not pd.isna(old) and pd.Timestamp(new) == pd.Timestamp(old))
    if field == "source":
        return " ".join(str(new).split()) == " ".join(str(old).split())
    return bool(new == old)


def correction(changes: dict[str, Any], cal: Calendar) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What saving ``changes`` does to an event's stored fields (validated first, so a refusal writes nothing)."""
    valid = {field: validate_change(field, value, cal) for field, value in changes.items()}

    def apply(current: dict[str, Any]) -> dict[str, Any]:
        changed = {f: v for f, v in valid.items() if not same(f, v, current[f])}
        if not changed:
            return {}
        out = dict(changed)
        evidence = current["date_evidence"]
        for field, value in changed.items():
            old = current[field]
            was = "undated" if field == "event_date" and pd.isna(old) else (
                f"{pd.Timestamp(old):%Y-%m-%d}" if field == "event_date" else old)
            evidence = f"analyst set {field} (was {was}); " + evidence
            if field == "event_date":
                out.update(event_date=value, trading_date=cal.trading_date(value), date_label="analyst",
                           date_confidence=None)
        previous = [c for c in str(current["corrected"] or "").split(",") if c]
        out.update(date_evidence=evidence, origin="analyst",
                   corrected=",".join(dict.fromkeys([*previous, *changed])))
        return out

    return apply
