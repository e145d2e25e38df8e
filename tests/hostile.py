"""Hostile strings every place that shows untrusted text is fed (unit, AppTest and browser tests share them)."""

from __future__ import annotations

HOSTILE = [
    "![a](http://127.0.0.1:9/pixel.png)",
    "[x](javascript:alert(1))",
    ":material/warning:",
    ":red[alarm]",
    ":rocket:",
    "$x^2$",
    "<img src=x onerror=alert(1)>",
    "http://evil.example/",
    "www.evil.example",
    "mail@evil.example",
    "**bold**",
    "`tick`",
    "line one\nline two",
    ":streamlit:",
    "~~gone~~",
]
# One string holding them all, as an article title, source or file name would.
ALL_IN_ONE = " ".join(h.replace("\n", " ") for h in HOSTILE)
