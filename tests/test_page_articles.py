"""Articles page through AppTest: renders, uploads (good and bad), corrections that persist."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from eventlens import events, vocabulary
from tests.rendered import as_read

REPO = Path(__file__).resolve().parent.parent


def page() -> AppTest:
    import streamlit as st

    st.cache_data.clear()  # caches are process-wide; each test has its own data/ copy
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.switch_page("pages/articles.py")
    at.run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, label: str) -> AppTest:
    """Click one of the page's tabs (they are lazy: the page reruns and draws only that tab)."""
    at.session_state["art_tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_page_renders_list_reader_and_candidates(data_dir: Path) -> None:
    at = page()
    assert not at.error
    listing = at.dataframe[0].value
    assert len(listing) == 5 and {"News date", "Trading day", "Topic", "Origin"} <= set(listing.columns)
    at.selectbox(key="art_article").set_value("001_dc4fae954da705d4").run()
    text = [m.value for m in at.markdown]
    assert any("**closed 0\\.39% lower at \\$670\\.94 on Wednesday**" in t for t in text)
    candidates = at.dataframe[2].value
    assert candidates.iloc[0]["Date"] == "2021-05-06" and candidates.iloc[0]["Result"] == "won"
    assert (candidates.iloc[1:]["Result"] == "lost").all()
    assert [m.value for m in at.metric][:2] == ["2021-05-06", "2021-05-06"]
    assert any("Data:" in c.value for c in at.caption)  # the active data source line


def test_detail_sections_are_drawn_only_when_opened(data_dir: Path) -> None:
    at = page()
    at.selectbox(key="art_article").set_value("001_dc4fae954da705d4").run()
    assert not at.text  # the three expanders start closed and draw nothing
    at.session_state["art_why"] = True
    at.session_state["art_removed"] = True
    at.run()
    assert not at.exception
    shown = " ".join(t.value for t in at.text)
    article = events.load_article("001_dc4fae954da705d4")
    assert article.stripped and article.classify().reasons  # this seed has both, so the checks below bite
    for reason in article.classify().reasons:
        assert vocabulary.in_words(reason) in shown  # the rules' reasons, topics by their labels
    assert "customer_data_access" not in shown and "data access for customers" in shown
    for item in article.stripped:
        assert item.text in shown


def test_only_the_open_tab_is_drawn(data_dir: Path) -> None:
    at = page()  # Reader by default
    assert at.selectbox(key="art_article") and not at.get("file_uploader") and not at.button
    at = open_tab(at, "Add an article")
    assert at.get("file_uploader") and not at.selectbox and not at.button
    at = open_tab(at, "Correct dates and categories")
    assert at.button(key="art_save") and not at.get("file_uploader") and not at.selectbox


def test_curated_article_says_so(data_dir: Path) -> None:
    at = page()
    at.selectbox(key="art_article").set_value("003_06b5e2fcc9eab559").run()
    assert any("Curated date" in i.value and "Reuters" in i.value for i in at.info)
    # In the list, a curated date has no model probability; an inferred one shows the model's.
    listing = at.dataframe[0].value.set_index("Origin")["Date confidence"]
    assert set(listing.loc[["curated"]]) == {"curated (cited source)"}
    assert all(v.endswith("% (engine)") and 0 <= float(v[: -len("% (engine)")]) <= 100
               for v in listing.loc[["inferred"]])
    topics = at.dataframe[0].value["Topic"]
    assert "data localisation (store data in China)" in set(topics) and "data_localisation" not in set(topics)


BAD = [
    ("empty.txt", b""),
    ("blank.md", b"   \n\n\t "),
    ("nul.txt", b"Tesla\x00\x00 news"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ("big.txt", b"x" * 1_000_001),
]


@pytest.mark.parametrize(("name", "payload"), BAD)
def test_bad_upload_is_refused_and_changes_nothing(data_dir: Path, name: str, payload: bytes) -> None:
    at = open_tab(page(), "Add an article")
    before = snapshot(data_dir)
    at.file_uploader(key="art_upload").upload(name, payload, "text/plain").run()
    assert not at.exception
    assert any(e.value.startswith("Refused:") for e in at.error)
    assert snapshot(data_dir) == before


def test_good_upload_adds_event_shown_as_text(data_dir: Path) -> None:
    at = open_tab(page(), "Add an article")
    payload = "<script>alert(1)</script> On Saturday, March 20, 2021, Musk spoke at a café.".encode("cp1252")
    at.file_uploader(key="art_upload").upload("new.txt", payload, "text/plain").run()
    assert not at.exception
    assert any("Added new.txt" in as_read(s.value) and "windows-1252" in as_read(s.value) for s in at.success)
    store = events.load_events()
    assert len(store) == 6 and store.iloc[-1]["event_date"] == pd.Timestamp("2021-03-20")
    assert len(at.dataframe[0].value) == 6
    at.run()  # a rerun with the file still in the widget must not add it again
    assert len(events.load_events()) == 6
    at = open_tab(at, "Reader")
    at.selectbox(key="art_article").set_value(store.iloc[-1]["article_id"]).run()
    shown = "\n".join(m.value for m in at.markdown)
    assert "<script>" not in shown and "&lt;script&gt;" in shown


def test_an_uploaded_file_name_is_shown_as_text_not_markdown(data_dir: Path) -> None:
    name = "[see](https://example.com) :rocket: **x**.txt"
    at = open_tab(page(), "Add an article")
    at.file_uploader(key="art_upload").upload(name, b"On Saturday, March 20, 2021, Musk spoke.", "text/plain").run()
    assert not at.exception
    (message,) = [s.value for s in at.success]
    assert f"Added {name} as article" in as_read(message)
    # Every markdown character of the name is escaped: no link, no emoji shortcode, no bold.
    assert "](" not in message and ":rocket:" not in message and "**x**" not in message


def test_correction_is_saved_and_survives_a_restart(data_dir: Path) -> None:
    at = open_tab(page(), "Correct dates and categories")
    at.session_state["art_editor"] = {
        "edited_rows": {0: {"category": "mapping / FSD", "event_date": "2021-05-22"}},  # as the grid shows it
        "added_rows": [], "deleted_rows": [],
    }
    at.button(key="art_save").click().run()
    assert not at.exception
    assert any("Saved 1 corrected event" in s.value for s in at.success)
    row = events.load_events().iloc[0]
    assert row["category"] == "mapping_fsd" and row["origin"] == "analyst"
    assert row["event_date"] == pd.Timestamp("2021-05-22") and row["trading_date"] == pd.Timestamp("2021-05-24")
    fresh = page()  # a new session reads the store from disk
    listing = fresh.dataframe[0].value
    assert listing.iloc[0]["Topic"] == "mapping / FSD" and listing.iloc[0]["Origin"] == "analyst"
    assert listing.iloc[0]["Date confidence"] == "set by analyst"


def test_invalid_correction_is_refused(data_dir: Path) -> None:
    at = open_tab(page(), "Correct dates and categories")
    before = events.events_csv()
    at.session_state["art_editor"] = {"edited_rows": {1: {"event_date": "2025-06-01"}}, "added_rows": [],
                                      "deleted_rows": []}
    at.button(key="art_save").click().run()
    assert any("Not saved" in e.value and "after the last session" in e.value for e in at.error)
    assert events.events_csv() == before


def test_broken_store_shows_error_and_keeps_file(data_dir: Path) -> None:
    path = Path(os.environ["EVENTLENS_STATE_DIR"]) / "eventlens.sqlite"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"event_id;oops\n1;2\n" * 100)
    at = page()
    assert any("not a readable database" in e.value and "read-only" in e.value for e in at.error)
    assert path.read_bytes() == b"event_id;oops\n1;2\n" * 100


def test_an_empty_store_opens_on_adding_an_article(data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("EVENTLENS_SEEDS_DIR", str(data_dir / "no-seeds-here"))
    at = page()
    assert not at.error
    assert at.get("file_uploader")  # the one thing to do first
    assert any("No articles yet" in i.value for i in at.info)
