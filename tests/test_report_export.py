"""The analyst report and `python -m eventlens export`: real files with the real numbers."""

import html
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from eventlens import events as events_store
from eventlens import export, report

REPO = Path(__file__).resolve().parent.parent


def test_report_is_one_self_contained_file_with_escaped_article_text(data_dir):
    events = events_store.load_events()
    events.loc[0, "title"] = "<script>alert('x')</script> headline"
    bundle = report.analyst_report(events=events)
    page = bundle.html
    assert page.count("<script>alert") == 0
    assert html.escape("<script>alert('x')</script>") in page or "&lt;script&gt;" in page
    assert page.count("Plotly.newPlot") == len(bundle.figures)  # every chart drawn...
    assert '<script src="http' not in page  # ...with plotly.js embedded, not fetched
    for heading in ["Events", "Event study results", "Data sources", "Stock splits", "What the market did"]:
        assert f"<h2>{heading}</h2>" in page
    # The Musk-in-Beijing day is in the report with its real day-0 move (+15.3 %).
    assert "TSLA rose 15.3% on 2024-04-29" in page


def test_report_limited_to_a_range_studies_only_its_events(data_dir):
    bundle = report.analyst_report(start="2024-01-01", end="2024-12-31")
    days = set(pd.to_datetime(bundle.tables["event_study"]["trading_date"]).dt.year)
    assert days == {2024}


def run_cli(*args, data_dir, env_extra=None):
    env = {**os.environ, "EVENTLENS_DATA_DIR": str(data_dir), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "eventlens", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(export.find_browser() is None, reason="needs Debian's chromium (installed by .ci/run)")
def test_export_command_writes_report_charts_and_tables(data_dir, tmp_path):
    out = tmp_path / "out"
    done = run_cli("export", "--out", str(out), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    names = {p.name for p in out.iterdir()}
    assert {"report.html", "events.csv", "event_study.csv", "sources.csv", "tsla_price_events.html",
            "tsla_price_events.png", "tsla_price_events.svg"} <= names
    assert (out / "tsla_price_events.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ET.fromstring((out / "tsla_price_events.svg").read_bytes())
    study = pd.read_csv(out / "event_study.csv")
    assert {"event_id", "car", "t_stat", "p_value"} <= set(study.columns)
    events = pd.read_csv(out / "events.csv")
    assert len(events) == len(events_store.load_events())


def test_export_without_a_browser_still_writes_html_and_csv(data_dir, tmp_path):
    out = tmp_path / "out"
    done = run_cli("export", "--out", str(out), data_dir=data_dir,
                   env_extra={"BROWSER_PATH": "/nonexistent", "PATH": "/usr/bin/nonexistent:" + os.path.dirname(
                       sys.executable)})
    assert done.returncode == 0, done.stderr
    names = {p.name for p in out.iterdir()}
    assert "report.html" in names and "tsla_price_events.html" in names and "events.csv" in names
    assert not any(n.endswith((".png", ".svg")) for n in names)
    assert "PNG/SVG not written" in done.stderr and "Traceback" not in done.stderr


def test_export_into_an_unwritable_place_is_refused_clearly(data_dir, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_cli("export", "--out", str(blocker / "sub"), data_dir=data_dir)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def visible_text(page: str) -> list[str]:
    """The report's text as a reader sees it: every text node outside scripts and styles."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hidden, self.out = 0, []

        def handle_starttag(self, tag, attrs):
            self.hidden += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.hidden -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.hidden and data.strip():
                self.out.append(data.strip())

    parser = Text()
    parser.feed(page)
    return parser.out


def test_report_speaks_the_vocabulary_labelled_tickers_percent_units_headlines_in_date_order(data_dir):
    from eventlens.vocabulary import headlines, internal_codes

    events = events_store.load_events()
    bundle = report.analyst_report(events=events)
    text = visible_text(bundle.html)
    assert internal_codes(text) == []  # no ev_ id, snake_case code, "None" or "nan" anywhere a reader looks
    joined = "\n".join(text)
    # "What the market did": one paragraph per event, headed by its date and headline, in trading-date order.
    names = headlines(events)
    ordered = [names[e] for e in events.sort_values("trading_date")["event_id"]]
    where = [joined.index(f"{name}: TSLA ") for name in ordered]
    assert where == sorted(where)
    # The peers table labels each ticker's column, in % with the t-test verdict.
    start = joined.index("China EV peers, same events")
    peers = joined[start: joined.index("Data sources", start)]
    for ticker in ("TSLA", "NIO", "XPEV", "LI"):
        assert f"{ticker}: CAR, p" in peers
    assert re.search(r"[+-]\d+\.\d\d% · p (= \d\.\d{3}|< 0\.001) \((not significant|significant at \d+%)\)", peers)
    # The CAR table: the windows as columns, CARs in % with two decimals; the CAAR table names its tests.
    assert "CAR [-1,+1]" in joined and "Cross-sectional t" in joined and "p (BMP)" in joined
    assert "curated (cited source)" in joined  # the one date-confidence phrase
    # The export command's CSVs keep the engine's columns for scripts.
    assert {"event_id", "car", "t_stat", "p_value"} <= set(bundle.tables["event_study"].columns)
