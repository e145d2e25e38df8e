"""Untrusted article text as inert markdown, with evidence spans marked.

Article text may hold HTML, script or markdown; nothing in it may render.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:=^])")


def escape_markdown(text: str) -> str:
    """Make untrusted text inert for ``st.markdown``: HTML entities for <>&, backslashes for markdown syntax.

    Article text may hold HTML, script or markdown; escaped this way it is
    shown literally and nothing in it is interpreted (links, images, LaTeX,
    Streamlit's ``:color[...]`` directives).
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def highlighted_paragraphs(text: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """Each non-empty line of ``text`` as safe markdown with ``spans`` in bold and tagged.

    ``spans`` are ``(start, end, tag)`` offsets into ``text``; the tag (e.g.
    ``E3``) is shown as inline code after the span so the reader can find the
    matching row of the evidence table. Only the bold markers and tags are
    markdown we add; everything from the article goes through
    :func:`escape_markdown`.
    """
    out = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        inside = sorted((max(s, start), min(e, end), tag) for s, e, tag in spans if s < end and e > start)
        parts, cursor = [], start
        for s, e, tag in inside:
            if s < cursor:  # overlapping span: keep the first
                continue
            parts.append(escape_markdown(text[cursor:s]))
            marked = text[s:e].strip()
            lead = text[s:e][: len(text[s:e]) - len(text[s:e].lstrip())]
            trail = text[s:e][len(text[s:e].rstrip()):]
            parts.append(escape_markdown(lead) + (f"**{escape_markdown(marked)}**" if marked else "")
                         + f" `{tag}`" + escape_markdown(trail))
            cursor = e
        parts.append(escape_markdown(text[cursor:end]))
        out.append("".join(parts))
    return out
