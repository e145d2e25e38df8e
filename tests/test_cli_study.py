"""``python -m eventlens study``: columns, date mapping, refusals with exit code 2."""

from __future__ import annotations

import io
import subprocess
import sys
import types

import pandas as pd
import pytest

from eventlens import cli
from eventlens.paths import REPO_ROOT
from eventlens.study import CSV_COLUMNS


def run(argv: list[str], capsys) -> tuple[int, pd.DataFrame | None, str]:
    code = cli.main(["study", *argv])
    out, err = capsys.readouterr()
    table = pd.read_csv(io.StringIO(out)) if out.strip() else None
    return code, table, err


def test_columns_and_default_windows(data_dir, capsys):
    code, table, _ = run(["--date", "2024-04-29"], capsys)
    assert code == 0
    assert list(table.columns) == [*CSV_COLUMNS, "notes"]
    assert list(zip(table["window_start"], table["window_end"], strict=True)) == [
        (-1, 1), (0, 0), (0, 1), (-5, 5), (0, 10)
    ]
    assert set(table["ticker"]) == {"TSLA"} and set(table["benchmark"]) == {"SPY"} and set(table["model"]) == {"market"}
    assert (table["n_est"] == 240).all()
    # Day 0 AR by independent arithmetic: TSLA return minus the market model's fitted return.
    tsla = pd.read_csv(REPO_ROOT / "data/prices/TSLA.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    spy = pd.read_csv(REPO_ROOT / "data/prices/SPY.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    r0 = tsla.loc["2024-04-29"] / tsla.loc["2024-04-26"] - 1
    m0 = spy.loc["2024-04-29"] / spy.loc["2024-04-26"] - 1
    day0 = table[(table["window_start"] == 0) & (table["window_end"] == 0)].iloc[0]
    assert day0["car"] == pytest.approx(r0 - day0["alpha"] - day0["beta"] * m0, rel=1e-8)


def test_windows_model_benchmark_options(data_dir, capsys):
    code, table, _ = run(["--date", "2024-04-29", "--window", "-2", "2", "--window", "0", "0",
                          "--model", "market_adjusted", "--benchmark", "QQQ"], capsys)
    assert code == 0
    assert list(zip(table["window_start"], table["window_end"], strict=True)) == [(-2, 2), (0, 0)]
    assert set(table["benchmark"]) == {"QQQ"} and set(table["model"]) == {"market_adjusted"}
    tsla = pd.read_csv(REPO_ROOT / "data/prices/TSLA.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    qqq = pd.read_csv(REPO_ROOT / "data/prices/QQQ.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    ar0 = (tsla.loc["2024-04-29"] / tsla.loc["2024-04-26"]) - (qqq.loc["2024-04-29"] / qqq.loc["2024-04-26"])
    assert table.iloc[1]["car"] == pytest.approx(ar0, rel=1e-8)


def test_saturday_is_mapped_to_monday_and_said(data_dir, capsys):
    code, table, err = run(["--date", "2024-04-27", "--window", "0", "0"], capsys)
    assert code == 0
    assert table.loc[0, "event_id"] == "2024-04-27" and table.loc[0, "trading_date"] == "2024-04-29"
    assert "2024-04-27 (Saturday) is not a trading session; studied 2024-04-29, the next one." in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--ticker", "ZZZZ", "--date", "2024-04-29"], "ZZZZ is not in the offline snapshot"),
        (["--date", "2024-13-45"], "is not a date"),
        (["--date", "2025-06-02"], "after the last session"),
        (["--date", "2024-04-29", "--window", "-20", "0"], "overlaps the estimation window"),
        (["--date", "2024-04-29", "--estimation", "-100", "-11"], "fewer than the 120"),
        (["--date", "2024-04-29", "--benchmark", "TSLA"], "must differ"),
        (["--date", "2024-04-29", "--events", "all"], "either --date or --events"),
        (["--date", "2024-04-29", "--window", "0", "400"], "reaches beyond day ±250"),
        (["--date", "2024-04-29", "--window", "100000", "100001"], "reaches beyond day ±250"),
        (["--date", "2024-04-29", "--estimation", "-99999", "-11"], "more than 1,000 sessions before"),
        (["--date", "2024-04-29", *[a for k in range(11) for a in ("--window", "0", str(k))]],
         "at most 10 event windows"),
    ],
)
def test_refusals_exit_2_with_one_line(data_dir, capsys, argv, words):
    code, table, err = run(argv, capsys)
    assert code == 2 and table is None
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]


def test_an_unusable_events_store_is_refused_clearly(data_dir, capsys, monkeypatch, tmp_path):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database at all" * 100)
    monkeypatch.setenv("EVENTLENS_DB_URL", f"sqlite:///{broken}")
    code, _, err = run([], capsys)
    assert code == 2 and "not a readable database" in err and len(err.strip().splitlines()) == 1


def test_events_from_the_store(data_dir, capsys, monkeypatch):
    store = pd.DataFrame({
        "event_id": ["ev-1", "ev-2"],
        "trading_date": pd.to_datetime(["2024-04-29", "2021-05-05"]),
        "category": ["data rules", "data rules"],
    })
    fake = types.ModuleType("eventlens.events")
    fake.load_events = lambda: store.copy()
    monkeypatch.setitem(sys.modules, "eventlens.events", fake)
    code, table, _ = run(["--events", "ev-2", "--window", "0", "0"], capsys)
    assert code == 0 and list(table["event_id"]) == ["ev-2"]
    code, table, _ = run(["--events", "all", "--window", "0", "0", "--caar"], capsys)
    assert code == 0 and table.set_index("group").loc["all events", "n_events"] == 2
    code, _, err = run(["--events", "nope"], capsys)
    assert code == 2 and "Unknown event id(s): nope" in err


def test_module_entry_point(data_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "eventlens", "study", "--date", "2024-04-29", "--window", "0", "0"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == ",".join([*CSV_COLUMNS, "notes"])


def test_sq_volume_volatility_and_company_news_columns(data_dir, capsys):
    """The new columns on 2024-04-29; each value is checked against brute force in test_event_study_inference."""
    code, table, _ = run(["--date", "2024-04-29"], capsys)
    assert code == 0
    rows = table.set_index(["window_start", "window_end"])
    assert rows.loc[(0, 0), "sq_p_value"] == pytest.approx(2 / 241, abs=1e-9)  # beyond all 240 residuals
    assert rows.loc[(0, 0), "sq_n_sums"] == 240 and rows.loc[(-5, 5), "sq_n_sums"] == 230
    assert 0 < rows.loc[(-1, 1), "sq_p_value"] < 0.05 and rows.loc[(-1, 1), "p_value"] < 0.05
    assert rows.loc[(0, 0), "abn_volume"] > 0.7 and rows.loc[(0, 0), "volume_p"] < 0.001
    assert rows.loc[(0, 0), "volatility_ratio"] > 30
    assert rows.loc[(-5, 5), "company_news"] == ("[-5,+5] includes the 2024-04-23 earnings release, after the "
                                                 "close: day 2024-04-24, +12.1%")
    assert pd.isna(rows.loc[(-1, 1), "company_news"])  # empty in the CSV


def test_exclude_company_news_shortens_the_fit(data_dir, capsys):
    _, table, _ = run(["--date", "2024-04-29", "--window", "0", "0", "--exclude-company-news"], capsys)
    assert int(table.loc[0, "n_est"]) == 240 - 7  # seven releases priced inside days -250..-11


def test_caar_prints_every_cross_event_test(data_dir, capsys):
    code, table, _ = run(["--date", "2021-05-06", "--date", "2021-05-25", "--date", "2024-04-29",
                          "--window", "0", "0", "--caar"], capsys)
    assert code == 0
    for column in ("t_cs", "p_cs", "z_patell", "p_patell", "t_bmp", "p_bmp", "r_mean", "t_kp", "p_kp", "t_rank",
                   "p_rank", "z_sign", "p_sign", "w_wilcoxon", "p_wilcoxon"):
        assert column in table.columns and table[column].notna().all(), column
    assert list(table["group"]) == ["all events"] and table.loc[0, "n_events"] == 3
