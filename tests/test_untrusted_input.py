"""Issue 13's hostile inputs, each at the entry point it came through: shared links, uploads, CLI paths, study sizes.

Every test here failed before the change it names (checked on the commit before it) and passes after.
What the browser finally draws from the same inputs is checked in tests/e2e/test_hostile_text.py.
"""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from eventlens import cli, events
from eventlens.paths import REPO_ROOT

# Streamlit's markdown finds these in the text *after* CommonMark's backslash escapes are resolved.
LIVE = re.compile(r"https?://|www\.|[\w.+-]+@[\w-]+\.|:material/|:streamlit:|:[a-z]+\[|:[a-z0-9_+-]+:", re.IGNORECASE)
PIXEL = "![a](http://127.0.0.1:9/pixel.png)"


def resolved(source: str) -> str:
    """Markdown source with CommonMark's backslash escapes and entities resolved (invisible characters kept)."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source))


def live_markup(source: str) -> list[str]:
    """What Streamlit would still turn into a link, image, icon, emoji or colour in this markdown source."""
    found = LIVE.findall(resolved(source))
    found += re.findall(r"(?<!\\)!\[|(?<!\\)\]\(|(?<!\\)\$|<[a-z!/]", source, flags=re.IGNORECASE)
    return found


def run_cli(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "EVENTLENS_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "eventlens", *args], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def store_bytes(data_dir: Path) -> bytes:
    """The store's content as text: its events, its articles and its corrections (what a refusal must not change)."""
    store = events.default_store()
    return "\n".join([events.events_csv(store), ",".join(sorted(store.article_ids())),
                      events.history_csv(store)]).encode()


# --- a shared link can make a viewer's browser fetch a third-party URL -----------------------------------------


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/timeline.py", "pages/event_study.py"])
def test_a_link_value_quoted_in_a_notice_is_text_not_an_image(app, page):
    app.switch_page(page)
    app.query_params["event"] = PIXEL
    app.query_params["ticker"] = ":material/warning: :red[alarm] $x^2$ http://evil.example/"
    at = app.run()
    assert not at.exception
    notices = [i.value for i in at.info]
    assert len([n for n in notices if "'event=" in resolved(n) or "'ticker=" in resolved(n)]) == 2, notices
    for notice in notices:
        assert live_markup(notice) == [], notice


# --- a link can take the server down -----------------------------------------------------------------------------


def test_a_link_asking_for_thousands_of_windows_is_refused_naming_the_limit():
    from eventlens import url_state
    from eventlens.url_state import ViewContext

    ctx = ViewContext(["SPY", "TSLA"], pd.Timestamp("2020-01-02"), pd.Timestamp("2024-12-31"), ["E1"])
    many = ";".join(f"0,{k}" for k in range(3000))
    state, notices = url_state.parse_query({"windows": many}, ctx)
    assert state.windows == url_state.DEFAULT_WINDOWS
    assert len(notices) == 1 and "200 characters" in notices[0]
    state, notices = url_state.parse_query({"windows": ";".join(f"0,{k}" for k in range(11))}, ctx)
    assert state.windows == url_state.DEFAULT_WINDOWS
    assert len(notices) == 1 and "at most 10 event windows" in notices[0]
    state, notices = url_state.parse_query({"windows": "0,100000"}, ctx)
    assert state.windows == url_state.DEFAULT_WINDOWS and "250" in notices[0]


def test_a_link_naming_a_comparison_many_times_compares_it_once():
    from eventlens import url_state
    from eventlens.url_state import ViewContext

    ctx = ViewContext(["NIO", "SPY", "TSLA"], pd.Timestamp("2020-01-02"), pd.Timestamp("2024-12-31"))
    state, _ = url_state.parse_query({"peers": ",".join(["NIO"] * 40)}, ctx)
    assert state.peers == ("NIO",)


@pytest.mark.parametrize(("argv", "words"), [
    (["--window", "0", "100000"], "within 250 trading days"),
    (["--estimation", "-1000000", "-11"], "1,000 sessions"),
])
def test_the_cli_refuses_a_study_beyond_the_bounds(data_dir, capsys, argv, words):
    code = cli.main(["study", "--date", "2024-04-29", *argv])
    err = capsys.readouterr().err
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1


def test_the_cli_refuses_too_many_windows_naming_the_limit(data_dir, capsys):
    argv = ["study", "--date", "2024-04-29"]
    for k in range(11):
        argv += ["--window", "0", str(k)]
    assert cli.main(argv) == 2
    assert "at most 10 event windows" in capsys.readouterr().err


# --- the CLI follows a symlink to any file; a file name with a newline breaks the one-line promise ----------------


@pytest.mark.parametrize("command", ["add", "date"])
def test_the_cli_refuses_a_symlink_unless_told_to_follow_it(data_dir, tmp_path, command):
    secret = tmp_path / "secret.txt"
    secret.write_text("On Tuesday, May 25, 2021, Tesla said it would store China data locally. Password: hunter2")
    link = tmp_path / "innocent.txt"
    link.symlink_to(secret)
    before = store_bytes(data_dir)
    proc = run_cli([command, str(link)], data_dir)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "symbolic link" in proc.stderr
    assert "--follow-symlinks" in proc.stderr
    assert store_bytes(data_dir) == before and not (data_dir / "articles").exists()
    followed = run_cli([command, "--follow-symlinks", str(link)], data_dir)
    assert followed.returncode == 0, followed.stderr


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_the_cli_refuses_what_is_not_a_regular_file(data_dir, tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "pipe.txt"
        os.mkfifo(target)  # opening it would block forever
    elif kind == "directory":
        target = tmp_path / "folder.txt"
        target.mkdir()
    else:
        target = Path("/dev/zero")
    proc = run_cli(["add", "--follow-symlinks", str(target)], data_dir)
    # a folder is taken as a folder of articles since issue 16; this one holds none
    needle = "holds no article files" if kind == "directory" else "not a regular file"
    assert proc.returncode == 2 and needle in proc.stdout + proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_every_cli_message_is_one_line_whatever_the_file_name_holds(data_dir, tmp_path):
    name = tmp_path / "evil\nname\x1b[2J\rsecond line.txt"
    name.write_bytes(b"")  # empty: refused, and the refusal quotes the name
    proc = run_cli(["add", str(name)], data_dir)
    assert proc.returncode == 2
    assert len(proc.stderr.strip("\n").split("\n")) == 1 and "\r" not in proc.stderr and "\x1b" not in proc.stderr
    assert "evil\\nname\\x1b[2J\\rsecond line.txt" in proc.stderr


def test_a_file_over_1_mb_is_reported_with_its_real_size(data_dir, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Tesla news. " * 250_000)  # 3,000,000 bytes
    proc = run_cli(["add", str(big)], data_dir)
    assert proc.returncode == 2 and "3,000,000 bytes" in proc.stderr


# --- a date outside the data is silently replaced; repeated dates are dropped without a word -------------------


@pytest.mark.parametrize("day", ["1999-01-01", "2019-12-31"])
def test_a_date_before_the_data_is_an_error_not_the_first_session(data_dir, capsys, day):
    code = cli.main(["study", "--date", day])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert day in err and "before the first session" in err and "2020-01-02" in err


def test_repeated_dates_are_studied_once_and_reported(data_dir, capsys):
    code = cli.main(["study", "--window", "0", "0"] + ["--date", "2024-04-29"] * 10_000 + ["--date", "2024-04-30"])
    out, err = capsys.readouterr()
    assert code == 0
    assert len(pd.read_csv(io.StringIO(out))) == 2
    assert "2024-04-29 was given 10000 times; it is studied once." in err


def test_too_many_event_ids_are_refused_naming_the_limit(data_dir, capsys):
    assert cli.main(["study", "--events", *(f"ev_{k}" for k in range(501))]) == 2
    assert "at most 500 event ids" in capsys.readouterr().err


def test_repeated_event_ids_are_studied_once_and_reported(data_dir, capsys):
    first = events.load_events()["event_id"].iloc[0]
    assert cli.main(["study", "--window", "0", "0", "--events", first, first]) == 0
    assert f"{first} was given 2 times; it is studied once." in capsys.readouterr().err


def test_too_many_dates_are_refused_naming_the_limit(data_dir, capsys):
    days = pd.bdate_range("2023-01-02", periods=101)
    argv = ["study"]
    for day in days:
        argv += ["--date", f"{day:%Y-%m-%d}"]
    assert cli.main(argv) == 2
    assert "at most 100 dates" in capsys.readouterr().err


# --- raw library messages reach users ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2021-01-01T23:59:59+14:00", "2021-01-01 10:00", "2021-01-01Z"])
def test_a_link_date_with_a_time_or_zone_gets_the_apps_sentence(value):
    from eventlens import url_state
    from eventlens.url_state import ViewContext

    ctx = ViewContext(["TSLA"], pd.Timestamp("2020-01-02"), pd.Timestamp("2024-12-31"))
    state, notices = url_state.parse_query({"start": value}, ctx)
    assert state.start == ctx.first_date
    assert len(notices) == 1 and "YYYY-MM-DD" in notices[0]
    assert "tz-" not in notices[0] and "Timestamp" not in notices[0]


def test_a_cli_date_with_a_zone_gets_the_apps_sentence(data_dir, capsys):
    assert cli.main(["study", "--date", "2021-01-01T23:59:59+14:00"]) == 2
    err = capsys.readouterr().err
    assert "YYYY-MM-DD" in err and "tz-" not in err


def test_an_unreadable_store_is_the_apps_sentence_in_the_cli(data_dir, capsys, monkeypatch):
    def broken():
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(events, "load_events", broken)
    assert cli.main(["study"]) == 2
    err = capsys.readouterr().err
    assert "The events store could not be read (Input/output error); use --date YYYY-MM-DD." in err
    assert "Errno" not in err


def test_a_page_failure_shows_the_apps_sentence_not_the_librarys(app, monkeypatch):
    from ui.loaders import events as event_data

    def broken(*args, **kwargs):
        raise TypeError("Cannot compare tz-naive and tz-aware timestamps <img src=x>")

    monkeypatch.setattr(event_data, "event_index", broken)
    at = app.run()
    (error,) = [e.value for e in at.error]
    assert "could not be drawn" in error and "tz-naive" not in error and "<img" not in error


def test_an_upload_over_1_mb_is_refused_with_its_real_size(data_dir):
    with pytest.raises(events.ArticleError, match="2,500,000 bytes"):
        events.add_article(b"x" * 2_500_000, "big.txt")
