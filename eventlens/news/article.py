"""The article model: a decoded, cleaned text that every span indexes into, and what can be read from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from eventlens.news import classify as classify_mod
from eventlens.news import source as source_mod
from eventlens.news.clean import Stripped, clean_text
from eventlens.news.decode import ArticleError, decode_article
from eventlens.news.extract import Mention, mentions


def lede_end(text: str) -> int:
    """Offset after the headline and the first two non-empty paragraphs (the article's subject)."""
    count, pos = 0, 0
    for line in text.split("\n"):
        pos += len(line) + 1
        if line.strip():
            count += 1
            if count >= 3:
                break
    return min(pos, len(text))


@dataclass
class Article:
    """A decoded, cleaned article: ``text`` is what every span indexes into."""

    article_id: str
    raw: str
    text: str
    encoding: str
    stripped: list[Stripped] = field(default_factory=list)
    path: Path | None = None

    @property
    def title(self) -> str:
        return next((ln.strip() for ln in self.text.split("\n") if ln.strip()), "")[:200]

    @property
    def lede_end(self) -> int:
        """Offset where the headline and the first two paragraphs end (the article's subject)."""
        return lede_end(self.text)

    def publisher(self) -> str | None:
        return source_mod.publisher(self.raw)

    def source(self) -> str:
        """The publisher when a signature names it, else the first outlet the text cites."""
        return source_mod.source(self.raw, [m.label for m in self.mentions() if m.kind == "cited_outlet"])

    def mentions(self) -> list[Mention]:
        """Outlets, organisations, places, people, figures and topics, each with its span."""
        return mentions(self.text)

    def classify(self) -> classify_mod.Classification:
        """Topic and direction with the rule hits that decided them."""
        return classify_mod.classify(self.text, self.lede_end)

    def summary(self, limit: int = 300) -> str:
        """The first body sentence(s) after the headline, for the store's summary column."""
        body = self.text[len(self.text.split("\n", 1)[0]):].strip() or self.text
        first = " ".join(body.split())
        return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def parse_article(payload: bytes, article_id: str, path: Path | None = None, name: str | None = None) -> Article:
    """Decode, validate and clean one article."""
    raw, encoding = decode_article(payload, name or article_id)
    text, stripped = clean_text(raw)
    if not text.strip():
        raise ArticleError(f"{name or article_id} holds nothing but boilerplate.")
    return Article(article_id, raw, text, encoding, stripped, path)
