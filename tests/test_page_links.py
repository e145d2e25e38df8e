"""AppTest: every page reads its whole view from a link, writes it back unchanged, and shows it under 'Copy link'.

Each test opens a page with a link that changes every setting the page has,
then checks the widgets, what the page draws from them, the address it
writes back (exactly the link's parameters) and the link in the 'Copy link'
menu. Bad values are said in a notice, as text.
"""

from __future__ import annotations

import json

import pytest

from tests.rendered import as_read

E0, E1, E2, E3, E4 = ("ev_000_1c06e83f191eca7b", "ev_001_dc4fae954da705d4", "ev_002_d889ba14fa21bf2e",
                      "ev_003_06b5e2fcc9eab559", "ev_004_c485fdf8a973a645")


def open_link(app, page: str, query: dict[str, str]):
    app.switch_page(page)
    app.default_timeout = 120
    for key, value in query.items():
        app.query_params[key] = value
    at = app.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def shown_link(at, page_key: str) -> str:
    """The link in the page's 'Copy link' menu (opened like a user does)."""
    at.session_state[f"{page_key}_link"] = True
    at.run()
    assert not at.exception
    (code,) = [c for c in at.code if c.value.lstrip().startswith(("?", "http"))] or [None]
    assert code is not None, "no link in the Copy link menu"
    return code.value


def query_of(link: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(link).query))


def notices(at) -> list[str]:
    return [i.value for i in at.info if "from the link" in i.value]


def test_overview_reads_basis_and_candles_from_a_link(app):
    query = {"ticker": "NIO", "benchmark": "QQQ", "start": "2021-01-04", "end": "2021-12-31", "basis": "as_traded",
             "interval": "weekly"}
    at = open_link(app, "pages/overview.py", query)
    assert {k: at.session_state[f"ov_{k}"] for k in ("ticker", "benchmark", "basis", "interval")} == {
        "ticker": "NIO", "benchmark": "QQQ", "basis": "as_traded", "interval": "weekly"}
    assert dict(at.query_params) == query  # written back exactly
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    candles = next(t for t in spec["data"] if t["type"] == "candlestick")
    assert 50 <= len(candles["x"]) <= 53  # one year of weekly candles, not ~250 daily ones
    assert query_of(shown_link(at, "ov")) == query
    at.session_state["ov_settings"] = True
    at.run()
    assert at.radio(key="ov_basis").value == "as_traded" and at.radio(key="ov_interval").value == "weekly"
    assert not at.radio(key="ov_basis").disabled


def test_overview_disables_basis_and_candles_while_comparing(app):
    at = open_link(app, "pages/overview.py", {"peers": "SPY,NIO", "interval": "daily"})
    at.session_state["ov_settings"] = True
    at.run()
    for key in ("ov_basis", "ov_interval"):
        radio = at.radio(key=key)
        assert radio.disabled and "rebased % lines" in radio.help
    assert at.radio(key="ov_interval").value == "daily"  # kept, and back in force once the comparisons go
    at.multiselect(key="ov_peers").set_value([]).run()
    assert not at.radio(key="ov_basis").disabled and not at.radio(key="ov_interval").disabled
    assert dict(at.query_params) == {"interval": "daily"}


def test_event_study_reads_the_whole_design_from_a_link(app):
    query = {"ticker": "NIO", "benchmark": "QQQ", "model": "market_adjusted", "windows": "-1,1;0,2", "peers": "XPEV",
             "est_start": "-300", "est_end": "-20", "pe": "1", "excl": "1", "cal": "1",
             "events": f"{E2},{E0},{E4}", "tab": "event", "focus": E0, "detail": "fit"}
    at = open_link(app, "pages/event_study.py", query)
    ss = at.session_state
    assert (ss["es_est_start"], ss["es_est_end"], ss["es_pe"], ss["es_excl"], ss["es_cal"]) == (-300, -20, True, True,
                                                                                               True)
    assert ss["es_events"] == [E2, E0, E4] and ss["es_tab"] == "One event in detail"
    assert at.multiselect(key="es_events").value == [E2, E0, E4]
    method = as_read(next(i.value for i in at.info if "**Method.**" in i.value))
    assert "fitted on trading days [-300,-20]" in method and "other events' days -1..+1" in method
    assert "scheduled earnings and deliveries days left out of the fit" in method
    # The open tab is the one-event tab, on the linked event and chart.
    assert at.selectbox(key="es_focus").value == E0 and at.button_group(key="es_detail").value == "fit"
    assert dict(at.query_params) == query
    assert query_of(shown_link(at, "es")) == query
    at.session_state["es_design"] = True
    at.run()
    assert at.number_input(key="es_est_start").value == -300 and at.checkbox(key="es_cal").value
    assert at.text_input(key="es_windows").value == "-1,1; 0,2" and at.radio(key="es_model").value == "market_adjusted"


def test_event_study_changes_reach_the_link(app):
    at = open_link(app, "pages/event_study.py", {})
    assert dict(at.query_params) == {}
    every = at.session_state["es_events"]  # all of them, in the store's order, by default
    assert sorted(every) == [E0, E1, E2, E3, E4]
    at.multiselect(key="es_events").set_value(every[:-1]).run()  # all but one: the short form
    assert dict(at.query_params) == {"skip": every[-1]}
    at.session_state["es_tab"] = "Across events (CAAR)"
    at.run()
    assert dict(at.query_params) == {"skip": every[-1], "tab": "caar"}
    at.multiselect(key="es_events").set_value([every[2], every[0]]).run()
    assert dict(at.query_params) == {"events": f"{every[2]},{every[0]}", "tab": "caar"}


def test_timeline_reads_event_stock_and_benchmark_and_says_the_benchmark(app):
    query = {"event": E2, "ticker": "NIO", "benchmark": "QQQ"}
    at = open_link(app, "pages/timeline.py", query)
    assert at.selectbox(key="tl_event").value == E2 and at.selectbox(key="tl_ticker").value == "NIO"
    assert at.selectbox(key="tl_benchmark").value == "QQQ"
    assert any("against QQQ" in c.value for c in at.caption)
    assert dict(at.query_params) == query
    assert query_of(shown_link(at, "tl")) == query
    at.selectbox(key="tl_benchmark").set_value("SPY").run()
    assert any("NIO against SPY" in c.value for c in at.caption) and "benchmark" not in at.query_params


def test_articles_reads_the_article_and_tab(app):
    article = E3.removeprefix("ev_")
    at = open_link(app, "pages/articles.py", {"article": article, "tab": "reader"})
    assert at.selectbox(key="art_article").value == article
    assert dict(at.query_params) == {"article": article}  # the Reader is the default tab


def test_articles_reads_another_tab(app):
    article = E3.removeprefix("ev_")
    at = open_link(app, "pages/articles.py", {"tab": "correct", "article": article})
    assert at.session_state["art_tab"] == "Correct dates and categories"
    assert query_of(shown_link(at, "art")) == {"tab": "correct", "article": article}


def test_data_reads_the_download_ticker(app):
    at = open_link(app, "pages/data.py", {"ticker": "XPEV"})
    assert at.selectbox(key="data_ticker").value == "XPEV"
    assert any(b.label == "XPEV daily prices as CSV" for b in at.get("download_button"))
    assert query_of(shown_link(at, "data")) == {"ticker": "XPEV"}


@pytest.mark.parametrize(
    ("page", "query", "key", "default"),
    [
        ("pages/overview.py", {"basis": "**raw**"}, "ov_basis", "adjusted"),
        ("pages/event_study.py", {"tab": "[x](javascript:alert(1))"}, "es_tab", "CARs by event"),
        ("pages/event_study.py", {"est_start": "-5", "est_end": "-1"}, "es_est_start", -250),
        ("pages/articles.py", {"tab": "<b>add</b>"}, "art_tab", "Reader"),
    ],
)
def test_a_bad_link_value_is_ignored_with_a_notice_shown_as_text(app, page, query, key, default):
    at = open_link(app, page, query)
    assert at.session_state[key] == default
    (notice,) = notices(at)
    assert "Using the default" in notice
    assert "[x](" not in notice and "**raw**" not in notice and "<b>" not in notice  # escaped, never markup
    assert dict(at.query_params) == {}  # the ignored value leaves the address
