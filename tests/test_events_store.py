"""The events store: built from seeds, validated reads, corrections, adds, atomic and serialised writes."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pandas as pd
import pytest

from eventlens import events, storage
from eventlens.news import ArticleError

SEED_DATES = {
    "000_1c06e83f191eca7b": ("2021-05-25", "2021-05-25", "inferred"),
    "001_dc4fae954da705d4": ("2021-05-06", "2021-05-06", "inferred"),
    "002_d889ba14fa21bf2e": ("2024-04-29", "2024-04-29", "inferred"),
    "003_06b5e2fcc9eab559": ("2024-05-17", "2024-05-17", "curated"),
    "004_c485fdf8a973a645": ("2021-03-20", "2021-03-22", "inferred"),
}


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_store_is_built_from_seeds_when_missing(data_dir: Path) -> None:
    (data_dir / "events.csv").unlink()
    frame = events.load_events()
    assert (data_dir / "events.csv").exists()
    assert set(events.REQUIRED) <= set(frame.columns)
    assert str(frame["event_date"].dtype).startswith("datetime64")
    assert str(frame["trading_date"].dtype).startswith("datetime64")
    got = {r.article_id: (f"{r.event_date:%Y-%m-%d}", f"{r.trading_date:%Y-%m-%d}", r.origin)
           for r in frame.itertuples()}
    assert got == SEED_DATES
    curated = frame.set_index("article_id").loc["003_06b5e2fcc9eab559"]
    assert curated["date_label"] == "curated" and "Reuters" in curated["date_evidence"]
    csv = (data_dir / "events.csv").read_text()
    assert "2021-03-22" in csv and "00:00:00" not in csv  # ISO dates on disk


def test_committed_store_matches_a_fresh_build(data_dir: Path) -> None:
    committed = events.load_events()
    (data_dir / "events.csv").unlink()
    fresh = events.load_events()
    cols = ["event_id", "event_date", "trading_date", "category", "direction", "origin", "date_label"]
    pd.testing.assert_frame_equal(committed[cols], fresh[cols])


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe garbage", "not a readable CSV"),
        (b"event_id,title\nx,y\n", "lacks the column"),
        (None, "not a YYYY-MM-DD date"),
    ],
)
def test_broken_store_gives_clear_error_and_is_not_overwritten(data_dir: Path, content, needle) -> None:
    path = data_dir / "events.csv"
    if content is None:
        content = path.read_bytes().replace(b"2021-05-25,2021-05-25", b"2021-13-45,2021-05-25", 1)
    path.write_bytes(content)
    with pytest.raises(events.EventStoreError, match=needle):
        events.load_events()
    with pytest.raises(events.EventStoreError):
        events.update_event("ev_000_1c06e83f191eca7b", category="other")
    with pytest.raises(events.EventStoreError):
        events.add_article(b"On Friday Tesla said it will store data locally.", "new.txt")
    assert path.read_bytes() == content
    assert not (data_dir / "articles").exists()


def test_date_correction_rederives_trading_date_and_survives_reload(data_dir: Path) -> None:
    row = events.update_event("ev_002_d889ba14fa21bf2e", event_date="2024-04-28")  # a Sunday
    assert row["trading_date"] == pd.Timestamp("2024-04-29")
    assert row["origin"] == "analyst" and row["corrected"] == "event_date"
    again = events.load_events().set_index("event_id").loc["ev_002_d889ba14fa21bf2e"]
    assert again["event_date"] == pd.Timestamp("2024-04-28")
    assert again["trading_date"] == pd.Timestamp("2024-04-29")
    assert again["date_label"] == "analyst" and "was 2024-04-29" in again["date_evidence"]


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"event_date": "not a date"}, "not a date"),
        ({"event_date": "2025-01-02"}, "after the last session"),
        ({"category": "gossip"}, "not a category"),
        ({"direction": "sideways"}, "not a direction"),
        ({"title": "new"}, "cannot be edited"),
    ],
)
def test_invalid_corrections_are_refused(data_dir: Path, changes, needle) -> None:
    before = (data_dir / "events.csv").read_bytes()
    with pytest.raises(events.EventStoreError, match=needle):
        events.update_event("ev_000_1c06e83f191eca7b", **changes)
    assert (data_dir / "events.csv").read_bytes() == before


def test_apply_edits_saves_only_changes(data_dir: Path) -> None:
    edited = events.load_events()[["event_id", "title", "event_date", "category", "direction"]].copy()
    edited.loc[0, "category"] = "mapping_fsd"
    edited.loc[4, "event_date"] = pd.Timestamp("2021-03-19")
    assert events.apply_edits(edited) == [edited.loc[0, "event_id"], edited.loc[4, "event_id"]]
    store = events.load_events()
    assert store.loc[0, "category"] == "mapping_fsd" and store.loc[0, "origin"] == "analyst"
    assert store.loc[4, "trading_date"] == pd.Timestamp("2021-03-19")
    assert store.loc[1, "origin"] == "inferred"
    assert events.apply_edits(events.load_events()) == []


def test_two_writers_keep_both_changes(data_dir: Path) -> None:
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    ids = ["ev_000_1c06e83f191eca7b", "ev_001_dc4fae954da705d4"]
    cats = ["mapping_fsd", "security_clearance", "other", "cross_border_transfer"]

    def writer(event_id: str) -> None:
        try:
            barrier.wait()
            for cat in cats:
                events.update_event(event_id, category=cat)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    store = events.load_events().set_index("event_id")
    assert list(store.loc[ids, "category"]) == [cats[-1], cats[-1]]


def test_failed_write_leaves_store_intact(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_dir / "events.csv"
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", broken_replace)
    with pytest.raises(OSError):
        events.update_event("ev_000_1c06e83f191eca7b", category="other")
    assert path.read_bytes() == before
    assert not list(data_dir.glob(".events.csv.*.tmp"))


def test_failed_store_write_removes_the_new_article(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(data_dir)

    def broken_write(frame):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(events, "_write", broken_write)
    with pytest.raises(OSError):
        events.add_article(b"On Friday, Tesla said it will store data in China.", "a.txt")
    assert snapshot(data_dir) == before


def test_add_article_ids_encoding_and_duplicates(data_dir: Path) -> None:
    text = "Tesla’s data centre: on Tuesday, May 25, 2021, Tesla said it will store data in China."
    payload = text.encode("cp1252")
    row = events.add_article(payload, "note.txt")
    digest = hashlib.sha256(payload).hexdigest()[:16]
    assert row["article_id"] == f"005_{digest}"
    assert row["encoding"] == "windows-1252"
    assert row["event_date"] == pd.Timestamp("2021-05-25") and row["origin"] == "inferred"
    assert (data_dir / "articles" / f"005_{digest}.txt").read_bytes() == payload
    with pytest.raises(events.DuplicateArticleError, match="already stored as article 005_"):
        events.add_article(payload, "again.txt")
    seed = next((Path(__file__).resolve().parent.parent / "seeds").glob("001_*.txt")).read_bytes()
    with pytest.raises(events.DuplicateArticleError, match="001_dc4fae954da705d4"):
        events.add_article(seed, "copy.txt")
    second = events.add_article("<b>HTML</b> <script>x()</script> Tesla news".encode("utf-16"), "b.md")
    assert second["article_id"].startswith("006_") and second["encoding"] == "utf-16-le (BOM)"
    assert second["title"].startswith("<b>HTML</b>")  # kept as plain text
    assert len(events.load_events()) == 7


@pytest.mark.parametrize(
    ("payload", "name"),
    [(b"", "a.txt"), (b"  \n ", "a.txt"), (b"a\x00b", "a.txt"), (b"\x89PNG\r\n\x1a\n", "a.txt"),
     (b"x" * 1_000_001, "a.txt"), (b"fine text", "a.png")],
)
def test_refused_adds_change_nothing(data_dir: Path, payload: bytes, name: str) -> None:
    before = snapshot(data_dir)
    with pytest.raises(ArticleError):
        events.add_article(payload, name)
    assert snapshot(data_dir) == before
