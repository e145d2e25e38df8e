"""``python -m eventlens``: the store, dating, the event study and exports from a shell.

Every command prints its result on stdout; a refused input gets exit code 2
and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from eventlens.errors import UserError
from eventlens.inert import one_line


class CommandError(UserError):
    """A refusal of the command line's own (bad flag combinations)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eventlens", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    # --- events / date / add (articles, dating, events store) ---
    p = sub.add_parser("events", help="print the events store as CSV")
    p.add_argument("--history", action="store_true", help="print every correction instead (newest first)")
    p.set_defaults(handler=_events)
    p = sub.add_parser("date", help="infer an article's event and trading date (JSON)")
    p.add_argument("file", help="plain-text article (.txt or .md)")
    p.add_argument("--follow-symlinks", action="store_true", help="read the file a symbolic link points to")
    p.set_defaults(handler=_date)
    p = sub.add_parser(
        "add", help="add articles and their inferred events to the store",
        description="Add one article, or many: several files, folders (not recursive), .zip archives, CSV/JSONL "
        "tables of articles (title, text; url, published optional), RSS/Atom feeds and saved .html pages. Many "
        "items print one line each (added / grouped / duplicate / refused, with the reason) and a summary; the "
        "exit code is 0 when anything was added or everything was stored already, 2 when everything was refused. "
        "One article keeps the strict contract: a refusal or a duplicate is exit 2 with one line on stderr.")
    p.add_argument("file", nargs="+", help="article files (.txt or .md, at most 1 MB each; regular files, not "
                   "links), folders, .zip, .csv, .jsonl, .rss/.atom/.xml or .html files")
    p.add_argument("--follow-symlinks", action="store_true", help="read the files symbolic links point to")
    p.set_defaults(handler=_add)
    # --- study (event study) ---
    p = sub.add_parser(
        "study",
        help="event study: CARs, t and SQ p-values, abnormal volume and volatility as CSV",
        description="Event study (MacKinlay 1997) of a ticker against a benchmark. Prints CSV, one row per event "
        "and window; car, alpha and sigma are daily decimal returns (0.05 = 5%%); sq_p_value is the Gelbach-Helland-"
        "Klick SQ p; abn_volume the mean abnormal log volume. Notes about data problems and the company's own "
        "scheduled news go in the notes and company_news columns; date mappings go to stderr.",
    )
    p.add_argument("--ticker", default="TSLA", help="stock to study (default TSLA)")
    p.add_argument("--benchmark", default="SPY", help="market benchmark (default SPY)")
    p.add_argument("--model", default="market", choices=["market", "market_adjusted", "constant_mean"])
    p.add_argument("--window", nargs=2, type=int, action="append", metavar=("START", "END"),
                   help="event window in trading days, repeatable (default -1 1, 0 0, 0 1, -5 5, 0 10)")
    p.add_argument("--estimation", nargs=2, type=int, default=[-250, -11], metavar=("START", "END"),
                   help="estimation window in trading days (default -250 -11)")
    p.add_argument("--date", action="append", metavar="YYYY-MM-DD",
                   help="study this trading date directly (repeatable; no events store needed)")
    p.add_argument("--events", nargs="+", metavar="ID", help="'all' (default) or event ids from the store")
    p.add_argument("--prediction-error", action="store_true",
                   help="add the parameters' estimation error to Var(CAR) (MacKinlay eq. 11-13)")
    p.add_argument("--exclude-other-events", action="store_true",
                   help="leave other events' days -1..+1 out of each estimation window")
    p.add_argument("--exclude-company-news", action="store_true",
                   help="leave the sessions that priced the company's own earnings and deliveries releases "
                   "(data/tesla_calendar.csv) out of each estimation window")
    p.add_argument("--caar", action="store_true",
                   help="print CAAR per category and window with every cross-event test (cross-sectional, Patell, "
                   "BMP, Kolari-Pynnönen, Corrado rank, generalized sign, Wilcoxon)")
    p.set_defaults(handler=_study)
    # --- export (report and charts) ---
    p = sub.add_parser("export", help="write the analyst report, charts and tables (--out), or a store backup "
                       "(--store)")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, help="folder to write the report, charts and tables into")
    target.add_argument("--store", type=Path, metavar="FILE",
                        help="write the whole store (articles, events, corrections) to one backup file")
    p.add_argument("--ticker", default="TSLA")
    p.add_argument("--benchmark", default="SPY")
    p.add_argument("--model", default="market", choices=["market", "market_adjusted", "constant_mean"])
    p.set_defaults(handler=_run_export)
    # --- import (restore a store backup) ---
    p = sub.add_parser("import", help="restore a store backup (from 'export --store') into an empty store")
    p.add_argument("file", type=Path, help="backup file")
    p.set_defaults(handler=_import)
    return parser


def _print(text: str) -> int:
    print(text, end="" if text.endswith("\n") else "\n")
    return 0


def _events(args: argparse.Namespace) -> int:
    """``events``: the store as CSV on stdout (``--history``: the corrections)."""
    from eventlens import events

    return _print(events.history_csv() if args.history else events.events_csv())


def _date(args: argparse.Namespace) -> int:
    """``date FILE``: the inferred date as JSON."""
    from eventlens import events

    return _print(events.date_json(args.file, args.follow_symlinks))


def _add(args: argparse.Namespace) -> int:
    """``add FILE...``: store each article and its inferred event (or group it with the same story)."""
    from eventlens import events, intake

    if intake.is_single_article(args.file, args.follow_symlinks):
        return _print(events.add_file(args.file[0], args.follow_symlinks))
    gathered = intake.gather(args.file, args.follow_symlinks)
    bar = _progress_bar() if sys.stderr.isatty() else None
    outcomes = intake.add_all(gathered, progress=bar)
    if bar is not None:
        print(file=sys.stderr)
    if len(outcomes) == 1 and outcomes[0].status == "refused":  # one thing given, one refusal: one line, as ever
        raise CommandError(outcomes[0].message)
    for outcome in outcomes:
        print(f"{outcome.status} {one_line(outcome.name, 200)}: {one_line(outcome.message, 400)}")
    print(intake.summary(outcomes))
    code = intake.exit_code(outcomes)
    if code:
        raise CommandError(f"nothing was added: all {len(outcomes)} item(s) were refused (reasons above).")
    return code


def _progress_bar(width: int = 30) -> Callable[[int, int], None]:
    """A one-line bar redrawn on stderr (a terminal only: piped output stays one line per item)."""

    def draw(done: int, total: int) -> None:
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()

    return draw


def _study(args: argparse.Namespace) -> int:
    """The ``study`` command: flags -> a Design and events, the study, then CSV on stdout.

    Refusals (a bad window, an unknown event, a ticker without prices) are UserErrors from the core.
    """
    from eventlens import study

    design = study.Design(
        ticker=args.ticker, benchmark=args.benchmark, model=args.model,
        windows=tuple(tuple(w) for w in args.window) if args.window else study.DEFAULT_WINDOWS,
        estimation=tuple(args.estimation), prediction_error=args.prediction_error,
        exclude_other_events=args.exclude_other_events, exclude_calendar=args.exclude_company_news,
    )
    if args.date and args.events:
        raise CommandError("Give either --date or --events, not both.")
    data = study.load_returns(design.ticker, design.benchmark)
    notes = list(data.notes)
    if args.date:
        events, mapped = study.events_for_dates(args.date, data.dates)
        notes += mapped
    else:
        events = study.store_events(args.events)
        given = list(args.events or [])
        notes += [f"{i} was given {given.count(i)} times; it is studied once."
                  for i in dict.fromkeys(given) if given.count(i) > 1]
    result = study.run_study(data, events, design)
    table = result.caar() if args.caar else result.rows[[*study.CSV_COLUMNS, "notes"]]
    for note in notes:
        print(f"note: {one_line(note)}", file=sys.stderr)
    table.to_csv(sys.stdout, index=False, date_format="%Y-%m-%d", float_format="%.10g", lineterminator="\n")
    return 0


def _run_export(args: argparse.Namespace) -> int:
    from eventlens.export_command import write_bundle

    if args.store is not None:
        return _backup(args.store)
    try:
        written = write_bundle(args.out, args.ticker.upper(), args.benchmark.upper(), args.model)
    except OSError as exc:
        raise CommandError(f"cannot write to {args.out}: {exc.strerror or exc}") from exc
    for path in written:
        print(path)
    return 0


def _backup(path: Path) -> int:
    from eventlens import events
    from eventlens.storage import atomic_write_bytes
    from eventlens.store import backup

    payload = backup.export_bytes(events.default_store())
    try:
        atomic_write_bytes(path, payload)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from exc
    print(f"wrote {path} ({len(payload):,} bytes)")
    return 0


def _import(args: argparse.Namespace) -> int:
    from eventlens import events
    from eventlens.store import backup

    try:
        if not args.file.is_file():
            raise CommandError(f"{args.file} is not a readable file.")
        payload = args.file.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    counts = backup.import_bytes(events.default_store(), payload)
    print("restored " + ", ".join(f"{n} {table}" for table, n in counts.items()))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    # One line whatever the message quotes (a file name may hold a newline or a terminal escape).
    except UserError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: the store could not be written ({one_line(exc.strerror or exc)}); nothing was changed",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
