"""The analyst report and `python -m eventlens export`: real files with the real numbers."""

import html
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
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
    # The Musk-in-Beijing day is in the report with its real day-0 move (+15.31 %).
    assert "TSLA rose 15.31% on 2024-04-29" in page


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


class ReportParts(HTMLParser):
    """The report as a reader meets it: per section (its <h2>), the <h3> headings, the paragraphs and the
    tables (header row, then the body rows), all as visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, dict] = {}
        self.current: dict | None = None
        self.tag: str | None = None
        self.row: list[str] | None = None
        self.hidden = 0
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        if tag in ("h2", "h3", "p", "th", "td"):
            self.tag, self.text = tag, ""
        elif tag == "table" and self.current is not None:
            self.current["tables"].append([])
        elif tag == "tr":
            self.row = []

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")
        if tag == "tr" and self.row is not None and self.current is not None:
            self.current["tables"][-1].append(self.row)
            self.row = None
        if tag != self.tag:
            return
        text, self.tag = " ".join(self.text.split()), None
        if tag == "h2":
            self.current = self.sections[text] = {"h3": [], "p": [], "tables": []}
        elif self.current is not None and tag in ("h3", "p"):
            self.current[tag].append(text)
        elif self.row is not None:
            self.row.append(text)

    def handle_data(self, data):
        if not self.hidden and self.tag:
            self.text += data


def report_parts(page: str) -> dict[str, dict]:
    parser = ReportParts()
    parser.feed(page)
    return parser.sections


# What a reader must never see (the list), written here, not taken from the app's vocabulary module.
INTERNAL = [re.compile(r"\bev_[0-9a-f_]+"), re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
            re.compile(r"\b(?:None|nan|NaN|NaT|inf)\b")]
P_TEXT = r"(?:(\d\.\d{3})|< 0\.001) \((not significant|significant at (?:1|5|10)%)\)"  # a p column's cell
P_CELL = re.compile(r"p (?:= )?" + P_TEXT)  # a p-value in a sentence or a summary cell


def verdict_fits(match: re.Match) -> bool:
    """The verdict beside a shown p-value is the right one (the shown value is rounded to 0.0005)."""
    if match.group(1) is None:
        return match.group(2) == "significant at 1%"
    p = float(match.group(1))
    possible = set()
    for q in (p - 0.0005, p, p + 0.0005):
        level = next((lv for lv in (0.01, 0.05, 0.10) if q < lv), None)
        possible.add("not significant" if level is None else f"significant at {level:.0%}")
    return match.group(2) in possible


def market_model_car(ticker: str, day: str, window=(-1, 1), estimation=(-250, -11)) -> tuple[float, float]:
    """CAR and its two-sided t-test p-value from the price files, by hand (MacKinlay 1997, eqs. 7-9 and 13):
    OLS of the stock's simple returns on SPY's over the estimation window, CAR the summed abnormal returns,
    Var(CAR) = L sigma^2, Student's t with n - 2 degrees of freedom."""
    from scipy import stats

    def returns(name):
        adj = pd.read_csv(REPO / "data" / "prices" / f"{name}.csv", parse_dates=["Date"]).set_index("Date")
        return adj["Adj Close"].pct_change().dropna()

    stock, market = returns(ticker), returns("SPY")
    i0 = list(stock.index).index(pd.Timestamp(day))
    est = [i for i in range(i0 + estimation[0], i0 + estimation[1] + 1) if i >= 0]
    xs = [float(market[stock.index[i]]) for i in est]
    ys = [float(stock.iloc[i]) for i in est]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    beta = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    alpha = my - beta * mx
    sigma2 = sum((y - alpha - beta * x) ** 2 for x, y in zip(xs, ys, strict=True)) / (n - 2)
    car = 0.0
    for i in range(i0 + window[0], i0 + window[1] + 1):
        car += float(stock.iloc[i]) - alpha - beta * float(market[stock.index[i]])
    length = window[1] - window[0] + 1
    t = car / (length * sigma2) ** 0.5
    return car, float(2 * stats.t.sf(abs(t), n - 2))


def test_report_tables_and_readings_speak_words_in_date_order_with_labelled_tickers(data_dir):
    events = events_store.load_events()
    bundle = report.analyst_report(events=events)
    parts = report_parts(bundle.html)
    text = visible_text(bundle.html)

    # No internal id, snake_case code, "None" or "nan" anywhere a reader looks; no engine column as a header.
    for pattern in INTERNAL:
        assert [hit for line in text for hit in pattern.findall(line)] == [], pattern.pattern
    engine_columns = set(bundle.tables["event_study"].columns) | set(bundle.tables["caar_by_category"].columns)
    headers = [h for part in parts.values() for table in part["tables"] for h in table[0]]
    assert headers and not set(headers) & engine_columns  # caar, t_cs, p_bmp, car, p_value ... never shown

    # "What the market did": one heading per dated event, its date and headline, in trading-date order.
    dated = events.dropna(subset=["trading_date"]).sort_values("trading_date")
    market = parts["What the market did"]
    assert len(market["h3"]) == len(dated)
    for heading, (_, event) in zip(market["h3"], dated.iterrows(), strict=True):
        day, _, headline = heading.partition(" · ")
        assert day == f"{event['trading_date']:%Y-%m-%d}"
        assert " ".join(str(event["title"]).split())[:100] == headline[:100]
    readings = market["p"][: len(dated)]
    for reading in readings:
        # Every p-value carries its verdict, and the right one.
        assert "p = " in reading or "p < " in reading
        assert len(P_CELL.findall(reading)) == reading.count("p = ") + reading.count("p < ")
        assert all(verdict_fits(m) for m in P_CELL.finditer(reading))
        # Every other number has a unit: a %, a date, a window of trading days, a t, or the SQ test's sum count.
        rest = P_CELL.sub("", reading)
        for unit in (r"\d{4}-\d{2}-\d{2}", r"\[[^\]]*\]", r"[+-]?\d+(?:\.\d+)?%", r"t = -?\d+\.\d\d",
                     r"beyond all \d+ estimation-window sums"):
            rest = re.sub(unit, "", rest)
        assert not re.search(r"\d", rest), rest
    assert "TSLA rose 15.31% on 2024-04-29" in readings[list(dated["trading_date"]).index(pd.Timestamp("2024-04-29"))]
    # Across events: each test by name, its statistic and p-value with the verdict in one cell.
    caar_header, *caar_body = parts["Across events (CAAR by topic)"]["tables"][0]
    for test in ("Cross-sectional t", "Patell Z", "BMP t", "Kolari-Pynnönen t", "Corrado rank t",
                 "Generalized sign Z", "Wilcoxon W+"):
        cells = [row[caar_header.index(test)] for row in caar_body]
        assert cells and all(re.fullmatch(r"-?\d+\.\d{1,2}; " + P_CELL.pattern, c) for c in cells), test

    # Every table: p-value columns hold a p and its verdict, and so does every "p = " in any cell; CAR and
    # CAAR columns are in % with two decimals.
    for part in parts.values():
        for header, *body in part["tables"]:
            for cell in (c for row in body for c in row):
                assert len(P_CELL.findall(cell)) == cell.count("p = ") + cell.count("p < "), cell
                assert all(verdict_fits(m) for m in P_CELL.finditer(cell)), cell
            for j, name in enumerate(header):
                cells = [row[j] for row in body if row[j] != "—"]
                if name.startswith("p ("):
                    assert all(re.fullmatch(P_TEXT, c) and verdict_fits(re.fullmatch(P_TEXT, c)) for c in cells), name
                elif name in ("CAR", "CAAR"):
                    assert all(re.fullmatch(r"[+-]\d+\.\d\d%", c) for c in cells), name
                elif name.startswith("CAR ["):  # the summary: CAR, p and verdict in one cell
                    assert all(re.fullmatch(r"[+-]\d+\.\d\d% · " + P_CELL.pattern, c) for c in cells), name
    events_table = parts["Events"]["tables"][0]
    days = [row[events_table[0].index("Trading day")] for row in events_table[1:]]
    assert days == sorted(days)

    # The China EV peers table: a Ticker column, each event's four tickers (the stock first), events in
    # date order, and each row's numbers that ticker's own (checked by hand from the price files).
    peers = next(part for title, part in parts.items() if title.startswith("China EV peers"))
    header, *body = peers["tables"][0]
    assert header[:2] == ["Event", "Ticker"]
    assert {row[1] for row in body} == {"TSLA", "NIO", "XPEV", "LI"}
    blocks = [body[i:i + 4] for i in range(0, len(body), 4)]
    assert len(blocks) == len(dated)
    for block, day in zip(blocks, dated["trading_date"], strict=True):
        assert [row[1] for row in block] == ["TSLA", "NIO", "XPEV", "LI"]
        assert {row[0][:10] for row in block} == {f"{day:%Y-%m-%d}"}
    car_at, p_at = header.index("CAR"), header.index("p (t-test)")
    for row in next(b for b, d in zip(blocks, dated["trading_date"], strict=True) if d == pd.Timestamp("2024-04-29")):
        car, p = market_model_car(row[1], "2024-04-29")
        assert abs(float(row[car_at].rstrip("%")) - car * 100) <= 0.005 + 1e-9, row
        assert row[p_at].startswith(f"{p:.3f} (" if p >= 0.001 else "< 0.001 ("), (row, p)

    # Every ticker whose prices the report uses names its source.
    sources = parts["Data sources"]["tables"][0]
    assert [row[sources[0].index("Ticker")] for row in sources[1:]] == ["TSLA", "SPY", "NIO", "XPEV", "LI"]

    # The export command's CSVs keep the engine's columns for scripts.
    assert {"event_id", "car", "t_stat", "p_value"} <= set(bundle.tables["event_study"].columns)


def test_market_reading_numbers_are_the_hand_computed_ones_and_a_short_history_says_why(data_dir):
    from eventlens import study as event_study

    events = pd.DataFrame({"event_id": ["ev_001_0a1b", "ev_002_2c3d"],
                           "trading_date": [pd.Timestamp("2020-03-02"), pd.Timestamp("2024-04-29")]})
    study = event_study.run_study(event_study.load_returns("TSLA", "SPY"), events)
    names = {"ev_001_0a1b": "2020-03-02 · First", "ev_002_2c3d": "2024-04-29 · Second"}
    short = report.market_reading(study, "ev_001_0a1b", names)
    assert short.startswith("No reading: not estimable: ") and "fewer than 120" in short
    reading = report.market_reading(study, "ev_002_2c3d", names)
    adj = pd.read_csv(REPO / "data" / "prices" / "TSLA.csv", parse_dates=["Date"]).set_index("Date")["Adj Close"]
    day0 = adj[pd.Timestamp("2024-04-29")] / adj[adj.index < pd.Timestamp("2024-04-29")].iloc[-1] - 1
    ar0, p0 = market_model_car("TSLA", "2024-04-29", window=(0, 0))
    car, p = market_model_car("TSLA", "2024-04-29", window=(-1, 1))
    assert f"TSLA rose {day0 * 100:.2f}% on 2024-04-29" in reading
    assert f"was {ar0 * 100:+.2f}%: t-test p < 0.001 (significant at 1%)" in reading and p0 < 0.001
    assert f"[-1,+1] the cumulative abnormal return was {car * 100:+.2f}%" in reading
    assert f"t-test p = {p:.3f} (significant at 5%)" in reading and 0.01 <= p < 0.05
    for pattern in INTERNAL:
        assert not pattern.search(short + reading), pattern.pattern
