"""The app in a real browser (Debian's chromium): pages, charts, downloads, hostile articles, shared links.

One ``streamlit run`` serves every test (session fixture ``app_url``) on a
private copy of ``data/``; expected values come from that copy's files, read
here independently of the app's own code.
"""

from __future__ import annotations

import io
import re
import struct
import uuid

import pandas as pd
import pytest

from tests.e2e.conftest import shot, tmp_path_log, wait_for_app

pytestmark = pytest.mark.e2e

PAGES = [("/", "overview"), ("/timeline", "timeline"), ("/event_study", "event_study"), ("/articles", "articles"),
         ("/data", "data")]
TITLES = {"overview": "News on the price chart", "timeline": "Timeline",
          "event_study": "Event study: did the news move the stock?", "articles": "Articles and their dates",
          "data": "Data sources"}
ERRORS = "[data-testid='stAlertContentError'], [data-testid='stException']"

# Events drawn on the chart, read from the DOM plotly drew (not from the figure spec):
# each scatter trace group carries its calcdata, whose trace holds the meta tag.
DRAWN_EVENT_POINTS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  let n = 0;
  for (const g of gd.querySelectorAll('g.trace.scatter')) {
    const cd = g.__data__;
    if (cd && cd[0] && cd[0].trace && cd[0].trace.meta === 'events') n += g.querySelectorAll('path.point').length;
  }
  return n;
}"""
FIGURE = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  return {traces: gd.data.map(t => ({type: t.type, meta: t.meta || null, name: t.name || null,
                                      x: Array.from(t.x || []).map(v => String(v).slice(0, 10))})),
          xrange: gd._fullLayout.xaxis.range.map(v => String(v).slice(0, 10))};
}"""


def _store(data) -> pd.DataFrame:
    """The served app's events, read from its store (the SQLite file in the state folder beside data/)."""
    from eventlens import events
    from eventlens.store import open_store
    from eventlens.store.database import create_store_engine

    url = f"sqlite:///{data.parent / 'state' / 'eventlens.sqlite'}"
    store = open_store(create_store_engine(url), events.seed_articles)
    frame = events.load_events(store)
    store.engine.dispose()
    for col in ("event_date", "trading_date"):
        frame[col] = frame[col].dt.strftime("%Y-%m-%d").fillna("")
    return frame


def _snapshot_span(data, ticker: str = "TSLA") -> tuple[pd.Timestamp, pd.Timestamp]:
    dates = pd.to_datetime(pd.read_csv(data / "prices" / f"{ticker}.csv", usecols=["Date"])["Date"])
    return dates.min(), dates.max()


def _sessions(data, ticker: str = "TSLA") -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(pd.read_csv(data / "prices" / f"{ticker}.csv", usecols=["Date"])["Date"]))


def _dated_in_span(data) -> pd.DataFrame:
    store = _store(data)
    first, last = _snapshot_span(data)
    dated = store[store["trading_date"] != ""].copy()
    dated["trading_date"] = pd.to_datetime(dated["trading_date"])
    return dated[(dated["trading_date"] >= first) & (dated["trading_date"] <= last)]


def _open(page, url: str, chart: bool = True) -> None:
    page.goto(url)
    wait_for_app(page)
    if chart:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` (a substring of its text) in the Streamlit selectbox labelled ``label``.

    Streamlit 1.67's selectbox is a react-aria combobox: an input named by the
    label, whose listbox holds ``role=option`` items.
    """
    page.get_by_role("combobox", name=label, exact=True).click()
    page.locator("[role='option']").filter(has_text=option).first.click()


def _no_errors(page) -> None:
    errors = page.locator(ERRORS)
    assert errors.count() == 0, errors.all_inner_texts()
    assert "Traceback" not in page.inner_text("body")


@pytest.mark.parametrize(("path", "name"), PAGES, ids=[n for _, n in PAGES])
def test_every_page_loads_without_an_error(app_url, page, path, name):
    page.goto(app_url + path)
    wait_for_app(page)
    if name in ("overview", "timeline", "event_study"):
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    _no_errors(page)
    shot(page, name)
    assert page.dialogs == []
    # The deep link opened its own page (not "Page not found" and the default page).
    assert page.locator("[data-testid='stMainBlockContainer'] h1").first.inner_text() == TITLES[name]
    assert page.get_by_text("Page not found").count() == 0


def test_the_server_computed_the_overview_before_its_first_visitor(app_url, e2e_data):
    """streamlit_app.py's st.App lifespan ran the warm-up, to its end, before the server said it was healthy."""
    log = tmp_path_log(e2e_data).read_text()
    assert re.search(r"Overview's default view ready in \d+\.\d\d s", log), log[-2000:]
    assert "warm-up of the Overview failed" not in log


def test_overview_chart_has_one_marker_per_week_and_topic(app_url, page, e2e_data):
    _open(page, app_url + "/")
    dated = _dated_in_span(e2e_data)
    assert len(dated) > 0
    # Five years draw weekly candles; events of one topic in one week are one marker over that week's
    # candle, which is labelled by the week's last session.
    sessions = _sessions(e2e_data).to_series()
    week_end = sessions.groupby(sessions.dt.to_period("W-FRI")).max()
    dated["week"] = dated["trading_date"].dt.to_period("W-FRI").map(week_end)
    expected = dated.drop_duplicates(["week", "category"])
    page.wait_for_function(f"() => ({DRAWN_EVENT_POINTS})() === {len(expected)}", timeout=15_000)
    fig = page.evaluate(FIGURE)
    marked = sorted(x for t in fig["traces"] if t["meta"] == "events" for x in t["x"])
    assert marked == sorted(expected["week"].dt.strftime("%Y-%m-%d"))
    candles = next(t for t in fig["traces"] if t["type"] == "candlestick")
    first, last = _snapshot_span(e2e_data)
    # Five years draw as weekly candles, each labelled by its week's last session.
    assert candles["x"][-1] == f"{last:%Y-%m-%d}"
    assert 0 <= (pd.Timestamp(candles["x"][0]) - first).days < 7


def test_timeline_choosing_an_event_zooms_to_its_window(app_url, page, e2e_data):
    _open(page, app_url + "/timeline")
    dated = _dated_in_span(e2e_data).sort_values(["trading_date", "event_id"])
    target = dated.iloc[-1]  # not the default (the first), so the choice must change the chart
    day = f"{target['trading_date']:%Y-%m-%d}"
    _choose(page, "Event", f"{day} · {target['title'][:30]}")
    page.wait_for_function(
        "d => { const gd = document.querySelector('.js-plotly-plot');"
        " return gd && gd.data[0].x && String(gd.data[0].x[10]).slice(0, 10) === d; }", arg=day, timeout=30_000)
    wait_for_app(page)
    fig = page.evaluate(FIGURE)
    candles = next(t for t in fig["traces"] if t["type"] == "candlestick")
    sessions = _sessions(e2e_data)
    i = sessions.get_loc(target["trading_date"])
    window = [f"{d:%Y-%m-%d}" for d in sessions[max(i - 10, 0): i + 11]]
    assert candles["x"] == window  # 10 sessions either side of day 0
    lo, hi = fig["xrange"]
    assert lo <= window[0] and hi >= window[-1]
    assert (pd.Timestamp(hi) - pd.Timestamp(lo)).days < 45  # zoomed: a few weeks, not five years
    assert f"event={target['event_id']}" in page.url
    _no_errors(page)
    shot(page, "timeline_chosen_event")


CHART_TITLE = "() => document.querySelector('.js-plotly-plot .gtitle')?.textContent"


def test_chart_settings_apply_and_are_kept_after_the_menu_closes(app_url, page):
    _open(page, app_url + "/")
    assert page.get_by_text("Price basis").count() == 0  # the menu's widgets are drawn on opening
    page.get_by_role("button", name="Chart settings").click()
    page.get_by_text("As traded (prices quoted in the news)").click()
    page.wait_for_function(f"() => ({CHART_TITLE})()?.includes('as-traded USD')", timeout=30_000)
    assert page.get_by_text("Price basis").is_visible()  # a choice leaves the menu open for the next one
    page.get_by_text("Daily", exact=True).click()
    page.wait_for_function(f"() => ({CHART_TITLE})()?.startsWith('TSLA daily candles')", timeout=60_000)

    page.get_by_role("heading", name="News on the price chart").click()  # a click outside closes the menu
    page.get_by_text("Price basis").wait_for(state="detached", timeout=30_000)
    for _ in range(2):  # two runs without the widgets: Streamlit forgets undrawn widgets unless kept
        page.get_by_text("Events from").click()
        wait_for_app(page)
    assert page.evaluate(CHART_TITLE).startswith("TSLA daily candles, as-traded USD")
    page.get_by_role("button", name="Chart settings").click()
    assert page.get_by_role("radio", name="As traded (prices quoted in the news)").is_checked()
    _no_errors(page)


def _png_size(payload: bytes) -> tuple[int, int]:
    assert payload[:8] == b"\x89PNG\r\n\x1a\n", payload[:16]
    assert payload[12:16] == b"IHDR"
    return struct.unpack(">II", payload[16:24])


def test_csv_and_png_downloads_are_valid_files(app_url, page, e2e_data, tmp_path):
    _open(page, app_url + "/")
    page.get_by_text("Events from").click()  # the table and its CSV button are drawn on opening
    # Click only once that run is over and the grid has mounted: a CSV button clicked while a run still
    # draws can hold a download id that the run replaces, and the grid mounting late shifts the button.
    wait_for_app(page)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Table as CSV").click()
    csv_path = tmp_path / info.value.suggested_filename
    info.value.save_as(csv_path)
    assert csv_path.suffix == ".csv"
    table = pd.read_csv(csv_path)
    expected = _dated_in_span(e2e_data)
    assert len(table) == len(expected)
    assert sorted(table["Trading day"]) == sorted(expected["trading_date"].dt.strftime("%Y-%m-%d"))

    page.get_by_role("button", name="Export chart").click()  # the menu is drawn on opening (a rerun)
    png_button = page.get_by_role("button", name="Chart as PNG")
    png_button.wait_for(timeout=30_000)
    wait_for_app(page)  # as above: the button's download id is final once the run is over
    with page.expect_download(timeout=90_000) as info:  # kaleido starts chromium on the first export
        png_button.click()
    png = info.value.path().read_bytes()
    assert info.value.suggested_filename.endswith(".png")
    width, height = _png_size(png)
    assert width == 2400 and 1_000 < height < 2_400  # 1200 px wide at scale 2; as tall as the chart and its key
    assert len(png) > 50_000  # a drawn chart, not a blank canvas
    _no_errors(page)


def test_hostile_article_is_shown_as_text_and_runs_nothing(app_url, page, e2e_data):
    token = uuid.uuid4().hex[:10]
    body = (
        f"Tesla data probe {token} <script>alert(1)</script>\n\n"
        "SHANGHAI, June 14, 2023 - Tesla said on Wednesday that data from its cars sold in China stays in China, "
        "after regulators tightened the rules on cross-border data transfer.\n\n"
        "Readers who paste markup see it as text: <img src=x onerror=alert(2)> and [a link](javascript:alert(3)).\n\n"
        "Shortcodes too: :rocket: and :red[alarm] & $x$.\n"
    )
    before = len(_store(e2e_data))
    _open(page, app_url + "/articles", chart=False)
    page.get_by_role("tab", name="Add an article").click()
    page.locator("input[type='file']").set_input_files(
        files=[{"name": f"probe_{token}.txt", "mimeType": "text/plain", "buffer": body.encode()}])
    success = page.locator("[data-testid='stAlertContentSuccess']").filter(has_text=f"probe_{token}.txt")
    success.wait_for(timeout=60_000)
    article_id = re.search(r"as article (\S+)", success.inner_text()).group(1)
    store = _store(e2e_data)
    assert len(store) == before + 1 and article_id in set(store["article_id"])

    wait_for_app(page)
    page.get_by_role("tab", name="Reader").click()
    _choose(page, "Article", token)
    reader = page.get_by_text("Readers who paste markup see it as text", exact=False).first
    reader.wait_for(timeout=30_000)
    assert "<img src=x onerror=alert(2)>" in reader.inner_text()
    # The title line, as text in the article's markdown (not only in the events grid's cells).
    page.locator("[data-testid='stMarkdownContainer']").filter(has_text="<script>alert(1)</script>").first.wait_for(
        timeout=10_000)
    shot(page, "articles_hostile_upload")
    _assert_inert(page)

    event_id = store.loc[store["article_id"] == article_id, "event_id"].iloc[0]
    _open(page, f"{app_url}/timeline?event={event_id}")
    page.get_by_text("<img src=x onerror=alert(2)>", exact=False).first.wait_for(timeout=30_000)
    # Streamlit's own markdown (emoji shortcodes, colour directives, LaTeX) is not applied to an article either.
    shortcodes = page.get_by_text("Shortcodes too:", exact=False).first
    # (Read without the invisible word joiners eventlens.inert puts after each ':' to break the shortcodes.)
    assert shortcodes.inner_text().replace("\u2060", "").strip() == "Shortcodes too: :rocket: and :red[alarm] & $x$."
    shot(page, "timeline_hostile_article")
    _assert_inert(page)


def _assert_inert(page) -> None:
    page.wait_for_timeout(500)  # an onerror handler would fire by now
    assert page.dialogs == []
    injected = page.evaluate(
        """() => ({scripts: Array.from(document.querySelectorAll('script'))
                              .filter(s => /alert\\(/.test(s.textContent)).length,
                   imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
                   links: document.querySelectorAll('a[href^="javascript:"]').length})""")
    assert injected == {"scripts": 0, "imgs": 0, "links": 0}


def test_shared_link_reopens_the_same_view(app_url, browser, page, e2e_data):
    # A link with state opens that state.
    _open(page, f"{app_url}/?ticker=NIO&start=2022-01-03&end=2022-06-30")
    fig = page.evaluate(FIGURE)
    candles = next(t for t in fig["traces"] if t["type"] == "candlestick")
    nio = _sessions(e2e_data, "NIO")
    in_range = nio[(nio >= "2022-01-03") & (nio <= "2022-06-30")]
    assert candles["name"] == "NIO daily"
    assert (candles["x"][0], candles["x"][-1], len(candles["x"])) == (
        f"{in_range[0]:%Y-%m-%d}", f"{in_range[-1]:%Y-%m-%d}", len(in_range))
    _no_errors(page)
    shot(page, "overview_from_link")

    # A view reached by clicking gets a URL; pasting it into a new browser reopens the same view.
    dated = _dated_in_span(e2e_data).sort_values(["trading_date", "event_id"])
    target = dated.iloc[len(dated) // 2]
    day = f"{target['trading_date']:%Y-%m-%d}"
    _open(page, app_url + "/timeline")
    _choose(page, "Stock", "SPY")
    page.wait_for_url(re.compile(r"ticker=SPY"), timeout=30_000)
    wait_for_app(page)
    _choose(page, "Event", f"{day} · {target['title'][:30]}")
    page.wait_for_url(re.compile(f"event={target['event_id']}"), timeout=30_000)
    wait_for_app(page)
    shared = page.url
    seen = page.evaluate(FIGURE)

    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        fresh = other.new_page()
        _open(fresh, shared)
        reopened = fresh.evaluate(FIGURE)
        assert [t["x"] for t in reopened["traces"]] == [t["x"] for t in seen["traces"]]
        assert reopened["traces"][0]["name"] == "SPY daily"
        assert reopened["traces"][0]["x"][10] == day
        assert target["title"][:30] in fresh.get_by_role("combobox", name="Event", exact=True).input_value()
        _no_errors(fresh)
    finally:
        other.close()


def test_bad_link_values_fall_back_with_a_notice(app_url, page):
    _open(page, f"{app_url}/?ticker=NOPE&start=2022-13-45")
    notices = page.locator("[data-testid='stAlertContentInfo']").all_inner_texts()
    assert any("ticker=NOPE" in n for n in notices), notices
    assert any("start=2022-13-45" in n for n in notices), notices
    assert page.evaluate(FIGURE)["traces"][0]["name"] in {"TSLA daily", "TSLA weekly"}
    _no_errors(page)


def test_data_refresh_without_network_says_it_fell_back(app_url, page):
    _open(page, app_url + "/data", chart=False)
    page.get_by_role("button", name="Refresh now").click()
    warning = page.locator("[data-testid='stAlertContentWarning']").filter(has_text="refresh failed")
    warning.first.wait_for(timeout=60_000)
    assert "offline snapshot" in warning.first.inner_text()
    _no_errors(page)
    shot(page, "data_refresh_offline")


def test_csv_download_from_data_page_reloads(app_url, page, e2e_data, tmp_path):
    _open(page, app_url + "/data", chart=False)  # TSLA is the default choice
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="TSLA daily prices as CSV").click()
    frame = pd.read_csv(io.BytesIO(info.value.path().read_bytes()), parse_dates=["Date"])
    snap = pd.read_csv(e2e_data / "prices" / "TSLA.csv", parse_dates=["Date"])
    assert len(frame) == len(snap)
    assert frame["Close"].round(6).tolist() == snap["Close"].round(6).tolist()


def test_the_app_fetches_nothing_from_outside_its_own_server(app_url, page):
    # Offline machines and privacy both need this: e.g. a Material-symbol page icon is fetched from
    # fonts.gstatic.com by the browser on every page.
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((app_url, "data:", "blob:")) else None)
    for path, name in PAGES:
        _open(page, app_url + path, chart=name in ("overview", "timeline", "event_study"))
    page.wait_for_timeout(500)
    assert outside == []


def test_analyst_report_download_holds_every_event_in_range(app_url, page, e2e_data):
    _open(page, app_url + "/")
    with page.expect_download(timeout=120_000) as info:  # built on click: charts, tables, study
        page.get_by_role("button", name=re.compile("^Analyst report")).click()
    assert info.value.suggested_filename.endswith(".html")
    html = info.value.path().read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") or "<html" in html[:500].lower()
    for day in _dated_in_span(e2e_data)["trading_date"].dt.strftime("%Y-%m-%d"):
        assert day in html
    _no_errors(page)
