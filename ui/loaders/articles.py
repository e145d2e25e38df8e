"""Cached loaders of one stored article: its text, date evidence, category reasons and mentions.

Each is keyed by the article id and the store's version stamp (:func:`ui.store.events_key`): a write to the
store, the CLI's included, makes the next run read the article afresh.
"""

from __future__ import annotations

import pandas as pd

from eventlens import events, vocabulary
from eventlens import news as articles
from eventlens.inert import inert_paragraphs
from eventlens.news.dating import report as date_report
from ui import store
from ui.loaders import caching


def article(article_id: str) -> articles.Article:
    """One stored article, decoded and cleaned (raises ArticleError if it cannot be read)."""
    return _article(article_id, *store.events_key())


@caching.resource(show_spinner=False, max_entries=256)  # an Article is read, never changed: no copy per rerun
def _article(article_id: str, where: str, revision: int) -> articles.Article:
    opened = store.current()
    if opened is None or where == store.SEEDS_ONLY:  # the store is unreadable: the app shows the seeds meanwhile
        return events.seed_article(article_id)
    return events.load_article(article_id, opened)


def article_markdown(article_id: str) -> str:
    """The article's text as inert markdown, one paragraph per non-empty line (every character escaped)."""
    return _article_markdown(article_id, *store.events_key())


@caching.resource(show_spinner=False, max_entries=256)
def _article_markdown(article_id: str, where: str, revision: int) -> str:
    return inert_paragraphs(article(article_id).text)


def article_report(article_id: str) -> date_report.DateReport:
    """The article with its date clues marked, and the evidence and candidate tables."""
    return _article_report(article_id, *store.events_key())


@caching.resource(show_spinner="Weighing the date evidence…", max_entries=64)
def _article_report(article_id: str, where: str, revision: int) -> date_report.DateReport:
    return date_report.date_report(article(article_id).text, article_dating(article_id))


def article_evidence_tables(article_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The date evidence and the candidate dates (probability to one decimal) as the reader sees them: headers
    and codes in words. Built once per article and store version, not on every rerun."""
    return _article_evidence_tables(article_id, *store.events_key())


@caching.resource(show_spinner=False, max_entries=64)
def _article_evidence_tables(article_id: str, where: str, revision: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    marked = article_report(article_id)
    return (vocabulary.worded(marked.evidence),
            vocabulary.worded(marked.candidates.round({"probability (%)": 1})))


def article_reasons(article_id: str) -> list[str]:
    """Why the rules chose the article's category and direction."""
    return _article_reasons(article_id, *store.events_key())


@caching.data(show_spinner=False, max_entries=256)
def _article_reasons(article_id: str, where: str, revision: int) -> list[str]:
    return article(article_id).classify().reasons


def article_mentions(article_id: str) -> pd.DataFrame:
    """Names, places, figures and topics found in the article, with their offsets."""
    return _article_mentions(article_id, *store.events_key())


@caching.data(show_spinner=False, max_entries=256)
def _article_mentions(article_id: str, where: str, revision: int) -> pd.DataFrame:
    found = article(article_id).mentions()
    return pd.DataFrame(
        [{"kind": m.kind, "label": m.label, "text": m.text, "start": m.start, "end": m.end} for m in found],
        columns=["kind", "label", "text", "start", "end"],
    )


def article_dating(article_id: str):
    """The dating engine's full answer (evidence, candidates) for one stored article."""
    return _article_dating(article_id, *store.events_key())


@caching.resource(show_spinner="Weighing the date evidence…", max_entries=64)  # read only, as _article
def _article_dating(article_id: str, where: str, revision: int):
    from eventlens.news.dating import engine as dating

    return dating.infer_date(article(article_id).text)
