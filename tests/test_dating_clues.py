"""Each kind of date clue, in the wordings of articles nobody here wrote the engine for.

Expected sessions are worked out here from the raw snapshot CSV (as-traded: x15 before 2020-08-31, x3 before
2022-08-25), not through the engine's calendar or eventlens.splits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from eventlens.news.dating import infer_date
from eventlens.news.dating.weights import WEIGHTS_PATH, default_weights, load_weights

REPO = Path(__file__).resolve().parent.parent
RAW = pd.read_csv(REPO / "data/prices/TSLA.csv", parse_dates=["Date"]).set_index("Date")
PCT = RAW["Close"].pct_change() * 100


def traded(day: str, field: str = "Close") -> float:
    d = pd.Timestamp(day)
    return float(RAW.loc[d, field]) * (15 if d < pd.Timestamp("2020-08-31") else 3 if d < pd.Timestamp("2022-08-25")
                                       else 1)


def of_kind(result, kind: str) -> list:
    return [ev for ev in result.evidence if ev.kind == kind]


def sessions_within(day: str, result) -> bool:
    """The result's trading date is the session of ``day`` or an adjacent one."""
    sessions = list(RAW.index)
    return result.trading_date is not None and abs(
        sessions.index(result.trading_date) - sessions.index(pd.Timestamp(day))) <= 1


DAY = "2021-08-17"  # moved -2.98 %: "3.0%" and "3%" quote it, "2.9%" does not


@pytest.mark.parametrize("template", [
    "Tesla shares slid {pct:.1f}% to ${price:.2f} on Tuesday, as regulators met.",
    "The stock finished the session at ${price:.2f}, down {pct:.2f}%.",
    "TSLA ended at ${price:.2f} that day after the data rules were published.",
    "Shares of Tesla were down {pct:.0f}% at ${price:.2f} at the close.",
    "Tesla fell to ${price:.2f} as China tightened rules.",
    "Tesla's stock closed {pct:.1f} percent lower at US${price:.2f}.",
])
def test_price_clue_in_any_wording(template: str) -> None:
    text = template.format(price=traded(DAY), pct=abs(PCT[pd.Timestamp(DAY)]))
    result = infer_date(text, known=[])
    [price] = of_kind(result, "price")
    assert DAY in price.implies
    assert result.dated and sessions_within(DAY, result)


def test_move_matches_at_its_quoted_precision() -> None:
    price = traded(DAY)
    one_decimal = infer_date(f"Tesla closed 3.0% lower at ${price:.2f}.", known=[])
    assert "move -3.0%" in of_kind(one_decimal, "price")[0].implies  # -2.98 is within half of 0.1
    wrong_move = infer_date(f"Tesla closed 2.9% lower at ${price:.2f}.", known=[])
    assert "move" not in of_kind(wrong_move, "price")[0].implies  # the move does not confirm: the price alone counts
    whole = infer_date(f"Tesla shares closed at ${round(price):d}.", known=[])
    expected = sum(abs(traded(f"{d:%Y-%m-%d}") - round(price)) <= 0.5 for d in RAW.index)
    assert f"matches {expected} session(s)" in of_kind(whole, "price")[0].implies


def test_thousands_separator_open_high_low_and_split_adjusted_basis() -> None:
    assert "matches 1 session(s): 2021-10-29" in of_kind(
        infer_date("Shares +3.4% to $1,114.00 (Fri)."), "price")[0].implies
    high = traded("2024-04-29", "High")
    ev = of_kind(infer_date(f"The stock traded as high as ${high:.2f} intraday."), "price")[0]
    assert "high" in ev.implies and "2024-04-29" in ev.implies
    adjusted = float(RAW.loc[pd.Timestamp("2021-03-19"), "Close"])  # today's basis, not as traded
    ev = of_kind(infer_date(f"Tesla stock closed at ${adjusted:.2f}, up 0.26%."), "price")[0]
    assert "2021-03-19" in ev.implies


@pytest.mark.parametrize("text", [
    "Tesla raised $4.4 billion, its shares were unchanged.",
    "Tesla shares: price target $185, rating hold.",
    "Tesla stock is trading around $200 these days.",
    "With Tesla stock in the mid-$200s, the data question is small.",
])
def test_money_that_is_not_a_session_price(text: str) -> None:
    assert of_kind(infer_date(text), "price") == []


def test_after_hours_move_is_not_the_session_move() -> None:
    text = "Tesla shares closed 0.39% lower at $670.94 on Wednesday and were down 0.66% in after-hours trading."
    [price] = of_kind(infer_date(text), "price")
    assert "move -0.39%" in price.implies and "2021-05-05" in price.implies


@pytest.mark.parametrize(("written", "day"), [
    ("Sept. 14, 2022", "2022-09-14"), ("5 November 2021", "2021-11-05"), ("January 9, 2023", "2023-01-09"),
    ("2023-01-09", "2023-01-09"), ("01/09/2023", "2023-01-09"), ("Jan 9 2023", "2023-01-09"),
    ("Thursday, July 7, 2022", "2022-07-07"), ("9th January 2023", "2023-01-09"),
])
def test_explicit_dates_in_every_common_form(written: str, day: str) -> None:
    result = infer_date(f"On {written}, the regulator published new rules for carmakers.", known=[])
    assert result.event_date == pd.Timestamp(day)


def test_dateline_without_a_year_is_resolved_by_the_weekday() -> None:
    text = "China eases data rules\nBEIJING, Sept 28 (Some Wire) - The regulator on Thursday proposed easing rules."
    result = infer_date(text, known=[])
    assert of_kind(result, "dateline") and result.event_date == pd.Timestamp("2023-09-28")  # Thursday only in 2023


@pytest.mark.parametrize(("phrase", "day"), [
    ("On Friday the regulator eased the rules.", "2024-03-22"),
    ("Yesterday the regulator eased the rules.", "2024-03-23"),
    ("Over the weekend the regulator eased the rules.", "2024-03-23 or 24"),
    ("Last Sunday the regulator eased the rules.", "2024-03-17"),
])
def test_relative_dates_count_from_the_stated_publication_date(phrase: str, day: str) -> None:
    result = infer_date(f"Opinion\nPublished Sunday, March 24, 2024\n\n{phrase}", known=[])
    assert of_kind(result, "published") and of_kind(result, "relative_date")
    if day.endswith(" or 24"):
        assert result.event_date in (pd.Timestamp("2024-03-23"), pd.Timestamp("2024-03-24"))
    else:
        assert result.event_date == pd.Timestamp(day)


@pytest.mark.parametrize("text", [
    "The rules take effect on Sept. 1, 2022, and apply to every carmaker.",
    "It replaces the draft published on Oct. 29, 2021, which companies criticised.",
    "Companies face a deadline of March 31, 2023 to file their reports.",
    "The law, in force since June 1, 2017, is strict.",
    "Activists marked the anniversary of the protest, April 19, 2022, online.",
])
def test_effective_dates_deadlines_drafts_and_anniversaries_are_not_the_news(text: str) -> None:
    result = infer_date(text, known=[])
    assert not result.dated
    assert of_kind(result, "not_the_news") and all(ev.weight == 0 for ev in of_kind(result, "not_the_news"))


def test_a_publication_stamp_alone_dates_the_piece_to_it_or_just_before() -> None:
    result = infer_date("China issues network data rules\nBody text without dates.\nFiled 2024-09-30 08:12 ET")
    assert result.event_date == pd.Timestamp("2024-09-30")


@pytest.mark.parametrize("text", [
    "On Tuesday, Tesla said all data stays in China.",
    "Tesla sold fewer cars in April, and on Monday it said data stays local.",
    "The Data Security Law takes effect on Sept. 1. A draft appeared last July.",
])
def test_weak_clues_leave_the_article_undated(text: str) -> None:
    assert infer_date(text).label == "undated"


def test_a_date_past_the_snapshot_names_the_nyse_session_that_would_reflect_it() -> None:
    result = infer_date("On Saturday, March 1, 2025, Tesla said it will store data locally.")
    assert not result.dated and "NYSE session of 2025-03-03" in result.note


def test_weights_are_data_and_every_clue_kind_has_one(tmp_path: Path) -> None:
    w = default_weights()
    kinds = {"price", "move", "explicit_date", "dateline", "published", "relative_date", "month_day", "weekday",
             "weekday_prior", "month", "year", "return_exact", "return_bound", "quote_widget", "known_subject",
             "known_relation", "known_prior", "known_background", "tenure", "not_the_news"}
    assert kinds <= set(w.weights) and w["not_the_news"] == 0
    assert [w.label(c) for c in (0.99, 0.8, 0.55)] == ["high", "medium", "low"]
    assert "90% or more" in w.meaning("high") and "50% or more and below 70%" in w.meaning("low")
    data = json.loads(WEIGHTS_PATH.read_text())
    for change, needle in ((lambda d: d["weights"].update(price=-1), ">= 0"),
                           (lambda d: d.update(labels=[[0.5, "a"], [0.9, "b"], [0, "c"]]), "ordered"),
                           (lambda d: d.update(undated_below=1.5), "probability")):
        bad = json.loads(json.dumps(data))
        change(bad)
        path = tmp_path / "w.json"
        path.write_text(json.dumps(bad))
        with pytest.raises(ValueError, match=needle):
            load_weights(path)


def test_a_heavier_weight_in_the_file_changes_the_decision(tmp_path: Path) -> None:
    text = "Opinion\nPublished Sunday, March 24, 2024\n\nThe piece has no other date in it."
    assert infer_date(text).dated
    data = json.loads(WEIGHTS_PATH.read_text())
    data["weights"]["published"] = 1.0
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data))
    assert not infer_date(text, weights=load_weights(path)).dated


def test_a_month_day_under_a_dated_stamp_is_the_latest_one_before_it() -> None:
    text = "Opinion\nPublished March 29, 2024\n\nA week after the regulator relaxed the rules on March 22, firms relax."
    assert infer_date(text, known=[]).event_date == pd.Timestamp("2024-03-22")


def test_a_weekday_that_leaves_one_year_names_the_date() -> None:
    result = infer_date("The regulator said on Friday, Feb. 24 that exporters may use a standard contract.", known=[])
    assert of_kind(result, "explicit_date") and result.event_date == pd.Timestamp("2023-02-24")


def test_day_month_two_digit_year_form() -> None:
    result = infer_date("Harbor Street Research | 17-May-24\n\nShanghai's list lets car data flow abroad.", known=[])
    assert result.event_date == pd.Timestamp("2024-05-17")


def test_a_weekday_counted_from_a_yearless_dateline_does_not_outvote_a_price() -> None:
    # Sunday before "Nov. 15" is 2020-11-15 itself; the quoted close is 2021-11-15's: the price decides the year
    text = ("Draft rules weigh on tech\nHONG KONG, Nov. 15 (Some Wire) - Investors digested draft rules released on "
            f"Sunday.\nTesla shares ended down 1.9% at ${traded('2021-11-15'):,.2f} in New York.")
    result = infer_date(text, known=[])
    assert sessions_within("2021-11-15", result)


def test_an_ordinal_date_and_a_weekday_elsewhere_in_the_sentence_fix_the_year() -> None:
    ordinal = infer_date("It was Friday the 19th of March when the report came out.", known=[])
    assert ordinal.event_date == pd.Timestamp("2021-03-19")  # March 19 was a Friday only in 2021 (2020-2024)
    apart = infer_date("The State Council on Monday published rules, which on Sept. 30 set out new duties.", known=[])
    assert apart.event_date == pd.Timestamp("2024-09-30")
    two = infer_date("On Monday and on Friday the council met; on Sept. 30 it published rules.", known=[])
    assert not two.dated  # two weekdays: neither fixes the year


def test_a_quoted_move_that_contradicts_the_matched_close_lowers_the_confidence() -> None:
    day = "2021-05-07"
    price, actual = traded(day), PCT[pd.Timestamp(day)]
    assert 1.0 < actual < 2.0  # the session rose: "down 5.7%" cannot be its move
    right = infer_date(f"Tesla shares closed at ${price:.2f} on Friday, up {actual:.1f}%.", known=[])
    assert right.label == "high" and right.trading_date == pd.Timestamp(day)
    wrong = infer_date(f"Tesla shares closed at ${price:.2f} on Friday, down 5.7%.", known=[])
    [clue] = of_kind(wrong, "price")
    assert "fits none of them" in clue.implies and f"{day}: {actual:+.2f}%" in clue.implies
    assert clue.weight == default_weights()["price"] * default_weights().price_move_conflict
    assert wrong.label != "high"  # one of the two numbers is wrong and the text does not say which
    near = infer_date(f"Tesla shares closed at ${price:.2f} on Friday, up {actual + 0.4:.1f}%.", known=[])
    assert "fits none" not in of_kind(near, "price")[0].implies  # a near miss is not a contradiction
    other_price = infer_date(f"Tesla shares closed at ${price:.2f} on Friday; NIO fell to $30.00, down 5.7%.",
                             known=[])
    assert "fits none" not in of_kind(other_price, "price")[0].implies  # the move belongs to another quote
