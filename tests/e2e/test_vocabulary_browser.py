"""In a real browser at 1440x900: no internal id or code reaches the reader, and the key numbers fit.

What a reader sees is the DOM text of the page (grids included: their accessible table lists the cells
drawn), every chart's legend, title and annotations. None of it may hold an event id (``ev_…``), a
snake_case code (``data_localisation``, ``t_cs``), "None" or "nan" (:func:`eventlens.vocabulary.internal_codes`).
"""

from __future__ import annotations

import pytest

from eventlens.vocabulary import internal_codes
from tests.e2e.conftest import shot, wait_for_app

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 1440, 900
SEEN = """() => {
  // Visible text nodes of the page, leaving out Material icons (their ligature names, e.g. expand_more,
  // draw as a glyph, never as words).
  const main = document.querySelector("[data-testid='stMain']");
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const text = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest("[data-testid='stIconMaterial'], style, script")) continue;
    if (el.checkVisibility && !el.checkVisibility()) continue;
    text.push(n.textContent);
  }
  const charts = Array.from(document.querySelectorAll('.js-plotly-plot'));
  const grids = Array.from(document.querySelectorAll("[data-testid='stDataFrame'] table"));
  const parts = '.legendtext, .gtitle, .annotation-text, .g-xtitle, .g-ytitle';
  return {text: text.join(' '), grids: grids.map(t => t.innerText),
          legends: charts.flatMap(c => Array.from(c.querySelectorAll(parts)).map(e => e.textContent))};
}"""


@pytest.fixture
def wide(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    yield page
    context.close()


def _open(page, url: str, chart: bool) -> None:
    page.goto(url)
    wait_for_app(page)
    if chart:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)


def _unfold(page, label: str) -> None:
    page.get_by_text(label).first.click()
    wait_for_app(page)
    page.locator("[data-testid='stDataFrame']").last.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the grid draws its cells a moment after it mounts


def _seen(page) -> list[str]:
    found = page.evaluate(SEEN)
    return [found["text"], *found["grids"], *found["legends"]]


def test_pages_speak_words_and_key_numbers_fit_at_1440(app_url, wide):
    page = wide
    seen: dict[str, list[str]] = {}

    _open(page, app_url + "/", chart=True)
    _unfold(page, "Events from")
    seen["overview"] = _seen(page)
    # The events grid draws (and lists, in its accessible table) only the columns inside its box: the move,
    # p and the verdict are among them, with a column after the verdict, so the verdict is wholly in view.
    header = page.evaluate("() => Array.from(document.querySelectorAll(\"[data-testid='stDataFrame'] th\"))"
                           ".map(th => th.innerText)")
    assert header[:6] == ["Trading day", "Headline", "Day-0 return (%)", "CAR[-1,+1] (%)", "p (CAR)", "Verdict"]
    assert len(header) > 6, header
    box = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    assert box["x"] + box["width"] <= WIDTH
    shot(page, "vocabulary_overview_1440")

    _open(page, app_url + "/timeline", chart=True)
    seen["timeline"] = _seen(page)

    _open(page, app_url + "/event_study", chart=True)
    table = page.locator("[data-testid='stTable'] table").first
    table.scroll_into_view_if_needed()
    cells = page.evaluate("""() => {
      const t = document.querySelector("[data-testid='stTable'] table");
      const last = Array.from(t.querySelectorAll('tr')).map(r => r.lastElementChild.getBoundingClientRect().right);
      const wrap = t.parentElement;
      return {header: Array.from(t.querySelectorAll('th')).map(th => th.innerText), right: Math.max(...last),
              pageScroll: document.documentElement.scrollWidth, inner: window.innerWidth,
              boxScroll: wrap.scrollWidth, boxWidth: wrap.clientWidth,
              lastCell: t.querySelector('tbody tr').lastElementChild.innerText};
    }""")
    assert cells["header"][0] == "Event" and cells["header"][-1] == "CAR [0,+10]"
    # The last window's CAR, p and verdict end inside the viewport, with nothing to scroll sideways.
    assert cells["right"] <= WIDTH, cells
    assert cells["pageScroll"] <= cells["inner"] and cells["boxScroll"] <= cells["boxWidth"], cells
    assert "· p " in cells["lastCell"] and "significant" in cells["lastCell"]
    shot(page, "vocabulary_event_study_1440")
    seen["event_study"] = _seen(page)
    _unfold(page, "Every statistic per event and window")
    seen["event_study"] += _seen(page)
    for tab in ("Across events (CAAR)", "One event in detail"):
        page.get_by_role("tab", name=tab).click()
        wait_for_app(page)
        page.wait_for_timeout(500)
        seen["event_study"] += _seen(page)

    _open(page, app_url + "/data", chart=False)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    seen["data"] = _seen(page)

    assert any("Elon Musk Departs Beijing" in t for t in seen["event_study"])  # events named by their headlines
    assert any("News: data localisation" in t for t in seen["overview"])  # topics by their labels
    found = {name: internal_codes(texts) for name, texts in seen.items()}
    assert found == {name: [] for name in seen}, found
