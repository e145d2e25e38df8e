"""The one-file analyst report: charts, events, event-study results, method and sources.

A single self-contained HTML file (plotly.js embedded once, no network
needed to open it), so it can be mailed or archived and still works. Every
piece of text that came from an article is escaped: the report shows it, it
never interprets it.
"""

from __future__ import annotations

import html
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

_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;max-width:1200px;
color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;width:100%}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left}
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


def _table_html(frame: pd.DataFrame) -> str:
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d")
    return study_tables.readable(shown).to_html(index=False, escape=True, na_rep=vocabulary.DASH, border=0)


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
    in_order = study.events.sort_values(["trading_date", "event_id"], kind="stable")["event_id"]
    readings = "\n\n".join(
        f"{vocabulary.event_name(e, names)}: {vocabulary.name_events(event_study.plain_reading(study, e), names)}"
        for e in in_order
    )
    peer_tickers = list(dict.fromkeys(peers["ticker"])) if not peers.empty else []
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
        ReportSection("What the market did", text=readings),
        ReportSection("Event study results", table=study_tables.car_summary(study.rows, names),
                      text=study.describe()),
        ReportSection("Every statistic per event and window", table=study_tables.car_table(study.rows, names)),
    ]
    sections += [
        ReportSection("Cumulative abnormal return in event time", figure=figures["car_paths"]),
        ReportSection("Across events (CAAR by topic)", table=study_tables.caar_table(study.caar_table)),
        ReportSection(
            "China EV peers, same events, CAR[-1,+1]",
            table=study_tables.peer_table(peer_rows, [ticker, *peer_tickers], names) if peer_tickers else None,
            text="; ".join(peer_notes) or None,
            note="Each cell: the ticker's CAR over trading days -1..+1 on its own market-model fit, the t-test's "
            "p-value and its verdict.",
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
