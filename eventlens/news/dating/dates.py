"""Date clues in words: explicit dates, datelines, publication stamps, relative dates, weekdays, months, years.

Which date is the news? A date printed in a byline, header or footer
("Published Sunday, March 24, 2024", "Filed 2024-09-30 08:12 ET") is when
the piece was written: it is weak evidence on its own but it anchors relative
words ("yesterday", "on Friday", "earlier this week"), which then name the
news day. A wire dateline ("BEIJING, Sept 28 (Agency) -") gives the month and
day. Effective dates, deadlines, earlier drafts and anniversaries ("takes
effect on Sept. 1", "the draft published last September") are shown but
never count: they are not when the news happened.

The date strings are found by pattern (so each keeps its span) and parsed by
``dateparser``, which reads every common written form.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from eventlens.news.dating.evidence import Context, Evidence

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
            r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
WD_RE = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
DATE_FORMS = [
    re.compile(r"\b(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>20\d\d)\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})-(?P<mn>{MONTH_RE})-(?P<y>(?:20)?\d\d)\b"),
    re.compile(rf"\b(?:(?P<wd>{WD_RE}),?\s+)?the\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)\s+of\s+(?P<mn>{MONTH_RE})\b\.?"
               rf"(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"),
    re.compile(rf"\b(?:(?P<wd>{WD_RE}),?\s+)?(?P<mn>{MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
               rf"(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"),
    re.compile(rf"\b(?:(?P<wd>{WD_RE}),?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mn>{MONTH_RE})\b\.?"
               rf"(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"),
]
# Words before a date that make it something other than the news: effective dates, deadlines, drafts, anniversaries.
NOT_THE_NEWS = re.compile(
    r"(?:(?:take|takes|took|taking|come|comes|came|coming|go|goes|went|enter|enters|entered)\s+(?:into\s+)?"
    r"(?:effect|force)|effective|in force|deadline|due|until|till|through|by|before|ahead of|starting|beginning"
    r"|from|expires?|expiring|ends?|since|after|anniversary\b[^.]{0,40}"
    r"|(?:the|a|an|earlier|first|previous) draft(?: version)?(?:\s+\w+){0,3}"
    r"|first (?:floated|proposed|published|released|issued)(?:\s+\w+){0,4})"
    r"(?:\s+(?:on|in|from|as of|of|last))?\s*$", re.I)
_STAMP_LINE = re.compile(r"^\s*(?:Published|Updated|Last updated|Filed|Posted|Date|Dated|Released)\b\s*(?:on|:)?",
                         re.I)
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]{2,},\s*$")
_RELATIVE = re.compile(
    r"\b(?P<today>today|this morning|this afternoon|tonight|earlier today)\b|\b(?P<yesterday>yesterday|last night)\b"
    r"|\b(?P<weekend>over the weekend|at the weekend|this weekend)\b|\b(?P<thisweek>earlier this week)\b"
    r"|\b(?P<lastweek>last week)\b|\b(?P<n>\d+|two|three|four|five|six) days ago\b", re.I)
_PRIOR = re.compile(r"(?:first reported|earlier|previously|reported first|since|until|before|after)\s+(?:on\s+)?$",
                    re.I)


@functools.lru_cache(maxsize=2048)
def parse_date(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of a date string, read by dateparser; None when it is not a real date.

    Numeric dates are read month first (US style) unless that is impossible ("28/12/2021").
    """
    import dateparser  # loaded on first use: pages that never date an article do not pay for it

    settings = {"DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    has_year = bool(re.search(r"(?:19|20)\d\d", text))
    if not has_year:
        text = f"{text} 2000"  # a leap year, so that Feb. 29 parses; the year is dropped below
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        return None
    return (parsed.year if has_year else None), parsed.month, parsed.day


def _line_of(text: str, pos: int) -> tuple[int, int, int]:
    """(start, end, index among non-empty lines) of the line holding ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    index = sum(1 for ln in text[:start].split("\n") if ln.strip())
    return start, end, index


def _role(ctx: Context, m: re.Match) -> str:
    """published, dateline, not_the_news or news: what this printed date is in the article."""
    text = ctx.text
    start, end, index = _line_of(text, m.start())
    line = text[start:end]
    before_in_line = text[start: m.start()]
    after = text[m.end(): m.end() + 6]
    if _DATELINE.match(before_in_line) and re.match(r"\s*(?:\(|[-–—])", after):
        return "dateline"
    n_lines = sum(1 for ln in text.split("\n") if ln.strip())
    near_edge = index <= 3 or index >= n_lines - 2
    if _STAMP_LINE.match(line) or (near_edge and len(line.strip()) <= 110 and (
            "|" in line or re.match(r"\s*By\b", line) or (not before_in_line.strip()
            and (not text[m.end(): end].strip() or re.match(r"\s*[-–—|]", text[m.end(): end]))))):
        return "published"
    sent = next(((s, e) for s, e in ctx.sents if s <= m.start() < e), (start, end))
    if NOT_THE_NEWS.search(text[max(sent[0], m.start() - 70): m.start()]):
        return "not_the_news"
    return "news"


def explicit_dates(ctx: Context) -> list[Evidence]:
    """Every printed date, with its role; publication stamps become the anchors of relative dates."""
    cal = ctx.cal
    found: list[tuple[re.Match, str, list[pd.Timestamp], bool]] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATE_FORMS:
        for m in pattern.finditer(ctx.text):
            if any(s < m.end() and m.start() < e for s, e in taken) or ctx.used(m.start(), m.end()):
                continue
            body = ctx.text[m.start("wd") if m.groupdict().get("wd") else m.start(): m.end()]
            if m.groupdict().get("wd"):
                body = body[len(m.group("wd")):].lstrip(", ")
            body = re.sub(r"^the\s+|\s+of\s+", " ", body).strip()  # "the 19th of March" -> "19th March"
            if m.groupdict().get("mn") == "May" and not m.group("y") and not re.match(r"May\.?\s+\d", body):
                continue
            if m.group("y") and len(m.group("y")) == 2:  # "17-May-24"
                body = body[: -2] + "20" + m.group("y")
            parsed = parse_date(body)
            if parsed is None:
                continue
            year, month, day = parsed
            taken.append((m.start(), m.end()))
            role = _role(ctx, m)
            # a weekday elsewhere in the sentence of a dateline or stamp counts from it: only news dates take it
            weekday = WEEKDAYS.index(m.group("wd")) if m.groupdict().get("wd") else (
                _weekday_beside(ctx, m) if role == "news" else None)
            if year is not None:
                days = [pd.Timestamp(year, month, day)]
            else:
                days = [pd.Timestamp(y, month, day) for y in range(cal.days[0].year, cal.days[-1].year + 1)
                        if not (month == 2 and day == 29 and y % 4)]
                if weekday is not None:
                    days = [d for d in days if d.day_of_week == weekday] or days
            # "Friday, Feb. 24": a weekday that leaves one year names the date as fully as a printed year
            found.append((m, role, days, year is not None or len(days) == 1))
    ctx.consumed.extend(taken)
    stamps = [(m, days) for m, role, days, full in found if role == "published" and full]
    stamps = stamps or [(m, days) for m, role, days, full in found if role in ("published", "dateline")]
    if stamps:
        m, ctx.anchors = stamps[0]
        ctx.anchor_span = (m.start(), m.end())
    return [_date_evidence(ctx, m, role, days, full) for m, role, days, full in found]


def _weekday_beside(ctx: Context, m: re.Match) -> int | None:
    """The one weekday the news sentence of a yearless date names ('on Monday ... on Sept. 30'), if any."""
    s, e = next(((s, e) for s, e in ctx.sents if s <= m.start() < e), (m.start(), m.end()))
    named = {w.group("wd") for w in re.finditer(rf"\b(?P<wd>{WD_RE})\b", ctx.text[s:e])
             if not _PRIOR.search(ctx.text[max(s, s + w.start() - 30): s + w.start()])
             and not re.search(r"(?:since|last|until)\s+$", ctx.text[max(s, s + w.start() - 8): s + w.start()], re.I)}
    return WEEKDAYS.index(named.pop()) if len(named) == 1 else None


def _date_evidence(ctx: Context, m: re.Match, role: str, days: list[pd.Timestamp], full: bool) -> Evidence:
    cal, w = ctx.cal, ctx.weights
    shown = ", ".join(f"{d:%Y-%m-%d}" for d in days) if len(days) <= 2 else f"{days[0]:%B %-d} of some year"
    outside = [d for d in days if d > cal.last_session or d < cal.days[0]]
    if role == "not_the_news":
        return Evidence("not_the_news", m.start(), m.end(), m.group(),
                        f"{shown}: an effective date, deadline, earlier draft or anniversary, not the news date",
                        w["not_the_news"], ctx.zeros())
    if role == "published":
        mask = ctx.day_mask(days)
        for back in range(1, w.published_days_before + 1):
            mask = np.maximum(mask, ctx.day_mask([d - pd.Timedelta(days=back) for d in days],
                                                 w.published_before_factor))
        implies = (f"written on {shown}: the news is that day or up to {w.published_days_before} days before "
                   "(relative dates count from it)")
        return Evidence("published", m.start(), m.end(), m.group(), implies, w["published"], mask)
    if role == "dateline":
        return Evidence("dateline", m.start(), m.end(), m.group(), f"datelined {shown}: the news is that day",
                        w["dateline" if not full else "explicit_date"], ctx.day_mask(days))
    if outside and len(outside) == len(days):
        where = "after the last session" if days[0] > cal.last_session else "before the price snapshot starts"
        implies = f"{shown} is {where} in the price snapshot ({cal.days[0]:%Y-%m-%d}..{cal.last_session:%Y-%m-%d})"
        return Evidence("explicit_date", m.start(), m.end(), m.group(), implies, w["explicit_date"], ctx.zeros())
    if not full and len(ctx.anchors) == 1:  # a month-day under a dated stamp: the latest one on or before it
        anchor = ctx.anchors[0]
        earlier = [d for d in days if d <= anchor and (anchor - d).days <= 366]
        if earlier:
            return _relative_evidence(ctx, m.start(), m.end(), earlier[-1:], f"{days[0]:%B %-d} before it was written")
    kind = "explicit_date" if full else "month_day"
    return Evidence(kind, m.start(), m.end(), m.group(), f"the news is on {shown}", w[kind], ctx.day_mask(days))


def _last_weekday(anchor: pd.Timestamp, weekday: int, strictly_before: bool) -> pd.Timestamp:
    back = (anchor.day_of_week - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return anchor - pd.Timedelta(days=back)


def relative_dates(ctx: Context) -> list[Evidence]:
    """Relative words counted from the stated publication date; bare weekdays when no date is stated."""
    out: list[Evidence] = []
    w = ctx.weights
    anchors = ctx.anchors
    day = pd.Timedelta(days=1)
    if anchors:
        for m in _RELATIVE.finditer(ctx.text):
            if ctx.used(m.start(), m.end()):
                continue
            if m.group("today"):
                days, what = anchors, "the day it was written"
            elif m.group("yesterday"):
                days, what = [a - day for a in anchors], "the day before it was written"
            elif m.group("weekend"):
                days = [d for a in anchors for d in (_last_weekday(a, 5, False), _last_weekday(a, 6, False))]
                what = "the weekend before it was written"
            elif m.group("thisweek"):
                days = [a - k * day for a in anchors for k in range(1, a.day_of_week + 1)]
                what = "earlier in the week it was written"
            elif m.group("lastweek"):
                days = [a - k * day for a in anchors for k in range(a.day_of_week + 1, a.day_of_week + 8)]
                what = "the week before it was written"
            else:
                n = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}.get(m.group("n").lower()) or int(
                    m.group("n"))
                days, what = [a - n * day for a in anchors], f"{n} days before it was written"
            out.append(_relative_evidence(ctx, m.start(), m.end(), days, what))
    seen: set[int] = set()
    for m in re.finditer(rf"\b(?:(?P<pre>(?i:on|last|this|late|early|since))\s+)?(?P<wd>{WD_RE})\b", ctx.text):
        if ctx.used(m.start("wd"), m.end("wd")):
            continue
        weekday = WEEKDAYS.index(m.group("wd"))
        pre = (m.group("pre") or "").lower()
        i = ctx.sentence_of(m.start())
        before = ctx.text[max(0, m.start() - 30): m.start()]
        if pre == "since" or _PRIOR.search(before) or (pre == "last" and not anchors):
            ctx.prior_weekday_sentences.add(i)
            out.append(Evidence("weekday_prior", m.start(), m.end(), m.group(),
                                f"an earlier report on a {m.group('wd')}: the news itself is on another day",
                                w["weekday_prior"], (ctx.cal.days.day_of_week != weekday).astype(float)))
            continue
        ctx.event_weekday_sentences.add(i)
        first = weekday not in seen
        seen.add(weekday)
        if anchors:
            days = [_last_weekday(a, weekday, pre == "last") for a in anchors]
            ev = _relative_evidence(ctx, m.start(), m.end(), days, f"the {m.group('wd')} on or before it was written")
            if not first:
                ev.weight, ev.implies = 0.0, ev.implies + " (repeat, not counted twice)"
            out.append(ev)
            continue
        out.append(Evidence("weekday", m.start(), m.end(), m.group(), f"the news happened on a {m.group('wd')}"
                            + ("" if first else " (repeat, not counted twice)"), w["weekday"] if first else 0.0,
                            (ctx.cal.days.day_of_week == weekday).astype(float)))
    return out


def _relative_evidence(ctx: Context, start: int, end: int, days: list[pd.Timestamp], what: str) -> Evidence:
    anchor = ctx.text[ctx.anchor_span[0]: ctx.anchor_span[1]] if ctx.anchor_span else "the stated date"
    shown = ", ".join(f"{d:%Y-%m-%d}" for d in days[:3]) + (" …" if len(days) > 3 else "")
    w = ctx.weights
    # counted from a stamp without a year, the clue is only as sure as that stamp (one candidate per year)
    weight = w["relative_date"] if len(ctx.anchors) <= 1 else min(w["relative_date"], w["dateline"])
    return Evidence("relative_date", start, end, ctx.text[start:end], f"{what} ('{anchor}'): {shown}", weight,
                    ctx.day_mask(days))


def months(ctx: Context) -> list[Evidence]:
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
        month = MONTHS.index(m.group("mn")) + 1
        not_news = bool(NOT_THE_NEWS.search(ctx.text[max(0, m.start("mn") - 70): m.start("mn")]))
        weight = ctx.weights["month"] if month not in seen and not not_news else 0.0
        seen.add(month)
        offset = (ctx.cal.days.month - month) % 12
        note = " (an effective date, deadline or earlier draft: not counted)" if not_news else (
            "" if weight else " (repeat, not counted twice)")
        out.append(Evidence("month", m.start("mn"), m.end(), m.group().strip(),
                            f"written in {m.group('mn')} or the two months after" + note, weight,
                            (offset <= 2).astype(float)))
    return out


def years(ctx: Context) -> list[Evidence]:
    out = []
    for m in re.finditer(r"\b(?:19|20)\d\d\b", ctx.text):
        if ctx.used(m.start(), m.end()) or re.match(r"\s*(?:%|models?|vehicles|cars)", ctx.text[m.end():]) or \
                ctx.text[max(0, m.start() - 1): m.start()] in ("$", ","):
            continue
        year = int(m.group())
        out.append(Evidence("year", m.start(), m.end(), m.group(), f"written in {year} or later",
                            ctx.weights["year"], (ctx.cal.days.year >= year).astype(float)))
    return out
