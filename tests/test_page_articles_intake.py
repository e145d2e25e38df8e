"""Articles page (AppTest): several files at once, an undated upload answered in place, label meanings, sources."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from eventlens import events
from eventlens.event_index import build_index
from eventlens.news.dating.weights import default_weights
from tests.rendered import as_read
from tests.test_intake import RETOLD, WIRE

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "dating_corpus" / "articles"
# No price, no explicit date: the engine leaves it undated but has candidate days (the weekday and the $600 close).
UNDATED = (b"Tesla answers Beijing\n\nTesla said on Tuesday it would store China car data locally, after regulators "
           b"in Beijing asked carmakers to keep data at home. Shares closed at $600 that day.\n")


def page(tab: str = "Add an article") -> AppTest:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.switch_page("pages/articles.py")
    at.run()
    at.session_state["art_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    return as_read(" | ".join(m.value for kind in ("error", "warning", "info", "success", "caption", "markdown")
                              for m in getattr(at, kind)))


def test_several_files_and_a_zip_give_one_result_row_each(data_dir: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("d03.txt", (CORPUS / "d03.txt").read_bytes())
        z.writestr("d04.txt", (CORPUS / "d04.txt").read_bytes())
    at = page()
    uploader = at.file_uploader(key="art_upload")
    assert uploader.accept_multiple_files
    uploader.set_value([("d01.txt", (CORPUS / "d01.txt").read_bytes(), "text/plain"),
                        ("**bad**.txt", b"", "text/plain"),
                        ("pack.zip", buf.getvalue(), "application/zip"),
                        ("again.txt", (CORPUS / "d01.txt").read_bytes(), "text/plain")]).run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "result" in d.value.columns)
    assert list(table["file"]) == ["d01.txt", "**bad**.txt", "d03.txt", "d04.txt", "again.txt"]
    assert list(table["result"]) == ["added", "refused", "added", "added", "duplicate"]
    assert "is empty" in table.loc[1, "details"] and "already stored" in table.loc[4, "details"]
    assert "5 items: 3 added, 0 grouped with an event already stored, 1 duplicate(s), 1 refused." in shown(at)
    assert len(events.load_events()) == 8
    at.run()  # the files are still in the widget: nothing is added twice
    assert len(events.load_events()) == 8 and len(events.default_store().article_ids()) == 8


def test_an_undated_upload_is_a_question_answered_in_place(data_dir: Path) -> None:
    at = page()
    at.file_uploader(key="art_upload").upload("undated.txt", UNDATED, "text/plain").run()
    assert not at.exception, at.exception
    assert any("left undated" in as_read(w.value) and "not on the charts yet" in as_read(w.value) for w in at.warning)
    article_id = events.load_events().iloc[-1]["article_id"]
    assert pd.isna(events.load_events().iloc[-1]["event_date"])
    event_id = events.load_events().iloc[-1]["event_id"]
    assert event_id not in build_index(events.load_events()).dated_ids  # not on the charts while undated
    candidates = next(d.value for d in at.dataframe if "Probability (%)" in d.value.columns)
    assert len(candidates) >= 2 and (candidates["Result"] == "not accepted").all()
    choice = at.radio(key=f"art_ask_upload_{article_id}_choice")
    assert choice.options[:len(candidates)] == list(candidates["Date"]) and choice.options[-1] == "type a date"
    pick = candidates.iloc[0]["Date"]
    choice.set_value(pick)
    next(b for b in at.button if b.label == "Save this date").click().run()
    assert not at.exception, at.exception
    row = events.load_events().set_index("article_id").loc[article_id]
    assert f"{row['event_date']:%Y-%m-%d}" == pick and not pd.isna(row["trading_date"])
    assert row["date_label"] == "analyst" and row["version"] == 2
    assert event_id in build_index(events.load_events()).dated_ids  # what the timeline and charts draw
    assert any("now appears on the charts" in as_read(s.value) for s in at.success)
    assert not any("left undated" in as_read(w.value) for w in at.warning)  # the question is answered
    past = events.history(row["event_id"])
    assert (past["note"] == "date picked after upload").any()


def test_an_undated_article_can_be_given_a_typed_date_from_the_reader(data_dir: Path) -> None:
    events.add_article(UNDATED, "undated.txt")
    article_id = events.load_events().iloc[-1]["article_id"]
    at = page("Reader")
    at.selectbox(key="art_article").set_value(article_id).run()
    assert any("left undated" in as_read(w.value) for w in at.warning)
    assert any("undated: the clues in the text do not single out one trading day" in as_read(c.value)
               for c in at.caption)
    at.radio(key=f"art_ask_reader_{article_id}_choice").set_value("type a date")
    next(b for b in at.button if b.label == "Save this date").click().run()
    assert any("Type a date" in e.value for e in at.error)  # nothing typed: refused, nothing saved
    assert pd.isna(events.load_events().set_index("article_id").loc[article_id, "event_date"])
    at.date_input(key=f"art_ask_reader_{article_id}_typed").set_value(pd.Timestamp("2021-05-25").date())
    next(b for b in at.button if b.label == "Save this date").click().run()
    row = events.load_events().set_index("article_id").loc[article_id]
    assert f"{row['trading_date']:%Y-%m-%d}" == "2021-05-25"


def test_the_reader_says_what_the_label_means_and_who_else_reported_it(data_dir: Path) -> None:
    first = events.add_article(WIRE.encode(), "wire.txt")
    events.add_article(RETOLD.encode(), "retold.txt")
    at = page("Reader")
    at.selectbox(key="art_article").set_value(first["article_id"]).run()
    label = events.load_events().set_index("article_id").loc[first["article_id"], "date_label"]
    assert any(as_read(c.value) == default_weights().meaning(label) for c in at.caption)
    assert any(as_read(c.value).startswith("Also reported by: ") and "Tesla sets up China data centre" in
               as_read(c.value) for c in at.caption)


def test_the_source_is_corrected_in_the_reader_form(data_dir: Path) -> None:
    ev0 = "ev_000_1c06e83f191eca7b"
    at = page("Reader")
    at.selectbox(key="art_article").set_value("000_1c06e83f191eca7b").run()
    at.session_state["art_fix"] = True
    at.run()
    at.text_input(key=f"art_fix_source_{ev0}").set_value("**Caixin** [x](https://e.example)")
    next(b for b in at.button if b.label == "Save this correction").click().run()
    assert not at.exception, at.exception
    assert events.load_events().set_index("event_id").loc[ev0, "source"] == "**Caixin** [x](https://e.example)"
    past = events.history(ev0)
    assert (past["field"] == "source").any()
    assert any("Source: \\*\\*Caixin\\*\\*" in c.value for c in at.caption)  # shown as text, not markdown
