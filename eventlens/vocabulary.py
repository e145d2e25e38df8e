"""The words an analyst reads for every id and code the app keeps: one place, so every page says it one way.

The store and the engine speak in ids and codes (``ev_004_c485fdf8a973a645``, ``data_localisation``,
``t_cs``, ``p_bmp``, 0.0183); pages, chart legends, tables, the report and the UI's CSV downloads show
what they mean: the event's date and headline, the topic's label and colour, one phrase for how sure a
date is, the model's name, column headers with their units, percentages with two decimals and a verdict
in words beside each p-value. Machine outputs (the CLI ``study`` CSV, ``export``'s raw tables) keep the
codes: scripts read those.

Pure Python (no Streamlit): the pages, the figures and the report share it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

import pandas as pd

from eventlens.news.taxonomy import CATEGORY_COLORS, DIRECTION_LABELS, category_label
from eventlens.study.models import MODEL_LABELS

DASH = "—"  # a value that does not exist (no CAR, undated, not estimable): never "None", "nan" or "n/a"
HEADLINE_WIDTH = 48
SIGNIFICANCE = (0.01, 0.05, 0.10)  # the levels of the stars (***, **, *), two-sided


def missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA: the values a table must show as :data:`DASH`."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array: not a single missing value
        return False


def _finite(value: object) -> float | None:
    if missing(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


# --- numbers ------------------------------------------------------------------------------------------------


def pct(fraction: object, signed: bool = True, decimals: int = 2) -> str:
    """A return given as a fraction (0.0153) as a percentage: ``+1.53%``; :data:`DASH` when there is none."""
    value = _finite(fraction)
    if value is None:
        return DASH
    return f"{value * 100:{'+' if signed else ''}.{decimals}f}%"


def p_value(p: object) -> str:
    """``0.036``, ``< 0.001``; :data:`DASH` when there is no test."""
    value = _finite(p)
    if value is None:
        return DASH
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def stars(p: object) -> str:
    """``***`` p < 0.01, ``**`` p < 0.05, ``*`` p < 0.10, else "" (two-sided)."""
    value = _finite(p)
    if value is None:
        return ""
    return next(("*" * (3 - i) for i, level in enumerate(SIGNIFICANCE) if value < level), "")


def verdict(p: object) -> str:
    """The test's verdict in words: "significant at 5%" (the strictest level met) or "not significant"."""
    value = _finite(p)
    if value is None:
        return "no test"
    level = next((lv for lv in SIGNIFICANCE if value < lv), None)
    return "not significant" if level is None else f"significant at {level:.0%}"


def p_verdict(p: object) -> str:
    """``p = 0.036 (significant at 5%)``: the p-value and what it means, as the readings and the report say it."""
    shown = p_value(p)
    if shown == DASH:
        return f"p {DASH} (no test)"
    return f"p {shown if shown.startswith('<') else '= ' + shown} ({verdict(p)})"


def ratio(value: object, decimals: int = 2) -> str:
    number = _finite(value)
    return DASH if number is None else f"{number:.{decimals}f}"


# --- codes ----------------------------------------------------------------------------------------------------


def topic_label(code: object) -> str:
    """The topic's label (``data_localisation`` -> "data localisation (store data in China)")."""
    return category_label(code)


_FALLBACK_COLORS = ["#8c564b", "#e377c2", "#bcbd22"]


def topic_color(code: object) -> str:
    """The topic's colour, the same on every chart; an unknown topic gets a fixed spare colour by name."""
    key = "other" if missing(code) else str(code)
    if key in CATEGORY_COLORS:
        return CATEGORY_COLORS[key]
    return _FALLBACK_COLORS[sum(map(ord, key)) % len(_FALLBACK_COLORS)]


# Colour means a topic: lines of compared tickers are black (the stock) and neutral tones with dashes, so a
# coloured mark on any chart is always news.
_TICKER_LINES = [{"color": "#666666", "dash": "dash"}, {"color": "#a6761d", "dash": "dot"},
                 {"color": "#999999", "dash": "dashdot"}, {"color": "#444444", "dash": "longdash"},
                 {"color": "#b3a27a", "dash": "longdashdot"}]


def ticker_line(position: int) -> dict[str, object]:
    """The line of the ``position``-th ticker on a comparison chart (0 = the stock itself: solid black)."""
    if position == 0:
        return {"color": "#222222", "width": 2.4}
    return {**_TICKER_LINES[(position - 1) % len(_TICKER_LINES)], "width": 1.6}


def direction_label(code: object, long: bool = False) -> str:
    """The direction for Tesla in words: "easing" (or its long label), "company action"; :data:`DASH` if none."""
    if missing(code) or str(code) == "":
        return DASH
    if long:
        return DIRECTION_LABELS.get(str(code), str(code).replace("_", " "))
    return str(code).replace("_", " ")


ORIGIN_PHRASES = {"curated": "curated (cited source)", "analyst": "set by analyst"}


def confidence_phrase(confidence: object, origin: object) -> str:
    """How sure the date is, one wording everywhere: "81% (engine)", "set by analyst", "curated (cited source)".

    A date a person set has no model probability; an event with neither is "undated".
    """
    who = "" if missing(origin) else str(origin)
    if who in ORIGIN_PHRASES:
        return ORIGIN_PHRASES[who]
    value = _finite(confidence)
    if value is None:
        return "undated"
    return f"{value:.0%} (engine)"


# The engine's own labels, capitalised: the picker, chart subtitles, captions and the Method text (which the
# engine writes with the same labels) name a model one way.
MODEL_NAMES = {code: label[:1].upper() + label[1:] for code, label in MODEL_LABELS.items()}


def model_name(code: str) -> str:
    """The return model's name ("Market model (OLS alpha and beta)"); an unknown code in words."""
    return MODEL_NAMES.get(code, code.replace("_", " "))


# Statistic codes of the study's result frames -> the headers readers see (with units).
STAT_HEADERS = {
    "car": "CAR (%)", "caar": "CAAR (%)", "t_stat": "t", "p_value": "p (t-test)", "sq_p_value": "p (SQ test)",
    "abn_volume": "Volume vs normal (%)", "volume_p": "p (volume)", "volatility_ratio": "Volatility (× normal)",
    "volatility_p": "p (volatility)", "alpha": "α (%/day)", "beta": "β", "sigma": "σ (%/day)",
    "n_est": "Estimation days", "n_events": "Events", "r_mean": "Mean residual correlation",
    "t_cs": "Cross-sectional t", "p_cs": "p (cross-sectional t)", "z_patell": "Patell Z", "p_patell": "p (Patell)",
    "t_bmp": "BMP t", "p_bmp": "p (BMP)", "t_kp": "Kolari-Pynnönen t", "p_kp": "p (Kolari-Pynnönen)",
    "t_rank": "Corrado rank t", "p_rank": "p (Corrado rank)", "z_sign": "Generalized sign Z",
    "p_sign": "p (generalized sign)", "w_wilcoxon": "Wilcoxon W+", "p_wilcoxon": "p (Wilcoxon)",
    "company_news": "Company news in window", "notes": "Notes", "group": "Topic", "trading_date": "Trading day",
    "event_date": "News date", "window": "Window (days)",
}


def header(code: str) -> str:
    """The column header for a statistic code; an unknown code is shown as words, never as snake_case."""
    return STAT_HEADERS.get(code, code.replace("_", " ").capitalize())


def window_label(window: tuple[int, int]) -> str:
    """``(-1, 1)`` -> ``[-1,+1]``: trading days relative to day 0, as every table and title writes a window."""
    return "[" + ",".join("0" if d == 0 else f"{d:+d}" for d in window) + "]"


# --- events ---------------------------------------------------------------------------------------------------


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def headline(day: object, title: object, width: int = HEADLINE_WIDTH) -> str:
    """"2024-04-29 · Musk in Beijing wins data clearance…": the event's trading day and its headline, cut."""
    when = "undated" if missing(day) else f"{pd.Timestamp(day):%Y-%m-%d}"
    text = "" if missing(title) else _clip(str(title), width)
    return f"{when} · {text}" if text else when


def headlines(events: pd.DataFrame, width: int = HEADLINE_WIDTH) -> dict[str, str]:
    """Event id -> :func:`headline`, from an events table (``event_id``, ``trading_date``, ``title``)."""
    if events.empty:
        return {}
    titles = events["title"] if "title" in events else pd.Series([None] * len(events), index=events.index)
    return {
        str(e): headline(d, t, width)
        for e, d, t in zip(events["event_id"], events["trading_date"], titles, strict=True)
    }


def event_name(event_id: object, names: Mapping[str, str]) -> str:
    """An event as readers know it: its headline when known, else its date (typed dates are their own id)."""
    key = str(event_id)
    if key in names:
        return names[key]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", key):
        return key
    return "an event not in the store"


_EVENT_ID = re.compile(r"\bev_\w+(?: \(\d{4}-\d{2}-\d{2}\))?")


def name_events(text: object, names: Mapping[str, str]) -> str:
    """``text`` (an engine note or reading) with every event id in it, and its "(date)", replaced by the
    event's headline (in quotes), so notes like "overlap: 1 other event(s) inside [-1,+1] (ev_004_… (2021-03-22))"
    read "… (“2021-03-22 · Tesla to store China data locally…”)"."""
    if missing(text):
        return ""

    def swap(match: re.Match[str]) -> str:
        event_id = match.group(0).split(" (")[0]
        return f"“{event_name(event_id, names)}”"

    return _EVENT_ID.sub(swap, str(text))


_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def in_words(text: object) -> str:
    """``text`` (e.g. the dating engine's evidence) with every snake_case code in words: topics and directions
    by their labels, any other code (``known_subject``) with spaces."""
    if missing(text):
        return ""

    def word(match: re.Match[str]) -> str:
        code = match.group(0)
        if code in CATEGORY_COLORS:
            return topic_label(code)
        if code in DIRECTION_LABELS:
            return direction_label(code)
        return code.replace("_", " ")

    return _SNAKE.sub(word, str(text))


def worded(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a reader's table (and its CSV): headers and text cells in words (:func:`in_words`), headers
    capitalised, missing text as :data:`DASH`. For engine tables whose cells quote codes (the dating evidence's
    ``known_subject``, a classifier's ``government_restriction``)."""

    def heading(column: object) -> str:
        text = in_words(column)
        return text[:1].upper() + text[1:]

    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_string_dtype(values) or values.dtype == object:  # "str" (pandas 3) or object
            out[column] = [DASH if missing(v) else in_words(v) if isinstance(v, str) else v for v in values]
    return out.rename(columns=heading)


def events_table(events: pd.DataFrame, evidence: bool = False) -> pd.DataFrame:
    """The events as readers get them (report, CSV downloads): trading-date order, every code in words, no ids.

    With ``evidence``, the summary and the evidence behind each date follow, in words.
    """
    ordered = events.sort_values(["trading_date", "event_id"], na_position="last", kind="stable")

    def day(values: pd.Series) -> list[str]:
        return [DASH if missing(d) else f"{pd.Timestamp(d):%Y-%m-%d}" for d in values]

    table = pd.DataFrame({
        "Trading day": day(ordered["trading_date"]),
        "News date": day(ordered["event_date"]),
        "Headline": [DASH if missing(t) else str(t) for t in ordered["title"]],
        "Source": [DASH if missing(t) else str(t) for t in ordered["source"]],
        "Topic": [topic_label(c) for c in ordered["category"]],
        "Direction": [direction_label(d) for d in ordered["direction"]],
        "Date confidence": [confidence_phrase(c, o)
                            for c, o in zip(ordered["date_confidence"], ordered["origin"], strict=True)],
    })
    if evidence:
        for column, header in (("summary", "Summary"), ("date_evidence", "Date evidence")):
            if column in ordered:
                table[header] = [in_words(t) or DASH for t in ordered[column]]
    return table


INTERNAL_PATTERNS = (
    re.compile(r"\bev_[0-9]"),  # event ids
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # snake_case codes (data_localisation, t_cs, p_bmp)
    re.compile(r"\b(?:None|nan|NaN|NaT)\b"),
)


def internal_codes(texts: Iterable[object]) -> list[str]:
    """The internal ids and codes (:data:`INTERNAL_PATTERNS`) found in ``texts``: what a reader must never see.

    The tests use it on what pages, tables, legends and exports show.
    """
    found = []
    for text in texts:
        value = "" if text is None else str(text)
        for pattern in INTERNAL_PATTERNS:
            found += pattern.findall(value)
    return found
