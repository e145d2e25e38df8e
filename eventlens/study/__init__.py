"""Event study: did the news move a stock more than the market explains, and can an analyst defend it?

MacKinlay (1997), "Event Studies in Economics and Finance", JEL 35(1), 13-39, for returns, the models, CARs
and the t-test; Gelbach, Helland and Klick (2013) for the single-event SQ test; Patell (1976),
Boehmer-Musumeci-Poulsen (1991), Kolari-Pynnönen (2010), Corrado (1989), Cowan (1992) and Wilcoxon across
events; Campbell and Wasley (1996) and Beaver (1968) for abnormal volume and volatility.

One module per concern: :mod:`design` (the frozen :class:`Design`), :mod:`returns` (return data and the
events to study), :mod:`models` (the return models as objects), :mod:`engine` (:func:`run_study`),
:mod:`single` and :mod:`cross` (the tests), :mod:`notes`, :mod:`result` (:class:`StudyResult`),
:mod:`calendar` (the company's own scheduled news) and :mod:`reading` (plain words, peers).
"""

from typing import TYPE_CHECKING

from eventlens.lazy_exports import lazy_exports

if TYPE_CHECKING:  # the real types for mypy and editors; at run time each name is imported on first use
    from eventlens.study.cross import Panel, caar, cross_event_tests
    from eventlens.study.design import (
        DEFAULT_ESTIMATION,
        DEFAULT_WINDOWS,
        MIN_ESTIMATION_RETURNS,
        PATH_DAYS,
        Design,
        StudyInputError,
        fmt_day,
        fmt_window,
        parse_windows,
        validate_design,
    )
    from eventlens.study.engine import run_study
    from eventlens.study.models import MODEL_LABELS, MODELS, get_model
    from eventlens.study.reading import PEERS, format_p, format_sq_p, peer_reactions, plain_reading, tests_disagree
    from eventlens.study.result import CSV_COLUMNS, StudyResult, pooled_caar, significance_stars
    from eventlens.study.returns import (
        ReturnData,
        build_returns,
        events_for_dates,
        load_returns,
        next_session,
        store_events,
    )
    from eventlens.study.single import two_sided_p

# Where each public name lives. Importing the package, or one light submodule (eventlens.vocabulary reads
# models' labels on every page), loads nothing else: scipy (~0.3 s of a cold start) comes with the tests.
_SOURCES = {
    "Panel": "cross", "caar": "cross", "cross_event_tests": "cross",
    "DEFAULT_ESTIMATION": "design", "DEFAULT_WINDOWS": "design", "MIN_ESTIMATION_RETURNS": "design",
    "PATH_DAYS": "design", "Design": "design", "StudyInputError": "design", "fmt_day": "design",
    "fmt_window": "design", "parse_windows": "design", "validate_design": "design",
    "run_study": "engine",
    "MODEL_LABELS": "models", "MODELS": "models", "get_model": "models",
    "PEERS": "reading", "format_p": "reading", "format_sq_p": "reading", "peer_reactions": "reading",
    "plain_reading": "reading", "tests_disagree": "reading",
    "CSV_COLUMNS": "result", "StudyResult": "result", "pooled_caar": "result", "significance_stars": "result",
    "ReturnData": "returns", "build_returns": "returns", "events_for_dates": "returns", "load_returns": "returns",
    "next_session": "returns", "store_events": "returns",
    "two_sided_p": "single",
}
_SUBMODULES = ("calendar", "cross", "design", "engine", "models", "notes", "ranks", "reading", "result", "returns",
               "single")  # reachable as attributes (``es.ranks``), as when the package imported them all

__all__ = [
    "CSV_COLUMNS", "DEFAULT_ESTIMATION", "DEFAULT_WINDOWS", "MIN_ESTIMATION_RETURNS", "MODELS", "MODEL_LABELS",
    "PATH_DAYS", "PEERS", "Design", "Panel", "ReturnData", "StudyInputError", "StudyResult", "build_returns",
    "caar", "cross_event_tests", "events_for_dates", "fmt_day", "fmt_window", "format_p", "format_sq_p", "get_model",
    "load_returns", "next_session", "parse_windows", "peer_reactions", "plain_reading", "pooled_caar", "run_study",
    "significance_stars", "store_events", "tests_disagree", "two_sided_p", "validate_design",
]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _SOURCES, _SUBMODULES, __all__)
