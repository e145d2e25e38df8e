"""News articles: decode, clean, extract, classify, store, show safely, and date (``news.dating``).

One concern per module; this package re-exports the names pages and the store
use, so ``from eventlens import news`` reads like the old ``articles`` module.
Each name's module is imported on first use (PEP 562, as :mod:`eventlens.study` does): a page that only
needs the topic names (the taxonomy) or an article error does not import and compile the readers,
classifiers and dating clues, which a new process would otherwise pay on its first visit.
"""

from typing import TYPE_CHECKING

from eventlens.lazy_exports import lazy_exports

if TYPE_CHECKING:  # the real types for mypy and editors; at run time each name is imported on first use
    from eventlens.news.article import Article, lede_end, parse_article
    from eventlens.news.classify import Classification
    from eventlens.news.clean import Stripped, clean_text
    from eventlens.news.decode import MAX_BYTES, ArticleError, decode_article
    from eventlens.news.extract import Mention
    from eventlens.news.library import ARTICLE_SUFFIXES, sha256_hex
    from eventlens.news.taxonomy import CATEGORIES, DIRECTIONS, TOPICS

_SOURCES = {
    "Article": "article", "lede_end": "article", "parse_article": "article",
    "Classification": "classify",
    "Stripped": "clean", "clean_text": "clean",
    "MAX_BYTES": "decode", "ArticleError": "decode", "decode_article": "decode",
    "Mention": "extract",
    "ARTICLE_SUFFIXES": "library", "sha256_hex": "library",
    "CATEGORIES": "taxonomy", "DIRECTIONS": "taxonomy", "TOPICS": "taxonomy",
}
_SUBMODULES = ("article", "batch", "classify", "clean", "dating", "decode", "duplicates", "extract", "html", "library",
               "source", "taxonomy")

__all__ = [
    "ARTICLE_SUFFIXES", "CATEGORIES", "DIRECTIONS", "MAX_BYTES", "TOPICS", "Article", "ArticleError",
    "Classification", "Mention", "Stripped", "clean_text", "decode_article", "lede_end", "parse_article", "sha256_hex",
]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _SOURCES, _SUBMODULES, __all__)
