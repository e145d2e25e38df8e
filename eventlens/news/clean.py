"""Boilerplate stripping: keep only the article, so site furniture never counts as evidence.

The text is cleaned of photo credits, "Read next" lists, copyright lines and
repeated headlines, so that stray headlines or a copyright year never date an
article. What is removed is kept (with the reason) for the reader to inspect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line matching one of these is furniture, not article, and so is everything after it.
_CUT_FROM = [
    (re.compile(r"^\s*photo\s*(credit)?\s*:", re.I), "photo credit and what follows it"),
    (re.compile(r"^\s*read (more|next)\b", re.I), "'read more' list"),
    (re.compile(r"^\s*posted in\s*:", re.I), "site tags"),
    (re.compile(r"^\s*(copyright\s*)?©|^\s*copyright\b", re.I), "copyright line"),
    (re.compile(r"full disclosure policy", re.I), "disclosure notice"),
]
# Single lines of furniture inside the article.
_DROP_LINE = [
    (re.compile(r"^\s*author-image\s*$", re.I), "author image placeholder"),
    (re.compile(r"^\s*new update\s*$", re.I), "site label"),
    (re.compile(r"^\s*read our\b.*$", re.I), "promotion line"),
    (re.compile(r"^\s*\.?source\s*$", re.I), "site label"),
]


@dataclass(frozen=True)
class Stripped:
    """A run of boilerplate removed from the raw text, and why."""

    text: str
    reason: str


def clean_text(raw: str) -> tuple[str, list[Stripped]]:
    """Keep only the article: drop furniture lines, repeated headlines and trailing link lists.

    Cut markers are only honoured in the second half of the text so that an
    article that merely *mentions* a photo credit early on is not truncated.
    """
    lines = raw.split("\n")
    stripped: list[Stripped] = []
    n_chars = len(raw)
    pos = 0
    cut_at = len(lines)
    for i, line in enumerate(lines):
        hit = next(((strong, reason) for strong, (p, reason) in enumerate(_CUT_FROM) if p.search(line)), None)
        # photo credits and "read more" only count late in the text; site tags, copyright, disclosure anywhere
        if hit and i > 0 and (hit[0] >= 2 or pos >= n_chars * 0.5):
            cut_at = i
            stripped.append(Stripped("\n".join(lines[i:]).strip(), hit[1]))
            break
        pos += len(line) + 1
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines[:cut_at]:
        reason = next((r for p, r in _DROP_LINE if p.search(line)), None)
        key = line.strip()
        if reason:
            stripped.append(Stripped(key, reason))
            continue
        if key and key in seen and len(key) > 20:
            stripped.append(Stripped(key, "repeated line"))
            continue
        if key:
            seen.add(key)
        kept.append(line.rstrip())
    # A trailing run of short lines with no sentence punctuation is a list of other headlines.
    tail = len(kept)
    while tail > 0 and not kept[tail - 1].strip():
        tail -= 1
    start = tail
    while start > 0 and _looks_like_headline(kept[start - 1]):
        start -= 1
    if tail - start >= 3:
        stripped.append(Stripped("\n".join(kept[start:tail]), "list of unrelated headlines"))
        kept = kept[:start]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return text, stripped


def _looks_like_headline(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) <= 140 and not s.endswith((".", ":", '"', "”", "?", "!")) and len(s.split()) >= 3


