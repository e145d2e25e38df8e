"""The one escaper for untrusted text: what Streamlit's markdown would see, checked on the markdown source.

What the browser finally draws is checked in tests/e2e/test_hostile_text.py; here the rules are pinned
down one by one, so a change that drops one fails with its name.
"""

from __future__ import annotations

import html
import re

import pytest

from eventlens.inert import JOINER, clip, inert, inert_paragraphs, one_line, plain
from tests.hostile import HOSTILE
from tests.rendered import as_read

# What Streamlit's markdown finds in text *after* CommonMark escapes are resolved (so a backslash does not stop it).
AUTOLINK = re.compile(r"(https?://|www\.|[\w.+-]+@[\w-]+\.)", re.IGNORECASE)
SHORTCODE = re.compile(r":[a-z0-9_/+-]+:|:[a-z-]+\[", re.IGNORECASE)


@pytest.mark.parametrize("text", HOSTILE)
def test_inert_text_reads_back_as_the_same_characters_on_one_line(text):
    assert as_read(inert(text)) == (" ".join(text.split()) if "\n" in text else text)


@pytest.mark.parametrize("text", HOSTILE)
def test_no_markup_survives_the_escapes(text):
    shown = inert(text)
    resolved = html.unescape(re.sub(r"\\(.)", r"\1", shown))  # escapes resolved, joiners kept
    assert not AUTOLINK.search(resolved) and not SHORTCODE.search(resolved)
    assert "<" not in shown and ">" not in shown and "\n" not in shown
    # every markdown-special ASCII character is preceded by a backslash
    assert not re.search(r"(?<!\\)[`*_\[\]()#!|~$:@]", shown)


def test_breaks_autolinks_and_shortcodes_with_a_word_joiner_not_a_visible_change():
    assert inert("http://a.example") == "http\\:" + JOINER + "//a\\.example"
    assert inert("www.a.example").startswith("www" + JOINER)
    assert inert("me@a.example") == "me\\@" + JOINER + "a\\.example"
    assert inert(":rocket:") == "\\:" + JOINER + "rocket\\:" + JOINER


def test_control_characters_and_none():
    assert inert(None) == ""
    assert inert("a\r\nb\tc\x1b[31md\u2028e") == "a  b c [31md e".replace("[", "\\[")


def test_paragraphs_mark_spans_and_keep_everything_else_inert():
    text = "On June 1, 2023 :rocket: http://x.example\n\n    indented **b**\r\nlast"
    md = inert_paragraphs(text, [(3, 15, "E1")])
    paragraphs = md.split("\n\n")
    assert paragraphs[0].startswith("On **June 1, 2023** `E1` \\:" + JOINER + "rocket")
    assert paragraphs[1] == "indented \\*\\*b\\*\\*"  # no indented code block, no bold
    assert paragraphs[2] == "last"
    assert as_read(paragraphs[0]).replace("**", "").replace(" `E1`", "") == "On June 1, 2023 :rocket: http://x.example"


def test_plain_is_one_clipped_line_without_escapes():
    assert plain("a\nb  <b>:rocket:</b>") == "a b  <b>:rocket:</b>"
    assert plain("x" * 50, 10) == "x" * 9 + "…"


def test_one_line_shows_control_characters_as_escapes():
    assert one_line("evil\nname\x1b[2J.txt") == "evil\\nname\\x1b[2J.txt"
    assert "\n" not in one_line("a\u2028b\rc")


def test_clip():
    assert clip("abc", 3) == "abc" and clip("abcd", 3) == "ab…"

