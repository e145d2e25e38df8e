"""An HTML page as an article: its main text (no menus, footers or link lists) and its metadata date.

trafilatura finds the article body of a saved web page and the date its
metadata gives (``article:published_time``, JSON-LD, the URL...). The date
becomes a ``Published <date>`` line, so the dating engine reads it as a
publication stamp: one more clue, which still has to agree with the others.
"""

from __future__ import annotations

from eventlens.news.decode import MAX_BYTES, ArticleError

MAX_HTML_BYTES = 5 * MAX_BYTES  # pages carry markup and scripts around a text that must itself fit MAX_BYTES


def html_to_article(payload: bytes, name: str = "the page") -> bytes:
    """The page's title, metadata date and main text as plain-text article bytes; refused when no text is found."""
    if len(payload) > MAX_HTML_BYTES:
        raise ArticleError(f"{name} is {len(payload):,} bytes; web pages larger than {MAX_HTML_BYTES:,} bytes are "
                           "refused.")
    import trafilatura  # ~1 s to import: only when a page is added

    doc = trafilatura.bare_extraction(payload.decode("utf-8", errors="replace"), with_metadata=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise ArticleError(f"{name} has no article text that could be found in its HTML.")
    title = (getattr(doc, "title", None) or "").strip()
    date = (getattr(doc, "date", None) or "").strip()
    lines = [title] if title and not text.lstrip().startswith(title) else []
    body = text.strip()
    if title and body.startswith(title):
        lines, body = [title], body[len(title):].strip()
    if date:
        lines.append(f"Published {date}")
    return ("\n".join(lines) + "\n\n" + body + "\n").encode()
