"""Markdown source as a reader sees it: what AppTest returns is the source, escapes included."""

from __future__ import annotations

import html
import re

from eventlens.inert import JOINER

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation


def as_read(markdown: str) -> str:
    """``markdown`` with its backslash escapes and HTML entities resolved, as the page shows it.

    The invisible word joiners :mod:`eventlens.inert` puts after ``:`` and ``@`` are dropped too.
    """
    return html.unescape(_ESCAPED.sub(r"\1", markdown)).replace(JOINER, "")
