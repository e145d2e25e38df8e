"""What makes a file an article for the store: its suffix, and the digest that finds the same bytes again.

The articles themselves live in the store (:mod:`eventlens.store`), with their bytes, so that a restart or
another replica sees the same library; this module holds only the rules every entry point shares.
"""

from __future__ import annotations

import hashlib

ARTICLE_SUFFIXES = (".txt", ".md")


def sha256_hex(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()
