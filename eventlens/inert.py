"""Untrusted text made inert: the one way the app shows text it did not write.

Article text, titles, sources, file names, link values and the messages that
quote them reach Streamlit elements that render markdown (``st.markdown``,
captions, alert boxes, widget, tab, metric and expander labels). Streamlit's
markdown is more than CommonMark: GitHub autolinks (``http://...``,
``www.``, ``a@b.example``), LaTeX (``$...$``), colour directives
(``:red[...]``), emoji and Material-icon shortcodes (``:rocket:``,
``:material/warning:``) and raw HTML. Backslash escapes alone do not stop
the autolinks or the shortcodes: Streamlit finds those in the text *after*
the escapes are resolved (checked in chromium). So, besides the escapes,
an invisible WORD JOINER (U+2060) goes after every ``:`` and ``@`` and
between ``www`` and its dot, which no autolink or shortcode pattern matches
across; the text reads (and wraps) the same.

The core never renders anything; this module only makes strings, and has no
Streamlit import, so the pages and the CLI share it.
"""

from __future__ import annotations

import re

JOINER = "\u2060"  # WORD JOINER: invisible, zero width, no line break
# One pass of str.translate: HTML's three as entities, markdown's punctuation backslash-escaped, a word
# joiner after ':' and '@', control characters as spaces.
_TABLE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    | {c: "\\" + c for c in "\\`*_{}[]()#+-.!|~$=^"}
    | {c: "\\" + c + JOINER for c in ":@"}
    | {c: " " for c in [*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), "\u2028", "\u2029"]}
)
_WWW = re.compile(r"(www)(?=\\?\.)", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85\v\f]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # Unicode's control characters (Cc) and line separators


def _controls_to_spaces(text: str) -> str:
    """Line breaks, tabs and other control characters as spaces (they have no business in one line of text)."""
    return _CONTROLS.sub(" ", text)


def inert(text: object) -> str:
    """``text`` as markdown that shows exactly those characters on one line and interprets none of them.

    For any Streamlit element that renders markdown. Line breaks and control
    characters become spaces; ``None`` becomes the empty string.
    """
    value = ("" if text is None else str(text)).translate(_TABLE).strip()
    return _WWW.sub(r"\1" + JOINER, value)


def inert_paragraphs(text: str, spans: list[tuple[int, int, str]] | None = None) -> str:
    """Each non-empty line of ``text`` as its own inert paragraph, ``spans`` in bold and tagged.

    ``spans`` are ``(start, end, tag)`` offsets into ``text`` (date clues);
    the tag (e.g. ``E3``) follows its span as inline code so the reader can
    find the matching row of the evidence table. The bold markers and the
    tags are the only markdown; every character of ``text`` goes through
    :func:`inert`.
    """
    spans = spans or []
    out = []
    pos = 0
    for brk in [*_LINE_BREAKS.finditer(text), None]:
        start, end = pos, brk.start() if brk else len(text)
        pos = brk.end() if brk else end
        if not text[start:end].strip():
            continue
        inside = sorted((max(s, start), min(e, end), tag) for s, e, tag in spans if s < end and e > start)
        parts, cursor = [], start
        for s, e, tag in inside:
            if s < cursor:  # overlapping span: keep the first
                continue
            piece, marked = text[s:e], text[s:e].strip()
            parts.append(_piece(text[cursor:s]))
            if marked:
                parts.append((" " if piece[:1].isspace() else "") + f"**{inert(marked)}** `{tag}`"
                             + (" " if piece[-1:].isspace() else ""))
            cursor = e
        parts.append(_piece(text[cursor:end]))
        out.append("".join(parts).strip())
    return "\n\n".join(out)


def _piece(text: str) -> str:
    """A part of a line: inert, with the spaces at its ends kept (they separate it from the marks)."""
    core = inert(text)
    if not core:
        return " " if text else ""
    return (" " if text[:1].isspace() else "") + core + (" " if text[-1:].isspace() else "")


def plain(text: object, limit: int | None = None) -> str:
    """``text`` for elements that show plain text (picker options, table cells): one line, at most ``limit`` chars.

    Streamlit's selectbox and multiselect options are not markdown, so the
    escapes of :func:`inert` would show; they only need one line.
    """
    value = _controls_to_spaces("" if text is None else str(text)).strip()
    return value if limit is None else clip(value, limit)


def one_line(text: object, limit: int | None = None) -> str:
    """``text`` on one line of a terminal: control characters and line breaks shown as escapes (``\\n``).

    A file name may hold a newline or an escape sequence; a CLI message that
    quotes it must still be one line and must not drive the terminal.
    """
    value = "" if text is None else str(text)
    shown = _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode(), value)
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return shown


def clip(text: object, limit: int) -> str:
    """At most ``limit`` characters of ``text`` (with an ellipsis when cut), for quoting untrusted input."""
    value = "" if text is None else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"
