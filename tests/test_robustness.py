"""Hostile and broken input at every entry point: a clear message, no traceback, nothing lost.

Each table below is one entry point (the ``python -m eventlens`` commands in a
subprocess, the upload, URL parameters, a hand-broken ``data/events.csv``, a
corrupt price cache, yfinance misbehaving, a weekend or holiday date). Every
case checks the message the user sees, the exit code where it is a command,
and that ``data/events.csv`` and ``data/articles/`` are byte-identical after a
refused or failed write. The last tests run two writers at once.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yfinance

from eventlens import events
from tests.rendered import as_read
from tests.yf_fakes import empty_download, yf_download_frame

REPO = Path(__file__).resolve().parent.parent
SEED = next((REPO / "seeds").glob("001_*.txt"))

# --- helpers ---


def store_state(data: Path) -> dict[str, str]:
    """Everything a write may change: every event, every correction and every stored article's bytes."""
    store = events.default_store()
    articles = {a: hashlib.sha256(store.article(a)[0]).hexdigest() for a in store.article_ids()}
    return {"events": events.events_csv(store), "articles": repr(sorted(articles.items())),
            "history": events.history(store=store).drop(columns="changed_at").to_csv()}


def store_file() -> Path:
    return Path(os.environ["EVENTLENS_STATE_DIR"]) / "eventlens.sqlite"


def leftovers(data: Path) -> list[str]:
    """Temporary files a failed atomic write would leave behind."""
    return [str(p) for p in data.rglob("*.tmp")]


def article_text(token: str, when: str = "March 3, 2022") -> str:
    """A plain, unique article (unique so the duplicate check never interferes)."""
    return textwrap.dedent(f"""\
        Tesla answers Beijing on car data ({token})

        SHANGHAI, {when} - Tesla said its cars sold in China keep their data in China, after regulators
        tightened the rules on cross-border data transfer for carmakers. Reference {token}.
        """)


def run_cli(args: list[str], data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "EVENTLENS_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "eventlens", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=180)


def assert_clear_refusal(proc: subprocess.CompletedProcess, needle: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert needle.lower() in lines[0].lower(), lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout


def messages(at) -> str:
    """Every message element a page showed, as one string, read as the page shows it (escapes resolved)."""
    return as_read(" | ".join(m.value for kind in ("error", "warning", "info", "success") for m in getattr(at, kind)))


def assert_no_traceback(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert "Traceback" not in messages(at)


# --- a broken store file (the default SQLite store) ---


def _garbage(data: Path) -> None:
    store_file().parent.mkdir(parents=True, exist_ok=True)
    store_file().write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe" * 50)


def _truncated(data: Path) -> None:
    events.default_store()
    events._STORES.clear()
    payload = store_file().read_bytes()
    store_file().write_bytes(payload[: len(payload) // 2])  # cut mid-way, as a failed copy would


def _newer_schema(data: Path) -> None:
    import sqlalchemy as sa

    store = events.default_store()
    events._STORES.clear()
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    store.engine.dispose()


BROKEN_STORES = [
    pytest.param(_garbage, "not a readable database", id="binary-garbage"),
    pytest.param(_truncated, "not a readable database", id="truncated"),
    pytest.param(_newer_schema, "newer EventLens", id="newer-schema"),
]


# --- 1. the commands ---


def _write(name: str, payload: bytes) -> Callable[[Path, Path], str]:
    def make(data: Path, tmp: Path) -> str:
        path = tmp / name
        path.write_bytes(payload)
        return str(path)

    return make


CLI_REFUSALS = [
    # (args built from (data, tmp), needle)
    pytest.param(lambda d, t: ["add", str(t / "nowhere.txt")], "is not a readable file", id="add-missing-file"),
    pytest.param(lambda d, t: ["add", _write("pic.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)(d, t)],
                 "not a plain-text article", id="add-binary"),
    pytest.param(lambda d, t: ["add", _write("empty.txt", b"  \n\t\n")(d, t)], "is empty", id="add-empty"),
    pytest.param(lambda d, t: ["add", _write("nul.txt", b"Tesla\x00China\x00data " * 20)(d, t)], "NUL",
                 id="add-nul-bytes"),
    pytest.param(lambda d, t: ["add", _write("huge.txt", b"Tesla China data. " * 60_000)(d, t)], "1 MB",
                 id="add-over-1MB"),
    pytest.param(lambda d, t: ["add", _write("notes.pdf", article_text("pdf-suffix").encode())(d, t)],
                 "only .txt and .md", id="add-wrong-suffix"),
    pytest.param(lambda d, t: ["add", _write("notes.csv", article_text("csv-suffix").encode())(d, t)],
                 "'text' column", id="add-csv-without-text-column"),
    pytest.param(lambda d, t: ["add", _write("again.txt", SEED.read_bytes())(d, t)], "already stored",
                 id="add-duplicate"),
    pytest.param(lambda d, t: ["date", _write("pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")(d, t)],
                 "not a plain-text article", id="date-pdf"),
    pytest.param(lambda d, t: ["study", "--ticker", "NOPE"], "NOPE", id="study-unknown-ticker"),
    pytest.param(lambda d, t: ["study", "--ticker", "../../etc"], "not a valid ticker", id="study-path-ticker"),
    pytest.param(lambda d, t: ["study", "--date", "2031-01-02"], "2031-01-02", id="study-date-after-data"),
    pytest.param(lambda d, t: ["study", "--date", "yesterday-ish"], "yesterday-ish", id="study-date-garbage"),
    pytest.param(lambda d, t: ["study", "--window", "5", "-5"], "window", id="study-window-reversed"),
    pytest.param(lambda d, t: ["study", "--events", "ev_nope"], "ev_nope", id="study-unknown-event"),
    pytest.param(lambda d, t: ["export", "--out", _write("a_file", b"x")(d, t)], "cannot write",
                 id="export-out-is-a-file"),
]


@pytest.mark.parametrize(("make_args", "needle"), CLI_REFUSALS)
def test_command_refuses_with_one_line_and_exit_2(data_dir, no_network, tmp_path, make_args, needle):
    args = make_args(data_dir, tmp_path)
    before = store_state(data_dir)
    proc = run_cli(args, data_dir)
    assert_clear_refusal(proc, needle)
    assert store_state(data_dir) == before
    assert leftovers(data_dir) == []


@pytest.mark.parametrize(("break_store", "needle"), BROKEN_STORES)
@pytest.mark.parametrize("command", ["events", "add", "study", "export"])
def test_commands_on_a_broken_store_refuse_and_keep_it(data_dir, tmp_path, break_store, needle, command):
    break_store(data_dir)
    before = store_file().read_bytes()
    args = {"events": ["events"], "study": ["study"], "export": ["export", "--out", str(tmp_path / "out")],
            "add": ["add", _write("new.txt", article_text(uuid.uuid4().hex).encode())(data_dir, tmp_path)]}[command]
    proc = run_cli(args, data_dir)
    assert_clear_refusal(proc, needle)
    assert store_file().read_bytes() == before


def test_commands_with_a_corrupt_price_cache_fall_back_and_say_so(data_dir):
    cache = data_dir / "cache"
    cache.mkdir()
    (cache / "TSLA.csv").write_bytes(b"Date,Open\n2024-01-02,abc\n\x00\x01garbage")
    proc = run_cli(["study", "--date", "2024-04-29", "--window", "0", "0"], data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "set aside" in proc.stderr  # the user is told the cache was bad and what was done with it
    table = pd.read_csv(io.StringIO(proc.stdout))
    assert len(table) == 1 and np.isfinite(table["car"].iloc[0])
    assert list(cache.glob("TSLA.csv.corrupt-*"))


# --- 2. weekend and holiday dates ---

SESSIONS = pd.DatetimeIndex(pd.read_csv(REPO / "data" / "prices" / "TSLA.csv", usecols=["Date"])["Date"])


def next_session(day: str) -> str:
    return f"{SESSIONS[SESSIONS.searchsorted(pd.Timestamp(day))]:%Y-%m-%d}"


@pytest.mark.parametrize("day", ["2021-03-20", "2021-07-05", "2022-12-25", "2024-03-29"],
                         ids=["saturday", "independence-day-observed", "christmas-sunday", "good-friday"])
def test_study_maps_a_non_session_forward_and_says_so(data_dir, day):
    assert pd.Timestamp(day) not in SESSIONS  # the premise: no trading that day
    proc = run_cli(["study", "--date", day, "--window", "0", "0"], data_dir)
    assert proc.returncode == 0, proc.stderr
    nxt = next_session(day)
    assert day in proc.stderr and nxt in proc.stderr, proc.stderr
    table = pd.read_csv(io.StringIO(proc.stdout))
    assert table["trading_date"].tolist() == [nxt]


@pytest.mark.parametrize("day", ["2021-03-20", "2021-07-05"])
def test_correcting_an_event_to_a_non_session_moves_its_trading_day(data_dir, day):
    row = events.update_event(events.load_events()["event_id"].iloc[0], event_date=day)
    assert f"{row['event_date']:%Y-%m-%d}" == day
    assert f"{row['trading_date']:%Y-%m-%d}" == next_session(day)


# --- 3. URL parameters ---

URL_CASES = [
    pytest.param("pages/overview.py", {"ticker": "NOPE"}, "ticker=NOPE", id="overview-unknown-ticker"),
    pytest.param("pages/overview.py", {"ticker": "<script>alert(1)</script>"}, "ticker=", id="overview-script"),
    pytest.param("pages/overview.py", {"start": "2022-13-45"}, "start=2022-13-45", id="overview-bad-date"),
    pytest.param("pages/overview.py", {"start": "1999-01-04"}, "outside the data", id="overview-date-outside"),
    pytest.param("pages/overview.py", {"start": "2023-01-01", "end": "2022-01-01"}, "not before end",
                 id="overview-reversed-range"),
    pytest.param("pages/overview.py", {"peers": "NIO,,ZZZZ"}, "peers=", id="overview-bad-peer"),
    pytest.param("pages/overview.py", {"start": "x" * 5000}, "…", id="overview-huge-value"),
    pytest.param("pages/timeline.py", {"event": "ev_does_not_exist"}, "no event with that id", id="timeline-event"),
    pytest.param("pages/event_study.py", {"model": "magic"}, "model=magic", id="study-model"),
    pytest.param("pages/event_study.py", {"windows": "5,-5"}, "windows=5,-5", id="study-windows"),
    pytest.param("pages/event_study.py", {"benchmark": "%00%ff"}, "benchmark=", id="study-benchmark-junk"),
]


@pytest.mark.parametrize(("page", "params", "needle"), URL_CASES)
def test_bad_url_parameter_falls_back_with_a_notice(app, page, params, needle):
    app.switch_page(page)
    app.query_params.update(params)
    at = app.run()
    assert_no_traceback(at)
    assert not at.error, [e.value for e in at.error]
    notices = [i.value for i in at.info]
    hits = [n for n in notices if needle in as_read(n)]
    assert hits and all("\n" not in n for n in hits), notices
    assert all(len(n) < 400 for n in hits)  # a huge value is shortened, not echoed


# --- 4. a hand-broken store, in every page ---

PAGES = ["pages/overview.py", "pages/timeline.py", "pages/event_study.py", "pages/articles.py", "pages/data.py"]


@pytest.mark.parametrize(("break_store", "needle"), BROKEN_STORES)
@pytest.mark.parametrize("page", PAGES)
def test_pages_with_a_broken_store_say_so_show_the_seeds_and_keep_it(app, data_dir, page, break_store, needle):
    break_store(data_dir)
    before = store_file().read_bytes()
    app.switch_page(page)
    at = app.run()
    assert_no_traceback(at)
    assert needle in messages(at) and "read-only" in messages(at), messages(at)
    assert store_file().read_bytes() == before


# --- 5. a corrupt price cache, in every page that draws prices ---

CORRUPT_CACHES = [
    pytest.param(b"not,a,price,file\n1,2,3,4\n", id="wrong-columns"),
    pytest.param(b"Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-03,1,1,1,1,1,1\n2024-01-02,1,1,1,1,1,1\n",
                 id="unordered-dates"),
    pytest.param(b"Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,1,1,-5,1,1\n", id="negative-close"),
    pytest.param(b"\xff\xfe\x00\x00\x89PNG garbage \x00\x01\x02", id="binary"),
    pytest.param(b"", id="empty-file"),
]


@pytest.mark.parametrize("payload", CORRUPT_CACHES)
@pytest.mark.parametrize("page", ["pages/overview.py", "pages/timeline.py", "pages/data.py"])
def test_pages_with_a_corrupt_cache_use_the_snapshot_and_say_so(app, data_dir, page, payload):
    (data_dir / "cache").mkdir()
    (data_dir / "cache" / "TSLA.csv").write_bytes(payload)
    app.switch_page(page)
    at = app.run()
    assert_no_traceback(at)
    assert not at.error, [e.value for e in at.error]
    assert "set aside" in messages(at)
    assert "offline snapshot" in " ".join(c.value for c in at.caption)
    assert list((data_dir / "cache").glob("TSLA.csv.corrupt-*"))


# --- 6. yfinance misbehaving, through the Data page's refresh ---


def _frame(ticker: str, **kwargs) -> pd.DataFrame:
    return yf_download_frame(ticker, "2020-01-01", "2025-01-01")


def _raise(exc: Exception):
    def fake(tickers, *args, **kwargs):
        raise exc

    return fake


def _returns(build: Callable[[str], pd.DataFrame | None]):
    return lambda tickers, *args, **kwargs: build(tickers)


def _flat_without_close(t: str) -> pd.DataFrame:
    frame = _frame(t)
    frame.columns = frame.columns.get_level_values(0)
    return frame.drop(columns=["Close"])


def _other_ticker(t: str) -> pd.DataFrame:
    return _frame("NIO")


def _all_nan(t: str) -> pd.DataFrame:
    frame = _frame(t)
    return frame * np.nan


def _negative(t: str) -> pd.DataFrame:
    frame = _frame(t)
    frame[("Close", t)] = -frame[("Close", t)]
    return frame


def _duplicated_dates(t: str) -> pd.DataFrame:
    frame = _frame(t)
    return pd.concat([frame, frame.iloc[-5:]])


def _strings(t: str) -> pd.DataFrame:
    frame = _frame(t).astype(str)
    frame[:] = "n/a"
    return frame


def _history_shape(t: str) -> pd.DataFrame:
    """``Ticker.history``'s shape (flat columns, tz-aware index): understood, then refused only as stale.

    Reaching the span check proves the shape was parsed; the snapshot ends in
    2024, so an honest answer from it cannot reach today.
    """
    frame = _frame(t)
    frame.columns = frame.columns.get_level_values(0)
    frame.index = frame.index.tz_localize("America/New_York")
    return frame


def _partial(t: str) -> pd.DataFrame:
    return _frame(t).iloc[-30:]


def _no_index(t: str) -> pd.DataFrame:
    return _frame(t).reset_index(drop=True)


YF_FAILURES = [
    pytest.param(_raise(ConnectionError("Failed to resolve 'query2.finance.yahoo.com'")), "could not be reached",
                 id="raises-connection"),
    pytest.param(_raise(RuntimeError("Too Many Requests. Rate limited. Try after a while.")), "limiting requests",
                 id="raises-rate-limit"),
    pytest.param(_raise(KeyError("chart")), "answer could not be read", id="raises-keyerror"),
    pytest.param(_returns(empty_download), "no rows", id="empty"),
    pytest.param(_returns(lambda t: None), "no rows", id="none"),
    pytest.param(_returns(_partial), "partial span", id="partial-span"),
    pytest.param(_returns(_flat_without_close), "lacks the column(s) Close", id="flat-missing-close"),
    pytest.param(_returns(_other_ticker), "no columns for TSLA", id="other-ticker"),
    pytest.param(_returns(_all_nan), "only empty rows", id="all-nan"),
    pytest.param(_returns(_negative), "non-positive", id="negative-close"),
    pytest.param(_returns(_duplicated_dates), "duplicated or unordered", id="duplicated-dates"),
    pytest.param(_returns(_strings), "no price rows", id="strings"),
    pytest.param(_returns(_history_shape), "only up to 2024-12-31, a partial span", id="flat-tz-aware-but-stale"),
    pytest.param(_returns(_no_index), "no date index", id="no-date-index"),
    pytest.param(_returns(lambda t: pd.DataFrame({"x": [1, 2]})), "lacks the column(s)", id="odd-shape"),
]


@pytest.mark.parametrize(("fake", "needle"), YF_FAILURES)
def test_data_refresh_with_yfinance_misbehaving_keeps_the_snapshot(app, data_dir, monkeypatch, fake, needle):
    monkeypatch.setattr(yfinance, "download", fake)
    app.switch_page("pages/data.py")
    at = app.run()
    at.button(key="data_refresh").click().run()
    assert_no_traceback(at)
    assert not at.error, [e.value for e in at.error]
    warnings = [as_read(w.value) for w in at.warning]
    assert any("refresh failed" in w and needle in w and "offline snapshot" in w for w in warnings), warnings
    # the app's sentence, not the library's words (they go to the server log)
    assert not any(words in " ".join(warnings) for words in ("Failed to resolve", "KeyError", "Rate limited"))
    assert not (data_dir / "cache" / "TSLA.csv").exists()  # nothing bad was cached
    sources = at.dataframe[0].value.set_index("Ticker")
    assert sources.loc["TSLA", "Last date"] == "2024-12-31"


# --- 7. the upload ---

UPLOADS = [
    pytest.param("pic.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "not a plain-text article", id="png"),
    pytest.param("zip.md", b"PK\x03\x04" + bytes(range(256)) * 4, "not a plain-text article", id="zip"),
    pytest.param("empty.txt", b"", "empty", id="empty"),
    pytest.param("blank.txt", b"\n\n   \r\n", "empty", id="whitespace"),
    pytest.param("nul.txt", b"Tesla\x00China\x00" * 50, "NUL", id="nul"),
    pytest.param("big.txt", b"Tesla China data. " * 60_000, "1 MB", id="over-1MB"),
    pytest.param("bad.txt", b"\xff\xfe\x00\xd8\x41\x00" * 5, "byte-order mark", id="broken-utf16"),
    pytest.param("seed.txt", SEED.read_bytes(), "already stored", id="duplicate"),
]


def _upload_tab(app):
    """The Articles page with its 'Add an article' tab open, as a user would click it."""
    app.switch_page("pages/articles.py")
    at = app.run()
    at.session_state["art_tab"] = "Add an article"
    return at.run()


@pytest.mark.parametrize(("name", "payload", "needle"), UPLOADS)
def test_bad_upload_is_refused_with_a_message_and_changes_nothing(app, data_dir, name, payload, needle):
    at = _upload_tab(app)
    before = store_state(data_dir)
    at.file_uploader(key="art_upload").set_value((name, payload, "text/plain")).run()
    assert_no_traceback(at)
    assert needle in messages(at), messages(at)
    assert store_state(data_dir) == before


def test_upload_on_a_broken_store_is_refused_and_keeps_it(app, data_dir):
    _truncated(data_dir)
    before = store_file().read_bytes()
    at = _upload_tab(app)
    assert "not a readable database" in messages(at)
    at.file_uploader(key="art_upload").set_value(("new.txt", article_text(uuid.uuid4().hex).encode(), "text/plain"))
    at.run()
    assert_no_traceback(at)
    assert "was not saved" in messages(at), messages(at)
    assert store_file().read_bytes() == before


# --- 8. a write that fails midway (after its rows went in) leaves the store as it was ---


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


FAIL_AT = "eventlens.store.repository.Store.bump_revision"  # the last statement of every write transaction


WRITES = [
    pytest.param(lambda: events.add_article(article_text(uuid.uuid4().hex).encode(), "new.txt"), id="add"),
    pytest.param(lambda: events.update_event(events.load_events()["event_id"].iloc[0], category="mapping_fsd"),
                 id="update"),
    pytest.param(lambda: events.apply_edits(events.load_events().assign(direction="easing")), id="apply-edits"),
]


@pytest.mark.parametrize("write", WRITES)
def test_a_write_that_fails_midway_leaves_the_store_as_it_was(data_dir, monkeypatch, write):
    before = store_state(data_dir)
    with monkeypatch.context() as patched:  # undo only this patch (undo() would also drop data_dir's settings)
        patched.setattr(FAIL_AT, _disk_full)
        with pytest.raises(OSError, match="No space left"):
            write()
    assert store_state(data_dir) == before
    assert leftovers(data_dir) == []
    events.load_events()  # still readable


def test_cli_add_on_a_full_disk_says_so_and_changes_nothing(data_dir, tmp_path, monkeypatch, capsys):
    from eventlens import cli

    path = tmp_path / "new.txt"
    path.write_text(article_text(uuid.uuid4().hex))
    before = store_state(data_dir)
    with monkeypatch.context() as patched:
        patched.setattr(FAIL_AT, _disk_full)
        code = cli.main(["add", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "No space left on device" in err and "nothing was changed" in err
    assert store_state(data_dir) == before and leftovers(data_dir) == []


def test_upload_on_a_full_disk_says_so_and_changes_nothing(app, data_dir, monkeypatch):
    at = _upload_tab(app)
    before = store_state(data_dir)
    with monkeypatch.context() as patched:
        patched.setattr(FAIL_AT, _disk_full)
        at.file_uploader(key="art_upload").set_value(("new.txt", article_text(uuid.uuid4().hex).encode(),
                                                      "text/plain"))
        at.run()
    assert_no_traceback(at)
    assert "No space left on device" in messages(at)
    assert store_state(data_dir) == before and leftovers(data_dir) == []


# --- 9. two writers at once ---

WRITER = textwrap.dedent("""\
    import sys, time
    from eventlens import events
    start, role = float(sys.argv[1]), sys.argv[2]
    while time.time() < start:
        time.sleep(0.001)
    if role == "add":
        for path in sys.argv[3:]:
            events.add_article(open(path, "rb").read(), path.rsplit("/", 1)[-1])
    else:
        for pair in sys.argv[3:]:
            event_id, category = pair.split("=")
            events.update_event(event_id, category=category)
    print("done")
    """)


def _writer(data: Path, start: float, role: str, args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "EVENTLENS_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(start), role, *args], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_adding_and_editing_at_once_keep_every_change(data_dir, tmp_path):
    import time

    store = events.load_events()
    ids = list(store["event_id"])
    files_a, files_b = [], []
    days = iter(["March 1, 2022", "March 2, 2022", "March 3, 2022", "March 4, 2022", "March 7, 2022",
                 "March 8, 2022"])  # six different days: six stories, never grouped as one
    for i in range(3):
        for files, who in ((files_a, "a"), (files_b, "b")):
            path = tmp_path / f"{who}{i}.txt"
            path.write_text(article_text(f"{who}{i}-{uuid.uuid4().hex}", next(days)))
            files.append(str(path))
    edits = {ids[0]: "mapping_fsd", ids[1]: "cross_border_transfer", ids[2]: "government_restriction"}
    edits = {k: v for k, v in edits.items() if store.set_index("event_id").at[k, "category"] != v} or edits
    start = time.time() + 4  # both interpreters are up and waiting by then
    procs = [
        _writer(data_dir, start, "add", files_a),
        _writer(data_dir, start, "add", files_b),
        _writer(data_dir, start, "edit", [f"{k}={v}" for k, v in edits.items()]),
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0 and out.strip() == "done", err
    after = events.load_events()  # parses and passes every check of the store
    assert len(after) == len(store) + 6
    assert after["event_id"].is_unique
    assert len(events.default_store().article_ids()) == len(store) + 6
    got = after.set_index("event_id")
    for event_id, category in edits.items():
        assert got.at[event_id, "category"] == category and got.at[event_id, "origin"] == "analyst"
    assert leftovers(data_dir) == []
