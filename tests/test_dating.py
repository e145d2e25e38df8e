"""Date inference: each evidence kind, the seeds' researched dates, undated and unmappable cases.

Expected values are worked out here from the raw snapshot CSV and the split
table (not through eventlens.splits or the engine's calendar).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eventlens.news import parse_article
from eventlens.news.dating import default_calendar, infer_date
from eventlens.news.dating.known import load_known_events

REPO = Path(__file__).resolve().parent.parent
RAW = pd.read_csv(REPO / "data/prices/TSLA.csv", parse_dates=["Date"]).set_index("Date")["Close"]


def as_traded(day: pd.Timestamp) -> float:
    factor = (15 if day < pd.Timestamp("2020-08-31") else 3 if day < pd.Timestamp("2022-08-25") else 1)
    return float(RAW[day]) * factor


def seed_text(prefix: str) -> str:
    path = next((REPO / "seeds").glob(f"{prefix}_*.txt"))
    return parse_article(path.read_bytes(), path.stem).text


def kinds(result) -> dict[str, list]:
    out: dict[str, list] = {}
    for ev in result.evidence:
        out.setdefault(ev.kind, []).append(ev)
    return out


def test_price_clue_of_seed_001_resolves_to_one_trading_day() -> None:
    # independent search: every session whose as-traded close rounds to $670.94 and whose move rounds to -0.39 %
    pct = RAW.pct_change() * 100
    hits = [d for d in RAW.index if abs(as_traded(d) - 670.94) <= 0.005 and abs(pct[d] + 0.39) <= 0.005]
    assert hits == [pd.Timestamp("2021-05-05")]
    result = infer_date(seed_text("001"))
    price = kinds(result)["price"]
    assert len(price) == 1 and "matches 1 session(s): 2021-05-05" in price[0].implies
    assert price[0].text == "closed 0.39% lower at $670.94 on Wednesday"
    assert (result.event_date, result.trading_date) == (pd.Timestamp("2021-05-06"), pd.Timestamp("2021-05-06"))


def test_price_without_weekday_or_move_lists_every_match() -> None:
    day = pd.Timestamp("2023-06-01")
    text = f"Tesla shares closed at ${as_traded(day):.2f}."
    expected = [d for d in RAW.index if abs(as_traded(d) - round(as_traded(day), 2)) <= 0.005]
    ev = kinds(infer_date(text))["price"][0]
    assert f"matches {len(expected)} session(s)" in ev.implies
    assert ev.mask[default_calendar().days.get_loc(day)] > 0


def test_quote_nobody_matched_does_not_date() -> None:
    result = infer_date("Tesla shares closed at $1,234,567.89 on Monday.")
    assert "no session in the snapshot matches" in kinds(result)["price"][0].implies


def test_weekday_evidence() -> None:
    cal = default_calendar()
    ev = kinds(infer_date("On Tuesday, Tesla said it opened a data centre."))["weekday"][0]
    assert ev.text == "On Tuesday"
    assert set(cal.days[ev.mask > 0].day_of_week) == {1}
    prior = kinds(infer_date("As first reported on Friday, Tesla was restricted."))["weekday_prior"][0]
    assert set(cal.days[prior.mask > 0].day_of_week) == {0, 1, 2, 3, 5, 6}


def test_explicit_date_wins_and_weekend_maps_to_next_session() -> None:
    result = infer_date("On Saturday, March 20, 2021, Elon Musk spoke to a forum.")
    assert result.event_date == pd.Timestamp("2021-03-20")
    first_session = RAW.index[RAW.index >= pd.Timestamp("2021-03-20")][0]
    assert result.trading_date == first_session == pd.Timestamp("2021-03-22")
    assert result.label in ("medium", "high")


def test_holiday_maps_to_next_session() -> None:
    result = infer_date("On July 4, 2022, Tesla said it had opened a store.")
    assert result.event_date == pd.Timestamp("2022-07-04")
    assert result.trading_date == RAW.index[RAW.index > pd.Timestamp("2022-07-04")][0] == pd.Timestamp("2022-07-05")


def test_relative_phrases_with_known_event_and_month() -> None:
    text = "Just last month, a customer at the Shanghai auto show protested over brakes. Tesla sold more in April."
    found = kinds(infer_date(text))
    rel = found["known_relation"][0]
    cal = default_calendar()
    months = set(cal.days[rel.mask > 0].strftime("%Y-%m"))
    assert months == {"2021-05"}  # the protest was on 2021-04-19
    month = found["month"][0]
    assert set(cal.days[month.mask > 0].month) == {4, 5, 6}


def test_quote_widget_evidence_matches_sessions_with_that_move() -> None:
    ev = kinds(infer_date("Tesla Inc.\nTSLA 0.26%\nwill never share data."))["quote_widget"][0]
    pct = (RAW.pct_change() * 100).round(6)
    n = int((np.abs(pct - 0.26) <= 0.005).sum())
    assert f"({n} sessions in the snapshot did)" in ev.implies
    cal = default_calendar()
    assert ev.mask[cal.days.get_loc(pd.Timestamp("2021-03-20"))]  # Friday 2021-03-19 moved +0.26 %


def test_trailing_return_evidence() -> None:
    ev = kinds(infer_date("Tesla stock has jumped 268% over the past 12 months."))["return_exact"][0]
    cal = default_calendar()
    agreeing = cal.days[ev.mask > 0]
    # independently: last close before 2021-05-25 over the close on or before 2020-05-25
    last = RAW[RAW.index < pd.Timestamp("2021-05-25")].iloc[-1]
    base = RAW[RAW.index <= pd.Timestamp("2020-05-25")].iloc[-1]
    assert abs(last / base - 1 - 2.68) <= 0.134
    assert pd.Timestamp("2021-05-25") in agreeing
    assert agreeing.min() >= pd.Timestamp("2021-05-01") and agreeing.max() <= pd.Timestamp("2021-06-30")


def test_year_context_and_tenure() -> None:
    found = kinds(infer_date("Premier Li Qiang met Musk. Tesla was founded in 2003 and expanded in 2023."))
    cal = default_calendar()
    assert cal.days[found["tenure"][0].mask > 0].min() == pd.Timestamp("2023-03-11")
    years = {ev.text: ev for ev in found["year"]}
    assert cal.days[years["2023"].mask > 0].min() == pd.Timestamp("2023-01-01")


def test_no_clue_is_undated_not_guessed() -> None:
    result = infer_date("Tesla makes electric cars and sells them in China.")
    assert result.event_date is None and result.trading_date is None
    assert result.label == "undated" and result.confidence == 0.0


def test_date_after_snapshot_cannot_be_mapped() -> None:
    result = infer_date("On March 3, 2025, Tesla said it will store data locally.")
    assert result.event_date is None
    assert "after the last session" in result.note and "2024-12-31" in result.note


def test_weekday_alone_is_too_weak() -> None:
    result = infer_date("On Friday, Tesla said it will store data in China.")
    assert result.event_date is None and "tie" in result.note


SEEDS = {
    "000": ("2021-05-25", "2021-05-25"),
    "001": ("2021-05-06", "2021-05-06"),
    "002": ("2024-04-29", "2024-04-29"),
    "004": ("2021-03-20", "2021-03-22"),
}


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seeds_dated_as_researched(prefix: str) -> None:
    result = infer_date(seed_text(prefix))
    event, trading = SEEDS[prefix]
    assert result.event_date == pd.Timestamp(event)
    assert result.trading_date == pd.Timestamp(trading)
    assert result.label in ("medium", "high")
    assert all(c.date != result.event_date for c in result.alternatives)
    assert all(c.probability < result.confidence for c in result.alternatives)


def test_seed_003_text_cannot_decide_and_boilerplate_years_are_ignored() -> None:
    result = infer_date(seed_text("003"))
    assert result.event_date is None and result.label == "undated"
    assert not any(ev.kind == "year" for ev in result.evidence)  # "Q4 2025" lived only in the stripped list
    assert result.alternatives[0].date == pd.Timestamp("2024-05-17")


def test_seed_004_copyright_year_is_not_evidence() -> None:
    result = infer_date(seed_text("004"))
    assert {ev.text for ev in result.evidence if ev.kind == "year"} == {"2018"}
    assert kinds(result)["weekday"][0].text == "on Saturday"


def test_seeds_without_known_events_still_narrow_from_text() -> None:
    # The seed dates must come from text evidence, not a lookup: without the known-events table,
    # 001 is still decided by its price clue and weekday, and 000's best candidate is still 2021-05-25.
    assert infer_date(seed_text("001"), known=[]).event_date == pd.Timestamp("2021-05-06")
    r0 = infer_date(seed_text("000"), known=[])
    assert r0.alternatives[0].date == pd.Timestamp("2021-05-25")


def test_known_events_table_is_cited() -> None:
    events = load_known_events()
    assert events and all(e.source for e in events)
    for e in events:  # a reader can check each row: it names who said it and when
        assert re.search(r"\b(?:19|20)\d\d-\d\d-\d\d\b", e.source), e.key
        assert re.search(r"[A-Z][a-z]+|[A-Z]{2,}", e.source), e.key
    assert {e.curated_for for e in events if e.curated_for} == {"003_06b5e2fcc9eab559"}
