"""The same hostile strings through every page that shows untrusted text, as the script sends them (AppTest).

An article whose title, text and (hand-edited) source hold every hostile
string, a file name holding them, and link values holding them: every
markdown-bearing element each page sends (markdown, captions, alerts, metric
labels and values, tab and expander labels) must leave nothing for
Streamlit's markdown to turn into a link, image, icon, emoji, colour, LaTeX
or HTML, and the strings must still be there to read. What chromium finally
draws and fetches is checked in tests/e2e/test_hostile_text.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from eventlens import events
from tests.hostile import ALL_IN_ONE, HOSTILE
from tests.rendered import as_read
from tests.test_untrusted_input import live_markup

REPO = Path(__file__).resolve().parent.parent
LINK_VALUE = "![a](http://127.0.0.1:9/link.png) :material/link: :red[x] $y$ http://evil.example/l"


def hostile_article() -> bytes:
    lines = [ALL_IN_ONE, "SHANGHAI, June 14, 2023 - Tesla said on Wednesday that data from its cars sold in China "
             "stays in China, after regulators tightened the rules on cross-border data transfer.", *HOSTILE]
    return "\n".join(lines).encode()


@pytest.fixture
def hostile_store(data_dir: Path) -> dict:
    """The data copy with one hostile article added, its store row's source hand-edited to the hostile strings."""
    from eventlens.store import schema

    row = events.add_article(hostile_article(), "hostile.txt")
    store = events.default_store()
    with store.engine.begin() as conn:  # as a hand-edited or hostile database would hold it
        conn.execute(schema.articles.update().where(schema.articles.c.article_id == row["article_id"])
                     .values(source=ALL_IN_ONE))
        store.bump_revision(conn)
    return {"event_id": row["event_id"], "article_id": row["article_id"]}


def fresh(page: str, **params: str) -> AppTest:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.switch_page(page)
    at.query_params.update(params)
    return at


def shown_markdown(at: AppTest) -> list[str]:
    """Every markdown source the script sent that Streamlit renders as markdown."""
    sources = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success") for e in at.get(kind)]
    sources += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    sources += [t.label for t in at.tabs] + [x.label for x in at.expander]
    for table in at.table:  # st.table renders every cell and header as markdown
        sources += [str(c) for c in table.value.columns] + [str(v) for v in table.value.to_numpy().ravel()]
    return sources


def assert_inert(at: AppTest, expect: list[str]) -> None:
    assert not at.exception, at.exception
    sources = shown_markdown(at)
    for source in sources:
        assert live_markup(source) == [], source
    read = "\n".join(as_read(s) for s in sources)
    for text in expect:  # still there, as text
        assert text in read, text
    for chart in at.get("plotly_chart"):
        spec = json.dumps(json.loads(chart.proto.spec))
        assert "<a " not in spec and "<img" not in spec
    for box in [*at.selectbox, *at.multiselect]:  # plain text, not markdown: one line is all they need
        assert all("\n" not in str(box.format_func(o)) for o in box.options)


SHOWN = [":material/warning:", ":red[alarm]", "http://evil.example/", "$x^2$", "<img src=x onerror=alert(1)>",
         "![a](http://127.0.0.1:9/pixel.png)"]


def test_timeline(hostile_store):
    at = fresh("pages/timeline.py", event=hostile_store["event_id"]).run()
    assert at.selectbox(key="tl_event").value == hostile_store["event_id"]
    assert_inert(at, [*SHOWN, "Source: " + ALL_IN_ONE])


def test_articles_reader(hostile_store):
    at = fresh("pages/articles.py").run()
    at.selectbox(key="art_article").set_value(hostile_store["article_id"]).run()
    assert_inert(at, SHOWN)
    for key in ("art_why", "art_found", "art_removed"):  # the detail sections, drawn when opened
        at.session_state[key] = True
    assert_inert(at.run(), SHOWN)


def test_articles_upload_of_a_hostile_name(data_dir):
    at = fresh("pages/articles.py").run()
    at.session_state["art_tab"] = "Add an article"
    at.run()
    name = "x :material/warning: :red[a] $x$ **b** www.evil.example <img src=x onerror=alert(1)>.txt"
    at.file_uploader(key="art_upload").upload(name, hostile_article(), "text/plain").run()
    assert_inert(at, [f"Added {name} as article"])
    at.file_uploader(key="art_upload").upload(name, hostile_article(), "text/plain").run()  # again: a duplicate
    assert_inert(at, [])


def test_event_study(hostile_store):
    at = fresh("pages/event_study.py").run()
    assert_inert(at, [":material/warning: :red[alarm]"])  # the headline in the readings (cut at 120 characters)
    assert any(as_read(str(v)).startswith("2023-06-14 · ![a](http") for t in at.table for v in t.value["Event"])
    at.session_state["es_tab"] = "One event in detail"
    at.session_state["es_focus"] = hostile_store["event_id"]
    assert_inert(at.run(), [])


def test_overview_and_data(hostile_store):
    at = fresh("pages/overview.py").run()
    at.session_state["ov_events"] = True  # the events table, drawn when opened
    assert_inert(at.run(), [])
    assert_inert(fresh("pages/data.py").run(), [])


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/timeline.py", "pages/event_study.py"])
@pytest.mark.parametrize("param", ["event", "ticker", "start", "windows", "peers", "model"])
def test_link_values_quoted_in_notices(data_dir, page, param):
    at = fresh(page, **{param: LINK_VALUE}).run()
    assert_inert(at, [f"Ignored '{param}={LINK_VALUE[:39]}"])
