"""The same story twice: exact duplicates by bytes, near-duplicates by shared word sequences.

An event study should count news, not articles: when two outlets run the
same wire story (lightly edited, a different headline, a paragraph cut), the
two articles are one event. Near-duplicates are found by the Jaccard
similarity of word 3-shingles (lower-cased, punctuation dropped), and only
grouped when they also fall on the same trading day and share a topic, so two
different stories that reuse boilerplate are not merged.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

NEAR_DUPLICATE = 0.5  # Jaccard similarity of word 3-shingles from which two texts are one story


def shingles(text: str, size: int = 3) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower())
    if len(words) < size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i: i + size]) for i in range(len(words) - size + 1))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word 3-shingles (0 unrelated .. 1 the same words)."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


@dataclass(frozen=True)
class Story:
    """What grouping needs to know of one article."""

    article_id: str
    text: str
    trading_date: Hashable  # None when undated: an undated article is never grouped
    topic: str


def group_near_duplicates(stories: Sequence[Story], threshold: float = NEAR_DUPLICATE) -> list[list[str]]:
    """Groups of article ids that are one story (same trading day, same topic, similar text), first seen first."""
    parent = list(range(len(stories)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sets = [shingles(s.text) for s in stories]
    for i in range(len(stories)):
        for j in range(i + 1, len(stories)):
            a, b = stories[i], stories[j]
            if a.trading_date is None or a.trading_date != b.trading_date or a.topic != b.topic:
                continue
            union = sets[i] | sets[j]
            if union and len(sets[i] & sets[j]) / len(union) >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[str]] = {}
    for i, story in enumerate(stories):
        groups.setdefault(root(i), []).append(story.article_id)
    return list(groups.values())
