"""AppTest: the Timeline and Data pages."""

import json

import numpy as np
import pandas as pd
import pytest
import yfinance
from scipy import stats

from eventlens.paths import REPO_ROOT
from tests.rendered import as_read
from tests.yf_fakes import yf_download_frame


def chart(at):
    (element,) = at.get("plotly_chart")
    return json.loads(element.proto.spec)


def candle_days(spec):
    candles = next(t for t in spec["data"] if t["type"] == "candlestick")
    return [str(x)[:10] for x in candles["x"]]


def open_timeline(app):
    app.switch_page("pages/timeline.py")
    return app.run()


def test_timeline_zooms_to_the_chosen_event(app):
    at = open_timeline(app)
    assert not at.exception and not at.error
    at.selectbox(key="tl_event").set_value("ev_002_d889ba14fa21bf2e").run()
    days = candle_days(chart(at))
    assert len(days) == 21 and days[10] == "2024-04-29"
    assert at.query_params["event"] == "ev_002_d889ba14fa21bf2e"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Day-0 return"] == f"{(194.050003 / 168.289993 - 1) * 100:+.2f}%"
    # CAR[-1,+1] and its p-value, by an independent market-model fit (numpy polyfit) on days -250..-11.
    tsla, spy = (pd.read_csv(REPO_ROOT / f"data/prices/{t}.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
                 for t in ("TSLA", "SPY"))
    r, m = tsla.pct_change(), spy.reindex(tsla.index).pct_change()
    i0 = tsla.index.get_loc(pd.Timestamp("2024-04-29"))
    est = slice(i0 - 250, i0 - 10)
    beta, alpha = np.polyfit(m.iloc[est], r.iloc[est], 1)
    resid = r.iloc[est] - alpha - beta * m.iloc[est]
    sigma2 = float((resid**2).sum()) / (len(resid) - 2)
    car = float((r.iloc[i0 - 1 : i0 + 2] - alpha - beta * m.iloc[i0 - 1 : i0 + 2]).sum())
    p = 2 * stats.t.sf(abs(car / np.sqrt(3 * sigma2)), len(resid) - 2)
    assert metrics[f"CAR[-1,+1] · p = {p:.3f}"] == f"{car * 100:+.2f}%"
    # Beside the t-test: the SQ p (the CAR among all overlapping 3-day sums of the estimation residuals,
    # (count + 1) / (J + 1) per tail), the day-0 abnormal log volume and the [-1,+1] volatility ratio.
    sums = resid.rolling(3).sum().dropna().to_numpy()
    tail = min((sums >= car).sum() + 1, (sums <= car).sum() + 1) / (len(sums) + 1)
    assert metrics["SQ p, CAR[-1,+1]"] == f"{min(1.0, 2 * tail):.3f}"
    vol = np.log(pd.read_csv(REPO_ROOT / "data/prices/TSLA.csv", index_col="Date", parse_dates=["Date"])["Volume"])
    av = vol.iloc[i0] - vol.iloc[est].mean()
    t_v = av / vol.iloc[est].std(ddof=1)
    assert metrics[f"Day-0 volume · p = {2 * stats.t.sf(abs(t_v), 239):.3f}"] == f"{np.expm1(av) * 100:+.0f}%"
    ar = (r.iloc[i0 - 1 : i0 + 2] - alpha - beta * m.iloc[i0 - 1 : i0 + 2]).to_numpy()
    u = float((ar**2).mean() / sigma2)
    assert metrics[f"Volatility [-1,+1] · p = {stats.f.sf(u, 3, 238):.3f}"] == f"{u:.2g}×"
    # The two tests agree at 5% here, so no warning about them; the Q1 2024 earnings sit inside [-5,+5].
    assert not [w for w in at.warning if "t-test" in w.value]
    (news,) = [w.value for w in at.warning if "Company news" in w.value]
    assert "[-5,+5] includes the 2024-04-23 earnings release, after the close: day 2024-04-24, +12.1%" in as_read(news)


def test_timeline_never_measures_a_stock_against_itself(app):
    app.query_params["ticker"] = "SPY"
    app.query_params["benchmark"] = "SPY"
    at = open_timeline(app)
    assert not at.exception and not at.error
    (ar0,) = [m for m in at.metric if m.label == "Day-0 abnormal return"]
    assert "what QQQ explains" in ar0.proto.help


def test_previous_and_next_walk_the_events_in_order(app):
    at = open_timeline(app)
    first = at.selectbox(key="tl_event").value
    assert first == "ev_004_c485fdf8a973a645"  # 2021-03-22, the earliest trading day
    at.button(key="tl_next").click().run()
    assert at.selectbox(key="tl_event").value == "ev_001_dc4fae954da705d4"  # 2021-05-06
    at.button(key="tl_prev").click().run()
    assert at.selectbox(key="tl_event").value == first
    assert at.button(key="tl_prev").disabled


def test_timeline_shows_article_text_as_text(app, data_dir):
    at = open_timeline(app)
    at.selectbox(key="tl_event").set_value("ev_001_dc4fae954da705d4").run()
    body = " ".join(m.value for m in at.markdown)
    assert "670\\.94 on Wednesday" in body  # escaped markdown, shown literally


def test_timeline_link_with_unknown_event_falls_back(app):
    app.query_params["event"] = "ev_nope"
    at = open_timeline(app)
    assert not at.exception
    assert any("Ignored 'event=ev_nope'" in as_read(i.value) for i in at.info)
    assert at.selectbox(key="tl_event").value == "ev_004_c485fdf8a973a645"


def test_data_page_lists_every_source(app):
    app.switch_page("pages/data.py")
    at = app.run()
    assert not at.exception and not at.error
    # The page ran inside dashboard.py's router, not as a stray legacy page.
    assert any("EventLens puts news" in c.value for c in at.sidebar.caption)
    sources = at.dataframe[0].value
    assert list(sources["Ticker"]) == ["LI", "NIO", "QQQ", "SPY", "TSLA", "XPEV"]
    assert set(sources["Last date"]) == {"2024-12-31"}
    assert sources.set_index("Ticker").loc["XPEV", "First date"] == "2020-08-27"


def test_refresh_without_network_says_so_and_keeps_the_snapshot(app, no_network):
    app.switch_page("pages/data.py")
    at = app.run()
    at.button(key="data_refresh").click().run()
    assert not at.exception
    assert len(no_network) == 1
    (warning,) = [as_read(w.value) for w in at.warning]
    assert "Yahoo Finance refresh failed" in warning and "2024-12-31" in warning
    assert "no network" in warning and "no rows" not in warning  # yfinance 1.x offline: empty frame, DNS error logged


@pytest.mark.parametrize("mode", ["ok", "raises"])
def test_refresh_result_is_reported(app, data_dir, monkeypatch, mode):
    def fake(tickers, *args, **kwargs):
        if mode == "raises":
            raise ConnectionResetError("connection reset by peer")
        return yf_download_frame(tickers, kwargs["start"], kwargs["end"])

    monkeypatch.setattr(yfinance, "download", fake)
    app.switch_page("pages/data.py")
    at = app.run()
    at.button(key="data_refresh").click().run()
    assert not at.exception
    if mode == "ok":
        # Yahoo answers up to the snapshot's end only: a partial span today, so it is refused honestly.
        assert any("partial span" in as_read(w.value) for w in at.warning)
    else:  # the app's sentence; the library's words go to the log
        assert any("could not be reached" in as_read(w.value) for w in at.warning)
        assert not any("ConnectionResetError" in w.value for w in at.warning)


def test_provenance_is_drawn_when_opened(app, data_dir):
    app.switch_page("pages/data.py")
    at = app.run()
    heading = (data_dir / "prices" / "SOURCES.md").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    assert not any(heading in m.value for m in at.markdown)  # closed: nothing read or drawn
    at.session_state["data_provenance"] = True
    at.run()
    assert not at.exception
    assert any(heading in m.value for m in at.markdown)


@pytest.mark.parametrize("page", ["pages/timeline.py", "pages/data.py"])
def test_no_internal_id_or_code_reaches_the_reader(app, page):
    from eventlens.vocabulary import internal_codes
    from tests.rendered import shown_texts

    app.switch_page(page)
    at = app.run()
    assert not at.exception
    seen = shown_texts(at)
    if page == "pages/timeline.py":
        for _ in range(4):  # every event, one after the other
            at.button(key="tl_next").click().run()
            seen += shown_texts(at)
        captions = " ".join(as_read(c.value) for c in at.caption)
        assert "Date confidence" in captions and "Topic: " in captions
    assert internal_codes(seen) == []
