"""Figures carry every event and no markup from articles; exports are real files."""

import io
import struct
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest

from eventlens import export, prices, splits
from eventlens.figures.markers import MAX_LISTED, event_count
from eventlens.figures.price import (
    SPLIT_NAME,
    choose_interval,
    comparison_figure,
    event_window_figure,
    price_figure,
    weekly_bars,
)
from eventlens.figures.static import KEY_NAME, for_print
from eventlens.news.taxonomy import category_label
from eventlens.vocabulary import topic_color


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


def test_events_sit_above_the_week_that_holds_them(tsla):
    events = event_rows(["2021-05-06", "2024-04-29"])
    fig = price_figure(tsla, "TSLA", "snapshot", events=events, interval="auto")
    assert fig.data[0].name == "TSLA weekly"
    flags = {pd.Timestamp(x): y for t in markers(fig) for x, y in zip(t.x, t.y, strict=True)}
    # Weekly candles are labelled by their last session (Friday): the marker sits over that candle.
    assert set(flags) == {pd.Timestamp("2021-05-07"), pd.Timestamp("2024-05-03")}
    week_high = tsla.loc["2024-04-29":"2024-05-03", "High"].max()
    assert flags[pd.Timestamp("2024-05-03")] > week_high


def test_interval_choice():
    assert choose_interval(260) == "daily" and choose_interval(261) == "weekly"
    assert choose_interval(1000, "daily") == "daily"
    with pytest.raises(ValueError):
        choose_interval(10, "hourly")


def test_five_hundred_events_stay_readable(tsla):
    days = tsla.index[::2][:500]
    fig = price_figure(tsla, "TSLA", "snapshot", events=event_rows(days), interval="daily")
    assert sum(sum(event_count(t)) for t in markers(fig)) == 500
    assert all(max(t.marker.size) <= 8 for t in markers(fig))  # one event per marker: the smallest size
    assert len(markers(fig)) == 2  # one legend entry per category, not per event


def test_article_markup_never_reaches_the_chart_as_markup(tsla):
    fig = price_figure(tsla, "TSLA", "snapshot", events=event_rows(["2024-04-29"],
                                                                   title="<script>alert(1)</script><img src=x>"))
    hover = markers(fig)[0].hovertext[0]
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
    title = fig.layout.title.text.replace("<br>", " ")  # wrapped for a phone
    assert title == "TSLA daily candles around 2024-04-29 (10 sessions before, 10 after), split-adjusted USD"


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
    bars = [t for t in fig.data if t.type == "bar"]
    assert all(b.marker.colorscale is None and isinstance(b.marker.color, str) for b in bars)
    rose = pd.Timestamp("2024-04-29")  # closed 194.05 after opening 188.42 (snapshot)
    fell = pd.Timestamp("2024-05-01")  # closed 179.99 after opening 182.00 (snapshot)
    assert frame.loc[rose, "Close"] > frame.loc[rose, "Open"] and frame.loc[fell, "Close"] < frame.loc[fell, "Open"]
    colours = {day: b.marker.color for b in bars for day in pd.to_datetime(b.x)}
    assert colours[rose] == "#26a69a" and colours[fell] == "#ef5350"
    # Every session has exactly one volume bar, of its own volume, and the bars are not grouped side by side.
    volumes = {day: v for b in bars for day, v in zip(pd.to_datetime(b.x), b.y, strict=True)}
    assert sorted(volumes) == list(frame.index) and len(volumes) == sum(len(b.x) for b in bars)
    assert all(volumes[d] == frame.loc[d, "Volume"] for d in frame.index)
    assert fig.layout.barmode == "overlay"


# --- clusters, topics, split flags, titles, the print copy (issue 15) ------------------------------------------


def crowd():
    """Twelve events on 2024-04-29 (nine of one topic, three of another), two on 2024-04-30, one on 2024-05-02."""
    days = ["2024-04-29"] * 12 + ["2024-04-30"] * 2 + ["2024-05-02"]
    events = event_rows(days)
    events["category"] = ["security_clearance"] * 9 + ["mapping_fsd"] * 3 + ["data_localisation"] * 3
    events["title"] = [f"Headline {i:02d}" for i in range(len(days))]
    return events


def cluster_counts(fig):
    """(x, legend name) -> events in that marker, read off the figure."""
    return {(pd.Timestamp(x), t.name): n for t in markers(fig) for x, n in zip(t.x, event_count(t), strict=True)}


def test_events_on_one_day_and_topic_are_one_marker_with_their_count(tsla):
    events = crowd()
    fig = price_figure(tsla.loc["2024-04-01":"2024-05-31"], "TSLA", "snapshot", events=events, interval="daily")
    expected = events.groupby(["trading_date", "category"]).size()
    assert cluster_counts(fig) == {(day, f"News: {category_label(c)}"): n for (day, c), n in expected.items()}
    big = next(t for t in markers(fig) if t.name == f"News: {category_label('security_clearance')}")
    hover = big.hovertext[0]
    assert hover.startswith("<b>9 news on 2024-04-29</b>")
    assert [f"Headline {i:02d}" in hover for i in range(9)] == [True] * MAX_LISTED + [False] * (9 - MAX_LISTED)
    assert f"and {9 - MAX_LISTED} more" in hover
    assert big.text[0] == "9"  # the count is drawn beside the marker
    # Topics on the same day are stacked, not drawn on top of each other.
    same_day = sorted(y for t in markers(fig) for x, y in zip(t.x, t.y, strict=True)
                      if pd.Timestamp(x) == pd.Timestamp("2024-04-29"))
    assert len(same_day) == 2 and same_day[1] > same_day[0]


def test_weekly_candles_cluster_the_week(tsla):
    events = crowd()
    fig = price_figure(tsla.loc["2024-01-02":"2024-12-31"], "TSLA", "snapshot", events=events, interval="weekly")
    counts = cluster_counts(fig)
    friday = pd.Timestamp("2024-05-03")  # the week of 2024-04-29 to 2024-05-03
    assert counts == {(friday, f"News: {category_label(c)}"): n
                      for c, n in events.groupby("category").size().items()}
    assert "the week to 2024-05-03" in next(t for t in markers(fig) if "data localisation" in t.name).hovertext[0]


def test_one_trace_per_topic_toggles_it_and_keeps_its_colour(tsla):
    fig = price_figure(tsla.loc["2024-04-01":"2024-05-31"], "TSLA", "snapshot", events=crowd())
    traces = markers(fig)
    assert sorted(t.name for t in traces) == sorted(f"News: {category_label(c)}" for c in set(crowd()["category"]))
    assert all(not t.legendgroup for t in traces)  # no shared group: a legend click hides one topic only
    for t in traces:
        code = next(c for c in crowd()["category"] if category_label(c) in t.name)
        assert t.marker.color == topic_color(code)


def test_split_day_is_flagged_on_the_as_traded_chart_only(tsla):
    window = tsla.loc["2022-08-01":"2022-09-30"]
    traded = price_figure(splits.to_as_traded(window, "TSLA"), "TSLA", "snapshot", basis="as_traded")
    adjusted = price_figure(window, "TSLA", "snapshot", basis="adjusted")
    flags = [a for a in traded.layout.annotations if a.name == SPLIT_NAME]
    assert [(pd.Timestamp(a.x), "3-for-1 split" in a.text) for a in flags] == [(pd.Timestamp("2022-08-25"), True)]
    assert {pd.Timestamp(s.x0) for s in traded.layout.shapes} == {pd.Timestamp("2022-08-25")}
    assert not [a for a in adjusted.layout.annotations if a.name == SPLIT_NAME] and not adjusted.layout.shapes
    # The cliff the flag explains: as traded, the close before the split is about 3x the one on it.
    closes = traded.data[0].close
    assert closes[list(pd.to_datetime(traded.data[0].x)).index(pd.Timestamp("2022-08-24"))] > 800
    later = price_figure(splits.to_as_traded(tsla.loc["2023"], "TSLA"), "TSLA", "snapshot", basis="as_traded")
    assert not [a for a in later.layout.annotations if a.name == SPLIT_NAME]  # no split in 2023


def test_titles_say_what_is_drawn(tsla):
    traded = price_figure(splits.to_as_traded(tsla, "TSLA"), "TSLA", "snapshot", basis="as_traded", interval="auto")
    assert traded.layout.title.text == "TSLA weekly candles, as-traded USD"
    assert traded.layout.title.subtitle.text == "2020-01-02 to 2024-12-31"
    daily = price_figure(tsla.loc["2024-04-01":"2024-05-31"], "TSLA", "snapshot")
    assert daily.layout.title.text == "TSLA daily candles, split-adjusted USD"
    closes = {t: prices.load_snapshot(t)["Adj Close"].loc["2024-04-01":"2024-06-28"] for t in ("TSLA", "SPY", "NIO")}
    lines = comparison_figure(closes, "snapshot")
    title = f"{lines.layout.title.text} {lines.layout.title.subtitle.text}"
    assert lines.layout.title.text == "TSLA vs SPY, NIO: % change, rebased"
    assert "adjusted close" not in title and "candles" not in title
    assert "daily" in title and "2024-04-01 to 2024-06-28" in title
    # Five compared tickers make a title too long for a phone: it wraps, and the plot moves down by the extra line.
    five = comparison_figure({**closes, **{t: closes["SPY"] for t in ("QQQ", "XPEV", "LI")}}, "snapshot")
    lines = five.layout.title.text.split("<br>")
    assert " ".join(lines) == "TSLA vs SPY, NIO, QQQ, XPEV, LI: % change, rebased"
    assert len(lines) == 2 and max(map(len, lines)) <= 42
    assert five.layout.margin.t > comparison_figure(closes, "snapshot").layout.margin.t


def key_lines(fig):
    keys = [a.text for a in fig.layout.annotations if a.name == KEY_NAME and not a.text.startswith("<b>")]
    return [line for block in keys for line in block.split("<br>")]


def test_print_copy_has_no_controls_and_numbers_markers_with_a_matching_key(tsla):
    events = crowd()
    fig = price_figure(tsla.loc["2024-04-01":"2024-05-31"], "TSLA", "snapshot", events=events, interval="daily")
    assert fig.layout.xaxis.rangeselector.buttons  # the interactive chart (and its HTML export) keeps them
    printed = for_print(fig)
    spec = printed.to_dict()["layout"]
    assert all("rangeselector" not in spec[k] and spec[k].get("rangeslider", {}).get("visible") is False
               for k in spec if k.startswith("xaxis"))
    assert "updatemenus" not in spec and "sliders" not in spec
    numbered = {int(n): (pd.Timestamp(x), t.name, cnt) for t in markers(printed)
                for x, n, cnt in zip(t.x, t.text, event_count(t), strict=True)}
    assert sorted(numbered) == list(range(1, 5))  # four markers: two topics on 04-29, one on 04-30, one on 05-02
    assert [numbered[n][0] for n in sorted(numbered)] == sorted(numbered[n][0] for n in numbered)  # date order
    lines = key_lines(printed)
    assert len(lines) == 4
    # The app keeps its figures with arrays in plotly's typed form ({dtype, bdata}); the print copy reads those too.
    assert key_lines(for_print(go.Figure(fig.to_dict()))) == lines
    for line in lines:
        number, rest = line.split("  ", 1)
        day, topic, count = numbered[int(number)]
        first = events[(events["trading_date"] == day)
                       & events["category"].map(category_label).eq(topic.removeprefix("News: "))]
        assert rest.startswith(f"{day:%Y-%m-%d} · {first['title'].iloc[0]}")
        assert rest.endswith(f"(+{count - 1} more)") == (count > 1)
    source = [a for a in printed.layout.annotations if a.name == "source"]
    assert len(source) == 1 and "<br>" not in source[0].text  # one whole line at print width
    assert for_print(price_figure(tsla.loc["2024"], "TSLA", "snapshot")).layout.annotations[-1].name == "source"


@pytest.mark.skipif(export.find_browser() is None, reason="needs Debian's chromium (installed by .ci/run)")
def test_exported_svg_and_png_hold_the_key_and_the_whole_source(tsla):
    source = prices.SNAPSHOT_SOURCE + ", checked against the exchange's closing auction prints for every day shown"
    events = event_rows(["2022-08-25", "2024-04-29", "2024-04-29"], title="Tesla clears China data audit")
    fig = price_figure(splits.to_as_traded(tsla, "TSLA"), "TSLA", source, basis="as_traded", events=events)
    svg = export.figure_image(fig, "svg").decode()
    root = ET.fromstring(svg)
    texts = " ".join(" ".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
    assert f"Source: {source}" in texts  # the whole line, not cut
    assert "2022-08-25 · Tesla clears China data audit" in texts and "2024-04-29 · Tesla clears China data" in texts
    assert "3-for-1 split" in texts and "5-for-1 split" in texts
    assert not {"1M", "6M", "YTD"} & set(texts.split())  # no range buttons baked in
    png = export.figure_image(fig, "png", scale=1)
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1200 and height == for_print(fig).layout.height
