"""Every choice of a page's view as URL query parameters, so a pasted link reopens the same view.

A page names the keys it carries (its :data:`ViewState` fields): the stock,
range, comparisons, price basis and candle period, benchmark, model, event
windows, estimation window and its options, the chosen events, the open tab
and the selected event or article.

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
DEFAULT_ESTIMATION = event_study.DEFAULT_ESTIMATION
BASES = ("adjusted", "as_traded")  # the Overview's price basis
INTERVALS = ("auto", "daily", "weekly")  # the Overview's candle period
DETAILS = ("bars", "fit")  # the Event study's one-event chart
EST_START = (-limits.MAX_ESTIMATION_START, -2)  # the estimation window's first day, inclusive bounds
EST_END = (-limits.MAX_ESTIMATION_START + 1, -1)  # and its last day
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^-?\d{1,5}$")
_FLAGS = {"1": True, "0": False, "true": True, "false": False}


class LinkValueError(ValueError):
    """A link value that cannot be used; ``str(exc)`` is the app's reason, quoted in the notice."""


def format_windows(windows: Iterable[tuple[int, int]]) -> str:
    """The compact form used in URLs and the windows text box: ``-1,1;0,0``."""
    return ";".join(f"{a},{b}" for a, b in windows)


@dataclass
class ViewContext:
    """What valid values are: the tickers, dates and events the data holds, and the page's tabs.

    ``event_ids`` are the ids the page's pickers offer (events; on the Articles
    page, articles); ``tabs`` maps each tab's link name to its label, the
    page's default tab first.
    """

    tickers: list[str]
    first_date: pd.Timestamp
    last_date: pd.Timestamp
    event_ids: list[str] = field(default_factory=list)
    tabs: dict[str, str] = field(default_factory=dict)


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
    basis: str = "adjusted"
    interval: str = "auto"
    est_start: int = DEFAULT_ESTIMATION[0]
    est_end: int = DEFAULT_ESTIMATION[1]
    pe: bool = False  # prediction-error correction of Var(CAR)
    excl: bool = False  # leave other events out of the fit
    cal: bool = False  # leave the company's earnings and deliveries days out of the fit
    events: tuple[str, ...] = ()  # the chosen events; () is every event
    tab: str | None = None  # the open tab's link name; None is the page's default tab
    focus: str | None = None  # the event shown in the Event study's one-event tab
    detail: str = "bars"  # which chart of that event
    article: str | None = None  # the article open on the Articles page


def defaults(ctx: ViewContext) -> ViewState:
    """The view a link without parameters shows: the whole span, the page's first tab."""
    return ViewState(start=ctx.first_date, end=ctx.last_date, tab=next(iter(ctx.tabs), None))


def _first(value: str | list[str] | None) -> str | None:
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def parse_query(params: Mapping[str, str | list[str]], ctx: ViewContext) -> tuple[ViewState, list[str]]:
    """A valid :class:`ViewState` from URL parameters, and a notice for each value ignored."""
    state = defaults(ctx)
    notices: list[str] = []

    def take(name: str, convert: Callable[[str], object], attr: str | None = None,
             longest: int = limits.MAX_LINK_VALUE) -> None:
        raw = _first(params.get(name))
        if raw is None or raw == "":
            return
        try:
            if len(raw) > longest:
                raise LinkValueError(f"longer than {longest} characters.")
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

    def article(raw: str) -> str:
        if raw not in ctx.event_ids:
            raise LinkValueError("no article with that id in the store.")
        return raw

    def windows(raw: str) -> tuple[tuple[int, int], ...]:
        return tuple(event_study.parse_windows(raw))  # StudyInputError is a ValueError

    def peers(raw: str) -> tuple[str, ...]:
        named = tuple(dict.fromkeys(ticker(p) for p in raw.split(",") if p.strip()))  # each compared once
        if len(named) > limits.MAX_PEERS:
            raise LinkValueError(f"at most {limits.MAX_PEERS} comparisons.")
        return named

    def one_of(options: Iterable[str], what: str) -> Callable[[str], str]:
        def convert(raw: str) -> str:
            if raw not in options:
                raise LinkValueError(f"the {what} must be one of {', '.join(options)}.")
            return raw
        return convert

    def whole(low: int, high: int) -> Callable[[str], int]:
        def convert(raw: str) -> int:
            if not _INT.match(raw.strip()) or not low <= int(raw) <= high:
                raise LinkValueError(f"not a whole number of trading days from {low} to {high}.")
            return int(raw)
        return convert

    def flag(raw: str) -> bool:
        if raw.strip().lower() not in _FLAGS:
            raise LinkValueError("an option is 1 (on) or 0 (off).")
        return _FLAGS[raw.strip().lower()]

    def id_list(raw: str) -> tuple[str, ...]:
        named = tuple(dict.fromkeys(i.strip() for i in raw.split(",") if i.strip()))
        if len(named) > limits.MAX_EVENTS:
            raise LinkValueError(f"at most {limits.MAX_EVENTS} events.")
        known = tuple(i for i in named if i in ctx.event_ids)
        unknown = [i for i in named if i not in ctx.event_ids]
        if not known:
            raise LinkValueError("none of these events is in the store.")
        if unknown:  # the rest of the choice still holds: an event removed since the link was made
            notices.append(f"Left out {len(unknown)} event(s) from the link that the store does not hold "
                           f"({', '.join(repr(clip(i, 30)) for i in unknown[:3])}{', …' if len(unknown) > 3 else ''}).")
        return known

    def skipped(raw: str) -> tuple[str, ...]:
        left_out = set(id_list(raw))
        kept = tuple(i for i in ctx.event_ids if i not in left_out)
        if not kept:
            raise LinkValueError("it leaves out every event.")
        return kept

    take("ticker", ticker)
    take("benchmark", ticker)
    take("start", day)
    take("end", day)
    take("event", event)
    take("model", model)
    take("windows", windows)
    take("peers", peers)
    take("basis", one_of(BASES, "price basis"))
    take("interval", one_of(INTERVALS, "candle period"))
    take("est_start", whole(*EST_START))
    take("est_end", whole(*EST_END))
    take("pe", flag)
    take("excl", flag)
    take("cal", flag)
    if params.get("events") and params.get("skip"):
        notices.append("Ignored 'skip' from the link: it also names the chosen events ('events'), which win.")
    elif params.get("skip"):
        take("skip", skipped, "events", longest=limits.MAX_LINK_LIST)
    take("events", id_list, longest=limits.MAX_LINK_LIST)
    take("tab", one_of(ctx.tabs, "tab"))
    take("focus", event)
    take("detail", one_of(DETAILS, "chart"))
    take("article", article)
    _check_estimation(state, notices)
    if state.start is not None and state.end is not None and state.start >= state.end:
        notices.append(
            f"Ignored the date range from the link: start {state.start:%Y-%m-%d} is not before end "
            f"{state.end:%Y-%m-%d}. Showing the whole span instead."
        )
        state.start, state.end = ctx.first_date, ctx.last_date
    return state, notices


def _check_estimation(state: ViewState, notices: list[str]) -> None:
    """The estimation window must end after it starts and leave the event windows out; else the default."""
    estimation = (state.est_start, state.est_end)
    if estimation == DEFAULT_ESTIMATION:
        return
    try:
        event_study.validate_design(state.windows, estimation, state.model)
    except event_study.StudyInputError as exc:
        notices.append(f"Ignored the estimation window {estimation[0]}..{estimation[1]} from the link: {exc} "
                       f"Using the default ({DEFAULT_ESTIMATION[0]}..{DEFAULT_ESTIMATION[1]}) instead.")
        state.est_start, state.est_end = DEFAULT_ESTIMATION


def to_query(state: ViewState, ctx: ViewContext, keys: Iterable[str]) -> dict[str, str]:
    """URL parameters for ``keys`` of ``state``, leaving out values equal to their default.

    The chosen events travel as ``events`` (the chosen ones, in their order),
    or as ``skip`` (the ones left out) when that is shorter and the chosen
    ones are in the store's order, so a link to all but one of a thousand
    events stays short and every link reads back the same list.
    """
    default = defaults(ctx)
    out: dict[str, str] = {}
    for key in keys:
        value = getattr(state, key)
        if value == getattr(default, key) or value is None:
            continue
        if key == "events":
            if set(value) == set(ctx.event_ids):
                continue
            chosen = set(value)
            left_out = [i for i in ctx.event_ids if i not in chosen]
            if len(left_out) < len(value) and list(value) == [i for i in ctx.event_ids if i in chosen]:
                out["skip"] = ",".join(left_out)
            else:
                out["events"] = ",".join(value)
        elif isinstance(value, pd.Timestamp):
            out[key] = f"{value:%Y-%m-%d}"
        elif key == "windows":
            out[key] = format_windows(value)
        elif isinstance(value, bool):
            out[key] = "1" if value else "0"
        elif isinstance(value, tuple):
            out[key] = ",".join(value)
        else:
            out[key] = str(value)
    return out
