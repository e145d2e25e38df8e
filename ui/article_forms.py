"""The Articles page's forms: add many articles at once, answer an undated article's date, correct an event.

Kept out of ``pages/articles.py`` so the page stays a thin list of what it
draws. Every name, message and source here is untrusted (file names, article
text, what the store holds): markdown gets :func:`eventlens.inert.inert`,
picker options and table cells :func:`eventlens.inert.plain`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from eventlens import events, intake, vocabulary
from eventlens import news as articles
from eventlens.corrections import MAX_SOURCE
from eventlens.inert import inert, plain
from eventlens.news.batch import FEED_SUFFIXES, HTML_SUFFIXES
from eventlens.news.dating.weights import default_weights
from ui import store as ui_store
from ui.loaders import articles as article_data
from ui.loaders import events as event_data

PAGE = "art"
FLASH = f"{PAGE}_flash"
RESULTS = f"{PAGE}_results"  # the last batch's outcomes, shown after the rerun that redraws the list
QUESTIONS = f"{PAGE}_questions"  # article ids just added whose date the engine could not settle
HANDLED = f"{PAGE}_handled"  # uploader file ids already added (a rerun must not add them again)
UPLOAD_TYPES = ["txt", "md", *(s.lstrip(".") for s in (*HTML_SUFFIXES, *FEED_SUFFIXES)), "csv", "jsonl", "zip"]
UNSETTLED = ("undated", "low")  # labels that make an added article a question, not a success
TOP_CANDIDATES = 5


def flash(kind: str, message: str) -> None:
    """Keep a message across the rerun that follows a write."""
    st.session_state[FLASH] = (kind, message)


def writable() -> events.Store | None:
    """The store to write to; None (with a message) while it cannot be used."""
    opened = ui_store.current()
    if opened is None:
        st.error("The events store cannot be used right now (see the message at the top); nothing can be saved.")
    return opened


def label_meaning(label: str) -> str:
    """What a confidence label promises (one sentence), or who set the date when no model did."""
    if label == "curated":
        return "curated: the date is taken from a cited source, not inferred from the text."
    if label == "analyst":
        return "analyst: a person set this date; it carries no model probability."
    try:
        return default_weights().meaning(label)
    except KeyError:
        return f"{label}: not a label the dating engine gives."


# --- adding -----------------------------------------------------------------------------------


def _message(outcome: intake.Outcome) -> tuple[str, str]:
    """(kind, one inert sentence) for one item, as the single-upload messages always read."""
    name = inert(outcome.name)
    if outcome.status == "added":
        date = "undated" if outcome.event_date is None else f"{outcome.event_date:%Y-%m-%d}"
        return "success", (f"Added {name} as article {inert(outcome.article_id)} (decoded as "
                           f"{inert(outcome.encoding)}): event date {date}, {inert(outcome.date_label)}, category "
                           f"{inert(outcome.category)}.")
    if outcome.status == "grouped":
        return "success", f"Added {name}: {inert(outcome.message)}"
    if outcome.status == "duplicate":
        return "warning", f"{name} is {inert(outcome.message)}"
    return "error", f"Refused: {inert(outcome.message)} Nothing was saved."


def results_table(outcomes: list[intake.Outcome]) -> pd.DataFrame:
    """One row per item: file, result, event date, confidence and the reason, as plain text."""
    return pd.DataFrame(
        [{"file": plain(o.name, 120), "result": o.status,
          "event date": "" if o.event_date is None else f"{o.event_date:%Y-%m-%d}",
          "confidence": plain(o.date_label), "details": plain(o.message, 300)} for o in outcomes],
        columns=["file", "result", "event date", "confidence", "details"])


def add_uploads(files: list[tuple[str, bytes]]) -> tuple[list[intake.Outcome], str | None]:
    """Add every uploaded file's articles with a progress bar; (outcomes, the store's failure if it stopped)."""
    opened = ui_store.current()
    if opened is None:
        return [], "The events store cannot be used right now; the article was not saved."
    try:
        gathered = intake.gather_uploads(files)
    except articles.ArticleError as exc:
        return [], f"Refused: {inert(exc)} Nothing was saved."
    bar = st.progress(0.0, text=f"Adding {len(gathered)} article(s)…") if len(gathered) > 1 else None
    outcomes: list[intake.Outcome] = []

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.progress(done / total, text=f"Added {done} of {total}")

    try:
        for entry in gathered:
            outcomes += intake.add_all([entry], store=opened)
            progress(len(outcomes), len(gathered))
    except events.EventStoreError as exc:
        return outcomes, f"Refused: {inert(exc)} Nothing more was saved."
    except OSError as exc:
        return outcomes, (f"The article could not be saved ({inert(exc.strerror or exc)}); nothing was changed for "
                          "it or the files after it.")
    finally:
        if bar is not None:
            bar.empty()
    return outcomes, None


def show_upload() -> None:
    """Take new articles (several files, a zip, a table or a feed): same checks as ``python -m eventlens add``."""
    uploads = st.file_uploader(
        "Articles: .txt or .md (at most 1 MB each), saved .html pages, a .csv or .jsonl of articles (title, text), "
        "an RSS/Atom feed, or a .zip of them", type=UPLOAD_TYPES, accept_multiple_files=True, key=f"{PAGE}_upload")
    handled = st.session_state.setdefault(HANDLED, set())
    new = [u for u in uploads or [] if u.file_id not in handled]
    if new:
        handled.update(u.file_id for u in new)  # each upload is added once, not on every rerun
        outcomes, failure = add_uploads([(u.name, u.getvalue()) for u in new])
        st.session_state[RESULTS] = outcomes
        st.session_state[QUESTIONS] = [o.article_id for o in outcomes
                                       if o.status == "added" and o.date_label in UNSETTLED]
        if failure is not None:
            st.error(failure)
        elif any(o.status in ("added", "grouped") for o in outcomes):
            if len(outcomes) == 1:
                flash(*_message(outcomes[0]))
            st.rerun()  # redraw the list and reader with the new events
    show_results(st.session_state.get(RESULTS) or [])
    for article_id in list(st.session_state.get(QUESTIONS) or []):
        show_question(article_id, origin="upload")


def show_results(outcomes: list[intake.Outcome]) -> None:
    if not outcomes:
        return
    if len(outcomes) == 1:
        if outcomes[0].status not in ("added", "grouped"):  # a success was flashed at the top already
            kind, message = _message(outcomes[0])
            getattr(st, kind)(message)
        return
    n = intake.counts(outcomes)
    said = (f"{len(outcomes)} items: {n['added']} added, {n['grouped']} grouped with an event already stored, "
            f"{n['duplicate']} duplicate(s), {n['refused']} refused.")
    (st.success if n["refused"] == 0 else st.warning)(said)
    st.dataframe(results_table(outcomes), hide_index=True, width="stretch")


# --- an undated article is a question -------------------------------------------------------------


def _candidate_days(article_id: str) -> tuple[list[pd.Timestamp], pd.DataFrame, pd.DataFrame]:
    """The engine's top candidate days for an article, with its candidate table (in words, as the Reader's) and its
    evidence table."""
    result = article_data.article_dating(article_id)
    report = article_data.article_report(article_id)
    candidates = article_data.article_evidence_tables(article_id)[1]
    days = ([result.event_date] if result.event_date is not None else []) + [c.date for c in result.alternatives]
    return days[:TOP_CANDIDATES], candidates.head(TOP_CANDIDATES), report.evidence


def show_question(article_id: str, origin: str = "reader") -> None:
    """Warn that the article's date is not settled, show the candidate days and their evidence, and save a pick."""
    views = event_data.store_views()
    row = views.records.get(article_id)
    if row is None:  # grouped or gone: nothing to ask here
        return
    title = inert(row["title"])
    if pd.isna(row["event_date"]):
        st.warning(f"**{title}** was added but left undated: its text does not single out one trading day, so it "
                   "is not on the charts yet. Pick the date below.", icon=":material/help:")
    else:
        st.warning(f"**{title}** was dated {row['event_date']:%Y-%m-%d} with low confidence. Check it below.",
                   icon=":material/help:")
    days, candidates, evidence = _candidate_days(article_id)
    if len(candidates):
        st.dataframe(candidates, hide_index=True, width="stretch",
                     column_config={"Probability (%)": st.column_config.NumberColumn(format="%.1f")})
    if len(evidence):
        with st.expander("Evidence in the text"):
            st.dataframe(vocabulary.worded(evidence.assign(text=[plain(t, 200) for t in evidence["text"]])),
                         hide_index=True, width="stretch")
    typed = "type a date"
    options = [f"{d:%Y-%m-%d}" for d in days] + [typed]
    key = f"{PAGE}_ask_{origin}_{article_id}"
    with st.form(key, border=True):
        choice = st.radio("Event date", options, key=f"{key}_choice", horizontal=True)
        day = st.date_input("Typed date (when 'type a date' is chosen)", value=None, format="YYYY-MM-DD",
                            key=f"{key}_typed")
        submitted = st.form_submit_button("Save this date", type="primary")
    if not submitted:
        return
    picked = day if choice == typed else pd.Timestamp(choice)
    if picked is None:
        st.error("Type a date, or pick one of the candidate days.")
        return
    opened = writable()
    if opened is None:
        return
    try:
        events.update_event(str(row["event_id"]), expected_version=int(row["version"]), store=opened,
                            note="date picked after upload", event_date=pd.Timestamp(picked))
    except events.EventStoreError as exc:
        st.error(f"Not saved: {inert(exc)}")
        return
    st.session_state[QUESTIONS] = [a for a in st.session_state.get(QUESTIONS) or [] if a != article_id]
    flash("success", f"Saved: {title} is dated {pd.Timestamp(picked):%Y-%m-%d} and now appears on the charts.")
    st.rerun()


# --- correcting the event being read --------------------------------------------------------------


def show_fix(row: dict[str, Any], first_day: pd.Timestamp | None, last_day: pd.Timestamp | None) -> None:
    """Correct the event being read, beside its evidence; saved against the version this session first showed.

    The widgets are keyed by event, so an analyst's input survives reruns (a failed save, the store
    going away) and never leaks into another event's form.
    """
    event_id = str(row["event_id"])
    seen_key = f"{PAGE}_fix_seen_{event_id}"
    if not st.session_state.get(seen_key):  # 0: the seed events shown read-only have no stored version
        st.session_state[seen_key] = int(row["version"])
    with st.form(f"{PAGE}_fix_form_{event_id}", border=False):
        c1, c2, c3, c4 = st.columns(4)
        day = c1.date_input("Event date", value=None if pd.isna(row["event_date"]) else row["event_date"].date(),
                            min_value=first_day.date() if first_day is not None else None,
                            max_value=last_day.date() if last_day is not None else None,
                            format="YYYY-MM-DD", key=f"{PAGE}_fix_date_{event_id}")
        category = c2.selectbox("Category", articles.CATEGORIES, key=f"{PAGE}_fix_category_{event_id}",
                                format_func=vocabulary.topic_label,
                                index=articles.CATEGORIES.index(row["category"])
                                if row["category"] in articles.CATEGORIES else 0)
        direction = c3.selectbox("Direction", articles.DIRECTIONS, key=f"{PAGE}_fix_direction_{event_id}",
                                 format_func=vocabulary.direction_label,
                                 index=articles.DIRECTIONS.index(row["direction"])
                                 if row["direction"] in articles.DIRECTIONS else 0)
        source = c4.text_input("Source", value=str(row["source"]), max_chars=MAX_SOURCE,
                               key=f"{PAGE}_fix_source_{event_id}")
        note = st.text_input("Note for the history (optional)", key=f"{PAGE}_fix_note_{event_id}", max_chars=300)
        submitted = st.form_submit_button("Save this correction", type="primary")
    if not submitted:
        return
    opened = writable()
    if opened is None:
        return
    changes: dict[str, Any] = {"category": category, "direction": direction, "source": source}
    if day is not None:
        changes["event_date"] = pd.Timestamp(day)
    try:
        events.update_event(event_id, expected_version=st.session_state[seen_key] or None, note=note,
                            store=opened, **changes)
    except events.ArticleConflict as exc:
        st.session_state.pop(seen_key, None)  # submitting again applies the same input on top of the new version
        st.warning(f"{inert(str(exc))} Your input is still in the form: save again to apply it on top.",
                   icon=":material/sync_problem:")
        return
    except events.EventStoreError as exc:
        st.error(f"Not saved: {inert(str(exc))} Your input is still in the form.")
        return
    st.session_state.pop(seen_key, None)
    flash("success", "Saved. The event moves on every chart; the change is in its history.")
    st.rerun()
