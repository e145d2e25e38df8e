"""Who published an article: a signature in the raw text (byline, dateline, footer), else an outlet it cites."""

from __future__ import annotations

import re

# Publishers recognised by a signature in the raw text (including boilerplate).
_PUBLISHERS = [
    ("MyWallSt", re.compile(r"\bMyWallSt\b")),
    ("WSJ / Dow Jones", re.compile(r"Dow Jones|Wall Street Journal|\bWSJ\b")),
    ("Benzinga", re.compile(r"\bBenzinga\b|^Price Action:|^Posted In:|^Why It Matters:", re.M)),
    ("Reuters", re.compile(r"^\s*\(Reuters\)|\bReuters\s*-\s", re.M)),
]


def publisher(raw: str) -> str | None:
    """The publisher named by a signature in the raw text (boilerplate included), if any."""
    return next((name for name, pattern in _PUBLISHERS if pattern.search(raw)), None)


def source(raw: str, cited_outlets: list[str]) -> str:
    """The publisher when a signature names it, else the first outlet the text cites, else 'unknown'."""
    found = publisher(raw)
    if found:
        return found
    return f"{cited_outlets[0]} (cited)" if cited_outlets else "unknown"
