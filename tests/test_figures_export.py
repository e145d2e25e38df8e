"""Figures carry every event and no markup from articles; exports are real files."""

import io
import struct
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from eventlens import export, prices
from eventlens.figures.price import (
    choose_interval,
    comparison_figure,
    event_window_figure,
    price_figure,
    weekly_bars,
)


def event_rows(days, title="Tesla data news"):
    return pd.DataFrame(
        {
            "event_id": [f"E{i:03d}" for i in range(len(days))],
            "trading_date": pd.to_datetime(days),
            "event_date": pd.to_datetime(days),
            "title": title,
            "source": "Reuters",
            "category": ["security_clearance", "government_restriction"] * (len(days) // 2) + ["mapping_fsd"] * (
                len(days) % 2),
            "direction": "easing",
            "date_confidence": 0.9,
            "day0_return": 0.153,
            "car_m1_p1": 0.0957,
        }
    )


def markers(fig):
    return [t for t in fig.data if t.meta == "events"]


@pytest.fixture(scope="module")
def tsla():
    return prices.load_snapshot("TSLA")


def test_one_marker_per_event_in_range(tsla):
    events = event_rows(["2021-03-22", "2021-05-06", "2024-04-29", "2024-05-17", "2026-01-05"])
    fig = price_figure(tsla.loc["2021-01-04":"2024-12-31"], "TSLA", "snapshot", events=events)
    drawn = sum(len(t.x) for t in markers(fig))
    assert drawn == 4  # 2026-01-05 is outside the data
    top = next(t for t in markers(fig) if pd.Timestamp("2024-04-29") in list(pd.to_datetime(t.x)))
    i = list(pd.to_datetime(top.x)).index(pd.Timestamp("2024-04-29"))
    assert top.y[i] > tsla.loc["2024-04-29", "High"]  # the flag sits above the candle


def test_weekly_bars_aggregate_the_daily_rows(tsla):
    weekly = weekly_bars(tsla)
    first = weekly.iloc[0]  # 2020-01-02 and 2020-01-03, a two-session week
    assert weekly.index[0] == pd.Timestamp("2020-01-03")
    assert (first["Open"], first["High"], first["Low"], first["Close"]) == (28.299999, 30.266666, 28.114, 29.534)
    assert first["Volume"] == 142981500 + 266677500
    assert weekly.index[-1] == pd.Timestamp("2024-12-31")  # the last week ends on its last session
    assert len(weekly) == 262


def test_daily_candles_skip_weekends_weekly_ones_need_no_breaks(tsla):
    daily = price_figure(tsla.loc["2024-06-03":"2024-06-28"], "TSLA", "snapshot", interval="daily")
    weekly = price_figure(tsla, "TSLA", "snapshot", interval="weekly")
    for axis in ("xaxis", "xaxis2"):  # both panels share the x axis, so both break or neither does
        assert [b.bounds for b in daily.layout[axis].rangebreaks] == [("sat", "mon")]
        assert weekly.layout[axis].rangebreaks == ()


def test_events_sit_on_their_day_above_the_week_that_holds_it(tsla):
    events = event_rows(["2021-05-06", "2024-04-29"])
    fig = price_figure(tsla, "TSLA", "snapshot", events=events, interval="auto")
    assert fig.data[0].name == "TSLA weekly"
    flags = {pd.Timestamp(x): y for t in markers(fig) for x, y in zip(t.x, t.y, strict=True)}
    assert set(flags) == {pd.Timestamp("2021-05-06"), pd.Timestamp("2024-04-29")}
    week_high = tsla.loc["2024-04-29":"2024-05-03", "High"].max()
    assert flags[pd.Timestamp("2024-04-29")] > week_high


def test_interval_choice():
    assert choose_interval(260) == "daily" and choose_interval(261) == "weekly"
    assert choose_interval(1000, "daily") == "daily"
    with pytest.raises(ValueError):
        choose_interval(10, "hourly")


def test_five_hundred_events_stay_readable(tsla):
    days = tsla.index[::2][:500]
    fig = price_figure(tsla, "TSLA", "snapshot", events=event_rows(days))
    assert sum(len(t.x) for t in markers(fig)) == 500
    assert all(t.marker.size <= 7 for t in markers(fig))
    assert len(markers(fig)) == 2  # one legend entry per category, not per event


def test_article_markup_never_reaches_the_chart_as_markup(tsla):
    fig = price_figure(tsla, "TSLA", "snapshot", events=event_rows(["2024-04-29"],
                                                                   title="<script>alert(1)</script><img src=x>"))
    hover = markers(fig)[0].text[0]
    assert "<script>" not in hover and "<img" not in hover
    assert "&lt;script&gt;" in hover


def test_comparison_is_rebased_to_zero_percent(tsla):
    spy = prices.load_snapshot("SPY")["Adj Close"].loc["2024-04-01":"2024-06-28"]
    closes = {"TSLA": tsla["Adj Close"].loc["2024-04-01":"2024-06-28"], "SPY": spy}
    fig = comparison_figure(closes, "snapshot", event_rows(["2024-04-29"]))
    lines = {t.name: t for t in fig.data if t.meta != "events"}
    assert lines["TSLA"].y[0] == 0 and lines["SPY"].y[0] == 0
    assert lines["SPY"].y[-1] == pytest.approx((spy.iloc[-1] / spy.iloc[0] - 1) * 100)
    assert sum(len(t.x) for t in markers(fig)) == 1


def test_event_window_spans_ten_sessions_each_side(tsla):
    fig = event_window_figure(tsla, event_rows(["2024-04-29"]).iloc[0], "TSLA", "snapshot")
    candles = fig.data[0]
    days = pd.to_datetime(candles.x)
    assert len(days) == 21 and days[10] == pd.Timestamp("2024-04-29")
    assert days[0] == pd.Timestamp("2024-04-15") and days[-1] == pd.Timestamp("2024-05-13")


@pytest.fixture(scope="module")
def small_fig():
    return price_figure(prices.load_snapshot("TSLA").loc["2024-04-01":"2024-05-31"], "TSLA", "snapshot",
                        events=event_rows(["2024-04-29"]))


@pytest.mark.skipif(export.find_browser() is None, reason="needs Debian's chromium (installed by .ci/run)")
def test_png_export_is_a_real_png(small_fig):
    png = export.figure_image(small_fig, "png", width=900, height=500, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (900, 500)
    assert len(png) > 20_000


@pytest.mark.skipif(export.find_browser() is None, reason="needs Debian's chromium (installed by .ci/run)")
def test_svg_export_parses_and_holds_the_title(small_fig):
    svg = export.figure_image(small_fig, "svg", width=900, height=500)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "TSLA daily candles" in svg.decode()


def test_html_export_is_self_contained(small_fig):
    page = export.figure_html(small_fig)
    assert page.lower().startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "Plotly.newPlot" in page
    assert len(page) > 1_000_000  # plotly.js itself is embedded: the file opens offline
    assert '<script src="http' not in page


def test_csv_reloads_to_the_same_table():
    frame = prices.load_snapshot("TSLA").loc["2024-04-26":"2024-05-03"].reset_index()
    again = pd.read_csv(io.BytesIO(export.table_csv(frame)), parse_dates=["Date"])
    pd.testing.assert_frame_equal(again, frame, check_dtype=False)


def test_static_export_says_why_when_no_browser(monkeypatch, small_fig):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    monkeypatch.setattr(export.shutil, "which", lambda name: None)
    ok, why = export.static_export_status()
    assert not ok and "HTML and CSV" in why
    with pytest.raises(export.StaticExportUnavailable, match="Chromium"):
        export.figure_image(small_fig, "png")


def test_volume_bars_take_the_candle_colour_as_plain_colour_strings(tsla):
    # plotly.js warns twice per bar (a console trace each) when bar colours are numbers on a colorscale.
    frame = tsla.loc["2024-04-22":"2024-05-03"]
    fig = price_figure(frame, "TSLA", "snapshot", interval="daily")
    volume = next(t for t in fig.data if t.type == "bar")
    assert volume.marker.colorscale is None
    rose = pd.Timestamp("2024-04-29")  # closed 194.05 after opening 188.42 (snapshot)
    fell = pd.Timestamp("2024-05-01")  # closed 179.99 after opening 182.00 (snapshot)
    assert frame.loc[rose, "Close"] > frame.loc[rose, "Open"] and frame.loc[fell, "Close"] < frame.loc[fell, "Open"]
    colours = dict(zip(pd.to_datetime(volume.x), volume.marker.color, strict=True))
    assert colours[rose] == "#26a69a" and colours[fell] == "#ef5350"
