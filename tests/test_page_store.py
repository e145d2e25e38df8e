"""AppTest: the store as analysts meet it: history and undo, two sessions on one event, backup and restore.

These run on SQLite and on the real PostgreSQL server (``store_url``), through ``st.connection``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from eventlens import events
from eventlens.news.taxonomy import category_label
from eventlens.store import backup as store_backup
from eventlens.store import open_store
from eventlens.store.database import create_store_engine
from tests.rendered import as_read

REPO = Path(__file__).resolve().parent.parent
EV0 = "ev_000_1c06e83f191eca7b"
SUBMIT = f"FormSubmitter:art_fix_form_{EV0}-Save this correction"


def session(page: str = "pages/articles.py", clear: bool = True) -> AppTest:
    """A new browser session; ``clear`` also drops the process's caches (as a server restart does)."""
    import streamlit as st

    if clear:
        st.cache_data.clear()
        st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def correct_tab(at: AppTest) -> AppTest:
    at.session_state["art_tab"] = "Correct dates and categories"
    return at.run()


def edit(at: AppTest, row: int, **fields: str) -> AppTest:
    at.session_state["art_editor"] = {"edited_rows": {row: fields}, "added_rows": [], "deleted_rows": []}
    return at


def texts(at: AppTest) -> str:
    return as_read(" | ".join(m.value for kind in ("error", "warning", "info", "success") for m in getattr(at, kind)))


def test_reader_shows_the_history_and_undoes_the_last_change(store_url: str) -> None:
    events.update_event(EV0, note="Weibo post was Tuesday", category="government_restriction")
    at = session()
    at.selectbox(key="art_article").set_value("000_1c06e83f191eca7b").run()
    at.session_state["art_history"] = True  # open the "Correction history" expander
    at.run()
    history = at.dataframe[-1].value
    assert list(history["Field"]) == ["category"]
    assert (history.iloc[0]["Old"], history.iloc[0]["New"]) == ("data localisation (store data in China)",
                                                                 "government restriction or ban")
    assert history.iloc[0]["Note"] == "Weibo post was Tuesday"
    at.button(key="art_undo").click().run()
    assert "undone" in texts(at)
    row = events.load_events().set_index("event_id").loc[EV0]
    assert row["category"] == "data_localisation" and row["origin"] == "inferred"


def test_second_session_saving_a_stale_event_is_told_and_can_apply_on_top(store_url: str) -> None:
    mine = correct_tab(session())
    other = correct_tab(session(clear=False))
    edit(other, 0, category="government_restriction").button(key="art_save").click().run()
    assert "Saved 1 corrected event" in texts(other)

    edit(mine, 0, direction="tightening").button(key="art_save").click().run()
    said = texts(mine)
    assert "changed since you opened it" in said  # the other change in words, not codes
    assert f"{category_label('data_localisation')} → {category_label('government_restriction')}" in said
    assert events.load_events().set_index("event_id").loc[EV0, "direction"] != "tightening"  # not saved blindly

    mine.button(key="art_on_top").click().run()
    assert "Saved 1 corrected event" in texts(mine), texts(mine)
    row = events.load_events().set_index("event_id").loc[EV0]
    assert (row["category"], row["direction"]) == ("government_restriction", "tightening")


def test_two_sessions_correcting_different_events_both_keep_theirs(store_url: str) -> None:
    first = correct_tab(session())
    second = correct_tab(session(clear=False))
    edit(first, 0, category="other").button(key="art_save").click().run()
    edit(second, 2, category="security_clearance").button(key="art_save").click().run()
    assert "Saved 1 corrected event" in texts(second)
    fresh = session()  # after a restart
    listing = fresh.dataframe[0].value
    assert listing.iloc[0]["Topic"] == "other" and listing.iloc[2]["Topic"] == "security clearance or approval"


def test_an_upload_and_a_correction_survive_a_restart(store_url: str) -> None:
    at = session()
    at.session_state["art_tab"] = "Add an article"
    at.run()
    at.file_uploader(key="art_upload").upload("new.txt", b"On Saturday, March 20, 2021, Musk spoke in China.",
                                              "text/plain").run()
    assert "Added new.txt" in texts(at)
    restarted = session()
    assert len(restarted.dataframe[0].value) == 6


def test_data_page_backs_up_and_restores_only_into_an_empty_store(store_url: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    events.update_event(EV0, category="other")
    at = session("pages/data.py")
    assert any(b.proto.label.startswith("Whole store as one backup file") for b in at.get("download_button"))
    created = events.default_store().created_at()
    assert any(f"This store was created on {created[:10]}" in c.value for c in at.caption)
    payload = store_backup.export_bytes(events.default_store())

    at.session_state["data_restore"] = True
    at.run()
    at.file_uploader(key="data_restore_file").upload("backup.json", payload, "application/json").run()
    at.button(key="data_restore_go").click().run()
    assert "Not restored" in texts(at) and "empty store" in texts(at)

    monkeypatch.setenv("EVENTLENS_DB_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    at = session("pages/data.py")
    at.session_state["data_restore"] = True
    at.run()
    at.file_uploader(key="data_restore_file").upload("backup.json", payload, "application/json").run()
    at.button(key="data_restore_go").click().run()
    assert "Restored 5 articles, 5 events" in texts(at), texts(at)
    restored = open_store(create_store_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}"))
    assert events.load_events(restored).set_index("event_id").loc[EV0, "category"] == "other"


def test_the_database_going_away_while_correcting_loses_nothing(data_dir: Path, monkeypatch) -> None:
    """A dedicated PostgreSQL server is stopped while an analyst has the correction form open."""
    from tests import pg_server

    try:
        server = pg_server.start()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    try:
        monkeypatch.setenv("EVENTLENS_DB_URL", server.new_database())
        at = session()
        at.selectbox(key="art_article").set_value("000_1c06e83f191eca7b").run()
        at.session_state["art_fix"] = True  # open "Correct this event"
        at.run()
        at.selectbox(key="art_fix_category_" + EV0).set_value("government_restriction")
        at.text_input(key="art_fix_note_" + EV0).set_value("checked against the Weibo post")

        server.pause()
        at.button(key=SUBMIT).click().run()
        assert not at.exception
        said = texts(at)
        assert "Not saved" in said and "cannot be reached" in said, said
        assert "read-only" in said  # the banner: the app shows the seed events meanwhile
        # the analyst's input stays in the form
        assert at.selectbox(key="art_fix_category_" + EV0).value == "government_restriction"
        assert at.text_input(key="art_fix_note_" + EV0).value == "checked against the Weibo post"

        server.resume()
        at.button(key=SUBMIT).click().run()
        assert "Saved" in texts(at), texts(at)
        assert "read-only" not in texts(at)  # the banner is gone once the store answers again
        kept = open_store(create_store_engine(os.environ["EVENTLENS_DB_URL"]))
        assert events.load_events(kept).set_index("event_id").loc[EV0, "category"] == "government_restriction"
        assert events.history(EV0, store=kept).iloc[0]["note"] == "checked against the Weibo post"
        kept.engine.dispose()
    finally:
        server.stop()


def test_the_reader_form_refuses_a_stale_save_and_applies_it_on_top_when_asked(store_url: str) -> None:
    at = session()
    at.selectbox(key="art_article").set_value("000_1c06e83f191eca7b").run()
    at.session_state["art_fix"] = True
    at.run()
    events.update_event(EV0, category="other", store=events.default_store())  # another analyst, meanwhile
    at.selectbox(key="art_fix_direction_" + EV0).set_value("tightening")
    at.button(key=SUBMIT).click().run()
    assert "changed since you opened it" in texts(at)
    assert f"{category_label('data_localisation')} → {category_label('other')}" in texts(at)
    assert events.load_events().set_index("event_id").loc[EV0, "direction"] != "tightening"
    at.button(key=SUBMIT).click().run()
    assert "Saved" in texts(at)
    row = events.load_events().set_index("event_id").loc[EV0]
    # the form held the category the analyst saw; applied on top, it is what they chose
    assert row["direction"] == "tightening"
