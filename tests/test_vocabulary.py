"""The one vocabulary: every id and code the app keeps, in the words an analyst reads."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from eventlens import vocabulary as v
from eventlens.news.taxonomy import CATEGORY_COLORS, TOPICS


def test_percentages_have_two_decimals_a_sign_and_a_dash_when_missing():
    assert v.pct(0.018334) == "+1.83%"
    assert v.pct(-0.1532) == "-15.32%"
    assert v.pct(0.0) == "+0.00%"
    assert v.pct(0.5, signed=False) == "50.00%"
    for nothing in (None, float("nan"), np.nan, pd.NA, pd.NaT, math.inf, "x"):
        assert v.pct(nothing) == v.DASH


@pytest.mark.parametrize(
    ("p", "words"),
    [(0.0004, "p < 0.001 (significant at 1%)"), (0.0099, "p = 0.010 (significant at 1%)"),
     (0.036, "p = 0.036 (significant at 5%)"), (0.05, "p = 0.050 (significant at 10%)"),
     (0.0999, "p = 0.100 (significant at 10%)"), (0.1, "p = 0.100 (not significant)"),
     (0.8129, "p = 0.813 (not significant)"), (float("nan"), "p — (no test)"), (None, "p — (no test)")],
)
def test_p_values_come_with_a_verdict_in_words(p, words):
    assert v.p_verdict(p) == words


def test_verdict_and_stars_agree_on_the_levels():
    for p in np.linspace(0.0005, 0.2, 400):
        stars, verdict = v.stars(p), v.verdict(p)
        assert (verdict == "not significant") == (stars == "")
        assert verdict.endswith({"***": "1%", "**": "5%", "*": "10%", "": "significant"}[stars])


def test_one_phrase_for_date_confidence():
    assert v.confidence_phrase(0.8129, "inferred") == "81% (engine)"
    assert v.confidence_phrase(None, "curated") == "curated (cited source)"
    assert v.confidence_phrase(float("nan"), "analyst") == "set by analyst"
    assert v.confidence_phrase(0.9, "analyst") == "set by analyst"  # a person's date outranks the model's
    assert v.confidence_phrase(None, None) == "undated"


def test_topics_directions_and_models_in_words_with_one_colour_per_topic():
    for code, label in TOPICS.items():
        assert v.topic_label(code) == label and "_" not in label
        assert v.topic_color(code) == CATEGORY_COLORS[code]
    assert v.topic_label(None) == "uncategorised" and v.topic_label("new_topic") == "new topic"
    assert v.topic_color("new_topic") == v.topic_color("new_topic") not in CATEGORY_COLORS.values()
    assert v.direction_label("company_action") == "company action"
    assert v.direction_label("easing", long=True).startswith("easing (")
    assert v.direction_label(None) == v.DASH
    assert v.model_name("market") == "Market model (OLS alpha and beta)"
    assert "_" not in v.model_name("constant_mean") and "_" not in v.model_name("market_adjusted")


def test_statistic_codes_become_headers_with_units():
    assert v.header("car") == "CAR (%)" and v.header("caar") == "CAAR (%)"
    assert v.header("t_cs") == "Cross-sectional t" and v.header("p_bmp") == "p (BMP)"
    assert v.header("some_new_stat") == "Some new stat"
    assert v.window_label((-1, 1)) == "[-1,+1]" and v.window_label((0, 0)) == "[0,0]"
    assert v.window_label((-5, 5)) == "[-5,+5]"


EVENTS = pd.DataFrame({
    "event_id": ["ev_004_c485fdf8a973a645", "ev_002_d889ba14fa21bf2e", "ev_009_0000000000000000"],
    "trading_date": pd.to_datetime(["2021-03-22", "2024-04-29", None]),
    "title": ["Elon Musk says Tesla will not share data from its cars with the US government",
              "Musk in Beijing wins data clearance", None],
})


def test_events_are_named_by_date_and_headline():
    names = v.headlines(EVENTS)
    assert names["ev_002_d889ba14fa21bf2e"] == "2024-04-29 · Musk in Beijing wins data clearance"
    long = names["ev_004_c485fdf8a973a645"]
    assert long.startswith("2021-03-22 · Elon Musk says") and long.endswith("…")
    assert len(long) - len("2021-03-22 · ") == v.HEADLINE_WIDTH
    assert names["ev_009_0000000000000000"] == "undated"
    assert v.event_name("2024-04-29", names) == "2024-04-29"  # a typed date names itself
    assert v.event_name("ev_999_x", names) == "an event not in the store"


def test_ids_inside_engine_notes_become_headlines():
    names = v.headlines(EVENTS)
    note = ("estimation contaminated: 2 other event(s) inside [-250,-11] (ev_004_c485fdf8a973a645 (2021-03-22), "
            "ev_002_d889ba14fa21bf2e); kept in the fit")
    named = v.name_events(note, names)
    assert "ev_" not in named
    assert "(“2021-03-22 · Elon Musk says" in named and "“2024-04-29 · Musk in Beijing wins data clearance”)" in named
    assert v.name_events(None, names) == "" and v.name_events("no ids here", names) == "no ids here"


def test_internal_codes_are_found_and_words_are_not():
    for text in ("ev_004_c485fdf8a973a645 rose", "topic data_localisation", "t_cs", "p_bmp", "None", "nan", "NaT"):
        assert v.internal_codes([text]), text
    assert v.internal_codes(["2024-04-29 · Musk in Beijing", "+1.83% · p = 0.036 (significant at 5%)", "—",
                             "Kolari-Pynnönen t", "nanny", "Nonetheless"]) == []


def test_colour_means_a_topic_on_every_chart():
    from eventlens.figures.study import PALETTE

    topics = {c.lower() for c in CATEGORY_COLORS.values()}
    lines = {str(v.ticker_line(i)["color"]).lower() for i in range(8)}
    assert not lines & topics  # compared tickers' lines
    assert not {c.lower() for c in PALETTE} & topics  # events on the CAR-paths chart
