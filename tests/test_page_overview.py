"""AppTest: the Overview page, its controls, its URL state and its failure modes."""

import os
from pathlib import Path

import pandas as pd

from eventlens import events as events_store
from tests.rendered import as_read


def chart(at):
    import json

    (element,) = [e for e in at.get("plotly_chart")]
    return json.loads(element.proto.spec)


def values(array):
    """Plotly 6+ sends numeric arrays as typed arrays ({dtype, bdata}); decode them."""
    if isinstance(array, dict) and "bdata" in array:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def open_settings(at):
    at.session_state["ov_settings"] = True  # the user opens "Chart settings"
    return at.run()


def open_events(at):
    at.session_state["ov_events"] = True  # the user opens the events table
    return at.run()


def marker_count(spec):
    return sum(len(t.get("x", [])) for t in spec["data"] if t.get("meta") == "events")


def test_overview_renders_with_source_notice(app, no_network):
    at = app.run()
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    assert "offline snapshot" in captions and "2020-01-02 to 2024-12-31" in captions
    assert no_network == []


def test_every_event_is_flagged_and_listed(app, data_dir):
    at = app.run()
    stored = events_store.load_events()
    dated = stored.dropna(subset=["trading_date"])
    assert marker_count(chart(at)) == len(dated) == 5
    assert not at.dataframe  # the table is drawn when opened
    assert at.expander[0].label.endswith(": 5 of 5 (table, CSV)")
    (table,) = open_events(at).dataframe
    assert list(table.value["Trading day"]) == sorted(dated["trading_date"].dt.strftime("%Y-%m-%d"))
    musk = table.value.set_index("Trading day").loc["2024-04-29"]
    assert musk["Day-0 return (%)"] == round((194.050003 / 168.289993 - 1) * 100, 2)


def test_date_range_narrows_chart_table_and_url(app):
    at = open_settings(app.run())
    at.date_input(key="ov_start").set_value(pd.Timestamp("2024-01-02").date()).run()
    assert not at.exception
    assert marker_count(chart(at)) == 2
    assert len(open_events(at).dataframe[0].value) == 2
    assert at.query_params["start"] == "2024-01-02"


def test_compare_switches_to_rebased_lines(app):
    at = open_settings(app.run())
    at.multiselect(key="ov_peers").set_value(["SPY", "NIO"]).run()
    spec = chart(at)
    names = [t["name"] for t in spec["data"] if t.get("meta") != "events"]
    assert names == ["TSLA", "SPY", "NIO"]
    assert spec["layout"]["yaxis"]["title"]["text"] == "Change since start (%)"
    assert at.query_params["peers"] == "SPY,NIO"


def test_as_traded_basis_shows_the_price_articles_quote(app):
    at = open_settings(app.run())
    at.radio(key="ov_basis").set_value("as_traded")
    at.radio(key="ov_interval").set_value("daily").run()
    spec = chart(at)
    candles = next(t for t in spec["data"] if t["type"] == "candlestick")
    day = candles["x"].index(next(x for x in candles["x"] if str(x).startswith("2021-05-05")))
    assert abs(values(candles["close"])[day] - 670.94) < 0.005


def test_shared_link_reopens_the_same_view(app):
    app.query_params["ticker"] = "NIO"
    app.query_params["start"] = "2021-03-01"
    app.query_params["end"] = "2021-06-30"
    at = open_settings(app.run())
    assert not at.exception
    assert at.selectbox(key="ov_ticker").value == "NIO"
    assert str(at.date_input(key="ov_start").value) == "2021-03-01"
    assert "NIO daily candles" in chart(at)["layout"]["title"]["text"]  # 84 sessions: daily
    assert not at.info  # a valid link raises no notice


def test_bad_link_values_fall_back_with_a_notice(app):
    app.query_params["ticker"] = "<script>"
    app.query_params["start"] = "1999-01-01"
    at = app.run()
    assert not at.exception and not at.error
    assert open_settings(at).selectbox(key="ov_ticker").value == "TSLA"
    notices = " ".join(as_read(i.value) for i in at.info)
    assert "Ignored 'ticker=" in notices and "Ignored 'start=1999-01-01'" in notices


def test_overview_warns_when_cache_is_corrupt(app, data_dir):
    (data_dir / "cache").mkdir()
    (data_dir / "cache" / "TSLA.csv").write_text("not,a,price,file\n1,2,3,4\n")
    at = app.run()
    assert not at.exception
    assert any("set aside" in w.value for w in at.warning)


def test_a_broken_store_is_a_message_and_the_seed_events_still_show(app, data_dir):
    path = Path(os.environ["EVENTLENS_STATE_DIR"]) / "eventlens.sqlite"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not,the events store\n\x00\x01" * 100)
    before = path.read_bytes()
    at = app.run()
    assert not at.exception
    assert at.error and "store" in at.error[0].value.lower() and "read-only" in at.error[0].value
    chart = at.get("plotly_chart")[0].proto.spec
    assert "2024-04-29" in chart  # the seed events are still flagged on the chart
    assert path.read_bytes() == before


def test_long_ranges_draw_weekly_candles_short_ones_daily(app):
    at = app.run()
    spec = chart(at)
    assert spec["layout"]["title"]["text"].startswith("TSLA weekly candles")
    candles = next(t for t in spec["data"] if t["type"] == "candlestick")
    assert len(candles["x"]) == 262  # five years of weeks
    assert marker_count(spec) == 5  # every event still flagged on its own day
    open_settings(at).date_input(key="ov_start").set_value(pd.Timestamp("2024-06-03").date()).run()
    spec = chart(at)
    candles = next(t for t in spec["data"] if t["type"] == "candlestick")
    assert spec["layout"]["title"]["text"].startswith("TSLA daily candles") and len(candles["x"]) == 147


def test_export_menu_offers_html_png_svg_only_when_open(app):
    at = app.run()
    assert [b.proto.label for b in at.get("download_button")] == ["Analyst report (HTML)"]
    at.session_state["ov_fig_menu"] = True  # the user opens "Export chart"
    at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:3] == ["Chart as HTML", "Chart as PNG", "Chart as SVG"]
    at.session_state["ov_fig_menu"] = False
    at.run()
    assert "Chart as PNG" not in [b.proto.label for b in at.get("download_button")]


def test_settings_menu_is_drawn_when_opened(app):
    at = app.run()
    assert at.get("popover")[0].proto.popover.label == "Chart settings"
    assert not at.selectbox and not at.date_input and not at.radio  # nothing to draw while closed
    at = open_settings(at)
    assert [s.label for s in at.selectbox] == ["Stock", "Benchmark for CAR"]
    assert [d.label for d in at.date_input] == ["From", "To"]
    assert [r.label for r in at.radio] == ["Price basis", "Candles"]
    at.selectbox(key="ov_ticker").set_value("NIO")
    at.radio(key="ov_interval").set_value("daily").run()
    assert chart(at)["layout"]["title"]["text"].startswith("NIO daily candles, split-adjusted USD")


def test_the_page_draws_the_chosen_values_while_the_menu_is_closed(app):
    # The runtime's forgetting of undrawn widgets is checked in a real browser (tests/e2e).
    at = open_settings(app.run())
    at.date_input(key="ov_start").set_value(pd.Timestamp("2024-01-02").date())
    at.radio(key="ov_basis").set_value("as_traded").run()
    at.session_state["ov_settings"] = False  # closed: the widgets are not drawn on this run or the next
    at.run()
    at.run()
    assert not at.exception and not at.date_input
    assert marker_count(chart(at)) == 2
    assert "as-traded USD" in chart(at)["layout"]["title"]["text"]
    assert at.query_params["start"] == "2024-01-02"
    assert str(open_settings(at).date_input(key="ov_start").value) == "2024-01-02"


def test_a_stock_is_never_its_own_benchmark_or_peer(app):
    app.query_params["ticker"] = "SPY"  # SPY is also the default benchmark
    app.query_params["peers"] = "SPY,NIO"
    at = app.run()
    assert not at.exception and not at.error
    assert [t["name"] for t in chart(at)["data"] if t.get("meta") != "events"] == ["SPY", "NIO"]
    assert "against QQQ" in " ".join(c.value for c in at.caption)
    at = open_settings(at)
    assert "SPY" not in at.selectbox(key="ov_benchmark").options


def test_no_internal_id_or_code_reaches_the_reader(app):
    from eventlens.vocabulary import internal_codes
    from tests.rendered import shown_texts

    at = open_events(open_settings(app.run()))
    seen = shown_texts(at)
    (table,) = at.dataframe
    # The move first: day, headline, returns, p and its verdict, then the words for topic, direction, confidence.
    assert list(table.value.columns[:6]) == ["Trading day", "Headline", "Day-0 return (%)", "CAR[-1,+1] (%)",
                                             "p (CAR)", "Verdict"]
    musk = table.value.set_index("Trading day").loc["2024-04-29"]
    assert musk["Verdict"] == "significant at 5%" and musk["p (CAR)"] < 0.05
    assert set(table.value["Date confidence"]) <= {"curated (cited source)", "set by analyst"} | {
        f"{n}% (engine)" for n in range(101)}
    assert any(t.startswith("News: data localisation") for t in seen)  # the legend names topics in words
    assert internal_codes(seen) == []
    # Hover labels say the same confidence phrase as the table.
    hovers = " ".join(" ".join(t.get("hovertext", [])) for t in chart(at)["data"] if t.get("meta") == "events")
    assert "Date confidence curated (cited source)" in hovers and "n/a" not in hovers
