"""Market clues: quoted TSLA prices and moves, quote boxes and trailing returns, checked against the sessions.

A quoted price that matches one session's close (or open, high or low), on
the as-traded or the split-adjusted basis, is the strongest clue there is; a
percent move beside it that matches the same session confirms it. Any verb,
subject or number format is read ("Tesla shares ended the day at $678.90, up
0.1%", "TSLA +3.4% to $1,114.00 (Fri)"), and a number matches at the
precision it is quoted: "$1,114" is 1,113.50..1,114.50, "3.0%" is 2.95..3.05.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from eventlens.news.dating.evidence import Context, Evidence

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WD_SHORT = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4}
DOWN = (r"down|lower|lost|lose|loses|fell|fallen|falls|dropped|drops|declined|declines|slumped|plunged|tumbled|sank"
        r"|shed|sheds|slid|slides|slipped|dipped|dips|eased|retreated|off|weaker")
UP = (r"up|higher|jumped|jumps|gained|gains|rose|rises|risen|climbed|climbs|surged|surges|soared|soars|rallied"
      r"|added|adds|advanced|popped|rebounded|spiked|stronger")
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_FRACTIONS = {"a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25, "one quarter": 0.25, "half": 0.5,
              "two thirds": 2 / 3, "two-thirds": 2 / 3}

# "$1,234.56", "US$ 610", never "$4.4 billion", "$100m", "mid-$200s" or the "$1" of "$1 trillion".
MONEY = re.compile(r"(?:US)?\$\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                   r"(?![\d,]*\d)(?!\.\d)(?!\s*(?:million|billion|trillion|bn|mn|m|k)\b|s\b)", re.I)
PERCENT = re.compile(r"(?:(?P<sign>[-+−])\s?)?(?P<num>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.I)
_STOCK = re.compile(r"\b(?:Tesla|TSLA|shares?|stock)\b", re.I)
_OTHER_COMPANY = re.compile(r"\b(?:NIO|Xpeng|XPEV|Li Auto|Didi|Baidu|BYD|Nvidia|Geely|Apple|S&P|Nasdaq|Dow)\b")
# A figure after one of these is not a session's price: a target, a round level, a range, a cost.
_NOT_A_QUOTE = re.compile(
    r"(?:target|PT|valu\w*|worth|cost\w*|fine[ds]?|raised|revenue|budget|price of|around|about|near|nearly"
    r"|roughly|some|approximately|~|above|below|over|under|more than|less than|beyond|topped|past|through"
    r"|mid-|low-|high-|upper|lower)\s*(?:of\s*)?(?:US)?\$?\s?$", re.I)
# A percent followed by one of these is not the session's move.
_NOT_A_MOVE = re.compile(
    r"^\s*(?:[a-z]+\s+){0,3}(?:over the|in the (?:past|last)|during the|this year|so far|since|year[- ]to[- ]date"
    r"|of (?:its|their|the)|stake|market share|share of|margin|in after[- ]hours|after[- ]hours|in pre-?market"
    r"|pre-?market|from (?:a|the|last|march|april|may|june|july|august|september|october|november|december"
    r"|january|february)|year[- ]on[- ]year|y/y|a year|compared|of sales|of global|of its)", re.I)
_NOT_A_MOVE_BEFORE = re.compile(r"(?:nearly|about|around|more than|over|almost|roughly|some|contributes|accounting"
                                r"|for)\s*$", re.I)
_FIELD = [("high", re.compile(r"(?:as high as|high of|intraday high|peak(?:ed)? (?:of|at))\s*$", re.I)),
          ("low", re.compile(r"(?:as low as|low of|intraday low|bottom(?:ed)? (?:of|at))\s*$", re.I)),
          ("open", re.compile(r"(?:opened|open(?:ing)? (?:at|of)|opened at)\s*(?:at\s*)?$", re.I))]
_WEEKDAY_NEAR = re.compile(r"\b(?P<full>Monday|Tuesday|Wednesday|Thursday|Friday)(?:'s|’s)?\b"
                           r"|\((?P<abbr>Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri)\.?\)")


def half_unit(number: str) -> float:
    """Half a unit of the last quoted digit: '670.94' -> 0.005, '3.0' -> 0.05, '2' -> 0.5."""
    decimals = len(number.split(".", 1)[1]) if "." in number else 0
    return 0.5 * 10.0 ** (-decimals) + 1e-9


def _signed_move(sent: str, m: re.Match) -> float | None:
    """The percent as a signed move, or None when the words give no direction."""
    value = float(m.group("num"))
    if m.group("sign"):
        return -value if m.group("sign") in "-−" else value
    after = sent[m.end(): m.end() + 14]
    if re.match(r"^\s*(?:lower|down|weaker)\b", after, re.I):
        return -value
    if re.match(r"^\s*(?:higher|up|stronger)\b", after, re.I):
        return value
    before = sent[max(0, m.start() - 60): m.start()]
    verbs = list(re.finditer(rf"\b(?:{DOWN}|{UP})\b", before, re.I))
    if not verbs:
        return None
    return -value if re.fullmatch(DOWN, verbs[-1].group(), re.I) else value


def _moves(sent: str, exclude: tuple[int, int] | None = None) -> list[tuple[re.Match, float | None]]:
    """The session moves quoted in a sentence (percents that are not trailing returns, shares or margins)."""
    found = []
    for m in PERCENT.finditer(sent):
        if exclude and exclude[0] <= m.start() < exclude[1]:
            continue
        if _NOT_A_MOVE.match(sent[m.end():]) or _NOT_A_MOVE_BEFORE.search(sent[: m.start()]):
            continue
        found.append((m, _signed_move(sent, m)))
    return found


def _weekday_in(ctx: Context, s: int, sent: str) -> tuple[int, re.Match] | None:
    for m in _WEEKDAY_NEAR.finditer(sent):
        before = sent[max(0, m.start() - 12): m.start()].lower()
        if re.search(r"(?:since|last|until|before|after)\s*$", before):
            continue
        day = WEEKDAYS.index(m.group("full")) if m.group("full") else _WD_SHORT[m.group("abbr").lower()]
        return day, m
    return None


def _session_mask(ctx: Context, sessions: np.ndarray, weight_on_day: float = 1.0) -> np.ndarray:
    """A session agrees fully; the calendar days after it up to the next session agree in part."""
    cal = ctx.cal
    mask = ctx.zeros()
    after = ctx.weights.price_after_session
    idx = np.flatnonzero(sessions)
    for i in idx:
        start = cal.day_index(cal.sessions[i])
        stop = cal.day_index(cal.sessions[min(i + 1, len(cal.sessions) - 1)])
        if start is None or stop is None:
            continue
        mask[start + 1: stop + 1] = np.maximum(mask[start + 1: stop + 1], after * weight_on_day)
        mask[start] = max(mask[start], weight_on_day)
    return mask


def price_clues(ctx: Context) -> list[Evidence]:
    """Every quoted TSLA price, with the move and weekday beside it, as the sessions it matches."""
    out: list[Evidence] = []
    cal = ctx.cal
    pct = cal.pct.to_numpy()
    for s, e in ctx.sents:
        sent = ctx.text[s:e]
        if not _STOCK.search(sent) or (_OTHER_COMPANY.search(sent) and not re.search(r"Tesla|TSLA", sent)):
            continue
        prices = [m for m in MONEY.finditer(sent) if not _NOT_A_QUOTE.search(sent[max(0, m.start() - 25): m.start()])]
        if not prices:
            continue
        weekday = _weekday_in(ctx, s, sent)
        moves = _moves(sent)
        for m in prices:
            number = m.group("num").replace(",", "")
            value, tol = float(number), half_unit(number)
            lead = sent[max(0, m.start() - 25): m.start()]
            between = re.search(r"between\s*(?:US)?\$?\s?$", lead, re.I)
            field = next((name for name, p in _FIELD if p.search(lead)), "low" if between else None)
            if field is None and re.search(r"and\s*$", lead) and re.search(r"between\s*(?:US)?\$\s?[\d,.]+\s*and\s*$",
                                                                               sent[max(0, m.start() - 45): m.start()]):
                field = "high"
            fields = [field] if field else ["close"]
            hit = np.zeros(len(cal.sessions), dtype=bool)
            used_field = fields[0]
            for name in fields:
                for basis in ("as traded", "split-adjusted"):
                    hit |= np.abs(cal.levels[(name, basis)] - value) <= tol
            if not hit.any() and field is None:  # an unlabelled figure may be the day's open, high or low
                for name in ("open", "high", "low"):
                    for basis in ("as traded", "split-adjusted"):
                        hit |= np.abs(cal.levels[(name, basis)] - value) <= tol
                used_field = "open/high/low"
            described = f"${value:,.{max(0, len(number.split('.', 1)[1]) if '.' in number else 0)}f} {used_field}"
            move = min(moves, key=lambda mv: abs(mv[0].start() - m.start()), default=None)
            start, end = s + m.start(), s + m.end()
            confirmed = hit
            factor_conflict, disagreement = 1.0, ""
            if move is not None and hit.any():
                mv, signed = move
                ptol = half_unit(mv.group("num"))
                agree = (np.abs(pct - signed) <= ptol) if signed is not None else (np.abs(np.abs(pct) - float(
                    mv.group("num"))) <= ptol)
                quoted = f"{'' if signed is None else ('+' if signed > 0 else '-')}{mv.group('num')}%"
                if (hit & agree).any():
                    confirmed = hit & agree
                    described += f", move {quoted}"
                    start, end = min(start, s + mv.start()), max(end, s + mv.end())
                elif _same_clause(sent, m, mv) and _far_from(pct[hit], signed, float(mv.group("num"))):
                    conflict = ", ".join(f"{d:%Y-%m-%d}: {p:+.2f}%" for d, p in
                                         zip(cal.sessions[hit][:3], pct[hit][:3], strict=True))
                    disagreement = f"; but the quoted move {quoted} fits none of them ({conflict})"
                    factor_conflict = ctx.weights.price_move_conflict
            if weekday is not None and (confirmed & (cal.sessions.day_of_week == weekday[0])).any():
                confirmed = confirmed & (cal.sessions.day_of_week == weekday[0])
                described += f" on a {WEEKDAYS[weekday[0]]}"
                ctx.consumed.append((s + weekday[1].start(), s + weekday[1].end()))
                start, end = min(start, s + weekday[1].start()), max(end, s + weekday[1].end())
            verb = re.search(rf"\b(?:clos\w*|end\w*|finish\w*|trad\w*|{DOWN}|{UP})\s+(?:\w+\s+){{0,2}}$",
                             ctx.text[max(s, start - 30): start], re.I)
            if verb:
                start = max(s, start - 30) + verb.start()
            factor = ctx.weights.price_field_factor.get(used_field if used_field in ("close", "open", "high", "low")
                                                        else "open", 1.0)
            mask = _session_mask(ctx, confirmed, factor)
            matches = cal.sessions[confirmed]
            if len(matches) == 0:
                implies = f"{described}: no session in the snapshot matches (either price basis, ±{tol:.3g})"
            else:
                days = ", ".join(f"{d:%Y-%m-%d}" for d in matches[:5]) + (" …" if len(matches) > 5 else "")
                implies = (f"{described} matches {len(matches)} session(s): {days}; the news is that session "
                           f"or (written the next day) before the next one{disagreement}")
            ctx.consumed.append((start, end))
            out.append(Evidence("price", start, end, ctx.text[start:end], implies,
                                ctx.weights["price"] * factor_conflict, mask))
    return out


def _far_from(moves: np.ndarray, signed: float | None, size: float) -> bool:
    """Whether a quoted move is far from every matched session's: a wrong sign or off by over a point and 30%.

    A near miss ("2.9%" for -2.98%, a truncation) neither confirms the session nor counts against it.
    """
    actual = moves if signed is not None else np.abs(moves)
    quoted = signed if signed is not None else size
    return bool(np.all(np.abs(actual - quoted) > max(1.0, 0.3 * abs(quoted))))


def _same_clause(sent: str, price: re.Match, move: re.Match) -> bool:
    """Whether a percent is the quoted price's own move: close to it, with no other price between them."""
    lo, hi = sorted((price.end(), move.start())) if move.start() > price.start() else (move.end(), price.start())
    between = sent[lo:hi]
    return len(between) <= 60 and not MONEY.search(between) and not re.search(r"[;:]|\bwhile\b|\bwhereas\b",
                                                                                    between)


def move_clues(ctx: Context) -> list[Evidence]:
    """'Tesla shares jumped 6.5% in a shortened session': the sessions that moved that much (no price quoted)."""
    out: list[Evidence] = []
    cal = ctx.cal
    pct = cal.pct.to_numpy()
    for s, e in ctx.sents:
        sent = ctx.text[s:e]
        if not re.search(r"\b(?:shares?|stock|TSLA)\b", sent) or MONEY.search(sent) or ctx.used(s, e):
            continue
        if _OTHER_COMPANY.search(sent) and not re.search(r"Tesla|TSLA", sent):
            continue
        for mv, signed in _moves(sent):
            if signed is None:
                continue
            tol = half_unit(mv.group("num"))
            hit = np.abs(pct - signed) <= tol
            weekday = _weekday_in(ctx, s, sent)
            text_start, text_end = s + mv.start(), s + mv.end()
            if weekday is not None and (hit & (cal.sessions.day_of_week == weekday[0])).any():
                hit &= cal.sessions.day_of_week == weekday[0]
                ctx.consumed.append((s + weekday[1].start(), s + weekday[1].end()))
            n = int(hit.sum())
            if n == 0 or n > 40:
                continue  # not a session move (or too common to tell anything)
            out.append(Evidence("move", text_start, text_end, ctx.text[text_start:text_end],
                                f"TSLA moved {signed:+g}% that session: {n} session(s) in the snapshot did",
                                ctx.weights["move"], _session_mask(ctx, hit)))
    return out


def quote_widget(ctx: Context) -> list[Evidence]:
    """A stand-alone 'TSLA 0.26%' line: the quote box shows the last session's move when the page was made."""
    out = []
    cal = ctx.cal
    for m in re.finditer(r"^[ \t]*TSLA[ \t]+(?P<num>[-+−]?\d+(?:\.\d+)?)[ \t]*%[ \t]*$", ctx.text, re.M):
        value = float(m.group("num").replace("−", "-"))
        hit = np.abs(cal.pct.to_numpy() - value) <= half_unit(m.group("num").lstrip("+-−"))
        last = cal.on_or_before
        prev = last - 1
        mask = ((last >= 0) & hit[np.clip(last, 0, None)]) | ((prev >= 1) & hit[np.clip(prev, 0, None)])
        ctx.consumed.append((m.start(), m.end()))
        out.append(Evidence("quote_widget", m.start("num") - 5 if m.start("num") >= 5 else m.start(), m.end(),
                            m.group().strip(), f"the last (or previous) session before the news moved {value:+.2f}% "
                            f"({int(hit.sum())} sessions in the snapshot did)", ctx.weights["quote_widget"],
                            mask.astype(float)))
    return out


def number_word(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def return_clues(ctx: Context) -> list[Evidence]:
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
            n = number_word(m.group("n"))
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


def _return_evidence(ctx: Context, s: int, m: re.Match, sent: str, value: float, actual: np.ndarray,
                     period: str) -> Evidence:
    before = sent[: m.start("num")]
    verbs = list(re.finditer(rf"\b(?:{DOWN})\b|\b(?:{UP})\b", before, re.I))
    down = bool(verbs) and re.fullmatch(DOWN, verbs[-1].group().lower()) is not None
    signed = -value if down else value
    qual = (m.group("qual") or "").lower()
    w = ctx.weights
    with np.errstate(invalid="ignore"):
        if qual in ("more than", "over"):
            mask = actual <= signed if down else actual >= signed
            kind, how = "return_bound", f"{'below' if down else 'above'} {signed:+.1%}"
        elif qual in ("almost", "nearly"):
            lo = abs(signed) - max(0.05, 0.15 * abs(signed))
            mask = (np.abs(actual) <= abs(signed)) & (np.abs(actual) >= lo) & (np.sign(actual) == np.sign(signed))
            kind, how = "return_exact", f"just short of {signed:+.1%}"
        else:
            tol = max(0.02, 0.05 * abs(signed))
            mask = np.abs(actual - signed) <= tol
            kind, how = "return_exact", f"{signed:+.1%} (±{tol:.1%})"
    mask = np.nan_to_num(mask, nan=False).astype(bool) & ~np.isnan(actual)
    start = s + (verbs[-1].start() if verbs else m.start())
    ctx.consumed.append((start, s + m.end()))
    implies = f"TSLA's return {period} the last close is {how}: {int(mask.sum())} calendar days agree"
    return Evidence(kind, start, s + m.end(), ctx.text[start: s + m.end()], implies, w[kind], mask.astype(float))
