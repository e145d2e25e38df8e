"""The store on SQLite and on a real PostgreSQL server: seeds, corrections, conflicts, undo, adds, backups.

Every test here runs twice (``store_url`` is parametrised over both backends).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from eventlens import cli, events
from eventlens.news.taxonomy import category_label
from eventlens.store import ConflictError, StoreError, StoreUnavailable, open_store, schema
from eventlens.store import backup as store_backup
from eventlens.store.database import create_store_engine
from eventlens.store.repository import HEAD

REPO = Path(__file__).resolve().parent.parent
SEED_DATES = {
    "000_1c06e83f191eca7b": ("2021-05-25", "2021-05-25", "inferred"),
    "001_dc4fae954da705d4": ("2021-05-06", "2021-05-06", "inferred"),
    "002_d889ba14fa21bf2e": ("2024-04-29", "2024-04-29", "inferred"),
    "003_06b5e2fcc9eab559": ("2024-05-17", "2024-05-17", "curated"),
    "004_c485fdf8a973a645": ("2021-03-20", "2021-03-22", "inferred"),
}
EV0, EV2 = "ev_000_1c06e83f191eca7b", "ev_002_d889ba14fa21bf2e"


def fresh(url: str):
    """A second, independent handle on the same database (what another process or replica has)."""
    return open_store(create_store_engine(url), events.seed_articles)


def article_text(token: str) -> bytes:
    return (f"Tesla and China's data rules, note {token}\n\nOn Tuesday, May 25, 2021, Tesla said it would store "
            "data from cars sold in China inside the country.\n").encode()


def test_a_new_store_is_filled_from_the_seeds_once(store_url: str) -> None:
    frame = events.load_events(fresh(store_url))
    got = {r.article_id: (f"{r.event_date:%Y-%m-%d}", f"{r.trading_date:%Y-%m-%d}", r.origin)
           for r in frame.itertuples()}
    assert got == SEED_DATES
    assert (frame["version"] == 1).all()
    curated = frame.set_index("article_id").loc["003_06b5e2fcc9eab559"]
    assert curated["date_label"] == "curated" and "Reuters" in curated["date_evidence"]
    again = fresh(store_url)
    assert len(again.article_ids()) == 5 and again.schema_revision() == HEAD
    raw, name = again.article("001_dc4fae954da705d4")
    assert raw == (REPO / "seeds" / "001_dc4fae954da705d4.txt").read_bytes() and name.endswith(".txt")


def test_a_correction_is_kept_with_its_history_across_handles(store_url: str) -> None:
    store = fresh(store_url)
    before = store.revision()
    row = events.update_event(EV2, expected_version=1, note="Sunday post", store=store, event_date="2024-04-28")
    assert f"{row['event_date']:%Y-%m-%d}" == "2024-04-28" and f"{row['trading_date']:%Y-%m-%d}" == "2024-04-29"
    assert row["origin"] == "analyst" and row["date_label"] == "analyst" and pd.isna(row["date_confidence"])
    assert row["version"] == 2 and store.revision() > before
    other = fresh(store_url)  # as another process sees it
    kept = events.load_events(other).set_index("event_id").loc[EV2]
    assert f"{kept['event_date']:%Y-%m-%d}" == "2024-04-28" and kept["corrected"] == "event_date"
    past = events.history(EV2, store=other)
    assert set(past["field"]) == {"event_date", "trading_date"} or set(past["field"]) == {"event_date"}
    date_row = past[past["field"] == "event_date"].iloc[0]
    assert (date_row["old"], date_row["new"], date_row["note"]) == ("2024-04-29", "2024-04-28", "Sunday post")


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"event_date": "not-a-date"}, "not a date"),
        ({"event_date": "2030-01-01"}, "after the last session"),
        ({"category": "aliens"}, "not a category"),
        ({"direction": "sideways"}, "not a direction"),
        ({"title": "x"}, "cannot be edited"),
    ],
)
def test_an_invalid_correction_is_refused_and_writes_nothing(store_url: str, changes: dict, needle: str) -> None:
    store = fresh(store_url)
    revision, before = store.revision(), events.load_events(store)
    with pytest.raises(StoreError, match=needle):
        events.update_event(EV0, store=store, **changes)
    assert store.revision() == revision
    pd.testing.assert_frame_equal(events.load_events(store), before)


def test_two_analysts_on_the_same_event_the_second_is_told_and_can_apply_on_top(store_url: str) -> None:
    alice, bob = fresh(store_url), fresh(store_url)
    seen = int(events.load_events(bob).set_index("event_id").loc[EV0, "version"])
    events.update_event(EV0, expected_version=seen, store=alice, category="government_restriction")
    with pytest.raises(ConflictError, match="changed since you opened it") as caught:
        events.update_event(EV0, expected_version=seen, store=bob, direction="tightening")
    said = str(caught.value)  # the topics in the analyst's words, not the stored codes
    assert f"category {category_label('data_localisation')} → {category_label('government_restriction')}" in said
    assert "data_localisation" not in said and "government_restriction" not in said
    now = events.load_events(bob).set_index("event_id").loc[EV0]
    assert now["category"] == "government_restriction" and now["direction"] != "tightening"  # nothing of bob's
    events.update_event(EV0, expected_version=caught.value.current_version, store=bob, direction="tightening")
    final = events.load_events(alice).set_index("event_id").loc[EV0]
    assert (final["category"], final["direction"], final["version"]) == ("government_restriction", "tightening", 3)


def test_two_analysts_on_different_events_at_the_same_moment_both_keep_theirs(store_url: str) -> None:
    handles = [fresh(store_url), fresh(store_url)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def correct(store, event_id: str, category: str) -> None:
        try:
            barrier.wait()
            events.update_event(event_id, expected_version=1, store=store, category=category)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=correct, args=(handles[0], EV0, "other")),
               threading.Thread(target=correct, args=(handles[1], EV2, "mapping_fsd"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    stored = events.load_events(fresh(store_url)).set_index("event_id")
    assert stored.loc[EV0, "category"] == "other" and stored.loc[EV2, "category"] == "mapping_fsd"


def test_undo_reverts_the_last_change_then_the_one_before(store_url: str) -> None:
    store = fresh(store_url)
    original = events.load_events(store).set_index("event_id").loc[EV0]
    events.update_event(EV0, store=store, category="other")
    events.update_event(EV0, store=store, event_date="2021-05-26", direction="tightening")
    after_undo = events.undo_last(EV0, store=store)
    assert after_undo["category"] == "other" and after_undo["direction"] == original["direction"]
    assert f"{after_undo['event_date']:%Y-%m-%d}" == "2021-05-25"
    back = events.undo_last(EV0, store=store)
    for field in ("event_date", "trading_date", "category", "direction", "origin", "date_label", "corrected",
                  "date_evidence"):
        assert back[field] == original[field] or (pd.isna(back[field]) and pd.isna(original[field])), field
    past = events.history(EV0, store=store)
    # rows are per shown field: the two edits touched 1 and 3 of them, and both were undone
    assert past["undone"].sum() == 4 and (past["kind"] == "undo").sum() == 4
    with pytest.raises(StoreError, match="no correction to undo"):
        events.undo_last(EV0, store=store)


def test_an_article_is_stored_once_and_read_back_as_added(store_url: str) -> None:
    store = fresh(store_url)
    payload = "Tesla’s news: on Tuesday, May 25, 2021, café".encode("cp1252")
    row = events.add_article(payload, "new.txt", store=store)
    assert row["article_id"].startswith("005_") and row["encoding"] == "windows-1252"
    assert f"{row['event_date']:%Y-%m-%d}" == "2021-05-25"
    assert events.load_article(row["article_id"], store).text.startswith("Tesla’s news")
    with pytest.raises(events.DuplicateArticleError, match="already stored as article 005_"):
        events.add_article(payload, "again.txt", store=fresh(store_url))
    assert len(store.article_ids()) == 6


def test_twenty_parallel_add_processes_leave_each_article_exactly_once(store_url: str, tmp_path: Path) -> None:
    files = []
    for i in range(20):  # ten articles, each added by two processes
        path = tmp_path / f"a{i}.txt"
        path.write_bytes(article_text(f"n{i % 10}"))
        files.append(path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-m", "eventlens", "add", str(f)], env=env, cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    outcomes = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    added = [o for o in outcomes if o[0] == 0]
    refused = [o for o in outcomes if o[0] == 2]
    assert len(added) == 10 and len(refused) == 10, [o for o in outcomes if o[0] not in (0, 2) or "already" not in o[2]]
    assert all("already stored" in err and err.count("\n") == 1 for _, _, err in refused)
    store = fresh(store_url)
    assert len(store.article_ids()) == 15
    with store.engine.connect() as conn:
        shas = conn.execute(sa.select(schema.articles.c.sha256)).scalars().all()
        links = conn.execute(sa.select(sa.func.count()).select_from(schema.event_articles)).scalar()
    assert len(shas) == len(set(shas)) == 15 and links == 15


def test_a_backup_restores_the_same_events_into_an_empty_store(store_url: str, tmp_path: Path) -> None:
    store = fresh(store_url)
    events.add_article(article_text("backup"), "b.txt", store=store)
    events.update_event(EV0, store=store, note="checked", category="other")
    payload = store_backup.export_bytes(store)
    with pytest.raises(StoreError, match="empty store"):
        store_backup.import_bytes(store, payload)
    target = open_store(create_store_engine(f"sqlite:///{tmp_path / 'restored.sqlite'}"), events.seed_articles)
    counts = store_backup.import_bytes(target, payload)
    assert counts["articles"] == 6 and counts["corrections"] == 1
    assert events.events_csv(target) == events.events_csv(store)
    pd.testing.assert_frame_equal(events.history(store=target).drop(columns="changed_at"),
                                  events.history(store=store).drop(columns="changed_at"))
    for article_id in store.article_ids():
        assert target.article(article_id) == store.article(article_id)


@pytest.mark.parametrize("payload", [b"", b"\x89PNG\r\n", b'{"format": "other"}', b'{"format": "eventlens-store", '
                                     b'"format_version": 1, "articles": []}'])
def test_a_file_that_is_not_a_backup_is_refused_and_restores_nothing(store_url: str, payload: bytes) -> None:
    store = fresh(store_url)
    before = events.events_csv(store)
    with pytest.raises(StoreError, match="backup"):
        store_backup.import_bytes(store, payload)
    assert events.events_csv(store) == before


def test_a_store_at_an_older_schema_is_upgraded_with_its_rows(store_url: str) -> None:
    from eventlens.store.migrations_runner import upgrade

    engine = create_store_engine(store_url)
    old_events = sa.Table("events", sa.MetaData(), *[c._copy() for c in schema.events.columns if c.name != "version"])
    now = pd.Timestamp.now("UTC").to_pydatetime()
    with engine.begin() as conn:
        upgrade(conn, "0001")
        conn.execute(schema.articles.insert().values(
            article_id="000_aaaaaaaaaaaaaaaa", sha256="f00d", filename="old.txt", encoding="utf-8", title="Old",
            raw=b"On Friday Tesla said it would store data in China.", source="Reuters", origin="upload",
            added_at=now))
        conn.execute(old_events.insert().values(
            event_id="ev_000_aaaaaaaaaaaaaaaa", event_date=pd.Timestamp("2022-03-04").date(),
            trading_date=pd.Timestamp("2022-03-04").date(), date_confidence=None, date_label="analyst",
            date_evidence="set by hand", category="other", direction="neutral", summary="Old", origin="analyst",
            corrected="event_date", updated_at=now))
        conn.execute(schema.event_articles.insert().values(event_id="ev_000_aaaaaaaaaaaaaaaa",
                                                           article_id="000_aaaaaaaaaaaaaaaa", is_primary=True))
    store = open_store(engine, events.seed_articles)
    assert store.schema_revision() == HEAD
    frame = events.load_events(store).set_index("event_id")
    kept = frame.loc["ev_000_aaaaaaaaaaaaaaaa"]
    assert (kept["origin"], f"{kept['event_date']:%Y-%m-%d}", kept["version"]) == ("analyst", "2022-03-04", 1)
    assert len(frame) == 6  # the seeds were added beside it, nothing rebuilt
    columns = {c["name"] for c in sa.inspect(engine).get_columns("events")}
    assert columns == {c.name for c in schema.events.columns}


def test_cli_history_export_and_import(store_url: str, tmp_path: Path, capsys) -> None:
    assert cli.main(["events", "--history"]) == 0
    assert capsys.readouterr().out.startswith("correction_id,event_id")
    events.update_event(EV0, note="by CLI test", category="other")
    assert cli.main(["events", "--history"]) == 0
    assert "data_localisation,other,by CLI test" in capsys.readouterr().out
    backup_file = tmp_path / "store.json"
    assert cli.main(["export", "--store", str(backup_file)]) == 0
    capsys.readouterr()
    assert cli.main(["import", str(backup_file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "empty store" in err and err.count("\n") == 1


def test_sqlite_store_keeps_its_file_mode_across_writes(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "state" / "eventlens.sqlite"
    store = fresh(f"sqlite:///{path}")
    os.chmod(path, 0o644)
    events.update_event(EV0, store=store, category="other")
    events.add_article(article_text("mode"), "m.txt", store=store)
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_a_corrupt_sqlite_file_is_reported_and_left_as_it_is(data_dir: Path, tmp_path: Path, capsys,
                                                             monkeypatch) -> None:
    path = tmp_path / "broken.sqlite"
    garbage = b"SQLite format 3\x00" + os.urandom(4096)
    path.write_bytes(garbage)
    with pytest.raises(StoreUnavailable, match="not a readable database"):
        fresh(f"sqlite:///{path}")
    monkeypatch.setenv("EVENTLENS_DB_URL", f"sqlite:///{path}")
    events._STORES.clear()
    assert cli.main(["events"]) == 2
    err = capsys.readouterr().err
    assert "not a readable database" in err and err.count("\n") == 1
    assert path.read_bytes() == garbage


def test_a_read_only_store_can_be_read_but_refuses_writes(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite"
    fresh(f"sqlite:///{path}")
    before = path.read_bytes()
    reader = open_store(create_store_engine(f"sqlite:///file:{path}?mode=ro&uri=true"))
    assert len(events.load_events(reader)) == 5
    with pytest.raises(StoreUnavailable, match="read-only"):
        events.update_event(EV0, store=reader, category="other")
    assert path.read_bytes() == before


def test_postgres_wrong_password_and_unreachable_server_are_one_sentence(data_dir: Path, postgres) -> None:
    with pytest.raises(StoreUnavailable, match="refused the store's credentials") as caught:
        fresh(postgres.url(password="wrong"))
    assert "wrong" not in str(caught.value)  # never the password
    port = postgres.port + 1 if postgres.port < 65000 else postgres.port - 1
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        fresh(f"postgresql+psycopg://postgres:x@127.0.0.1:{port}/postgres")
