"""The seeds' kept rows (data/seed_events.json): what the engine computes now, used only for unchanged inputs."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from eventlens import events, seed_events
from eventlens.news import parse_article


def test_kept_seed_rows_are_what_the_engine_computes_now(data_dir):
    kept = seed_events.kept_rows()
    files = seed_events.seed_files()
    assert len(files) == 5 and len(kept) == 5
    for file, payload, fresh in seed_events.fresh_rows():
        digest = seed_events.digests([payload])[0]
        assert digest in kept, f"{file.name}: no kept row for these inputs; run `make seed-events`"
        assert kept[digest] == fresh, f"{file.name}: the kept row is not what the engine computes now; " \
                                      "run `make seed-events`"
        assert isinstance(kept[digest]["trading_date"], pd.Timestamp)


def test_a_new_store_takes_the_kept_rows_without_dating(data_dir, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a seed was dated although its row is kept")

    monkeypatch.setattr(events, "new_article", refuse)
    items = list(events.seed_articles())
    assert [i.filename for i in items] == [f.name for f in seed_events.seed_files()]
    for item, file in zip(items, seed_events.seed_files(), strict=True):
        assert item.raw == file.read_bytes() and item.origin == "seed"
        assert item.event == parse_and_row(item.raw, file)


def parse_and_row(payload: bytes, file) -> dict:
    return events.event_row(parse_article(payload, file.stem, name=file.name))


def test_a_changed_input_dates_the_seeds_afresh(data_dir, monkeypatch):
    # A curated calendar with one more line: every digest changes, so no kept row is used.
    calendar = data_dir / "known_events.csv"
    calendar.write_bytes(calendar.read_bytes() + b"\n")
    calls = []
    real = events.new_article
    monkeypatch.setattr(events, "new_article", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    items = list(events.seed_articles())
    assert sorted(calls) == [f.name for f in seed_events.seed_files()]
    assert all(i.event == parse_and_row(i.raw, f) for i, f in zip(items, seed_events.seed_files(), strict=True))


def test_a_changed_seed_is_dated_afresh_and_the_others_kept(data_dir, tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    shutil.copytree(seed_events.seed_files()[0].parent, seeds)
    first = sorted(seeds.iterdir())[0]
    first.write_bytes(first.read_bytes() + b"\nA line the kept row never saw.\n")
    monkeypatch.setenv("EVENTLENS_SEEDS_DIR", str(seeds))
    calls = []
    real = events.new_article
    monkeypatch.setattr(events, "new_article", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    items = list(events.seed_articles())
    assert calls == [first.name] and len(items) == 5
    assert items[0].event == parse_and_row(items[0].raw, first)


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"rows": [{"digest": 1}]}', b"\xff\xfe"])
def test_an_unreadable_file_costs_only_the_dating(data_dir, content):
    seed_events.path().write_bytes(content)
    assert seed_events.kept_rows() == {}
    items = list(events.seed_articles())
    assert len(items) == 5
    assert all(i.event == parse_and_row(i.raw, f) for i, f in zip(items, seed_events.seed_files(), strict=True))
