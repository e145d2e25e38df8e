"""The event index (picker order, labels, study keys) and the date report tables, on small exact frames."""

from __future__ import annotations

import pandas as pd

from eventlens.event_index import build_index, typed_study_events
from eventlens.news.dating import infer_date
from eventlens.news.dating.report import date_report
from eventlens.paths import REPO_ROOT


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["ev_b", "ev_a", "ev_u", "ev_c"],
            "trading_date": pd.to_datetime(["2024-04-29", "2021-03-22", None, "2024-04-29"]),
            "title": ["Tesla passes China data checks", "China restricts Tesla cars", "Undated note", None],
            "category": ["data_security", "military_ban", "", None],
        }
    )


def test_index_orders_by_trading_day_then_id_with_undated_last():
    index = build_index(_events(), label_width=12)
    assert index.ids == ("ev_a", "ev_b", "ev_c", "ev_u")
    assert index.dated_ids == ("ev_a", "ev_b", "ev_c")
    assert index.labels == {
        "ev_a": "2021-03-22 · China restr…",  # cut headlines end in an ellipsis
        "ev_b": "2024-04-29 · Tesla passe…",
        "ev_c": "2024-04-29 · ",
        "ev_u": "undated · Undated note",
    }
    assert index.titles["ev_c"] == ""


def test_study_events_follow_the_index_order_not_the_selection_order():
    index = build_index(_events())
    assert index.study_events(["ev_u", "ev_b", "ev_a"]) == (
        ("ev_a", "2021-03-22", "military_ban"),
        ("ev_b", "2024-04-29", "data_security"),
        ("ev_u", "", ""),
    )


def test_typed_dates_become_study_keys():
    typed = pd.DataFrame({"event_id": ["2024-04-27"], "trading_date": [pd.Timestamp("2024-04-29")],
                          "category": [""]})
    assert typed_study_events(typed) == (("2024-04-27", "2024-04-29", ""),)


def test_date_report_tags_every_clue_in_text_and_table():
    text = (REPO_ROOT / "seeds" / "001_dc4fae954da705d4.txt").read_text(encoding="utf-8")
    result = infer_date(text)
    report = date_report(text, result)
    assert list(report.evidence["tag"]) == [f"E{i + 1}" for i in range(len(result.evidence))]
    assert len(report.evidence) >= 1
    for tag in report.evidence["tag"]:
        assert f"`{tag}`" in report.marked_text
    assert list(report.candidates.columns) == ["date", "probability (%)", "result", "why"]
    assert list(report.candidates["result"]) == ["won"] + ["lost"] * len(result.alternatives)
    assert report.candidates.iloc[0]["date"] == "2021-05-06"
    assert report.candidates["probability (%)"].iloc[0] == result.confidence * 100


def test_an_undated_result_lists_its_candidates_as_not_accepted():
    # a month-day without a year fits March 3 of each of the snapshot's five years; the price fits no session
    text = "On March 3, Tesla shares closed at $9,999.99, the company said."
    result = infer_date(text)
    report = date_report(text, result)
    assert not result.dated and [f"{c.date:%Y-%m-%d}" for c in result.alternatives] == [
        f"{year}-03-03" for year in range(2020, 2025)]
    assert list(report.candidates["result"]) == ["not accepted"] * 5
    assert "**" in report.marked_text and "\\$9" in report.marked_text  # the clue in bold, "$" escaped
