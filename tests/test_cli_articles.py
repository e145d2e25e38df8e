"""``python -m eventlens events|date|add``: output, encodings, and refusals that change nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eventlens import cli, events

REPO = Path(__file__).resolve().parent.parent
SEED_001 = next((REPO / "seeds").glob("001_*.txt"))


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "EVENTLENS_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "eventlens", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=120)


def test_events_prints_the_store_as_csv(data_dir: Path) -> None:
    proc = run(["events"], data_dir)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 5
    by_id = {r["article_id"]: r for r in rows}
    assert by_id["004_c485fdf8a973a645"]["trading_date"] == "2021-03-22"
    assert by_id["003_06b5e2fcc9eab559"]["origin"] == "curated"


def test_date_prints_json(data_dir: Path) -> None:
    proc = run(["date", str(SEED_001)], data_dir)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["event_date"] == "2021-05-06" and out["trading_date"] == "2021-05-06"
    assert 0 < out["confidence"] <= 1 and out["label"] in ("medium", "high")
    assert any(e["kind"] == "price" for e in out["evidence"]) and out["alternatives"]


def test_date_of_undated_article_is_null(data_dir: Path, tmp_path: Path, capsys) -> None:
    f = tmp_path / "plain.txt"
    f.write_text("Tesla makes electric cars.")
    assert cli.main(["date", str(f)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["event_date"] is None and out["trading_date"] is None and out["label"] == "undated"


BAD = {
    "empty.txt": b"",
    "blank.txt": b" \n\t\r\n  ",
    "nul.txt": b"Tesla\x00news",
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "big.txt": b"Tesla news. " * 90_000,  # 1,080,000 bytes
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_exit_2_one_line_nothing_changed(data_dir: Path, tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_bytes(BAD[name])
    before = snapshot(data_dir)
    for command in ("add", "date"):
        proc = run([command, str(f)], data_dir)
        assert proc.returncode == 2
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in proc.stderr
        assert proc.stdout == ""
    assert snapshot(data_dir) == before


def test_missing_file_is_refused(data_dir: Path, tmp_path: Path, capsys) -> None:
    assert cli.main(["add", str(tmp_path / "nope.txt")]) == 2
    assert "not a readable file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("payload", "encoding"),
    [
        ("\ufeffTesla’s news: on Tuesday, May 25, 2021, café".encode(), "utf-8-sig"),
        ("Tesla’s news: on Tuesday, May 25, 2021, café".encode("utf-16"), "utf-16-le (BOM)"),
        ("Tesla’s news: on Tuesday, May 25, 2021, café".encode("cp1252"), "windows-1252"),
    ],
)
def test_add_decodes_and_records_encoding(data_dir: Path, tmp_path: Path, capsys, payload: bytes,
                                          encoding: str) -> None:
    f = tmp_path / "new.txt"
    f.write_bytes(payload)
    assert cli.main(["add", str(f)]) == 0
    out = capsys.readouterr().out
    assert f"({encoding})" in out and "event date 2021-05-25" in out
    store = events.default_store()
    added = [a for a in store.article_ids() if a.startswith("005_")]
    assert len(added) == 1 and store.article(added[0])[0] == payload
    assert cli.main(["events"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    new = rows[-1]
    assert new["encoding"] == encoding and new["title"].startswith("Tesla’s news")
    assert cli.main(["add", str(f)]) == 2  # the same bytes again
    assert "already stored" in capsys.readouterr().err


def test_html_is_kept_as_text(data_dir: Path, tmp_path: Path, capsys) -> None:
    f = tmp_path / "x.md"
    f.write_text("<h1>Tesla</h1><script>alert('x')</script> said on Friday it will store data in China.")
    assert cli.main(["add", str(f)]) == 0
    capsys.readouterr()
    cli.main(["events"])
    assert "<script>alert('x')</script>" in capsys.readouterr().out
