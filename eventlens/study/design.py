"""The study design: windows, estimation window, model and options, as one frozen object.

Pages, the CLI and the report build a :class:`Design` once and pass it around
instead of seven positional arguments; it validates itself on construction, so
a design that exists is one the engine can run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from eventlens import limits
from eventlens.errors import UserError

DEFAULT_WINDOWS: tuple[tuple[int, int], ...] = ((-1, 1), (0, 0), (0, 1), (-5, 5), (0, 10))
DEFAULT_ESTIMATION: tuple[int, int] = (-250, -11)
MIN_ESTIMATION_RETURNS = 120
PATH_DAYS: tuple[int, int] = (-10, 10)
_WINDOW_RE = re.compile(r"^\[?\s*([+-]?\d+)\s*,\s*([+-]?\d+)\s*\]?$")
# What a link or the CLI may ask for: one place for every bound (eventlens/limits.py).
MAX_WINDOW_DAYS = 2 * limits.MAX_WINDOW_DAY + 1
MAX_EVENT_DAY = limits.MAX_WINDOW_DAY
MAX_WINDOWS = limits.MAX_WINDOWS
MAX_ESTIMATION_START = -limits.MAX_ESTIMATION_START


class StudyInputError(UserError, ValueError):
    """Input the study cannot use (bad window, unknown model, same ticker twice); one clear sentence."""


def fmt_day(day: int) -> str:
    return f"+{day}" if day > 0 else str(day)


def fmt_window(window: tuple[int, int]) -> str:
    return f"[{fmt_day(window[0])},{fmt_day(window[1])}]"


def parse_windows(text: str) -> list[tuple[int, int]]:
    """Read windows typed as ``"-1,1; 0,0; 0,1"`` (brackets and ``+`` allowed).

    Raises :class:`StudyInputError` naming the piece that could not be read, or the limit exceeded.
    """
    if len(text or "") > limits.MAX_TYPED_TEXT:
        raise StudyInputError(f"The event windows are longer than {limits.MAX_TYPED_TEXT:,} characters.")
    pieces = [p.strip() for p in (text or "").split(";") if p.strip()]
    if not pieces:
        raise StudyInputError("No event window given: type windows as START,END separated by ';', e.g. -1,1; 0,0.")
    windows: list[tuple[int, int]] = []
    for piece in pieces:
        match = _WINDOW_RE.match(piece)
        if not match:
            raise StudyInputError(
                f"Could not read the window '{piece}': write each window as START,END in trading days, "
                "separated by ';', e.g. -1,1; 0,0; -5,5."
            )
        start, end = int(match.group(1)), int(match.group(2))
        if start > end:
            raise StudyInputError(f"The window '{piece}' starts after it ends; write START,END with START <= END.")
        if max(abs(start), abs(end)) > limits.MAX_WINDOW_DAY:
            raise StudyInputError(f"The window '{piece}' must lie within {limits.MAX_WINDOW_DAY} trading days "
                                  "of the event.")
        if (start, end) not in windows:
            windows.append((start, end))
        if len(windows) > limits.MAX_WINDOWS:
            raise StudyInputError(f"A study takes at most {limits.MAX_WINDOWS} event windows.")
    return windows


def validate_design(
    windows: Sequence[tuple[int, int]],
    estimation: tuple[int, int],
    model: str,
    min_est: int = MIN_ESTIMATION_RETURNS,
) -> None:
    """Refuse a design that cannot give a valid test, with the reason."""
    from eventlens.study.models import MODELS

    if model not in MODELS:
        raise StudyInputError(f"Unknown model '{model}'; choose one of {', '.join(MODELS)}.")
    e1, e2 = int(estimation[0]), int(estimation[1])
    if e1 >= e2:
        raise StudyInputError(f"The estimation window [{e1},{e2}] must start before it ends.")
    if e2 - e1 + 1 < min_est:
        raise StudyInputError(
            f"The estimation window [{e1},{e2}] holds {e2 - e1 + 1} returns, fewer than the {min_est} "
            "the study needs."
        )
    if e1 < MAX_ESTIMATION_START:
        raise StudyInputError(f"The estimation window [{e1},{e2}] starts more than "
                              f"{limits.MAX_ESTIMATION_START:,} sessions before the event; start it later.")
    if not windows:
        raise StudyInputError("At least one event window is needed.")
    if len(windows) > MAX_WINDOWS:
        raise StudyInputError(f"A study takes at most {MAX_WINDOWS} event windows ({len(windows)} given).")
    for window in windows:
        if abs(window[0]) > MAX_EVENT_DAY or abs(window[1]) > MAX_EVENT_DAY:
            raise StudyInputError(f"The window {fmt_window(window)} reaches beyond day ±{MAX_EVENT_DAY}; "
                                  "event windows lie within 250 trading days of the event.")
        if window[0] > window[1]:
            raise StudyInputError(f"The window {fmt_window(window)} starts after it ends.")
        if window[1] - window[0] + 1 > MAX_WINDOW_DAYS:
            raise StudyInputError(f"The window {fmt_window(window)} is longer than {MAX_WINDOW_DAYS} trading days.")
        if window[0] <= e2:
            raise StudyInputError(
                f"The event window {fmt_window(window)} overlaps the estimation window [{e1},{e2}]; "
                "the estimation window must end before every event window starts."
            )


@dataclass(frozen=True)
class Design:
    """Everything that fixes a study's numbers except the data and the events.

    ``exclude_other_events`` drops other events' days -1..+1 from each
    estimation window; ``exclude_calendar`` drops the sessions that priced
    the company's own scheduled news (earnings, deliveries; see
    :mod:`eventlens.study.calendar`) from it. Both change the fit, the
    estimation variance and the SQ test's reference sums alike.
    """

    ticker: str = "TSLA"
    benchmark: str = "SPY"
    model: str = "market"
    windows: tuple[tuple[int, int], ...] = DEFAULT_WINDOWS
    estimation: tuple[int, int] = DEFAULT_ESTIMATION
    prediction_error: bool = False
    exclude_other_events: bool = False
    exclude_calendar: bool = False
    min_est: int = MIN_ESTIMATION_RETURNS
    path_days: tuple[int, int] = field(default=PATH_DAYS)

    def __post_init__(self) -> None:
        windows = tuple((int(a), int(b)) for a, b in self.windows)
        object.__setattr__(self, "windows", windows)
        object.__setattr__(self, "estimation", (int(self.estimation[0]), int(self.estimation[1])))
        object.__setattr__(self, "ticker", self.ticker.upper())
        object.__setattr__(self, "benchmark", self.benchmark.upper())
        validate_design(windows, self.estimation, self.model, self.min_est)
        if self.ticker == self.benchmark:
            raise StudyInputError(f"The benchmark must differ from the ticker ({self.ticker}).")

    def with_ticker(self, ticker: str) -> Design:
        """The same design for another stock (peers)."""
        from dataclasses import replace

        return replace(self, ticker=ticker)

    @property
    def stem(self) -> str:
        """A file-name stem naming the design's stock, benchmark and model."""
        return f"{self.ticker}_{self.benchmark}_{self.model}"
