"""Cached loaders of one stored article: its text, date evidence, category reasons and mentions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from eventlens import events
from eventlens import news as articles
from eventlens.inert import inert_paragraphs
from eventlens.news.dating import report as date_report
from ui import store


@st.cache_data(show_spinner=False, max_entries=256)
def article(article_id: str) -> articles.Article:
    """One stored article, decoded and cleaned (raises ArticleError if it cannot be read)."""
    opened = store.current()
    return events.load_article(article_id, opened) if opened is not None else events.seed_article(article_id)


@st.cache_resource(show_spinner=False, max_entries=256)
def article_markdown(article_id: str) -> str:
    """The article's text as inert markdown, one paragraph per non-empty line (every character escaped)."""
    return inert_paragraphs(article(article_id).text)


@st.cache_resource(show_spinner="Weighing the date evidence…", max_entries=64)
def article_report(article_id: str) -> date_report.DateReport:
    """The article with its date clues marked, and the evidence and candidate tables."""
    return date_report.date_report(article(article_id).text, article_dating(article_id))


@st.cache_data(show_spinner=False, max_entries=256)
def article_reasons(article_id: str) -> list[str]:
    """Why the rules chose the article's category and direction."""
    return article(article_id).classify().reasons


@st.cache_data(show_spinner=False, max_entries=256)
def article_mentions(article_id: str) -> pd.DataFrame:
    """Names, places, figures and topics found in the article, with their offsets."""
    found = article(article_id).mentions()
    return pd.DataFrame(
        [{"kind": m.kind, "label": m.label, "text": m.text, "start": m.start, "end": m.end} for m in found],
        columns=["kind", "label", "text", "start", "end"],
    )


@st.cache_data(show_spinner="Weighing the date evidence…", max_entries=64)
def article_dating(article_id: str):
    """The dating engine's full answer (evidence, candidates) for one stored article."""
    from eventlens.news.dating import engine as dating

    return dating.infer_date(article(article_id).text)
