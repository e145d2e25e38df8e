"""``python -m eventlens``: the store, dating, the event study and exports from a shell.

Every command prints its result on stdout; a refused input gets exit code 2
and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


class CommandError(Exception):
    """A refusal with a message for the user (exit code 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eventlens", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)  # noqa: F841 - filled below
    # --- events / date / add (articles, dating, events store) ---
    # --- study (event study) ---
    # --- export (report and charts) ---
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
