"""A shared link reproduces the whole view, page by page, in a real browser.

For every page: set every setting through the page's own widgets, press
'Copy link' and the copy button (the link is read back from the clipboard),
open it in a fresh browser context (no cookies, no session), and compare the
state of every widget and a screenshot of the chart with the original's.
"""

from __future__ import annotations

import io

import pytest

from eventlens.vocabulary import MODEL_NAMES
from tests.e2e.conftest import shot, wait_for_app

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1400, "height": 1000}
ERRORS = "[data-testid='stAlertContentError'], [data-testid='stException']"
# Every widget drawn on the page (open menus included), by kind and label, with what it shows as chosen.
WIDGETS = """() => {
  const out = {};
  const label = el => (el.querySelector("[data-testid='stWidgetLabel']")?.innerText || "").trim();
  const each = (id, read) => document.querySelectorAll(`[data-testid='${id}']`).forEach(el => {
    out[`${id}: ${label(el)}`] = read(el);
  });
  const disabled = el => Array.from(el.querySelectorAll("input")).some(i => i.disabled) ? " (disabled)" : "";
  each("stSelectbox", el => el.querySelector("input").value);
  each("stMultiSelect", el => Array.from(el.querySelectorAll("[data-tag]")).map(t => t.getAttribute("aria-label")));
  each("stRadio", el => Array.from(el.querySelectorAll("input[type=radio]")).filter(i => i.checked)
    .map(i => i.closest("label").innerText.trim()).join() + disabled(el));
  each("stCheckbox", el => String(el.querySelector("input").checked));
  each("stTextInput", el => el.querySelector("input").value);
  each("stNumberInput", el => el.querySelector("input").value);
  each("stDateInput", el => el.querySelector("input[type=date]").value);
  each("stButtonGroup", el => Array.from(el.querySelectorAll("button"))
    .filter(b => b.getAttribute("aria-checked") === "true" || b.getAttribute("aria-pressed") === "true"
                 || (b.dataset.testid || "").includes("Active")).map(b => b.innerText.trim()).join());
  document.querySelectorAll("[data-testid='stTabs']").forEach((el, i) => {
    out[`stTabs ${i}`] = el.querySelector("[role=tab][aria-selected=true]").innerText.trim();
  });
  return out;
}"""


@pytest.fixture
def contexts(browser):
    """A browser context for the analyst who shares and one for the colleague who opens the link."""
    made = []

    def new():
        context = browser.new_context(viewport=VIEWPORT)
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        made.append(context)
        return context.new_page()

    yield new
    for context in made:
        context.close()


def _settle(page, chart: bool = False) -> None:
    wait_for_app(page)
    if chart:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    errors = page.locator(ERRORS)
    assert errors.count() == 0, errors.all_inner_texts()


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` (a substring of its text) in the selectbox or multiselect labelled ``label``."""
    from playwright.sync_api import TimeoutError as Timeout

    option_item = page.locator("[role='option']").filter(has_text=option).first
    for attempt in range(3):  # a run that ends just after the click redraws the box and closes its list
        page.get_by_role("combobox", name=label, exact=True).click()
        try:
            option_item.wait_for(timeout=10_000)
            break
        except Timeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            _settle(page)
    option_item.click()
    _settle(page)


def _type(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    _settle(page)


def _date(page, label: str, day: str) -> None:
    """Type ``day`` (YYYY-MM-DD) into the date input labelled ``label``, segment by segment, and commit it."""
    page.get_by_role("spinbutton", name=f"year, {label}").click()
    page.keyboard.type(day.replace("-", ""))
    page.keyboard.press("Tab")  # to the calendar button
    page.keyboard.press("Tab")  # out of the widget: the typed date applies
    page.wait_for_function(
        "([label, day]) => Array.from(document.querySelectorAll(\"[data-testid='stDateInput']\")).some(el =>"
        " el.innerText.trim().startsWith(label) && el.querySelector('input[type=date]').value === day)",
        arg=[label, day], timeout=10_000)
    _settle(page)


LAST_IN_MENU = {"Chart settings": "Candles", "Study design": "Compare with China EV makers (same events)"}


def _menu(page, name: str) -> None:
    """Open a menu and wait for its last element (the content is drawn by the run the opening starts)."""
    page.get_by_role("button", name=name).click()
    body = page.locator("[data-testid='stPopoverBody']")
    if name in LAST_IN_MENU:
        body.locator("[data-testid='stWidgetLabel']").filter(has_text=LAST_IN_MENU[name]).wait_for(timeout=60_000)
    else:
        body.locator("[data-testid='stCode']").wait_for(timeout=60_000)
    _settle(page)


def _close_menus(page) -> None:
    page.locator("[data-testid='stMainBlockContainer'] h1").first.click()  # a click outside closes the menu
    page.locator("[data-testid='stPopoverBody']").first.wait_for(state="detached", timeout=30_000)
    _settle(page)


def _copy_link(page) -> str:
    """The link, as the 'Copy link' menu's copy button puts it on the clipboard."""
    _menu(page, "Copy link")
    code = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode']")
    code.hover()
    code.get_by_role("button", name="Copy to clipboard").click()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == code.inner_text().strip()  # what is shown is what is copied
    _close_menus(page)
    return link


def _chart(page):
    from PIL import Image

    page.mouse.move(0, 0)  # no hover label, no toolbar
    page.wait_for_timeout(700)  # plotly's transitions
    return Image.open(io.BytesIO(page.locator(".js-plotly-plot").first.screenshot())).convert("RGB")


def _same_picture(a, b, name: str) -> None:
    """The two charts differ in at most 0.5% of their pixels (anti-aliasing), else both are kept to look at."""
    from PIL import ImageChops

    assert a.size == b.size, (a.size, b.size)
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 40 else 0)
    changed = diff.histogram()[255] / (a.size[0] * a.size[1])
    if changed > 0.005:
        from tests.e2e.conftest import ARTIFACTS

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        a.save(ARTIFACTS / f"link_{name}_original.png")
        b.save(ARTIFACTS / f"link_{name}_opened.png")
    assert changed <= 0.005, f"{changed:.2%} of the chart's pixels differ"


def _open_shared(new_page, link: str, chart: bool, ready: str | None = None):
    """The link opened in a fresh context (nothing but the link), once the widget labelled ``ready`` is drawn."""
    page = new_page()
    page.goto(link)
    if ready:
        page.locator("[data-testid='stWidgetLabel']").filter(has_text=ready).first.wait_for(timeout=60_000)
    _settle(page, chart)
    return page


def test_overview_link_reopens_basis_candles_range_and_comparisons(app_url, contexts):
    page = contexts()
    page.goto(app_url + "/")
    _settle(page, chart=True)
    _menu(page, "Chart settings")
    _choose(page, "Stock", "NIO")
    _date(page, "From", "2022-06-01")
    _date(page, "To", "2022-10-31")
    _choose(page, "Benchmark for CAR", "QQQ")
    page.get_by_text("As traded (prices quoted in the news)").click()
    _settle(page)
    page.get_by_text("Weekly", exact=True).click()
    _settle(page, chart=True)
    original = page.evaluate(WIDGETS)
    assert original["stRadio: Candles"] == "Weekly" and original["stDateInput: From"] == "2022-06-01"
    _close_menus(page)
    picture = _chart(page)
    link = _copy_link(page)
    assert link.startswith(app_url + "/?") and "basis=as_traded" in link and "interval=weekly" in link
    assert link == page.url.split("#")[0]  # the address bar is the link too (the heading clicked adds an anchor)

    other = _open_shared(contexts, link, chart=True)
    _same_picture(picture, _chart(other), "overview")
    _menu(other, "Chart settings")
    assert other.evaluate(WIDGETS) == original
    shot(other, "link_overview_opened")

    # Comparisons turn the chart into % lines: basis and candles stay chosen, disabled, and travel as well.
    _menu(page, "Chart settings")
    _choose(page, "Compare with (rebased, % change)", "SPY")
    original = page.evaluate(WIDGETS)
    assert original["stRadio: Price basis"].endswith("(disabled)") and "(disabled)" in original["stRadio: Candles"]
    _close_menus(page)
    picture = _chart(page)
    link = _copy_link(page)
    assert "peers=SPY" in link
    other = _open_shared(contexts, link, chart=True)
    _same_picture(picture, _chart(other), "overview_compared")
    _menu(other, "Chart settings")
    assert other.evaluate(WIDGETS) == original


def test_event_study_link_reopens_design_events_tab_and_event(app_url, contexts):
    page = contexts()
    page.goto(app_url + "/event_study")
    _settle(page, chart=True)
    tags = page.locator("[data-testid='stMultiSelect'] [data-tag]")
    stored = tags.count()  # the seeds and whatever earlier browser tests added to the shared store
    assert stored >= 3
    for _ in range(2):  # leave two events out
        tags.first.get_by_role("button").click()
        _settle(page)
    _menu(page, "Study design")
    _choose(page, "Benchmark", "QQQ")
    page.get_by_text(MODEL_NAMES["market_adjusted"]).click()
    _settle(page)
    _type(page, "Event windows (trading days, START,END separated by ';')", "-1,1; 0,2")
    _type(page, "Estimation window start (day)", "-300")
    _type(page, "Estimation window end (day)", "-20")
    for label in ("Prediction-error correction", "Leave other events out of the fit",
                  "Leave Tesla's earnings and deliveries days out of the fit"):
        page.get_by_text(label, exact=True).click()
        _settle(page)
    _choose(page, "Compare with China EV makers (same events)", "NIO")
    original = page.evaluate(WIDGETS)
    assert original["stNumberInput: Estimation window start (day)"] == "-300"
    assert original["stCheckbox: Leave other events out of the fit"] == "true"
    assert len(original["stMultiSelect: Events"]) == stored - 2
    _close_menus(page)
    page.get_by_role("tab", name="One event in detail").click()
    _settle(page, chart=True)
    _choose(page, "Event", original["stMultiSelect: Events"][-1][:10])
    page.get_by_role("radio", name="Estimation-window fit").click()
    _settle(page, chart=True)
    shown = page.evaluate(WIDGETS)
    assert shown["stTabs 0"] == "One event in detail" and shown["stButtonGroup: Chart"] == "Estimation-window fit"
    picture = _chart(page)
    link = _copy_link(page)
    for part in ("est_start=-300", "est_end=-20", "pe=1", "excl=1", "cal=1", "tab=event", "detail=fit", "focus="):
        assert part in link, (part, link)

    other = _open_shared(contexts, link, chart=True, ready="Chart")
    assert other.evaluate(WIDGETS) == shown
    _same_picture(picture, _chart(other), "event_study")
    assert "[-300,-20]" in other.locator("[data-testid='stAlertContentInfo']").filter(has_text="Method.").inner_text()
    _menu(other, "Study design")
    assert other.evaluate(WIDGETS) == original | shown  # the design as set, on the tab and event chosen after
    shot(other, "link_event_study_opened")


def test_timeline_link_reopens_event_stock_and_benchmark(app_url, contexts):
    page = contexts()
    page.goto(app_url + "/timeline")
    _settle(page, chart=True)
    _choose(page, "Event", "2024-04-29")
    _choose(page, "Stock", "NIO")
    _choose(page, "Benchmark", "QQQ")
    _settle(page, chart=True)
    original = page.evaluate(WIDGETS)
    assert original["stSelectbox: Benchmark"] == "QQQ"
    assert page.get_by_text("NIO against QQQ").count() == 1  # the page says which benchmark it uses
    picture = _chart(page)
    link = _copy_link(page)
    assert link.startswith(app_url + "/timeline?")
    other = _open_shared(contexts, link, chart=True, ready="Benchmark")
    assert other.evaluate(WIDGETS) == original
    _same_picture(picture, _chart(other), "timeline")


def test_articles_and_data_links_reopen_their_choices(app_url, contexts):
    page = contexts()
    page.goto(app_url + "/articles")
    _settle(page)
    _choose(page, "Article", "2021-05-06")
    chosen = page.evaluate(WIDGETS)["stSelectbox: Article"]
    assert chosen.startswith("2021-05-06")
    page.get_by_role("tab", name="Correct dates and categories").click()
    _settle(page)
    original = page.evaluate(WIDGETS)
    link = _copy_link(page)
    assert link.startswith(app_url + "/articles?") and "tab=correct" in link
    other = _open_shared(contexts, link, chart=False, ready="Note for the history")
    assert other.evaluate(WIDGETS) == original
    other.get_by_role("tab", name="Reader").click()
    other.get_by_role("combobox", name="Article", exact=True).wait_for(timeout=60_000)
    _settle(other)
    assert other.evaluate(WIDGETS)["stSelectbox: Article"] == chosen

    page.goto(app_url + "/data")
    page.get_by_role("combobox", name="Daily prices of", exact=True).wait_for(timeout=60_000)
    _settle(page)
    _choose(page, "Daily prices of", "XPEV")
    original = page.evaluate(WIDGETS)
    link = _copy_link(page)
    assert link == f"{app_url}/data?ticker=XPEV"
    other = _open_shared(contexts, link, chart=False, ready="Daily prices of")
    assert other.evaluate(WIDGETS) == original
    assert other.get_by_role("button", name="XPEV daily prices as CSV").count() == 1
