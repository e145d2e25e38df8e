"""Issue 15's browser checks of readability: words instead of codes everywhere, key numbers in view at 1440x900,
no overlapping text at 390x844.

One server (the session's ``app_url``), two browser contexts; every page is loaded once per viewport and read
completely on that load: the visible DOM text (open tabs and expanders included), every chart's SVG text
(title, legend, annotations, axis titles), every grid (``st.dataframe`` draws on a canvas: its accessible
table lists the cells it drew, and its toolbar's "Download as CSV" gives every cell and header), and every
export a reader sends on (the CSV buttons, the analyst report rendered in Chromium, the chart's SVG).
None of it may hold an event id (``ev_…``), a snake_case code, "None" or "nan"
(:func:`eventlens.vocabulary.internal_codes`).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from eventlens.vocabulary import internal_codes
from tests.e2e.conftest import shot, wait_for_app

pytestmark = pytest.mark.e2e

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# Text a reader sees in the page: visible text nodes (SVG text of charts included), leaving out Material icons,
# whose ligature names (expand_more) draw as a glyph, never as words.
VISIBLE_TEXT = """() => {
  const main = document.querySelector("[data-testid='stMain']") || document.body;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const text = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest("[data-testid='stIconMaterial'], style, script, .hoverlayer")) continue;
    if (el.checkVisibility && !el.checkVisibility()) continue;
    text.push(n.textContent);
  }
  const grids = Array.from(document.querySelectorAll("[data-testid='stDataFrame'] table, "
                                                     + "[data-testid='stDataFrameResizable'] table"));
  // Cell by cell: a table's innerText runs cells together ("event_idtitle"), hiding a code from the check.
  const cells = t => Array.from(t.querySelectorAll('th, td')).map(c => c.innerText).join(' | ');
  return [text.join(' '), ...grids.map(cells)];
}"""

# Per grid: the column headers it drew (in order) and whether it scrolls sideways.
GRIDS = """() => Array.from(document.querySelectorAll("[data-testid='stDataFrame']")).map(g => {
  const sc = g.querySelector('.dvn-scroller');
  const box = g.getBoundingClientRect();
  return {header: Array.from(g.querySelectorAll('th')).map(th => th.innerText.trim()),
          right: box.right, scrolls: sc ? sc.scrollWidth > sc.clientWidth + 1 : false};
})"""


def _context(browser, viewport):
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    # The grid toolbar's CSV download uses the File System Access dialog when there is one; without it, it
    # falls back to a plain download that Playwright can catch.
    context.add_init_script("delete window.showSaveFilePicker;")
    return context


@pytest.fixture
def wide(browser):
    context = _context(browser, WIDE)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = _context(browser, PHONE)
    yield context.new_page()
    context.close()


def _open(page, url: str, chart: bool = True) -> None:
    page.goto(url)
    wait_for_app(page)
    if chart:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_timeout(500)  # grids draw their cells a moment after they mount


def _click(page, locator) -> None:
    """Click something that reruns the script (a tab, an expander, a menu) and wait for the run to end."""
    locator.click()
    wait_for_app(page)
    page.wait_for_timeout(500)


def _unfold(page, label: str) -> None:
    _click(page, page.locator("[data-testid='stExpander'] summary").filter(has_text=label).first)


def _tab(page, name: str) -> None:
    _click(page, page.get_by_role("tab", name=name))


def _download(page, locator, timeout: float = 60_000, dispatch: bool = False) -> bytes:
    with page.expect_download(timeout=timeout) as info:
        if dispatch:  # a grid's toolbar floats over its neighbours, which may take the pointer
            locator.dispatch_event("click")
        else:
            locator.click()
    with open(info.value.path(), "rb") as handle:
        return handle.read()


def _csv_texts(data: bytes) -> list[str]:
    """A CSV's header and every cell, as text (read as strings, so "None" and "nan" stay what they are)."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return [*map(str, frame.columns), *frame.to_numpy().ravel().tolist()]


TOOLBAR = "[data-testid='stElementToolbar']"


def _grid_csvs(page) -> list[str]:
    """Every grid's full content (headers and all cells, also those scrolled out of its box), from its toolbar."""
    texts: list[str] = []
    grids = page.locator("[data-testid='stDataFrame']")
    for i in range(grids.count()):
        grid = grids.nth(i)
        grid.scroll_into_view_if_needed()
        grid.hover()
        button = grid.locator("xpath=..").locator(f"{TOOLBAR} button[aria-label='Download as CSV']")
        texts += _csv_texts(_download(page, button.first, 20_000, dispatch=True))
    return texts


def _button_csvs(page) -> list[str]:
    """Every CSV the page's own buttons (``st.download_button`` labels ending in 'as CSV') deliver."""
    texts: list[str] = []
    buttons = page.locator("[data-testid='stDownloadButton'] button").filter(has_text="as CSV")
    for i in range(buttons.count()):
        texts += _csv_texts(_download(page, buttons.nth(i)))
    return texts


def _svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return ["".join(e.itertext()) for e in root.iter() if e.tag.endswith("}text") or e.tag == "text"]


def _codes(seen: dict[str, list[str]]) -> dict[str, list[str]]:
    return {where: sorted(set(internal_codes(texts))) for where, texts in seen.items()}


def test_every_page_table_chart_and_export_speaks_words_and_key_numbers_fit_at_1440(app_url, wide, tmp_path):
    page = wide
    seen: dict[str, list[str]] = {}
    unfit: dict[str, object] = {}

    # --- Overview: page, chart, events grid, its CSV, the chart's SVG, the analyst report -----------------------
    _open(page, app_url + "/")
    _unfold(page, "Events from")
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    seen["overview"] = page.evaluate(VISIBLE_TEXT)
    grid = page.evaluate(GRIDS)[0]
    # The grid lists in its accessible table only the columns it drew; a column with another after it is wholly
    # inside the box, and the box ends inside the window.
    key = ["Day-0 return (%)", "CAR[-1,+1] (%)", "p (CAR)", "Verdict"]
    drawn = grid["header"]
    if not (all(k in drawn[:-1] for k in key) or (all(k in drawn for k in key) and not grid["scrolls"])) \
            or grid["right"] > WIDE["width"]:
        unfit["overview events grid"] = grid
    seen["overview grid CSV"] = _grid_csvs(page)
    seen["overview CSV buttons"] = _button_csvs(page)
    _click(page, page.get_by_role("button", name="Export chart"))
    svg = _download(page, page.get_by_role("button", name="Chart as SVG"), 120_000)  # kaleido starts chromium
    seen["overview chart SVG"] = _svg_texts(svg)
    page.keyboard.press("Escape")
    report = tmp_path / "report.html"
    report.write_bytes(_download(page, page.get_by_role("button", name="Analyst report (HTML)"), 120_000))
    shot(page, "readability_overview_1440")

    # --- Timeline: metrics in view and not cut ------------------------------------------------------------------
    _open(page, app_url + "/timeline")
    seen["timeline"] = page.evaluate(VISIBLE_TEXT)
    metrics = page.evaluate("""() => Array.from(document.querySelectorAll("[data-testid='stMetric']")).map(m => {
      const r = m.getBoundingClientRect(), v = m.querySelector("[data-testid='stMetricValue']");
      const label = m.querySelector("[data-testid='stMetricLabel']");
      const cut = e => e && Array.from(e.querySelectorAll('*')).concat([e])
                               .some(x => x.scrollWidth > x.clientWidth + 1);
      return {label: label ? label.innerText : '', left: r.left, right: r.right, cut: cut(v) || cut(label)};
    })""")
    assert len(metrics) >= 6, metrics
    bad = [m for m in metrics if m["left"] < 0 or m["right"] > WIDE["width"] or m["cut"]]
    if bad:
        unfit["timeline metrics"] = bad
    shot(page, "readability_timeline_1440")

    # --- Event study: the CAR table, every tab, every grid and CSV; with peers, so the peers tab has a table ----
    _open(page, app_url + "/event_study?peers=NIO,XPEV")
    seen["event study"] = page.evaluate(VISIBLE_TEXT)
    car = page.evaluate("""() => {
      const t = document.querySelector("[data-testid='stTable'] table");
      const cells = Array.from(t.querySelectorAll('th, td')).map(c => c.getBoundingClientRect());
      const wrap = t.parentElement;
      return {header: Array.from(t.querySelectorAll('thead th')).map(th => th.innerText.trim()),
              right: Math.max(...cells.map(r => r.right)), left: Math.min(...cells.map(r => r.left)),
              page: document.documentElement.scrollWidth, boxScroll: wrap.scrollWidth, boxWidth: wrap.clientWidth,
              last: t.querySelector('tbody tr').lastElementChild.innerText};
    }""")
    assert car["header"][0] == "Event" and car["header"][-1].startswith("CAR"), car
    assert re.search(r"%.*\bp [=<].*significant", car["last"]), car  # CAR, p and verdict together
    if car["right"] > WIDE["width"] or car["left"] < 0 or car["page"] > WIDE["width"] \
            or car["boxScroll"] > car["boxWidth"] + 1:
        unfit["event study CAR table"] = car
    seen["event study CSV buttons"] = _button_csvs(page)
    _unfold(page, "Every statistic per event and window")
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    seen["event study"] += page.evaluate(VISIBLE_TEXT)
    details = page.evaluate(GRIDS)[0]
    key = ["Event", "Window (days)", "CAR (%)", "p (t-test)", "Verdict (t-test)"]
    if not all(k in details["header"][:-1] for k in key) or details["right"] > WIDE["width"]:
        unfit["event study statistics grid"] = details
    seen["event study grid CSV"] = _grid_csvs(page)
    seen["event study CSV buttons"] += _button_csvs(page)
    shot(page, "readability_event_study_1440")
    for tab in ("Across events (CAAR)", "One event in detail", "China EV peers"):
        _tab(page, tab)
        seen["event study"] += page.evaluate(VISIBLE_TEXT)
        seen["event study grid CSV"] += _grid_csvs(page)
        seen["event study CSV buttons"] += _button_csvs(page)
    peers = page.evaluate(GRIDS)
    assert peers and any("NIO" in h for h in peers[0]["header"]), peers  # the peers tab drew its table

    # --- Articles: the list, the reader with its evidence, every fold; the correction table ---------------------
    _open(page, app_url + "/articles", chart=False)
    for label in ("Why this category", "Extracted names", "Correct this event", "Correction history",
                  "Boilerplate removed"):
        _unfold(page, label)
    seen["articles"] = page.evaluate(VISIBLE_TEXT)
    seen["articles grid CSV"] = _grid_csvs(page)
    _tab(page, "Correct dates and categories")
    page.locator("[data-testid='stDataFrame']").nth(1).wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    seen["articles"] += page.evaluate(VISIBLE_TEXT)
    # (The correction grid's own toolbar CSV holds the codes the store takes: it is an input form, not a table
    # to send on, so it is read as drawn, above, and not through its CSV.)

    # --- Data ---------------------------------------------------------------------------------------------------
    _open(page, app_url + "/data", chart=False)
    seen["data"] = page.evaluate(VISIBLE_TEXT)
    seen["data grid CSV"] = _grid_csvs(page)
    seen["data CSV buttons"] = _button_csvs(page)
    if any(g["scrolls"] or g["right"] > WIDE["width"] for g in page.evaluate(GRIDS)):
        unfit["data grids"] = page.evaluate(GRIDS)

    # --- The report as Chromium draws it: its text and its charts' text -----------------------------------------
    page.goto(report.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")  # every fold
    seen["report"] = page.evaluate(VISIBLE_TEXT)

    # Sanity: the texts were read (events by headline, topics by label), so an empty read cannot pass.
    assert any("Elon Musk Departs Beijing" in t for t in seen["event study"])
    assert any("data localisation" in t for t in seen["overview"])
    assert any("Trading day" in t for t in seen["overview CSV buttons"])
    assert all(seen[k] for k in seen), [k for k in seen if not seen[k]]
    assert (_codes(seen), unfit) == ({where: [] for where in seen}, {}), (_codes(seen), unfit)


# Text boxes that must not overlap at 390 px: page and section titles, widget labels, metrics, and each chart's
# title, legend, annotations (the source line), range buttons, axis titles and (on hover) its toolbar.
BOXES = """() => {
  const sel = ["h1", "h2", "h3", "[data-testid='stWidgetLabel']", "[data-testid='stMetricLabel']",
               "[data-testid='stMetricValue']", "[data-testid='stCaptionContainer']", ".js-plotly-plot .gtitle",
               ".js-plotly-plot .legend", ".js-plotly-plot .annotation", ".js-plotly-plot .rangeselector",
               ".js-plotly-plot .g-xtitle", ".js-plotly-plot .g-ytitle", ".js-plotly-plot .g-y2title",
               ".js-plotly-plot .modebar"].map(s => "[data-testid='stMain'] " + s).join(', ');
  // (A unified hover label is drawn with the legend's classes: it is not part of the layout.)
  const els = Array.from(document.querySelectorAll(sel))
    .filter(e => !e.closest('.hoverlayer') && (!e.checkVisibility || e.checkVisibility()));
  const out = [];
  for (const e of els) {
    const r = e.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    const plot = e.closest('.js-plotly-plot');
    const frame = plot ? plot.getBoundingClientRect() : {left: 0, right: window.innerWidth};
    const name = e.getAttribute('data-testid')
                 || (e.className && e.className.baseVal !== undefined ? e.className.baseVal : e.className) || e.tagName;
    out.push({name: String(name).split(' ')[0], text: (e.textContent || '').trim().slice(0, 40),
              x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, inside: r.left >= frame.left - 1
              && r.right <= Math.min(frame.right, window.innerWidth) + 1, el: els.indexOf(e)});
  }
  // Pairs of boxes that overlap by more than 2 px each way, neither inside the other's element.
  const overlaps = [];
  for (let i = 0; i < out.length; i++) for (let j = i + 1; j < out.length; j++) {
    const a = out[i], b = out[j], ea = els[a.el], eb = els[b.el];
    if (ea.contains(eb) || eb.contains(ea)) continue;
    const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0), h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
    if (w > 2 && h > 2) overlaps.push([a.name + ': ' + a.text, b.name + ': ' + b.text]);
  }
  return {overlaps, outside: out.filter(b => !b.inside).map(b => b.name + ': ' + b.text),
          scroll: document.documentElement.scrollWidth > window.innerWidth + 1};
}"""


def test_no_text_overlaps_or_runs_off_at_390(app_url, phone):
    page = phone
    found = {}
    for path, chart in (("/", True), ("/timeline", True), ("/event_study", True), ("/articles", False),
                        ("/data", False)):
        _open(page, app_url + path, chart)
        if chart:  # the toolbar shows on hover (a tap on a phone): it must not cover the title
            plot = page.locator(".js-plotly-plot").first
            plot.scroll_into_view_if_needed()
            plot.hover(position={"x": 5, "y": 5})  # a corner: no data under it, so no hover label
            page.wait_for_timeout(300)
        boxes = page.evaluate(BOXES)
        if boxes["overlaps"] or boxes["outside"] or boxes["scroll"]:
            found[path] = boxes
            shot(page, f"readability_390{path.replace('/', '_') or '_overview'}")
    assert found == {}, found
