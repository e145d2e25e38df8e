"""Tesla's own scheduled news: the calendar file, the session that priced each release, and the flags."""

from __future__ import annotations

import csv
import re
from urllib.parse import urlsplit

import pandas as pd
import pytest

from eventlens import study as es
from eventlens.paths import REPO_ROOT
from eventlens.study import calendar as cal

SESSIONS = pd.DatetimeIndex(pd.read_csv(REPO_ROOT / "data" / "prices" / "TSLA.csv", parse_dates=["Date"])["Date"])


def test_the_calendar_has_every_quarter_2020_2024_with_a_source():
    frame = cal.load_calendar("TSLA")
    assert len(frame) == 40
    for kind in ("earnings", "deliveries"):
        quarters = frame.loc[frame["kind"] == kind, "quarter"].tolist()
        assert len(quarters) == len(set(quarters)) == 20  # Q4 2019 .. Q3 2024, one release each
    assert frame["date"].between("2020-01-01", "2024-12-31").all()
    assert (frame["source"].str.len() > 20).all()
    assert (frame.loc[frame["kind"] == "earnings", "timing"] == "after_close").all()  # Tesla reports after the bell
    assert cal.load_calendar("NIO").empty


def test_timing_agrees_with_the_trading_calendar():
    """A release marked 'market_closed' fell on a day without a session; the others on session days."""
    frame = cal.load_calendar("TSLA")
    on_session = frame["date"].isin(SESSIONS)
    assert not on_session[frame["timing"] == "market_closed"].any()
    assert on_session[frame["timing"] != "market_closed"].all()


@pytest.mark.parametrize(("date", "priced"), [
    ("2024-04-23", "2024-04-24"),  # earnings after the close -> next session
    ("2020-04-02", "2020-04-03"),  # Q1 2020 deliveries came out after the close
    ("2024-04-02", "2024-04-02"),  # before the open -> that day
    ("2021-01-02", "2021-01-04"),  # Saturday -> Monday
    ("2021-04-02", "2021-04-05"),  # Good Friday -> Monday
    ("2022-07-02", "2022-07-05"),  # Saturday before the July 4 holiday -> Tuesday
    ("2023-01-02", "2023-01-03"),  # New Year holiday observed -> Tuesday
])
def test_priced_session(date, priced):
    frame = cal.load_calendar("TSLA")
    pos = cal.priced_sessions(frame, SESSIONS)
    row = frame.index[frame["date"] == pd.Timestamp(date)][0]
    assert SESSIONS[pos[row]] == pd.Timestamp(priced)


def test_window_with_earnings_is_flagged_in_words_and_the_fit_can_leave_those_days_out():
    data = es.load_returns("TSLA", "SPY")
    events = pd.DataFrame({"event_id": ["musk-beijing"], "trading_date": [pd.Timestamp("2024-04-29")]})
    result = es.run_study(data, events)
    rows = result.rows.set_index(["window_start", "window_end"])
    p = data.dates.get_loc(pd.Timestamp("2024-04-24"))
    ret = data.stock[p]  # TSLA's return on the session that priced the Q1 2024 earnings
    expected = (f"[-5,+5] includes the 2024-04-23 earnings release, after the close: day 2024-04-24, "
                f"{ret * 100:+.1f}%")
    assert rows.loc[(-5, 5), "company_news"] == expected == "[-5,+5] includes the 2024-04-23 earnings release, " \
        "after the close: day 2024-04-24, +12.1%"
    assert expected in rows.loc[(-5, 5), "notes"]
    assert rows.loc[(-1, 1), "company_news"] == "" and rows.loc[(0, 10), "company_news"] == ""
    assert "Caution: [-5,+5] includes the 2024-04-23 earnings release" in es.plain_reading(result, "musk-beijing")

    # Leaving the releases out of the estimation window: the fit loses exactly the priced sessions inside it.
    frame = cal.load_calendar("TSLA")
    priced = set(cal.priced_sessions(frame, data.dates).tolist())
    i0 = data.dates.get_loc(pd.Timestamp("2024-04-29"))
    inside = [i for i in range(i0 - 250, i0 - 10) if i in priced]
    assert len(inside) == 7  # Q2 2023 deliveries (2023-07-03) .. Q1 2024 deliveries (2024-04-02)
    kept = es.run_study(data, events, exclude_calendar=True)
    assert int(kept.events["n_est"].iloc[0]) == 240 - len(inside)
    assert kept.rows["sq_n_sums"].iloc[0] < result.rows["sq_n_sums"].iloc[0]  # runs broken at the gaps
    assert "scheduled earnings and deliveries days left out of the fit" in kept.describe()


def test_every_row_is_well_formed_and_checked_against_a_public_page():
    """Read the file as text (not through the loader) so a malformed row cannot be silently coerced."""
    with open(cal.calendar_path(), newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == cal.COLUMNS
        rows = list(reader)
    assert len(rows) == 40
    for row in rows:
        where = f"row {row['date']!r}"
        assert re.fullmatch(r"[A-Z]{1,5}", row["ticker"]), where
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]), where
        day = pd.Timestamp(row["date"])
        assert row["kind"] in cal.KINDS and row["timing"] in cal.TIMINGS, where
        q = re.fullmatch(r"Q([1-4]) (\d{4})", row["quarter"])
        assert q, where
        quarter_end = pd.Period(f"{q.group(2)}Q{q.group(1)}", freq="Q").end_time.normalize()
        lag = (day - quarter_end).days
        # Deliveries come out in the first days after the quarter closes, earnings three to six weeks after.
        assert (1 <= lag <= 5) if row["kind"] == "deliveries" else (14 <= lag <= 45), (where, lag)
        assert len(row["source"].strip()) > 20, where
        checked = row["checked"]
        assert checked == checked.strip() and " " not in checked, where
        parts = urlsplit(checked)
        assert parts.scheme in ("http", "https") and "." in parts.netloc, (where, checked)
    # Each release is its own page: no URL stands in for two rows unless the page states both (one Tesla
    # release announces the deliveries and the date of the next earnings).
    urls = [r["checked"] for r in rows]
    shared = {u for u in urls if urls.count(u) > 1}
    assert shared <= {"https://www.sec.gov/Archives/edgar/data/1318605/000095017024040274/tsla-ex99_1.htm"}
