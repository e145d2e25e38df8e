"""``python -m eventlens export --out DIR``: the report, every chart and every table as files.

The command and the app's one-click report share :func:`eventlens.report.analyst_report`,
so a file written here is what the page would have offered for download.
"""

from __future__ import annotations

import sys
from pathlib import Path

from eventlens import export
from eventlens.report import analyst_report


def write_bundle(out: Path, ticker: str = "TSLA", benchmark: str = "SPY", model: str = "market") -> list[Path]:
    """Write report.html, <chart>.html/.png/.svg and <table>.csv into ``out``; return the paths written.

    Static images are skipped (with one line on stderr) when no browser is
    available; HTML and CSV are always written.
    """
    out.mkdir(parents=True, exist_ok=True)
    bundle = analyst_report(ticker=ticker, benchmark=benchmark, model=model)
    written: list[Path] = []

    def put(name: str, payload: bytes) -> None:
        path = out / name
        path.write_bytes(payload)
        written.append(path)

    put("report.html", bundle.html.encode("utf-8"))
    for name, frame in bundle.tables.items():
        put(f"{name}.csv", export.table_csv(frame))
    static_ok, why = export.static_export_status()
    for name, fig in bundle.figures.items():
        put(f"{name}.html", export.figure_html(fig).encode("utf-8"))
        if not static_ok:
            continue
        for fmt in export.STATIC_FORMATS:
            try:
                put(f"{name}.{fmt}", export.figure_image(fig, fmt))
            except export.StaticExportUnavailable as exc:
                static_ok, why = False, str(exc)
                break
    if not static_ok:
        print(f"note: PNG/SVG not written. {why}", file=sys.stderr)
    return written
