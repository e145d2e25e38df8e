"""The Overview chart's title, toolbar, legend and source, measured in a real browser on a phone and a desktop.

At 390x844 (a phone) none of them may overlap and none may be cut at the chart's edges; at 1440x900 all
are drawn, inside the chart. Boxes are the browser's own (``getBoundingClientRect``) of plotly's elements:
the title (``.gtitle`` and its subtitle), the toolbar (``.modebar``), the legend and the source annotation.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import shot, wait_for_app

pytestmark = pytest.mark.e2e

PARTS = """() => {
  const plot = document.querySelector('.js-plotly-plot');
  const box = e => { if (!e) return null; const b = e.getBoundingClientRect();
                     return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
  const source = [...plot.querySelectorAll('.annotation')].find(a => a.textContent.startsWith('Source:'));
  const subtitle = plot.querySelector('.gtitle-subtitle');
  return {plot: box(plot), title: box(plot.querySelector('.gtitle')), subtitle: box(subtitle),
          title_text: plot.querySelector('.gtitle').textContent, modebar: box(plot.querySelector('.modebar')),
          legend: box(plot.querySelector('.legend')), source: box(source),
          legend_items: plot.querySelectorAll('.legend .traces').length};
}"""


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _inside(inner: dict, outer: dict) -> bool:
    return (inner["left"] >= outer["left"] - 1 and inner["right"] <= outer["right"] + 1
            and inner["top"] >= outer["top"] - 1 and inner["bottom"] <= outer["bottom"] + 1)


def _parts(page, url: str) -> dict:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .legend .traces", timeout=60_000)
    page.wait_for_timeout(500)  # plotly.js lays the legend out after the first paint
    return page.evaluate(PARTS)


def test_overview_chart_layout_on_a_phone_and_a_desktop(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for name, query in (("", ""), ("_compare", "?peers=SPY,NIO,XPEV&start=2021-01-04&end=2021-12-31")):
            parts = _parts(page, f"{app_url}/{query}")
            shot(page, f"overview{name}_390")
            assert parts["legend_items"] >= 3, parts
            named = [n for n in ("title", "subtitle", "modebar", "legend", "source") if n != "subtitle"
                     or parts[n] is not None]  # the span may be part of the title instead of a subtitle
            for i, a in enumerate(named):
                assert parts[a] is not None and parts[a]["right"] > parts[a]["left"], (a, parts)
                assert _inside(parts[a], parts["plot"]), f"{a} is cut at the chart's edge: {parts}"
                assert parts[a]["right"] <= 390, f"{a} runs off a 390 px screen: {parts}"
                for b in named[i + 1:]:
                    if {a, b} != {"title", "subtitle"}:
                        assert not _overlap(parts[a], parts[b]), f"{a} overlaps {b} at 390 px: {parts}"
            assert parts["source"]["top"] >= parts["legend"]["bottom"]  # the source reads below the legend
            if name == "_compare":
                assert parts["title_text"].startswith("TSLA vs SPY, NIO, XPEV: % change, rebased")

        page.set_viewport_size({"width": 1440, "height": 900})
        parts = _parts(page, app_url)
        shot(page, "overview_1440")
        for a in ("title", "modebar", "legend", "source"):
            assert parts[a] is not None and parts[a]["right"] - parts[a]["left"] > 10, (a, parts)
            assert _inside(parts[a], parts["plot"]) and parts[a]["right"] <= 1440, (a, parts)
        assert not _overlap(parts["title"], parts["modebar"]) and not _overlap(parts["legend"], parts["source"])
    finally:
        context.close()
