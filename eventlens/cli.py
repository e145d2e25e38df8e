"""``python -m eventlens``: the store, dating, the event study and exports from a shell.

Every command prints its result on stdout; a refused input gets exit code 2
and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
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
    p.set_defaults(handler=_events)
    p = sub.add_parser("date", help="infer an article's event and trading date (JSON)")
    p.add_argument("file", help="plain-text article (.txt or .md)")
    p.add_argument("--follow-symlinks", action="store_true", help="read the file a symbolic link points to")
    p.set_defaults(handler=_date)
    p = sub.add_parser("add", help="add an article to data/articles/ and its inferred event to the store")
    p.add_argument("file", help="plain-text article (.txt or .md, at most 1 MB; a regular file, not a link)")
    p.add_argument("--follow-symlinks", action="store_true", help="read the file a symbolic link points to")
    p.set_defaults(handler=_add)
    # --- study (event study) ---
    p = sub.add_parser(
        "study",
        help="event study: CARs, t-statistics and p-values as CSV",
        description="Event study (MacKinlay 1997) of a ticker against a benchmark. Prints CSV, one row per event "
        "and window; car, alpha and sigma are daily decimal returns (0.05 = 5%%). Notes about data problems "
        "go in the notes column; date mappings go to stderr.",
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
    p.add_argument("--caar", action="store_true", help="print CAAR per category and window (cross-sectional, BMP)")
    p.set_defaults(handler=_study)
    # --- export (report and charts) ---
    p = sub.add_parser("export", help="write the analyst report, the charts (PNG/SVG/HTML) and the tables (CSV)")
    p.add_argument("--out", required=True, type=Path, help="folder to write into (created if missing)")
    p.add_argument("--ticker", default="TSLA")
    p.add_argument("--benchmark", default="SPY")
    p.add_argument("--model", default="market", choices=["market", "market_adjusted", "constant_mean"])
    p.set_defaults(handler=_run_export)
    return parser


def _print(text: str) -> int:
    print(text, end="" if text.endswith("\n") else "\n")
    return 0


def _events(args: argparse.Namespace) -> int:
    """``events``: the store as CSV on stdout."""
    from eventlens import events

    return _print(events.events_csv())


def _date(args: argparse.Namespace) -> int:
    """``date FILE``: the inferred date as JSON."""
    from eventlens import events

    return _print(events.date_json(args.file, args.follow_symlinks))


def _add(args: argparse.Namespace) -> int:
    """``add FILE``: store the article and its inferred event."""
    from eventlens import events

    return _print(events.add_file(args.file, args.follow_symlinks))


def _study(args: argparse.Namespace) -> int:
    """The ``study`` command: the logic lives in eventlens.event_study."""
    from eventlens import event_study

    table, notes = event_study.cli_study(
        ticker=args.ticker, benchmark=args.benchmark, model=args.model,
        windows=[tuple(w) for w in args.window] if args.window else None,
        estimation=tuple(args.estimation), dates=args.date, event_ids=args.events,
        prediction_error=args.prediction_error, exclude_other_events=args.exclude_other_events,
        cross_event=args.caar,
    )
    for note in notes:
        print(f"note: {one_line(note)}", file=sys.stderr)
    table.to_csv(sys.stdout, index=False, date_format="%Y-%m-%d", float_format="%.10g", lineterminator="\n")
    return 0


def _run_export(args: argparse.Namespace) -> int:
    from eventlens.export_command import write_bundle

    try:
        written = write_bundle(args.out, args.ticker.upper(), args.benchmark.upper(), args.model)
    except OSError as exc:
        raise CommandError(f"cannot write to {args.out}: {exc.strerror or exc}") from exc
    for path in written:
        print(path)
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
