"""News articles: decode, clean, extract, classify, store, show safely, and date (``news.dating``).

One concern per module; this package re-exports the names pages and the store
use, so ``from eventlens import news`` reads like the old ``articles`` module.
Dating (numpy, pandas, dateparser) is not imported here: pages that only show
articles do not pay for it.
"""

from eventlens.news.article import Article, lede_end, parse_article
from eventlens.news.classify import Classification
from eventlens.news.clean import Stripped, clean_text
from eventlens.news.decode import MAX_BYTES, ArticleError, decode_article
from eventlens.news.extract import Mention
from eventlens.news.library import ARTICLE_SUFFIXES, sha256_hex
from eventlens.news.taxonomy import CATEGORIES, DIRECTIONS, TOPICS

__all__ = [
    "ARTICLE_SUFFIXES", "CATEGORIES", "DIRECTIONS", "MAX_BYTES", "TOPICS", "Article", "ArticleError",
    "Classification", "Mention", "Stripped", "clean_text", "decode_article", "lede_end", "parse_article", "sha256_hex",
]
