"""The view's key choices as URL query parameters, so a pasted link reopens the same view.

Parsing is strict and forgiving at once: every value is checked against what
the data allows, and a bad one falls back to its default with a notice that
says which parameter was ignored and why, instead of failing the page. A link
is input from anyone: each value is bounded (:mod:`eventlens.limits`), the
notice is the app's sentence (never a library's exception text), and it
quotes the value as it came, so the page must show it with
:func:`eventlens.inert.inert`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from eventlens import limits
from eventlens import study as event_study
from eventlens.inert import clip

DEFAULT_WINDOWS = event_study.DEFAULT_WINDOWS
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class LinkValueError(ValueError):
    """A link value that cannot be used; ``str(exc)`` is the app's reason, quoted in the notice."""


def format_windows(windows: Iterable[tuple[int, int]]) -> str:
    """The compact form used in URLs and the windows text box: ``-1,1;0,0``."""
    return ";".join(f"{a},{b}" for a, b in windows)


@dataclass
class ViewContext:
    """What valid values are: the tickers, dates and events the data holds."""

    tickers: list[str]
    first_date: pd.Timestamp
    last_date: pd.Timestamp
    event_ids: list[str] = field(default_factory=list)


@dataclass
class ViewState:
    ticker: str = "TSLA"
    benchmark: str = "SPY"
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    event: str | None = None
    model: str = "market"
    windows: tuple[tuple[int, int], ...] = DEFAULT_WINDOWS
    peers: tuple[str, ...] = ()


def _first(value: str | list[str] | None) -> str | None:
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def parse_query(params: Mapping[str, str | list[str]], ctx: ViewContext) -> tuple[ViewState, list[str]]:
    """A valid :class:`ViewState` from URL parameters, and a notice for each value ignored."""
    state = ViewState(start=ctx.first_date, end=ctx.last_date)
    notices: list[str] = []

    def take(name: str, convert: Callable[[str], object], attr: str | None = None) -> None:
        raw = _first(params.get(name))
        if raw is None or raw == "":
            return
        try:
            if len(raw) > limits.MAX_LINK_VALUE:
                raise LinkValueError(f"longer than {limits.MAX_LINK_VALUE} characters.")
            setattr(state, attr or name, convert(raw))
        except (LinkValueError, event_study.StudyInputError) as exc:
            reason = str(exc)
        except (ValueError, TypeError, OverflowError):  # a library's words: not shown
            reason = "not a value this view can use."
        else:
            return
        notices.append(f"Ignored '{name}={clip(raw, 40)}' from the link: {reason} Using the default instead.")

    def ticker(raw: str) -> str:
        symbol = raw.strip().upper()
        if symbol not in ctx.tickers:
            raise LinkValueError(f"'{clip(symbol, 12)}' is not among the available tickers ({', '.join(ctx.tickers)}).")
        return symbol

    def day(raw: str) -> pd.Timestamp:
        # Links carry plain dates: a time or a time zone (``2021-01-01T23:59:59+14:00``) would need a
        # choice of exchange day the link cannot state, so it is refused, not guessed.
        if not _DAY.match(raw.strip()):
            raise LinkValueError("not a YYYY-MM-DD date (links carry plain dates, without a time or time zone).")
        try:
            value = pd.Timestamp(raw.strip())
        except (ValueError, TypeError, OverflowError) as exc:
            raise LinkValueError("not a YYYY-MM-DD date.") from exc
        if pd.isna(value) or not (ctx.first_date <= value <= ctx.last_date):
            raise LinkValueError(f"outside the data ({ctx.first_date:%Y-%m-%d} to {ctx.last_date:%Y-%m-%d}).")
        return value.normalize()

    def model(raw: str) -> str:
        if raw not in event_study.MODELS:
            raise LinkValueError(f"the model must be one of {', '.join(event_study.MODELS)}.")
        return raw

    def event(raw: str) -> str:
        if raw not in ctx.event_ids:
            raise LinkValueError("no event with that id in the store.")
        return raw

    def windows(raw: str) -> tuple[tuple[int, int], ...]:
        return tuple(event_study.parse_windows(raw))  # StudyInputError is a ValueError

    def peers(raw: str) -> tuple[str, ...]:
        named = tuple(dict.fromkeys(ticker(p) for p in raw.split(",") if p.strip()))  # each compared once
        if len(named) > limits.MAX_PEERS:
            raise LinkValueError(f"at most {limits.MAX_PEERS} comparisons.")
        return named

    take("ticker", ticker)
    take("benchmark", ticker)
    take("start", day)
    take("end", day)
    take("event", event)
    take("model", model)
    take("windows", windows)
    take("peers", peers)
    if state.start is not None and state.end is not None and state.start >= state.end:
        notices.append(
            f"Ignored the date range from the link: start {state.start:%Y-%m-%d} is not before end "
            f"{state.end:%Y-%m-%d}. Showing the whole span instead."
        )
        state.start, state.end = ctx.first_date, ctx.last_date
    return state, notices


def to_query(state: ViewState, ctx: ViewContext, keys: Iterable[str]) -> dict[str, str]:
    """URL parameters for ``keys`` of ``state``, leaving out values equal to their default."""
    default = ViewState(start=ctx.first_date, end=ctx.last_date)
    out: dict[str, str] = {}
    for key in keys:
        value = getattr(state, key)
        if value == getattr(default, key) or value is None:
            continue
        if isinstance(value, pd.Timestamp):
            out[key] = f"{value:%Y-%m-%d}"
        elif key == "windows":
            out[key] = format_windows(value)
        elif key == "peers":
            out[key] = ",".join(value)
        else:
            out[key] = str(value)
    return out
