"""When did an article's news happen? Scored date inference from text evidence.

Most articles never print their date, but they leave clues: "on Tuesday",
"closed 0.39% lower at $670.94 on Wednesday", "last month", "jumped 268% over
the past 12 months", "Premier Li Qiang". Each clue is turned into an
:class:`Evidence` item: the span of text, what it implies, a weight, and the
set of calendar days it is consistent with. Scoring is deliberately simple so
that it can be explained line by line:

* every calendar day of the price snapshot starts with the same score (0);
* each evidence item adds its weight to every day it agrees with (half of it
  where it half agrees, e.g. the week after an explicit date);
* the weights are log-odds, so ``exp(score)`` normalised over all days is a
  probability, and the winner's probability is the confidence.

Weights (log-odds; ``e^3`` ~ 20 times more likely):

================================  ======  ============================================
evidence                          weight  days it agrees with
================================  ======  ============================================
quoted close (+ % move)           6       from the matching session to the next one
explicit full date                8       that date (half weight: the 7 days after it)
known event, subject of the text  4       the event's dates (headline/lede or same
                                          sentence as the article's weekday)
weekday of the news ("on Tuesday") 3      days with that weekday
known event + "last month/year",  2       the month/year that relation gives
"N years ago"
known event reported earlier      2       the event and the week after it
("first reported on Friday")
trailing return ("up 268% over    2       days whose last close is that far from the
the past 12 months", exact)               close N months earlier (1 for "more than")
quote widget ("TSLA 0.26%")       2       days whose last session moved that much
month-day without year            3       that month-day, any year (half: the week after)
bare month ("in April")           1       that month and the two after it
known event as background         1       the event and the 60 days after it
tenure ("Premier Li Qiang")       1       the tenure
earlier weekday ("first reported  0.5     days that are not that weekday
on Friday")
year context ("in 2023")          0.5     that year and later
================================  ======  ============================================

Decision: the best day wins when it is unique and its probability is at least
0.2; otherwise the article is *undated* (never guessed). Label: high >= 0.7,
medium >= 0.4, low otherwise. The trading date is the first session on or
after the event date (the first close that can reflect the news); a date
after the snapshot's last session cannot be mapped and is reported as such.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from eventlens.known_events import KnownEvent, load_known_events
from eventlens.paths import prices_dir
from eventlens.prices import load_snapshot
from eventlens.splits import to_as_traded

TICKER = "TSLA"
UNDATED_BELOW = 0.2
LABELS = ((0.7, "high"), (0.4, "medium"), (0.0, "low"))
PRICE_TOLERANCE = 0.005  # USD, half a cent: quoted closes are rounded to the cent
PCT_TOLERANCE = 0.005  # percentage points: quoted moves are rounded to 0.01 %

W = {
    "price": 6.0,
    "explicit_date": 8.0,
    "known_subject": 4.0,
    "weekday": 3.0,
    "known_relation": 2.0,
    "known_prior": 2.0,
    "return_exact": 2.0,
    "quote_widget": 2.0,
    "month_day": 3.0,
    "return_bound": 1.0,
    "month": 1.0,
    "known_background": 1.0,
    "tenure": 1.0,
    "weekday_prior": 0.5,
    "year": 0.5,
}

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
_MONTH_RE = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?" \
            r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_FRACTIONS = {"a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25, "one quarter": 0.25, "half": 0.5,
              "two thirds": 2 / 3, "two-thirds": 2 / 3}
_DOWN = r"down|lost|lose|fell|fallen|dropped|declined|slumped|plunged|tumbled|sank|shed|off"
_UP = r"up|jumped|gained|rose|risen|climbed|surged|soared|rallied|added|increased"


# --- results -----------------------------------------------------------------


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
            parts.append(f"{mark}{ev.kind} '{_short(ev.text)}' -> {ev.implies} (w {ev.weight:g})")
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


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the calendar --------------------------------------------------------------


class Calendar:
    """Calendar days of the snapshot span, with TSLA's sessions and closes on both price bases."""

    def __init__(self, closes: pd.Series, ticker: str = TICKER):
        closes = closes.sort_index().astype(float)
        self.sessions = pd.DatetimeIndex(closes.index)
        self.closes = closes  # split-adjusted
        self.as_traded = to_as_traded(closes, ticker)
        self.pct = closes.pct_change() * 100.0
        self.days = pd.date_range(self.sessions[0], self.sessions[-1], freq="D")
        # index of the last session on or before each day, and strictly before it
        pos = self.sessions.searchsorted(self.days, side="right") - 1
        self.on_or_before = pos
        self.strictly_before = self.sessions.searchsorted(self.days, side="left") - 1
        self.last_session = self.sessions[-1]

    def trading_date(self, day: pd.Timestamp) -> pd.Timestamp | None:
        """First session whose close can reflect news of ``day`` (the day itself, or the next session)."""
        i = self.sessions.searchsorted(pd.Timestamp(day).normalize(), side="left")
        return None if i >= len(self.sessions) else self.sessions[i]

    def close_on_or_before(self, days: pd.DatetimeIndex) -> np.ndarray:
        pos = self.sessions.searchsorted(days, side="right") - 1
        values = self.closes.to_numpy()
        return np.where(pos >= 0, values[np.clip(pos, 0, None)], np.nan)

    def window(self, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
        return (self.days >= start) & (self.days <= end)


@functools.lru_cache(maxsize=4)
def _calendar_cached(path: str, mtime: float) -> Calendar:
    return Calendar(load_snapshot(TICKER)["Close"])


def default_calendar() -> Calendar:
    path = prices_dir() / f"{TICKER}.csv"
    return _calendar_cached(str(path), path.stat().st_mtime)


# --- text helpers --------------------------------------------------------------


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


def _month_index(name: str) -> int:
    return next(i for i, m in enumerate(MONTHS) if m.lower().startswith(name[:3].lower())) + 1


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


# --- evidence extraction ---------------------------------------------------------


@dataclass
class _Ctx:
    text: str
    cal: Calendar
    sents: list[tuple[int, int]]
    lede_end: int
    consumed: list[tuple[int, int]] = field(default_factory=list)  # weekday spans used by a price clue
    event_weekday_sentences: set[int] = field(default_factory=set)
    prior_weekday_sentences: set[int] = field(default_factory=set)

    def sentence_of(self, pos: int) -> int:
        return next((i for i, (s, e) in enumerate(self.sents) if s <= pos < e), len(self.sents) - 1)

    def used(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.consumed)


def _price_clues(ctx: _Ctx) -> list[Evidence]:
    """'closed 0.39% lower at $670.94 on Wednesday': the sessions whose as-traded close (and move) match."""
    out = []
    cal = ctx.cal
    for s, e in ctx.sents:
        sent = ctx.text[s:e]
        if not re.search(r"\bTesla\b|\bTSLA\b", sent):
            continue
        m = re.search(
            r"\bclos(?:ed|ing|e)\b(?P<mid>[^$]{0,60}?)\bat\s+\$\s?(?P<price>\d[\d,]*\.\d{1,2})"
            r"(?:\s+(?:on\s+)?(?P<wd>" + "|".join(WEEKDAYS) + r"))?", sent)
        if not m:
            continue
        price = float(m.group("price").replace(",", ""))
        pct = None
        pm = re.search(r"(?P<num>\d+(?:\.\d+)?)\s?%\s+(?P<dir>lower|higher|down|up)|(?P<dir2>down|up|lower|higher)"
                       r"\s+(?P<num2>\d+(?:\.\d+)?)\s?%", m.group("mid"))
        if pm:
            num = float(pm.group("num") or pm.group("num2"))
            direction = pm.group("dir") or pm.group("dir2")
            pct = -num if direction in ("lower", "down") else num
        weekday = m.group("wd")
        ok = (np.abs(cal.as_traded.to_numpy() - price) <= PRICE_TOLERANCE + 1e-9)
        if pct is not None:
            ok &= np.abs(cal.pct.to_numpy() - pct) <= PCT_TOLERANCE + 1e-9
        if weekday:
            ok &= cal.sessions.day_of_week == WEEKDAYS.index(weekday)
            ctx.consumed.append((s + m.start("wd"), s + m.end("wd")))
        matches = cal.sessions[ok]
        mask = np.zeros(len(cal.days), dtype=bool)
        for day in matches:
            nxt = cal.sessions[min(cal.sessions.get_loc(day) + 1, len(cal.sessions) - 1)]
            mask |= cal.window(day, nxt)
        quoted = f"close ${price:,.2f}" + (f" ({pct:+.2f}%)" if pct is not None else "") + (
            f" on a {weekday}" if weekday else "")
        if len(matches) == 0:
            implies = f"{quoted}: no session in the snapshot matches (as-traded, ±$0.005)"
        else:
            days = ", ".join(f"{d:%Y-%m-%d}" for d in matches[:5])
            implies = (f"{quoted} matches {len(matches)} session(s): {days}; as the latest close quoted, the "
                       f"news falls between that session and the next one")
        out.append(Evidence("price", s + m.start(), s + m.end(), m.group(), implies, W["price"], mask))
    return out


def _quote_widget(ctx: _Ctx) -> list[Evidence]:
    """A stand-alone 'TSLA 0.26%' line: the quote box shows the last session's move when the page was made."""
    out = []
    cal = ctx.cal
    for m in re.finditer(r"^[ \t]*TSLA[ \t]+(?P<num>[-+−]?\d+(?:\.\d+)?)[ \t]*%[ \t]*$", ctx.text, re.M):
        value = float(m.group("num").replace("−", "-"))
        hit = np.abs(cal.pct.to_numpy() - value) <= PCT_TOLERANCE + 1e-9
        last = cal.on_or_before
        prev = last - 1
        mask = ((last >= 0) & hit[np.clip(last, 0, None)]) | ((prev >= 1) & hit[np.clip(prev, 0, None)])
        n = int(hit.sum())
        out.append(Evidence("quote_widget", m.start("num") - 5 if m.start("num") >= 5 else m.start(), m.end(),
                            m.group().strip(), f"the last (or previous) session before the news moved {value:+.2f}% "
                            f"({n} sessions in the snapshot did)", W["quote_widget"], mask))
    return out


def _weekdays(ctx: _Ctx) -> list[Evidence]:
    out = []
    seen_event: set[int] = set()
    for m in re.finditer(r"\b(?:(?P<pre>(?i:on|last|this|late|early|since))\s+)?(?P<wd>" + "|".join(WEEKDAYS) + r")\b",
                         ctx.text):
        if ctx.used(m.start("wd"), m.end("wd")):
            continue
        wd = WEEKDAYS.index(m.group("wd"))
        before = ctx.text[max(0, m.start() - 30): m.start()].lower()
        prior = (m.group("pre") or "").lower() in ("last", "since") or bool(
            re.search(r"first reported|earlier|previously|reported first", before))
        i = ctx.sentence_of(m.start())
        if prior:
            ctx.prior_weekday_sentences.add(i)
            mask = ctx.cal.days.day_of_week != wd
            out.append(Evidence("weekday_prior", m.start(), m.end(), m.group(),
                                f"an earlier report on a {m.group('wd')}: the news itself is on another day",
                                W["weekday_prior"], mask))
            continue
        ctx.event_weekday_sentences.add(i)
        weight = W["weekday"] if wd not in seen_event else 0.0
        seen_event.add(wd)
        out.append(Evidence("weekday", m.start(), m.end(), m.group(), f"the news happened on a {m.group('wd')}"
                            + ("" if weight else " (repeat, not counted twice)"), weight,
                            ctx.cal.days.day_of_week == wd))
    return out


def _explicit_dates(ctx: _Ctx) -> list[Evidence]:
    out = []
    cal = ctx.cal
    patterns = [
        r"\b(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b",
        r"\b(?P<mn>" + _MONTH_RE + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
        r"\b(?P<d>\d{1,2})\s+(?P<mn>" + _MONTH_RE + r")\.?,?\s+(?P<y>(?:19|20)\d\d)\b",
    ]
    taken: list[tuple[int, int]] = []
    for pattern in patterns:
        for m in re.finditer(pattern, ctx.text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            month = int(m.group("m")) if "m" in m.groupdict() and m.groupdict().get("m") else _month_index(
                m.group("mn"))
            day = int(m.group("d"))
            year = m.group("y")
            if m.groupdict().get("mn") == "May" and not year and not re.match(r"\s*\d", ctx.text[m.end("mn"):]):
                continue
            try:
                if year:
                    date = pd.Timestamp(int(year), month, day)
                else:
                    pd.Timestamp(2020, month, day)  # validates the month-day (2020 is a leap year)
                    date = None
            except ValueError:
                continue
            taken.append((m.start(), m.end()))
            if date is not None:
                mask = 0.5 * cal.window(date, date + pd.Timedelta(days=7)) + 0.5 * (cal.days == date)
                if date > cal.last_session:
                    implies = (f"{date:%Y-%m-%d} is after the last session in the price snapshot "
                               f"({cal.last_session:%Y-%m-%d}): cannot be mapped")
                elif date < cal.days[0]:
                    implies = f"{date:%Y-%m-%d} is before the price snapshot starts ({cal.days[0]:%Y-%m-%d})"
                else:
                    implies = f"the news is on {date:%Y-%m-%d} (full weight) or within the 7 days after (half)"
                out.append(Evidence("explicit_date", m.start(), m.end(), m.group(), implies, W["explicit_date"], mask))
            else:
                anniversaries = [pd.Timestamp(y, month, day) for y in range(cal.days[0].year, cal.days[-1].year + 1)
                                 if not (month == 2 and day == 29 and y % 4)]
                mask = np.zeros(len(cal.days))
                for a in anniversaries:
                    mask = np.maximum(mask, 0.5 * cal.window(a, a + pd.Timedelta(days=7)) + 0.5 * (cal.days == a))
                out.append(Evidence("month_day", m.start(), m.end(), m.group(),
                                    f"{MONTHS[month - 1]} {day} of some year (full weight), or the week after (half)",
                                    W["month_day"], mask))
    ctx.consumed.extend(taken)
    return out


def _months(ctx: _Ctx) -> list[Evidence]:
    """A month named without a day ('sold ... in April'): the text is from that month or the two after."""
    out = []
    seen: set[int] = set()
    pattern = r"\b(?P<pre>in|of|since|during|for|last|early|late|mid-?)?\s*(?P<mn>January|February|March|April|May|" \
              r"June|July|August|September|October|November|December)\b(?P<post>\s+(?:sales|deliveries|figures))?"
    for m in re.finditer(pattern, ctx.text):
        if ctx.used(m.start("mn"), m.end("mn")):
            continue
        if m.group("mn") == "May" and not (m.group("pre") or m.group("post")):
            continue  # the modal verb "may"
        if re.match(r"\s*\d", ctx.text[m.end():]) or re.match(r"\s+(?:next|this) year", ctx.text[m.end():]):
            continue
        month = _month_index(m.group("mn"))
        weight = W["month"] if month not in seen else 0.0
        seen.add(month)
        offset = (ctx.cal.days.month - month) % 12
        out.append(Evidence("month", m.start("mn"), m.end(), m.group().strip(),
                            f"written in {m.group('mn')} or the two months after" + (
                                "" if weight else " (repeat, not counted twice)"), weight, offset <= 2))
    return out


def _years(ctx: _Ctx) -> list[Evidence]:
    out = []
    for m in re.finditer(r"\b(?:19|20)\d\d\b", ctx.text):
        if ctx.used(m.start(), m.end()) or re.match(r"\s*(?:%|models?|vehicles|cars)", ctx.text[m.end():]) or \
                ctx.text[max(0, m.start() - 1): m.start()] in ("$", ","):
            continue
        year = int(m.group())
        out.append(Evidence("year", m.start(), m.end(), m.group(), f"written in {year} or later", W["year"],
                            ctx.cal.days.year >= year))
    return out


def _returns(ctx: _Ctx) -> list[Evidence]:
    """Trailing returns quoted in the text, checked against the last close before each candidate day."""
    out = []
    cal = ctx.cal
    last_close = np.where(cal.strictly_before >= 0, cal.closes.to_numpy()[np.clip(cal.strictly_before, 0, None)],
                          np.nan)
    window_re = re.compile(
        r"(?P<qual>more than|over|almost|nearly|about|around|roughly|some)?\s*(?P<num>\d+(?:\.\d+)?)\s?%\s+"
        r"(?:over|in|during)\s+the\s+(?:last|past|previous)\s+(?P<n>\w+)\s+(?P<unit>months?|years?|weeks?)", re.I)
    ytd_re = re.compile(
        r"(?P<qual>more than|over|almost|nearly|about|around|roughly|some)?\s*(?P<num>\d+(?:\.\d+)?\s?%|"
        + "|".join(_FRACTIONS) + r")(?:\s+of\s+(?:their|its)\s+value)?\s+(?:since the start of the year|"
        r"(?:so far )?this year|year[- ]to[- ]date)", re.I)
    for s, e in ctx.sents:
        sent = ctx.text[s:e]
        for m in window_re.finditer(sent):
            n = _number(m.group("n"))
            if n is None:
                continue
            unit = m.group("unit").lower().rstrip("s")
            offset = {"month": pd.DateOffset(months=n), "year": pd.DateOffset(years=n),
                      "week": pd.DateOffset(weeks=n)}[unit]
            base = cal.close_on_or_before(cal.days - offset)
            out.append(_return_evidence(ctx, s, m, sent, float(m.group("num")) / 100, last_close / base - 1,
                                        f"over the {n} {unit}(s) before"))
        for m in ytd_re.finditer(sent):
            raw = m.group("num").lower().replace(" ", "")
            value = float(raw.rstrip("%")) / 100 if raw.endswith("%") else _FRACTIONS[m.group("num").lower()]
            year_end = pd.DatetimeIndex([pd.Timestamp(d.year - 1, 12, 31) for d in cal.days])
            base = cal.close_on_or_before(year_end)
            out.append(_return_evidence(ctx, s, m, sent, value, last_close / base - 1, "since the start of the year"))
    return out


def _return_evidence(ctx: _Ctx, s: int, m: re.Match, sent: str, value: float, actual: np.ndarray,
                     period: str) -> Evidence:
    before = sent[: m.start("num")]
    verbs = list(re.finditer(rf"\b(?:{_DOWN})\b|\b(?:{_UP})\b", before, re.I))
    down = bool(verbs) and re.fullmatch(_DOWN, verbs[-1].group().lower()) is not None
    signed = -value if down else value
    qual = (m.group("qual") or "").lower()
    with np.errstate(invalid="ignore"):
        if qual in ("more than", "over"):
            mask = actual <= signed if down else actual >= signed
            kind, weight, how = "return_bound", W["return_bound"], f"{'below' if down else 'above'} {signed:+.1%}"
        elif qual in ("almost", "nearly"):
            lo = abs(signed) - max(0.05, 0.15 * abs(signed))
            mask = (np.abs(actual) <= abs(signed)) & (np.abs(actual) >= lo) & (np.sign(actual) == np.sign(signed))
            kind, weight, how = "return_exact", W["return_exact"], f"just short of {signed:+.1%}"
        else:
            tol = max(0.02, 0.05 * abs(signed))
            mask = np.abs(actual - signed) <= tol
            kind, weight, how = "return_exact", W["return_exact"], f"{signed:+.1%} (±{tol:.1%})"
    mask = np.nan_to_num(mask, nan=False).astype(bool) & ~np.isnan(actual)
    start = s + (verbs[-1].start() if verbs else m.start())
    text = ctx.text[start: s + m.end()]
    implies = f"TSLA's return {period} the last close is {how}: {int(mask.sum())} calendar days agree"
    return Evidence(kind, start, s + m.end(), text, implies, weight, mask)


_RELATION_RE = re.compile(r"\b(?P<last>last|previous) (?P<unit>month|year)\b|\b(?P<n>\d+|" + "|".join(_NUMBER_WORDS)
                          + r") (?P<unit2>years?|months?) ago\b", re.I)


def _known(ctx: _Ctx, events: list[KnownEvent]) -> list[Evidence]:
    out = []
    cal = ctx.cal
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
                    n = _number(rel.group("n")) or 0
                    if rel.group("unit2").lower().startswith("year"):
                        mask = cal.days.year == ke.start.year + n
                        implies = f"'{rel.group()}' after {ke.describe()}: the news is in {ke.start.year + n}"
                    else:
                        target = ke.start + pd.DateOffset(months=n)
                        mask = (cal.days.year == target.year) & (cal.days.month == target.month)
                        implies = f"'{rel.group()}' after {ke.describe()}: the news is in {target:%Y-%m}"
                ev = Evidence("known_relation", start, end, ctx.text[start:end], implies, W["known_relation"], mask)
            elif ke.kind == "tenure":
                stop = ke.end if ke.end is not None else cal.days[-1]
                ev = Evidence("tenure", start, end, ctx.text[start:end], f"during {ke.describe()}", W["tenure"],
                              cal.window(ke.start, stop))
            elif ke.kind == "period":
                ev = Evidence("known_background", start, end, ctx.text[start:end], f"after {ke.describe()}",
                              W["known_background"], cal.days > last_day)
            elif start < ctx.lede_end or i in ctx.event_weekday_sentences:
                where = "headline/lede" if start < ctx.lede_end else "the sentence with the news weekday"
                ev = Evidence("known_subject", start, end, ctx.text[start:end],
                              f"the news is {ke.describe()} (named in {where})", W["known_subject"],
                              cal.window(ke.start, last_day))
            elif i in ctx.prior_weekday_sentences:
                ev = Evidence("known_prior", start, end, ctx.text[start:end],
                              f"reported earlier: the news is within a week after {ke.describe()}", W["known_prior"],
                              cal.window(ke.start, ke.start + pd.Timedelta(days=7)))
            else:
                ev = Evidence("known_background", start, end, ctx.text[start:end],
                              f"background: the news is within 60 days after {ke.describe()}", W["known_background"],
                              cal.window(ke.start, ke.start + pd.Timedelta(days=60)))
            if best is None or priority[ev.kind] > priority[best.kind]:
                best = ev
        if best is not None:
            out.append(best)
    return out


# --- the engine ------------------------------------------------------------------


def lede_end(text: str) -> int:
    """Offset after the headline and the first two non-empty paragraphs."""
    count, pos = 0, 0
    for line in text.split("\n"):
        pos += len(line) + 1
        if line.strip():
            count += 1
            if count >= 3:
                break
    return min(pos, len(text))


def collect_evidence(text: str, cal: Calendar | None = None, known: list[KnownEvent] | None = None) -> list[Evidence]:
    """Every clue in ``text`` (the cleaned article), in text order."""
    cal = cal or default_calendar()
    known = load_known_events() if known is None else known
    ctx = _Ctx(text, cal, sentences(text), lede_end(text))
    found = _price_clues(ctx)  # first: it consumes its own weekday
    found += _quote_widget(ctx)
    found += _explicit_dates(ctx)
    found += _weekdays(ctx)
    found += _months(ctx)
    found += _years(ctx)
    found += _returns(ctx)
    found += _known(ctx, known)  # last: it needs the weekday roles of each sentence
    return sorted(found, key=lambda ev: (ev.start, ev.end))


def infer_date(text: str, cal: Calendar | None = None, known: list[KnownEvent] | None = None,
               n_alternatives: int = 5) -> DateResult:
    """Score every calendar day against the evidence and decide (or refuse to guess)."""
    cal = cal or default_calendar()
    evidence = collect_evidence(text, cal, known)
    n = len(cal.days)
    scores = np.zeros(n)
    for ev in evidence:
        scores += ev.weight * ev.mask
    informative = [ev for ev in evidence if ev.weight > 0 and 0 < (ev.mask > 0).sum() and ev.mask.min() < 1]
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    order = np.lexsort((cal.days.asi8, -scores))  # best score first, earlier date first on ties
    best = order[0]
    tied = int((scores == scores[best]).sum())
    confidence = float(probs[best])

    winner: pd.Timestamp | None = cal.days[best]
    unmappable = [ev for ev in evidence if ev.kind == "explicit_date" and ev.mask.max() == 0]
    if not informative:
        note = "undated: no usable date clue in the text" + (
            f" ({unmappable[0].implies})" if unmappable else "")
        winner = None
    elif tied > 1:
        note = f"undated: {tied} days tie for the best score ({scores[best]:g}); the text cannot separate them"
        winner = None
    elif confidence < UNDATED_BELOW:
        note = (f"undated: the best day ({cal.days[best]:%Y-%m-%d}) has only {confidence:.0%} of the probability; "
                "the clues are too weak to decide")
        winner = None
    else:
        note = f"{cal.days[best]:%Y-%m-%d} wins with score {scores[best]:g} and {confidence:.0%} of the probability"

    ref = best
    for ev in evidence:
        ev.supports_winner = bool(ev.mask[ref] > 0) if ev.weight > 0 else None
    alternatives = []
    shown = order[1: n_alternatives + 1] if winner is not None else order[:n_alternatives]
    for k in shown:
        if scores[k] <= scores.min():
            break  # days no clue agrees with are not candidates
        if k == ref:
            why = f"best candidate, not accepted: {note}"
        else:
            why = _why_lost(evidence, ref, k, winner is None and scores[k] == scores[ref])
        alternatives.append(Candidate(cal.days[k], float(scores[k]), float(probs[k]), False, why))
    label = "undated" if winner is None else next(name for bound, name in LABELS if confidence >= bound)
    trading = cal.trading_date(winner) if winner is not None else None
    return DateResult(winner, trading, confidence if winner is not None else 0.0, label, evidence, alternatives, note)


def _why_lost(evidence: list[Evidence], best: int, k: int, tie: bool) -> str:
    if tie:
        return "ties with the best score: nothing in the text separates them"
    fails = [f"{ev.kind} '{_short(ev.text, 30)}'" for ev in evidence if ev.weight > 0 and ev.mask[best] > ev.mask[k]]
    gains = [f"{ev.kind} '{_short(ev.text, 30)}'" for ev in evidence if ev.weight > 0 and ev.mask[k] > ev.mask[best]]
    text = "disagrees with " + ", ".join(fails) if fails else "agrees with the same clues"
    if gains:
        text += "; but agrees with " + ", ".join(gains)
    return text

