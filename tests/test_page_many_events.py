"""AppTest: hundreds of events stay readable; tables show a page at a time, pickers filter, CSVs keep every row.

The store is generated in the test's temporary state folder: the seeds plus article-like records made from the
dating corpus's texts (a unique line per copy), each dated on a real trading day of the snapshot, added through
the store's public API. The expected rows are computed here from the store itself (``events.load_events``), not
from the pages' own tables.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from eventlens import events as events_store
from eventlens import export
from eventlens.inert import plain
from tests.rendered import as_read

GENERATED = 300
PAGE = 50


@pytest.fixture(scope="module")
def many_store(tmp_path_factory) -> Path:
    """A store of the 5 seeds + ``GENERATED`` events, built once for the module; each test gets a copy."""
    from bench.scale import generated_articles

    root = tmp_path_factory.mktemp("many")
    repo = Path(__file__).resolve().parent.parent
    saved = {k: os.environ.get(k) for k in ("EVENTLENS_DATA_DIR", "EVENTLENS_STATE_DIR", "EVENTLENS_DB_URL")}
    shutil.copytree(repo / "data", root / "data", ignore=shutil.ignore_patterns("cache", "state", ".*.lock", "*.tmp"))
    os.environ.update(EVENTLENS_DATA_DIR=str(root / "data"), EVENTLENS_STATE_DIR=str(root / "state"))
    os.environ.pop("EVENTLENS_DB_URL", None)
    try:
        store = events_store.default_store()
        for item in generated_articles(GENERATED):
            store.add(item)
        store.engine.dispose()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return root / "state" / "eventlens.sqlite"


@pytest.fixture
def many(app, data_dir, many_store, monkeypatch):
    """The app on a copy of the generated store, with every table CSV the pages offer recorded."""
    state = data_dir.parent / "state"
    state.mkdir(exist_ok=True)
    shutil.copy(many_store, state / "eventlens.sqlite")
    import ui.downloads

    offered: dict[str, pd.DataFrame] = {}
    original = ui.downloads.table_download

    def recording(frame, stem, key, label="Table as CSV"):
        offered[key] = frame() if callable(frame) else frame
        return original(frame, stem, key, label)

    monkeypatch.setattr(ui.downloads, "table_download", recording)
    import ui.study_tabs  # imported its own name for it (pages import theirs afresh on every run)

    monkeypatch.setattr(ui.study_tabs, "table_download", recording)
    app.offered = offered
    return app


def csv_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """What the download button sends (``export.table_csv``), read back."""
    return pd.read_csv(io.BytesIO(export.table_csv(frame)), dtype=str, keep_default_na=False)


def chart(at) -> dict:
    import json

    (element,) = at.get("plotly_chart")
    return json.loads(element.proto.spec)


def stored() -> pd.DataFrame:
    return events_store.load_events()


def test_overview_events_table_pages_and_its_csv_holds_every_row(many):
    at = many.run()
    assert not at.exception
    dated = stored().dropna(subset=["trading_date"])
    days = sorted(dated["trading_date"].dt.strftime("%Y-%m-%d"))
    assert len(days) == GENERATED + 5
    at.session_state["ov_events"] = True
    at.run()
    (table,) = at.dataframe
    assert len(table.value) == PAGE
    assert list(table.value["Trading day"]) == days[:PAGE]
    assert f"rows 1–50 of {len(days)}" in [c.value for c in at.caption]
    at.number_input(key="ov_events_page").set_value(3).run()
    assert list(at.dataframe[0].value["Trading day"]) == days[100:150]
    assert f"rows 101–150 of {len(days)}" in [c.value for c in at.caption]
    last = -(-len(days) // PAGE)
    at.number_input(key="ov_events_page").set_value(last).run()
    assert list(at.dataframe[0].value["Trading day"]) == days[(last - 1) * PAGE:]
    sent = csv_rows(many.offered["ov_events_csv"])
    assert list(sent["Trading day"]) == days  # every row, not the page
    assert any(b.proto.label == f"All {len(days)} rows as CSV" for b in at.get("download_button"))


def test_a_narrower_range_clamps_the_page_instead_of_failing(many):
    at = many.run()
    at.session_state["ov_events"] = True
    at.run()
    at.number_input(key="ov_events_page").set_value(6).run()
    at.session_state["ov_start"] = pd.Timestamp("2024-07-01").date()
    at.run()
    at.session_state["ov_events"] = True  # the fold's label changed with the range: open it again
    at.run()
    assert not at.exception
    dated = stored().dropna(subset=["trading_date"])
    days = sorted(d for d in dated["trading_date"].dt.strftime("%Y-%m-%d") if d >= "2024-07-01")
    assert 0 < len(days) <= 6 * PAGE
    shown = list(at.dataframe[0].value["Trading day"])
    last = -(-len(days) // PAGE)
    assert shown == days[(last - 1) * PAGE:] if last > 1 else shown == days


def test_articles_list_pages_and_the_reader_offers_that_page(many):
    many.switch_page("pages/articles.py")
    at = many.run()
    assert not at.exception
    expected = stored()  # the list is in the store's order
    listing = at.dataframe[0].value
    assert len(listing) == PAGE and list(listing["Headline"]) == list(expected["title"][:PAGE])
    at.number_input(key="art_list_page").set_value(2).run()
    assert list(at.dataframe[0].value["Headline"]) == list(expected["title"][PAGE:2 * PAGE])
    picker = at.selectbox(key="art_article")
    assert list(picker.options) == [f"{d:%Y-%m-%d} · {plain(t, 90)}" for d, t in
                                    zip(expected["event_date"][PAGE:2 * PAGE], expected["title"][PAGE:2 * PAGE],
                                        strict=True)]
    assert picker.value == expected["article_id"].iloc[PAGE]
    assert len(csv_rows(many.offered["art_list_csv"])) == len(expected)


def test_event_study_filters_many_events_and_pages_its_tables(many):
    many.switch_page("pages/event_study.py")
    at = many.run()
    assert not at.exception and not at.error
    assert not [m for m in at.multiselect if m.key == "es_events"]  # no picker of 305 chips
    every = stored()
    topic = every["category"].value_counts().index[0]
    at.multiselect(key="es_events_f_topics").set_value([topic]).run()
    assert not at.exception
    mine = every[every["category"] == topic].sort_values(["trading_date", "event_id"])
    assert len(mine) > PAGE
    summary = csv_rows(many.offered["es_summary_csv"])
    assert len(summary) == len(mine)  # the CSV: every studied event
    (table,) = at.table
    assert len(table.value) == 10  # the page: ten of them, their readings and CAR paths with them
    assert f"events 1–10 of {len(mine)}" in [c.value for c in at.caption]
    assert len([t for t in chart(at)["data"] if t.get("mode") == "lines+markers"]) == 10
    at.number_input(key="es_page").set_value(2).run()
    assert f"events 11–20 of {len(mine)}" in [c.value for c in at.caption]
    assert as_read(at.table[0].value["Event"].iloc[0]).startswith(f"{mine['trading_date'].iloc[10]:%Y-%m-%d} · ")
    assert len(csv_rows(many.offered["es_summary_csv"])) == len(mine)
    # Words only one generated copy carries narrow the list to a handful: then single events can be picked.
    title = mine["title"].iloc[0]
    at.text_input(key="es_events_f_text").set_value(title).run()
    (pick,) = [m for m in at.multiselect if m.key == "es_events"]
    words = title.casefold().split()
    expected = [t for t in mine["title"] if all(w in t.casefold() for w in words)]
    assert 1 <= len(expected) <= PAGE
    assert list(pick.options) == [f"{d:%Y-%m-%d} · {plain(t, 90)}" for d, t in
                                  zip(mine["trading_date"], mine["title"], strict=True) if t in expected]
    assert len(csv_rows(many.offered["es_summary_csv"])) == len(pick.options)
    pick.set_value([mine["event_id"].iloc[0]]).run()
    assert len(csv_rows(many.offered["es_summary_csv"])) == 1


def test_timeline_picks_a_month_then_an_event(many):
    many.switch_page("pages/timeline.py")
    at = many.run()
    assert not at.exception
    dated = stored().dropna(subset=["trading_date"]).sort_values(["trading_date", "event_id"], kind="stable")
    months = list(dict.fromkeys(dated["trading_date"].dt.strftime("%Y-%m")))
    month = at.selectbox(key="tl_month")
    assert list(month.options) == months and month.value == months[0]
    in_first = dated[dated["trading_date"].dt.strftime("%Y-%m") == months[0]]
    assert list(at.selectbox(key="tl_event").options) == [
        f"{d:%Y-%m-%d} · {plain(t, 90)}" for d, t in zip(in_first["trading_date"], in_first["title"], strict=True)]
    at.selectbox(key="tl_month").set_value(months[5]).run()
    assert at.selectbox(key="tl_event").value == dated[dated["trading_date"].dt.strftime("%Y-%m")
                                                       == months[5]]["event_id"].iloc[0]
    # Next from a month's last event walks into the next month, and the month follows.
    last_of = dated[dated["trading_date"].dt.strftime("%Y-%m") == months[5]]["event_id"].iloc[-1]
    at.selectbox(key="tl_event").set_value(last_of).run()
    at.button(key="tl_next").click().run()
    assert at.selectbox(key="tl_month").value == months[6]
    assert at.selectbox(key="tl_event").value == dated[dated["trading_date"].dt.strftime("%Y-%m")
                                                       == months[6]]["event_id"].iloc[0]
