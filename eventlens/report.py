"""The one-file analyst report: charts, events, event-study results, method and sources.

A single self-contained HTML file (plotly.js embedded once, no network
needed to open it), so it can be mailed or archived and still works. Every
piece of text that came from an article is escaped: the report shows it, it
never interprets it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from eventlens import events as events_store
from eventlens import prices, provenance, study_tables, vocabulary
from eventlens import study as event_study
from eventlens.figures.price import price_figure
from eventlens.figures.study import car_path_figure
from eventlens.study.reading import LEVEL

READING_HEADLINE = 160  # characters of a headline heading an event's reading
_DATE_CELL = re.compile(r"<td>(\d{4}-\d{2}-\d{2})</td>")

_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;max-width:1200px;
color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;width:100%}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left} h3{font-size:1rem;margin:1.2rem 0 .3rem}
.day{white-space:nowrap} .wide{overflow-x:auto}
th{background:#f4f4f4} .meta{color:#666;font-size:.9rem} .note{color:#666;font-size:.8rem}
"""


@dataclass
class ReportSection:
    """A titled block of the report: a chart, a table, or a paragraph (exactly one of them)."""

    title: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    text: str | None = None
    note: str | None = None
    details: dict[str, str] | None = None  # summary -> long text, each folded in a <details> block
    items: list[tuple[str, str]] | None = None  # (heading, paragraph) pairs, in the order given


def _table_html(frame: pd.DataFrame) -> str:
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d")
    table = study_tables.readable(shown).to_html(index=False, escape=True, na_rep=vocabulary.DASH, border=0)
    # A date never breaks at its hyphens; a table wider than the page scrolls inside its own box.
    return "<div class='wide'>" + _DATE_CELL.sub(r'<td class="day">\1</td>', table) + "</div>"


def build_report(title: str, subtitle: str, sections: Sequence[ReportSection]) -> str:
    """Assemble the report; plotly.js is embedded with the first chart only."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p class='meta'>{html.escape(subtitle)}</p>",
    ]
    js_embedded = False
    for section in sections:
        parts.append(f"<section><h2>{html.escape(section.title)}</h2>")
        if section.text:
            parts.extend(f"<p>{html.escape(p)}</p>" for p in section.text.split("\n\n") if p.strip())
        for heading, body in section.items or []:
            parts.append(f"<h3>{html.escape(heading)}</h3><p>{html.escape(body)}</p>")
        if section.figure is not None:
            parts.append(
                pio.to_html(
                    section.figure,
                    full_html=False,
                    include_plotlyjs=not js_embedded,
                    config={"displaylogo": False},
                )
            )
            js_embedded = True
        if section.table is not None:
            parts.append(_table_html(section.table))
        for summary, body in (section.details or {}).items():
            parts.append(
                f"<details><summary>{html.escape(summary)}</summary><p class='note'>{html.escape(body)}</p></details>"
            )
        if section.note:
            parts.append(f"<p class='note'>{html.escape(section.note)}</p>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


_BASELINE = {"market": "what {b} explains", "market_adjusted": "{b}'s move", "constant_mean": "its average day"}


def _disagreement(t_p: float, sq_p: float, window: str, ticker: str, level: float = LEVEL) -> str:
    """A sentence when the t-test and the SQ test fall on different sides of ``level`` (as
    :func:`eventlens.study.tests_disagree` decides), each p-value with its verdict; else ""."""
    if not event_study.tests_disagree(t_p, sq_p, window, ticker, level):
        return ""
    both = f"t-test {vocabulary.p_verdict(t_p)}, SQ test {vocabulary.p_verdict(sq_p)}"
    if t_p < level:
        return (f"Over {window} the two tests disagree at {level:.0%}: {both}. Moves this large are not rare in "
                f"{ticker}'s own fat-tailed history, so treat the t-test's verdict with caution.")
    return (f"Over {window} the two tests disagree at {level:.0%}: {both}. The move is rare against {ticker}'s "
            "own history even though its volatility makes the t-test's band wide.")


def market_reading(study: event_study.StudyResult, event_id: str, names: dict[str, str]) -> str:
    """What the stock did around one event, in the report's words: returns in % with two decimals, each
    p-value with its verdict ("significant at 5%" / "not significant"), events by their headlines.

    The same facts as :func:`eventlens.study.plain_reading` (day 0, the first window, a t/SQ disagreement,
    the company's own news in a window), said with :mod:`eventlens.vocabulary`.
    """
    ev = study.events.set_index("event_id").loc[event_id]
    ticker = study.ticker
    if not ev["estimable"] or vocabulary.missing(ev["ret_day0"]):
        reason = str(ev["notes"]).split("; ")[0] if ev["notes"] else "no abnormal return"
        return f"No reading: {vocabulary.in_words(vocabulary.name_events(reason, names))}."
    ret = float(ev["ret_day0"])
    baseline = _BASELINE.get(study.model, "its normal return").format(b=study.benchmark)
    n0, floor = ev["sq_n_day0"], ""
    if not vocabulary.missing(n0) and n0 > 0 and ev["sq_p_day0"] <= 2.0 / (n0 + 1) * (1 + 1e-12):
        floor = f", beyond all {int(n0)} estimation-window sums"  # the SQ test's smallest p-value, 2/(J+1)
    text = (
        f"{ticker} {'rose' if ret >= 0 else 'fell'} {vocabulary.pct(abs(ret), signed=False)} on "
        f"{pd.Timestamp(ev['trading_date']):%Y-%m-%d}; its abnormal return (the move beyond {baseline}) was "
        f"{vocabulary.pct(ev['ar_day0'])}: t-test {vocabulary.p_verdict(ev['p_day0'])}, SQ test "
        f"{vocabulary.p_verdict(ev['sq_p_day0'])}{floor}."
    )
    mine = study.rows[study.rows["event_id"] == event_id]
    first = mine[mine["window_start"].eq(study.windows[0][0]) & mine["window_end"].eq(study.windows[0][1])]
    if len(first) and study.windows[0] != (0, 0) and not vocabulary.missing(first["car"].iloc[0]):
        r = first.iloc[0]
        text += (f" Over trading days {vocabulary.window_label(study.windows[0])} the cumulative abnormal return "
                 f"was {vocabulary.pct(r['car'])}: t = {vocabulary.ratio(r['t_stat'])}, t-test "
                 f"{vocabulary.p_verdict(r['p_value'])}, SQ test {vocabulary.p_verdict(r['sq_p_value'])}.")
    said = _disagreement(float(ev["p_day0"]), float(ev["sq_p_day0"]), "day 0", ticker)
    for w1, w2, t_p, sq_p in zip(mine["window_start"], mine["window_end"], mine["p_value"], mine["sq_p_value"],
                                 strict=True):
        said = said or _disagreement(float(t_p), float(sq_p), vocabulary.window_label((int(w1), int(w2))), ticker)
    news = [n for n in mine["company_news"] if n] if "company_news" in mine else []
    return " ".join(part for part in (text, said, f"Caution: {news[0]}." if news else "") if part)


@dataclass
class ReportBundle:
    """The report and the pieces it is made of, so a command can also write them one by one."""

    html: str
    figures: dict[str, go.Figure]
    tables: dict[str, pd.DataFrame]


def analyst_report(
    ticker: str = "TSLA",
    benchmark: str = "SPY",
    model: str = "market",
    windows: Sequence[tuple[int, int]] | None = None,
    events: pd.DataFrame | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> ReportBundle:
    """Everything an analyst shares about the news and the stock, computed from the core in one pass."""
    windows = list(windows or event_study.DEFAULT_WINDOWS)
    events = events_store.load_events() if events is None else events
    stock = prices.get_prices(ticker, start, end)
    bench = prices.get_prices(benchmark, start, end)
    data = event_study.load_returns(ticker, benchmark)
    dated = events.dropna(subset=["trading_date"])
    if start is not None:
        dated = dated[dated["trading_date"] >= pd.Timestamp(start)]
    if end is not None:
        dated = dated[dated["trading_date"] <= pd.Timestamp(end)]
    study = event_study.run_study(data, dated, model=model, windows=windows)
    peers, peer_notes = event_study.peer_reactions(dated, benchmark, windows=[(-1, 1)], model=model)

    figures = {
        f"{ticker.lower()}_price_events": price_figure(stock.frame, ticker, stock.source, events=dated),
        "car_paths": car_path_figure(study, names=vocabulary.headlines(events)),
    }

    event_cols = [
        c
        for c in [
            "event_id",
            "trading_date",
            "event_date",
            "title",
            "source",
            "category",
            "direction",
            "date_confidence",
            "origin",
            "date_evidence",
        ]
        if c in events.columns
    ]
    tables = {
        "events": events[event_cols],
        "event_study": study.rows,
        "caar_by_category": study.caar_table,
        "peer_reactions": peers,
        "sources": provenance.sources_table({ticker: stock, benchmark: bench}),
        "splits": provenance.split_table(),
    }
    span = f"{stock.first_date:%Y-%m-%d} to {stock.as_of:%Y-%m-%d}" if stock.as_of is not None else "no data"
    names = vocabulary.headlines(events)
    full = vocabulary.headlines(events, width=READING_HEADLINE)  # a heading has room for the whole headline
    in_order = study.events.sort_values(["trading_date", "event_id"], kind="stable")["event_id"]
    readings = [(vocabulary.event_name(e, full), market_reading(study, str(e), names)) for e in in_order]
    per_window, fit = study_tables.car_detail_tables(study.rows, study.events, names)
    caar = study_tables.caar_table(study.caar_table, as_text=True)
    alone = list(dict.fromkeys(caar.loc[caar["Events"] < 2, "Topic"]))
    single = f"Topics with one event, so no test across events (their CAR is the event's own, above): " \
        f"{', '.join(alone)}." if alone else ""
    peer_tickers = list(dict.fromkeys(peers["ticker"])) if not peers.empty else []
    if peer_tickers:  # the peers' prices are in the report too: their source is listed with the others'
        tables["sources"] = provenance.sources_table(
            {ticker: stock, benchmark: bench, **{p: prices.get_prices(p, start, end) for p in peer_tickers}})
    peer_rows = [study.rows[study.rows["window_start"].eq(-1) & study.rows["window_end"].eq(1)]] + [
        peers[peers["ticker"] == t] for t in peer_tickers]
    sections = [
        ReportSection("News on the price chart", figure=figures[f"{ticker.lower()}_price_events"], note=stock.notice()),
        ReportSection(
            "Events",
            table=vocabulary.events_table(events),
            note="Dates are inferred from evidence in each article and checked against prices (the engine's "
            "probability is shown); 'curated (cited source)' dates cite public reporting; 'set by analyst' dates "
            "were corrected by hand. The evidence behind each date follows.",
            details={
                f"Date evidence: {names.get(str(row.event_id), 'event')}": vocabulary.in_words(row.date_evidence)
                for row in events.sort_values("trading_date", na_position="last").itertuples()
                if "date_evidence" in events.columns
            },
        ),
        ReportSection("What the market did", items=readings,
                      note="Events in trading-date order. p-values are two-sided; the SQ test (Gelbach, Helland "
                      "and Klick 2013) needs no normality. Verdicts at the 1%, 5% and 10% levels."),
        ReportSection("Event study results", table=study_tables.car_summary(study.rows, names),
                      text=study.describe()),
        ReportSection("Every statistic per event and window", table=per_window,
                      note="p (t-test): Student's t; p (SQ test): the CAR's rank among the event's own estimation-"
                      "window sums of the same length; volume: mean abnormal log volume as % above normal "
                      "(Campbell and Wasley 1996); volatility: mean squared abnormal return over the estimation "
                      "variance (Beaver 1968), its p one-sided."),
        ReportSection("The fit behind each event", table=fit,
                      note="α and σ in % per trading day, from the estimation window; notes on that window."),
    ]
    sections += [
        ReportSection("Cumulative abnormal return in event time", figure=figures["car_paths"]),
        ReportSection("Across events (CAAR by topic)", table=caar[caar["Events"] >= 2] if len(caar) else None,
                      note=single or None),
        ReportSection(
            "China EV peers, same events, CAR [-1,+1]",
            table=study_tables.peer_ticker_table(peer_rows, [ticker, *peer_tickers], names) if peer_tickers
            else None,
            text="; ".join(vocabulary.in_words(n) for n in peer_notes) or None,
            note=f"One row per event and ticker: the ticker's CAR over trading days [-1,+1] on its own fit "
            f"({vocabulary.model_name(model)}) against {benchmark}, the t-test's p-value and its verdict; "
            "— where the ticker was not listed long enough to be estimated.",
        ),
        ReportSection("Data sources", table=tables["sources"], note=" ".join(data.notes) or None),
        ReportSection("Stock splits", table=tables["splits"]),
    ]
    html_text = build_report(
        f"{ticker} and China's vehicle-data rules: news and price reaction",
        f"{ticker} against {benchmark}, {span}. {len(dated)} dated events. Generated by EventLens "
        f"on {pd.Timestamp.now(tz='UTC'):%Y-%m-%d %H:%M} UTC.",
        sections,
    )
    return ReportBundle(html_text, figures, tables)
