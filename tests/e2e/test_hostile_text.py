"""What chromium draws and fetches from hostile text: an article, its hand-edited source, a file name, link values.

The AppTest twin (tests/test_hostile_text.py) checks the markdown the script
sends; this reads back the DOM the browser built from it. Nothing from the
hostile strings may become an ``<a>``, ``<img>``, a Material icon, an emoji,
a coloured span or KaTeX, and the browser may fetch nothing from outside the
app's server (the pixel URLs point at a closed port of another origin). The
strings themselves must still be on the page, as text.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest

from tests.e2e.conftest import shot, wait_for_app
from tests.e2e.test_app import _choose, _open
from tests.hostile import ALL_IN_ONE, HOSTILE

pytestmark = pytest.mark.e2e

JOINER = "\u2060"
LINK_VALUE = "![a](http://127.0.0.1:9/link.png) :material/link: :red[x] $y$ http://evil.example/l"
# Everything Streamlit's markdown could have made of the hostile strings, inside the page's main area.
LIVE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const md = '[data-testid="stMarkdownContainer"]';
  const pick = sel => Array.from(main.querySelectorAll(sel)).map(e => e.outerHTML.slice(0, 160));
  return {
    links: pick(`${md} a:not([aria-label="Link to heading"]), .js-plotly-plot a`),  // headings' own anchors aside
    images: pick(`${md} img, .js-plotly-plot image`),
    icons: pick(`${md} span[role="img"], ${md} [data-testid="stIconMaterial"]`),
    colours: pick(`${md} .stMarkdownColoredText, ${md} span[style*="color"]`),
    katex: pick('.katex, .katex-display'),
    emoji: (main.innerText.match(/\\u{1F680}/gu) || []),
  };
}"""
NOTHING = {"links": [], "images": [], "icons": [], "colours": [], "katex": [], "emoji": []}


@pytest.fixture(scope="module")
def hostile(e2e_data):
    """One hostile article in the app's store (added through the core), its source hand-edited to hostile text."""

    from eventlens import events

    token = uuid.uuid4().hex[:8]
    body = "\n".join([f"{token} {ALL_IN_ONE}",
                      "SHANGHAI, June 14, 2023 - Tesla said on Wednesday that data from its cars sold in China "
                      "stays in China, after regulators tightened the rules on cross-border data transfer.",
                      *HOSTILE])
    from eventlens.store import open_store, schema
    from eventlens.store.database import create_store_engine

    # The served app's store: the SQLite file in the state folder beside its data copy (tests/e2e/conftest.py).
    store = open_store(create_store_engine(f"sqlite:///{e2e_data.parent / 'state' / 'eventlens.sqlite'}"),
                       events.seed_articles)
    row = events.add_article(body.encode(), f"hostile_{token}.txt", store=store)
    with store.engine.begin() as conn:  # the source as a hostile or hand-edited database would hold it
        conn.execute(schema.articles.update().where(schema.articles.c.article_id == row["article_id"])
                     .values(source=ALL_IN_ONE))
        store.bump_revision(conn)
    store.engine.dispose()
    return {"event_id": row["event_id"], "article_id": row["article_id"], "token": token}


@pytest.fixture
def watched(page, app_url):
    """The page, recording every request that leaves the app's own server."""
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((app_url, "data:", "blob:")) else None)
    page.outside = outside
    return page


def assert_inert(page, name: str, expect: list[str]) -> None:
    page.wait_for_timeout(500)  # an onerror handler or an image request would have fired by now
    live = page.evaluate(LIVE)
    shot(page, f"hostile_{name}")
    assert live == NOTHING, live
    assert page.outside == []
    assert page.dialogs == []
    text = page.inner_text("[data-testid='stMain']").replace(JOINER, "")
    for wanted in expect:
        assert wanted in text, wanted


SHOWN = [":material/warning:", ":red[alarm]", "http://evil.example/", "$x^2$", "<img src=x onerror=alert(1)>",
         "![a](http://127.0.0.1:9/pixel.png)", ":rocket:"]


def test_timeline_draws_the_hostile_article_as_text(app_url, watched, hostile):
    _open(watched, f"{app_url}/timeline?event={hostile['event_id']}")
    watched.get_by_text("SHANGHAI, June 14, 2023", exact=False).first.wait_for(timeout=30_000)
    assert_inert(watched, "timeline", [*SHOWN, f"Source: {ALL_IN_ONE}"])


def test_articles_reader_draws_the_hostile_article_as_text(app_url, watched, hostile):
    _open(watched, app_url + "/articles", chart=False)
    _choose(watched, "Article", hostile["token"])
    wait_for_app(watched)
    watched.get_by_text("SHANGHAI,", exact=False).first.wait_for(timeout=30_000)
    for label in ("Why this category and direction", "Boilerplate removed"):
        watched.get_by_text(label, exact=False).first.click()
        wait_for_app(watched)
    assert_inert(watched, "articles_reader", SHOWN)


def test_event_study_draws_the_hostile_headline_as_text(app_url, watched, hostile):
    _open(watched, app_url + "/event_study")
    assert_inert(watched, "event_study", [":material/warning: :red[alarm]"])
    watched.get_by_role("tab", name="One event in detail").click()
    wait_for_app(watched)
    _choose(watched, "Event", hostile["token"])  # the picker names events by headline, never by id
    wait_for_app(watched)
    assert_inert(watched, "event_study_detail", [])


def test_an_uploaded_hostile_file_name_is_drawn_as_text(app_url, watched, hostile):
    token = uuid.uuid4().hex[:8]
    name = f"x {token} :material/warning: :red[a] $x$ **b** www.evil.example mail@evil.example.txt"
    _open(watched, app_url + "/articles", chart=False)
    watched.get_by_role("tab", name="Add an article").click()
    watched.locator("input[type='file']").set_input_files(files=[{
        "name": name, "mimeType": "text/plain",
        "buffer": f"Tesla {token} said on Wednesday, June 14, 2023, that China data stays in China.".encode()}])
    watched.locator("[data-testid='stAlertContentSuccess']").filter(has_text=token).first.wait_for(timeout=60_000)
    wait_for_app(watched)
    assert_inert(watched, "upload_name", [f"Added {name} as article"])


@pytest.mark.parametrize(("path", "chart"), [("/", True), ("/timeline", True), ("/event_study", True)])
def test_link_values_in_notices_are_drawn_as_text(app_url, watched, path, chart):
    params = "&".join(f"{k}={quote(LINK_VALUE)}" for k in ("event", "ticker", "windows"))
    _open(watched, f"{app_url}{path}?{params}", chart=chart)
    notices = watched.locator("[data-testid='stAlertContentInfo']")
    assert notices.count() >= 2
    assert_inert(watched, f"link{path.replace('/', '_')}", [f"Ignored 'event={LINK_VALUE[:39]}"])
