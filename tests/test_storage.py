"""Atomic writes: a failed write leaves the old bytes; concurrent writers serialise."""

import threading

import pytest

from eventlens import storage


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "store.csv"
    target.write_bytes(b"old\n")
    storage.atomic_write_text(target, "new\n")
    assert target.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["store.csv"]


def test_failed_write_leaves_old_bytes_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "store.csv"
    target.write_bytes(b"precious\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        storage.atomic_write_text(target, "half")
    assert target.read_bytes() == b"precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["store.csv"]


def test_lock_serialises_read_modify_write(tmp_path):
    target = tmp_path / "counter.txt"
    target.write_text("0")

    def bump():
        for _ in range(50):
            with storage.locked(target):
                value = int(target.read_text())
                storage.atomic_write_text(target, str(value + 1))

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_text() == "200"
