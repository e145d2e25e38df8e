"""Event study: did the news move a stock more than the market explains?

The method is the textbook one of MacKinlay (1997), "Event Studies in
Economics and Finance", Journal of Economic Literature 35(1), 13-39. Equation
numbers below refer to that paper.

Returns and event time
    Daily simple returns on adjusted closes, ``r_t = P_t / P_{t-1} - 1``. The
    calendar is the stock's own sessions: day 0 is the event's trading date and
    day k is the k-th session after it (k < 0: before), counted by position in
    the stock's return series. The estimation window ``[-250, -11]`` is thus
    the 240 returns of days -250..-11 inclusive and the event window
    ``[-1, +1]`` the returns of days -1, 0 and +1.

    The benchmark is put on the stock's sessions: its return on session t is
    ``Pm_t / Pm_{t-1} - 1`` between the same two sessions as the stock's. A
    session the benchmark has no price for gives no market return that day and
    the next (never a silent two-day return); such days count as *missing*.
    Benchmark sessions the stock does not have are dropped. Both are reported
    in :attr:`ReturnData.notes`.

Models (MacKinlay section 4)
    market           ``R_it = alpha_i + beta_i R_mt + e_it`` (eq. 3), OLS on the
                     estimation window (eq. 7-9): ``beta = S_xy / S_xx``,
                     ``alpha = mean(R) - beta mean(Rm)``, ``sigma^2 = SSR/(n-2)``
                     (eq. 9 with n-2 degrees of freedom, the unbiased estimator).
                     AR ``= R - alpha - beta Rm`` (eq. 10).
    market_adjusted  ``AR = R - Rm`` (alpha = 0, beta = 1 imposed, section 4.3);
                     sigma from the estimation-window ARs with n-1 dof.
    constant_mean    ``AR = R - mean(R_est)`` (eq. 1-2); sigma from the
                     estimation returns with n-1 dof.

    At least ``min_est`` (120) valid estimation returns are required, or the
    event is *not estimable* and every statistic of it is NaN.

CAR and its test
    ``CAR(t1, t2) = sum of AR over the window`` (eq. 12). Its variance is
    ``L sigma^2`` for a window of L valid days (eq. 13 without the
    estimation-error term, the large-n limit). With ``prediction_error=True``
    the sampling error of the fitted parameters is added (eq. 11 and 13):
    ``Var(AR*) = sigma^2 (I + X* (X'X)^-1 X*')`` for the window's regressors
    ``X* = [1, Rm_t]``, and ``Var(CAR) = 1' Var(AR*) 1``, which for the
    market model is, in closed form,

        ``sigma^2 [ L + L^2 / n + (sum_window (Rm_t - mean_est Rm))^2 / S_xx ]``

    (``S_xx = sum_est (Rm - mean Rm)^2``), for the constant-mean model
    ``sigma^2 (L + L^2 / n)``, and for the market-adjusted model, which
    estimates no parameter of the mean, ``L sigma^2``.

    ``t = CAR / sqrt(Var(CAR))`` (eq. 16). The two-sided p-value uses Student's
    t with the estimation dof (n-2 for the market model, n-1 otherwise)
    rather than the asymptotic normal of eq. 16: sigma is estimated, and with
    n >= 120 the two differ only in the third decimal of p, on the cautious
    side.

Across events (section 5)
    ``CAAR = mean CAR_i`` (eq. 20). Cross-sectional test
    ``t = CAAR / (sd(CAR) / sqrt(N))`` (Brown-Warner style, robust to
    event-induced variance). Boehmer-Musumeci-Poulsen (1991) standardised test:
    ``SCAR_i = CAR_i / sd(CAR_i)``, ``t_BMP = mean(SCAR) / (sd(SCAR) / sqrt(N))``.
    Both use N-1 dof and need N >= 2. Events sharing a trading date have the
    same CAR; they are counted once (reported).

Data problems are reported per event and window, never silently absorbed:
``not_estimable``, ``window_past_data`` (the window runs beyond the first or
last session: CAR is NaN, not a partial sum), ``missing_days`` (days inside
the data without a return: the CAR sums the available days and its variance
uses their count), ``overlap`` (another event's day 0 inside this event
window) and ``estimation_contaminated`` (another event's day 0 inside the
estimation window; ``exclude_other_events=True`` drops those events' days
-1..+1 from the fit).

Everything is vectorised over events: the windows are 2-D arrays (events x
relative days) built by fancy indexing, and the OLS fits are closed-form sums
over the valid entries of each row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import stdtr  # Student's t CDF; scipy.stats would add ~1 s to the app's cold start

from eventlens import limits
from eventlens.errors import UserError
from eventlens.inert import clip

MODELS = ("market", "market_adjusted", "constant_mean")
MODEL_LABELS = {
    "market": "market model (OLS alpha and beta)",
    "market_adjusted": "market-adjusted returns (R - Rm)",
    "constant_mean": "constant-mean returns",
}
DEFAULT_WINDOWS: tuple[tuple[int, int], ...] = ((-1, 1), (0, 0), (0, 1), (-5, 5), (0, 10))
DEFAULT_ESTIMATION: tuple[int, int] = (-250, -11)
MIN_ESTIMATION_RETURNS = 120
PATH_DAYS: tuple[int, int] = (-10, 10)
PEERS = ("NIO", "XPEV", "LI")
CSV_COLUMNS = [
    "event_id", "trading_date", "ticker", "benchmark", "model", "window_start", "window_end",
    "car", "t_stat", "p_value", "alpha", "beta", "sigma", "n_est",
]
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WINDOW_RE = re.compile(r"^\[?\s*([+-]?\d+)\s*,\s*([+-]?\d+)\s*\]?$")


def two_sided_p(t: np.ndarray | float, dof: np.ndarray | float) -> np.ndarray | float:
    """Two-sided p-value of a t statistic with ``dof`` degrees of freedom: 2 P(T > |t|)."""
    return 2.0 * stdtr(dof, -np.abs(t))


class StudyInputError(UserError, ValueError):
    """Input the study cannot use (bad window, unknown model, same ticker twice); one clear sentence."""


# --- inputs -----------------------------------------------------------------------


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
    if model not in MODELS:
        raise StudyInputError(f"Unknown model '{model}'; choose one of {', '.join(MODELS)}.")
    e1, e2 = int(estimation[0]), int(estimation[1])
    if e1 < -limits.MAX_ESTIMATION_START:
        raise StudyInputError(f"The estimation window [{e1},{e2}] starts more than "
                              f"{limits.MAX_ESTIMATION_START:,} sessions before the event.")
    if e1 >= e2:
        raise StudyInputError(f"The estimation window [{e1},{e2}] must start before it ends.")
    if e2 - e1 + 1 < min_est:
        raise StudyInputError(
            f"The estimation window [{e1},{e2}] holds {e2 - e1 + 1} returns, fewer than the {min_est} "
            "the study needs."
        )
    if not windows:
        raise StudyInputError("At least one event window is needed.")
    if len(set(windows)) > limits.MAX_WINDOWS:
        raise StudyInputError(f"A study takes at most {limits.MAX_WINDOWS} event windows ({len(set(windows))} given).")
    for window in windows:
        if max(abs(window[0]), abs(window[1])) > limits.MAX_WINDOW_DAY:
            raise StudyInputError(f"The event window {fmt_window(window)} must lie within "
                                  f"{limits.MAX_WINDOW_DAY} trading days of the event.")
        if window[0] > window[1]:
            raise StudyInputError(f"The window {fmt_window(window)} starts after it ends.")
        if window[0] <= e2:
            raise StudyInputError(
                f"The event window {fmt_window(window)} overlaps the estimation window [{e1},{e2}]; "
                "the estimation window must end before every event window starts."
            )


def next_session(date: str | pd.Timestamp, sessions: pd.DatetimeIndex) -> pd.Timestamp | None:
    """The first session on or after ``date`` (a weekend or holiday maps forward), or None past the data.

    News published on a Saturday is first priced on Monday, so forward is the
    right direction; the caller reports the mapping.
    """
    day = pd.Timestamp(date).normalize()
    i = int(sessions.searchsorted(day, side="left"))
    return None if i >= len(sessions) else pd.Timestamp(sessions[i])


# --- returns ---------------------------------------------------------------------


@dataclass
class ReturnData:
    """A stock's and its benchmark's daily returns on the stock's sessions."""

    ticker: str
    benchmark: str
    dates: pd.DatetimeIndex
    stock: np.ndarray
    market: np.ndarray
    notes: list[str] = field(default_factory=list)
    source: str = ""


def build_returns(
    stock_prices: pd.Series,
    market_prices: pd.Series,
    ticker: str,
    benchmark: str,
    source: str = "",
) -> ReturnData:
    """Simple returns of both series on the stock's sessions (see the module docstring)."""
    if ticker.upper() == benchmark.upper():
        raise StudyInputError(f"The benchmark must differ from the ticker ({ticker}).")
    stock_prices = stock_prices.dropna().sort_index()
    market_prices = market_prices.dropna().sort_index()
    dates = pd.DatetimeIndex(stock_prices.index)
    p = stock_prices.to_numpy(dtype=float)
    pm = market_prices.reindex(dates).to_numpy(dtype=float)
    r = np.full(len(p), np.nan)
    rm = np.full(len(p), np.nan)
    r[1:] = p[1:] / p[:-1] - 1.0
    rm[1:] = pm[1:] / pm[:-1] - 1.0  # NaN wherever either day lacks a benchmark price
    notes: list[str] = []
    lacking = dates[np.isnan(pm)]
    if len(lacking):
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in lacking[:5]) + (" …" if len(lacking) > 5 else "")
        notes.append(
            f"{benchmark} has no price on {len(lacking)} of {ticker}'s sessions ({shown}); "
            "market returns of those days and the next are missing."
        )
    inside = market_prices.index[(market_prices.index >= dates[0]) & (market_prices.index <= dates[-1])]
    extra = inside.difference(dates)
    if len(extra):
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in extra[:5]) + (" …" if len(extra) > 5 else "")
        notes.append(f"{len(extra)} {benchmark} session(s) that {ticker} lacks were dropped ({shown}).")
    return ReturnData(ticker.upper(), benchmark.upper(), dates, r, rm, notes, source)


def load_returns(ticker: str, benchmark: str = "SPY") -> ReturnData:
    """Returns from the price layer (cached refresh or the offline snapshot; never the network).

    Raises ``prices.UnknownTickerError`` for a ticker no source holds.
    """
    from eventlens import prices

    stock = prices.get_prices(ticker)
    market = prices.get_prices(benchmark)
    spans = [f"{r.source}, {r.first_date:%Y-%m-%d} to {r.as_of:%Y-%m-%d}" for r in (stock, market)]
    source = (  # one line under a chart: name a shared source once
        f"{stock.ticker} and {market.ticker}: {spans[0]}" if spans[0] == spans[1]
        else f"{stock.ticker}: {spans[0]}; {market.ticker}: {spans[1]}"
    )
    data = build_returns(prices.adjusted_close(stock), prices.adjusted_close(market), stock.ticker, market.ticker,
                         source)
    data.notes = [*stock.messages, *market.messages, *data.notes]
    return data


# --- the study ---------------------------------------------------------------------


@dataclass
class StudyResult:
    """Everything the page, the CLI and the exporter show, as tidy frames.

    ``rows``: one row per event x window (the CSV columns, then ``notes`` and
    helper columns). ``events``: one row per event with the fit and its notes.
    ``paths``: per event and day in :data:`PATH_DAYS`, AR, CAR from the first
    path day and its standard error. :meth:`estimation_fit` gives the scatter
    data of one event.
    """

    ticker: str
    benchmark: str
    model: str
    windows: list[tuple[int, int]]
    estimation: tuple[int, int]
    prediction_error: bool
    rows: pd.DataFrame
    events: pd.DataFrame
    paths: pd.DataFrame
    data: ReturnData
    min_est: int = MIN_ESTIMATION_RETURNS
    exclude_other_events: bool = False

    def estimation_fit(self, event_id: str) -> pd.DataFrame:
        """Estimation-window returns of one event: date, market and stock return, used in the fit, fitted value."""
        ev = self.events.set_index("event_id").loc[event_id]
        pos = int(ev["position"])
        e1, e2 = self.estimation
        if pos < 0:
            return pd.DataFrame(columns=["date", "r_market", "r_stock", "used", "fitted"])
        idx = np.arange(pos + e1, pos + e2 + 1)
        idx = idx[(idx >= 1) & (idx < len(self.data.dates))]
        r, rm = self.data.stock[idx], self.data.market[idx]
        used = np.isfinite(r) & (np.isfinite(rm) | (self.model == "constant_mean"))
        if self.exclude_other_events:
            used &= ~_other_event_mask(self.events["position"].to_numpy(), pos, idx)
        alpha = ev["alpha"]
        beta = ev["beta"]
        fitted = alpha + beta * rm if self.model != "constant_mean" else np.full(len(idx), alpha)
        return pd.DataFrame(
            {"date": self.data.dates[idx], "r_market": rm, "r_stock": r, "used": used, "fitted": fitted}
        )

    def describe(self) -> str:
        """The method in one paragraph, for the page and exports."""
        e1, e2 = self.estimation
        pe = (
            "including the prediction error of the fitted parameters (MacKinlay 1997, eq. 11-13)"
            if self.prediction_error
            else "as L·σ² (the estimation error of the parameters ignored, MacKinlay 1997, eq. 13 for large n)"
        )
        dof = "n−2" if self.model == "market" else "n−1"
        return (
            f"{self.ticker} against {self.benchmark}, {MODEL_LABELS[self.model]} fitted on trading days "
            f"[{e1},{e2}] before each event (at least {self.min_est} valid daily returns, else not estimable). "
            f"Daily simple returns of adjusted closes; day 0 is the event's trading date. "
            f"Event windows {', '.join(fmt_window(w) for w in self.windows)}; CAR = sum of abnormal returns, "
            f"its variance {pe}; t = CAR/√Var, two-sided p from Student's t with {dof} degrees of freedom."
        )


def _other_event_mask(positions: np.ndarray, own: int, idx: np.ndarray) -> np.ndarray:
    """Positions in ``idx`` within one session of another event's day 0 (not this event's own)."""
    others = positions[(positions >= 0) & (positions != own)]
    if not len(others):
        return np.zeros(len(idx), dtype=bool)
    near = np.unique(np.concatenate([others - 1, others, others + 1]))
    return np.isin(idx, near) & (np.abs(idx - own) > 1)


def _take(values: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``values[idx]`` with NaN outside the data, and the in-data mask (position 0 has no return)."""
    inside = (idx >= 1) & (idx < len(values))
    return np.where(inside, values[np.clip(idx, 0, len(values) - 1)], np.nan), inside


def _events_frame(events: pd.DataFrame) -> pd.DataFrame:
    if "event_id" not in events or "trading_date" not in events:
        raise StudyInputError("The events need the columns event_id and trading_date.")
    out = pd.DataFrame(
        {
            "event_id": events["event_id"].astype(str).to_numpy(),
            "trading_date": pd.to_datetime(events["trading_date"], errors="coerce").dt.normalize().to_numpy(),
            "category": (events["category"].fillna("").astype(str).to_numpy() if "category" in events
                         else np.full(len(events), "", dtype=object)),
        }
    )
    if out["event_id"].duplicated().any():
        dup = out.loc[out["event_id"].duplicated(), "event_id"].iloc[0]
        raise StudyInputError(f"The event id '{dup}' appears more than once.")
    return out


def _fit(
    model: str, R: np.ndarray, M: np.ndarray, usable: np.ndarray, shift_r: float = 0.0, shift_m: float = 0.0,
) -> tuple[np.ndarray, ...]:
    """Closed-form fits per row over the valid entries: alpha, beta, sigma², n, dof, mean Rm, S_xx.

    One pass of row sums of raw cross-products (``einsum``). The inputs are
    shifted by a constant near the series' mean first (``shift_r``,
    ``shift_m``), which changes neither beta nor the residuals but keeps the
    raw-moment formulas free of cancellation.
    """
    valid = usable & np.isfinite(R) & (np.isfinite(M) | (model == "constant_mean"))
    n = valid.sum(axis=1).astype(float)
    R0 = np.where(valid, R - shift_r, 0.0)
    sr = R0.sum(axis=1)
    srr = np.einsum("ij,ij->i", R0, R0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_r = sr / n
        syy = srr - n * mean_r**2
        if model == "constant_mean":
            nan = np.full(len(n), np.nan)
            return mean_r + shift_r, nan, syy / (n - 1), n, n - 1, nan.copy(), nan.copy()
        M0 = np.where(valid, M - shift_m, 0.0)
        sm_ = M0.sum(axis=1)
        smm = np.einsum("ij,ij->i", M0, M0)
        srm = np.einsum("ij,ij->i", R0, M0)
        mean_m = sm_ / n
        sxx = smm - n * mean_m**2
        sxy = srm - n * mean_r * mean_m
        if model == "market_adjusted":
            # AR = R - Rm; its sum of squared deviations from its mean: Syy - 2 Sxy + Sxx.
            sigma2 = (syy - 2 * sxy + sxx) / (n - 1)
            return np.zeros(len(n)), np.ones(len(n)), sigma2, n, n - 1, mean_m + shift_m, sxx
        beta = sxy / sxx
        alpha = (mean_r + shift_r) - beta * (mean_m + shift_m)
        sigma2 = (syy - beta * sxy) / (n - 2)
    return alpha, beta, sigma2, n, n - 2, mean_m + shift_m, sxx


def _window_var(
    model: str, prediction_error: bool, sigma2: np.ndarray, L: np.ndarray, n: np.ndarray,
    dev_sum: np.ndarray, sxx: np.ndarray,
) -> np.ndarray:
    """Var(CAR) = 1' V 1 over the window (module docstring); ``dev_sum`` = sum of (Rm_t - mean Rm) in it."""
    if not prediction_error or model == "market_adjusted":
        return sigma2 * L
    if model == "constant_mean":
        return sigma2 * (L + L**2 / n)
    return sigma2 * (L + L**2 / n + dev_sum**2 / sxx)


def _const(value: str, n: int) -> pd.api.extensions.ExtensionArray:
    """A string column of one value (a scalar in a DataFrame dict is slow to broadcast in pandas 3)."""
    return pd.array([value], dtype="str").take(np.zeros(n, dtype=np.intp))


def _blank(n: int) -> np.ndarray:
    return np.zeros(n, dtype="U1")


def _num(values: np.ndarray) -> np.ndarray:
    """Integers as a fixed-width string array (a lookup table when the values are small, as counts are)."""
    values = np.asarray(values).astype(np.int64)
    if values.size == 0:
        return _blank(0)
    lo, hi = int(values.min()), int(values.max())
    if lo >= 0 and hi < 4 * values.size:
        return np.arange(hi + 1).astype(str)[values]
    return values.astype(str)


def _add_note(acc: np.ndarray, has: np.ndarray, mask: np.ndarray, part: np.ndarray | str) -> np.ndarray:
    """Append ``part`` where ``mask`` holds, after "; " if there is text already (callers skip empty masks)."""
    sep = np.where(has & mask, "; ", "")
    return np.char.add(np.char.add(acc, sep), np.where(mask, part, ""))


def _concat(*parts: np.ndarray | str) -> np.ndarray:
    out = parts[0]
    for part in parts[1:]:
        out = np.char.add(out, part)
    return np.asarray(out)


def _others_text(
    labels: np.ndarray, order: np.ndarray, lo: np.ndarray, span: np.ndarray, count: np.ndarray,
    own: np.ndarray | None = None,
) -> np.ndarray:
    """Per event, up to three of the ``count`` other events in ``order[lo:lo+span]``, then "and k more"."""
    n = len(lo)
    if n == 0 or not (count > 0).any():
        return _blank(n)
    k = np.arange(4)
    cand = order[np.clip(lo[:, None] + k[None, :], 0, len(order) - 1)]
    ok = k[None, :] < span[:, None]
    if own is not None:
        ok &= cand != own[:, None]
    ok &= np.cumsum(ok, axis=1) <= 3
    # Picked labels packed to the left; index n is an empty label.
    ranked = np.where(ok, np.cumsum(ok, axis=1) - 1, 3)
    picks = np.full((n, 4), n)
    np.put_along_axis(picks, ranked, np.where(ok, cand, n), axis=1)
    ext = np.concatenate([labels, _blank(1)])
    shown = ok.sum(axis=1)
    text = ext[picks[:, 0]] + np.where(shown > 1, ", ", "") + ext[picks[:, 1]] + np.where(shown > 2, ", ", "") \
        + ext[picks[:, 2]]
    more = count - shown
    if (more > 0).any():
        text = text + np.where(more > 0, " and " + _num(more) + " more", "")
    return text


def run_study(
    data: ReturnData,
    events: pd.DataFrame,
    model: str = "market",
    windows: Sequence[tuple[int, int]] = DEFAULT_WINDOWS,
    estimation: tuple[int, int] = DEFAULT_ESTIMATION,
    prediction_error: bool = False,
    min_est: int = MIN_ESTIMATION_RETURNS,
    exclude_other_events: bool = False,
    path_days: tuple[int, int] = PATH_DAYS,
) -> StudyResult:
    """Abnormal returns, CARs and their tests for every event and window, vectorised over events.

    ``events`` needs ``event_id`` and ``trading_date`` (``category`` is kept
    for the cross-event tests). An event whose trading date is missing or not
    a session of the stock is kept with NaN statistics and a note.
    """
    windows = [(int(a), int(b)) for a, b in windows]
    estimation = (int(estimation[0]), int(estimation[1]))
    validate_design(windows, estimation, model, min_est)
    ev = _events_frame(events)
    N, T = len(ev), len(data.dates)
    dates = data.dates
    td = pd.DatetimeIndex(ev["trading_date"])
    pos = np.asarray(dates.get_indexer(td), dtype=np.int64) if N else np.zeros(0, dtype=np.int64)
    pos[td.isna()] = -1
    located = pos >= 0
    p = np.where(located, pos, 0)
    e1, e2 = estimation

    # Other events' day 0 in each window, counted with a sorted search (no pairwise loop).
    order = np.argsort(np.where(located, pos, -(10**9)), kind="stable")
    sorted_pos = np.where(located, pos, -(10**9))[order]

    def count_in(lo_off: int, hi_off: int) -> tuple[np.ndarray, np.ndarray]:
        lo = np.searchsorted(sorted_pos, p + lo_off, side="left")
        hi = np.searchsorted(sorted_pos, p + hi_off, side="right")
        return lo, hi

    # Estimation window, events x days.
    est_idx = p[:, None] + np.arange(e1, e2 + 1)[None, :]
    R, in_est = _take(data.stock, est_idx)
    M, _ = _take(data.market, est_idx)
    usable = in_est & located[:, None]
    if exclude_other_events and N:
        near = np.zeros(T + 2, dtype=bool)
        for shift in (-1, 0, 1):
            np.put(near, np.clip(pos[located] + shift, 0, T + 1), True)
        usable &= ~(near[np.clip(est_idx, 0, T + 1)] & (np.abs(est_idx - p[:, None]) > 1))
    shift_r = float(np.nanmean(data.stock)) if T > 1 else 0.0
    shift_m = float(np.nanmean(data.market)) if np.isfinite(data.market).any() else 0.0
    alpha, beta, sigma2, n_est, dof, mean_m, sxx = _fit(model, R, M, usable, shift_r, shift_m)
    estimable = located & (n_est >= min_est)
    for arr in (alpha, beta, sigma2, dof, mean_m, sxx):
        arr[~estimable] = np.nan
    sigma = np.sqrt(sigma2)

    # Event days, events x relative days, covering the windows and the path.
    d_lo = min(min(w[0] for w in windows), path_days[0])
    d_hi = max(max(w[1] for w in windows), path_days[1])
    rel = np.arange(d_lo, d_hi + 1)
    ev_idx = p[:, None] + rel[None, :]
    Re, in_data = _take(data.stock, ev_idx)
    Me, _ = _take(data.market, ev_idx)
    if model == "constant_mean":
        AR = Re - alpha[:, None]
        dev = np.zeros_like(AR)
    else:
        AR = Re - alpha[:, None] - beta[:, None] * Me
        dev = Me - mean_m[:, None]
    valid_ar = np.isfinite(AR)
    missing = in_data & ~valid_ar & estimable[:, None]
    # Overhang is measured against the data, not the estimability.
    outside = ~in_data

    ids = ev["event_id"].to_numpy()
    id_col = pd.array(ids, dtype="str")
    ev_dates = ev["trading_date"].to_numpy()
    # Notes are built with numpy string arithmetic, so 1,000 events cost no Python loop.
    ids_s = np.asarray(ids, dtype=object).astype(str)
    day_s = np.datetime_as_string(np.asarray(ev_dates, dtype="datetime64[D]"))
    labels = np.where(ids_s == day_s, ids_s, np.char.add(np.char.add(np.char.add(ids_s, " ("), day_s), ")"))
    lo_c, hi_c = count_in(e1, e2)
    contaminated = np.where(located, hi_c - lo_c, 0)
    n_window = e2 - e1 + 1
    nat = np.asarray(pd.isna(ev_dates), dtype=bool)
    ev_text, has = _blank(N), np.zeros(N, dtype=bool)
    mask = located & ~estimable
    if mask.any():
        ev_text = _add_note(ev_text, has, mask, _concat(
            "not estimable: ", _num(n_est), f" valid estimation returns in [{e1},{e2}] (fewer than {min_est})"))
        has = has | mask
    mask = estimable & (n_est < n_window)
    if mask.any():
        ev_text = _add_note(ev_text, has, mask, _concat(
            "estimation window: ", _num(n_est), f" of {n_window} returns used"))
        has = has | mask
    action = "their days -1..+1 were left out of the fit" if exclude_other_events else "kept in the fit"
    mask = contaminated > 0
    if mask.any():
        ev_text = _add_note(ev_text, has, mask, _concat(
            "estimation contaminated: ", _num(contaminated), f" other event(s) inside [{e1},{e2}] (",
            _others_text(labels, order, lo_c, hi_c - lo_c, contaminated), "); " + action))
        has = has | mask
    odd = np.flatnonzero(~located)
    if len(odd):  # rare: undated events, or dates that are not sessions
        first, last = (dates[0], dates[-1]) if T else (None, None)
        special = np.full(N, "", dtype=object)
        for i in odd.tolist():
            if nat[i]:
                special[i] = "no trading date: the event is not dated, so it cannot be studied"
                continue
            day = pd.Timestamp(ev_dates[i])
            where = (
                f"outside {data.ticker}'s data ({first:%Y-%m-%d} to {last:%Y-%m-%d})"
                if T and (day < first or day > last) else f"not a {data.ticker} session"
            )
            special[i] = f"trading date {day:%Y-%m-%d} is {where}"
        ev_text = np.where(located, ev_text, special.astype(str))
        has = has | ~located

    records: dict[str, list] = {k: [] for k in ("car", "var", "L", "missing", "past", "overlap", "notes")}
    for w in windows:
        cols = slice(w[0] - d_lo, w[1] - d_lo + 1)
        past = outside[:, cols].any(axis=1) & located
        L = valid_ar[:, cols].sum(axis=1).astype(float)
        miss = missing[:, cols].sum(axis=1)
        car = np.where(valid_ar[:, cols], AR[:, cols], 0.0).sum(axis=1)
        dev_sum = np.where(valid_ar[:, cols], dev[:, cols], 0.0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            var = _window_var(model, prediction_error, sigma2, L, n_est, dev_sum, sxx)
        bad = ~estimable | past | (L == 0)
        car[bad] = np.nan
        var[bad] = np.nan
        lo_w, hi_w = count_in(w[0], w[1])
        overlap = np.where(located, hi_w - lo_w - 1, 0)
        wtext = fmt_window(w)
        notes, has_w = ev_text, has
        if past.any():
            side = np.where(ev_idx[:, cols.stop - 1] >= T, "end", "start")
            notes = _add_note(notes, has_w, past,
                              _concat(f"window {wtext} runs past the ", side, " of the data: no CAR"))
            has_w = has_w | past
        mask = located & ~past & (miss > 0)
        if mask.any():
            notes = _add_note(notes, has_w, mask, _concat(
                _num(miss), f" missing day(s) in window {wtext}: the CAR sums the ", _num(L), " available day(s)"))
            has_w = has_w | mask
        if (overlap > 0).any():
            notes = _add_note(notes, has_w, overlap > 0, _concat(
                "overlap: ", _num(overlap), f" other event(s) inside {wtext} (",
                _others_text(labels, order, lo_w, hi_w - lo_w, overlap, own=np.arange(N)), ")"))
        for key, value in (("car", car), ("var", var), ("L", L), ("missing", miss), ("past", past),
                           ("overlap", overlap), ("notes", notes)):
            records[key].append(value)

    K = len(windows)
    car_all = np.concatenate(records["car"]) if N else np.zeros(0)
    var_all = np.concatenate(records["var"]) if N else np.zeros(0)
    dof_all = np.tile(dof, K)
    with np.errstate(invalid="ignore", divide="ignore"):
        se_all = np.sqrt(var_all)
        t_all = car_all / se_all
    p_all = two_sided_p(t_all, dof_all)
    win_arr = np.repeat(np.array(windows, dtype=int), N, axis=0)
    rows = pd.DataFrame(
        {
            "event_id": id_col.take(np.tile(np.arange(N), K)),
            "trading_date": np.tile(ev_dates, K),
            "ticker": _const(data.ticker, N * K),
            "benchmark": _const(data.benchmark, N * K),
            "model": _const(model, N * K),
            "window_start": win_arr[:, 0],
            "window_end": win_arr[:, 1],
            "car": car_all,
            "t_stat": t_all,
            "p_value": p_all,
            "alpha": np.tile(alpha, K),
            "beta": np.tile(beta, K),
            "sigma": np.tile(sigma, K),
            "n_est": np.tile(n_est, K).astype(int),
            "notes": (np.concatenate(records["notes"]) if N else _blank(0)).astype(object),
            "category": np.tile(ev["category"].to_numpy(), K),
            "car_se": se_all,
            "dof": dof_all,
            "n_days": np.concatenate(records["L"]).astype(int) if N else np.zeros(0, dtype=int),
            "missing_days": np.concatenate(records["missing"]).astype(int) if N else np.zeros(0, dtype=int),
            "window_past_data": np.concatenate(records["past"]) if N else np.zeros(0, dtype=bool),
            "overlap": (np.concatenate(records["overlap"]) > 0) if N else np.zeros(0, dtype=bool),
            "estimation_contaminated": np.tile(contaminated > 0, K),
            "not_estimable": np.tile(located & ~estimable, K),
        }
    )
    rows["stars"] = significance_stars(rows["p_value"])

    # Per-event daily path over path_days: AR, CAR from the first path day, and its standard error.
    pcols = slice(path_days[0] - d_lo, path_days[1] - d_lo + 1)
    ar_path = AR[:, pcols]
    ok = np.isfinite(ar_path)
    car_path = np.where(ok, ar_path, 0.0).cumsum(axis=1)
    k_path = ok.cumsum(axis=1).astype(float)
    dev_path = np.where(ok, dev[:, pcols], 0.0).cumsum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        var_path = _window_var(model, prediction_error, sigma2[:, None], k_path, n_est[:, None], dev_path,
                               sxx[:, None])
    car_path = np.where(outside[:, pcols].cumsum(axis=1) > 0, np.nan, car_path)
    car_path[~estimable] = np.nan
    n_path = pcols.stop - pcols.start
    path_idx = ev_idx[:, pcols]
    path_dates = np.where((path_idx >= 0) & (path_idx < T), path_idx, 0)
    paths = pd.DataFrame(
        {
            "event_id": id_col.take(np.repeat(np.arange(N), n_path)),
            "day": np.tile(np.arange(path_days[0], path_days[1] + 1), N),
            "date": (dates[path_dates.ravel()] if T else pd.DatetimeIndex([])),
            "ret": Re[:, pcols].ravel(),
            "ret_market": Me[:, pcols].ravel(),
            "ar": np.where(estimable[:, None], ar_path, np.nan).ravel(),
            "car": car_path.ravel(),
            "car_se": np.sqrt(var_path).ravel(),
            "dof": np.repeat(dof, n_path),
        }
    )
    paths.loc[~((path_idx >= 0) & (path_idx < T)).ravel(), "date"] = pd.NaT

    day0 = -d_lo
    with np.errstate(invalid="ignore", divide="ignore"):
        var0 = _window_var(model, prediction_error, sigma2, np.ones(N), n_est, dev[:, day0], sxx)
        t0 = AR[:, day0] / np.sqrt(var0)
    events_out = pd.DataFrame(
        {
            "event_id": id_col,
            "trading_date": ev_dates,
            "category": ev["category"].to_numpy(),
            "position": pos,
            "alpha": alpha,
            "beta": beta,
            "sigma": sigma,
            "n_est": n_est.astype(int),
            "dof": dof,
            "ret_day0": Re[:, day0],
            "ret_market_day0": Me[:, day0],
            "ar_day0": np.where(estimable, AR[:, day0], np.nan),
            "p_day0": two_sided_p(t0, dof),
            "estimable": estimable,
            "notes": ev_text.astype(object),
        }
    )
    return StudyResult(
        data.ticker, data.benchmark, model, list(windows), estimation, prediction_error, rows, events_out, paths,
        data, min_est, exclude_other_events,
    )


def significance_stars(p_values: pd.Series | np.ndarray) -> np.ndarray:
    """``***`` p<0.01, ``**`` p<0.05, ``*`` p<0.10, else empty."""
    p = np.asarray(p_values, dtype=float)
    return np.select([p < 0.01, p < 0.05, p < 0.10], ["***", "**", "*"], default="")


def format_p(p: float) -> str:
    if not np.isfinite(p):
        return "p n/a"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}"


# --- across events --------------------------------------------------------------------


def caar(rows: pd.DataFrame, by: str | None = "category") -> pd.DataFrame:
    """CAAR per window (and per ``by`` group, plus "all events") with the cross-sectional and BMP tests.

    Rows without a CAR (not estimable, past the data) are left out and
    counted. Events sharing a trading date have identical CARs, so each date
    counts once.
    """
    out = []
    usable = rows[np.isfinite(rows["car"]) & np.isfinite(rows["car_se"])]
    groups: list[tuple[str, pd.DataFrame, pd.DataFrame]] = [("all events", usable, rows)]
    if by and by in rows:
        for name in sorted(set(rows[by].astype(str))):
            groups.append((name or "(no category)", usable[usable[by].astype(str) == name],
                           rows[rows[by].astype(str) == name]))
    for name, grp, all_grp in groups:
        for (w1, w2), sub in all_grp.groupby(["window_start", "window_end"], sort=False):
            ok = grp[(grp["window_start"] == w1) & (grp["window_end"] == w2)]
            dedup = ok.drop_duplicates(subset=["trading_date"])
            notes = []
            if len(sub) - len(ok):
                notes.append(f"{len(sub) - len(ok)} event(s) without a CAR left out")
            if len(ok) - len(dedup):
                notes.append(f"{len(ok) - len(dedup)} event(s) share a trading date with another and count once")
            out.append({"group": name, "window_start": w1, "window_end": w2,
                        **cross_event_tests(dedup["car"].to_numpy(), dedup["car_se"].to_numpy()),
                        "notes": "; ".join(notes)})
    frame = pd.DataFrame(out)
    if not frame.empty:
        frame["notes"] = [
            "; ".join(x for x in (note, "fewer than 2 events: no cross-event test" if n < 2 else "") if x)
            for note, n in zip(frame["notes"], frame["n_events"], strict=True)
        ]
    return frame


def cross_event_tests(car: np.ndarray, car_se: np.ndarray) -> dict[str, float]:
    """CAAR, the cross-sectional t and the BMP standardised t for N events (NaN tests for N < 2)."""
    car = np.asarray(car, dtype=float)
    scar = car / np.asarray(car_se, dtype=float)
    n = len(car)
    res = {"n_events": n, "caar": float(car.mean()) if n else np.nan}
    if n < 2:
        return {**res, "t_cs": np.nan, "p_cs": np.nan, "mean_scar": float(scar.mean()) if n else np.nan,
                "t_bmp": np.nan, "p_bmp": np.nan}
    t_cs = car.mean() / (car.std(ddof=1) / np.sqrt(n))
    t_bmp = scar.mean() / (scar.std(ddof=1) / np.sqrt(n))
    return {
        **res,
        "t_cs": float(t_cs),
        "p_cs": float(two_sided_p(t_cs, n - 1)),
        "mean_scar": float(scar.mean()),
        "t_bmp": float(t_bmp),
        "p_bmp": float(two_sided_p(t_bmp, n - 1)),
    }


# --- reading and peers -----------------------------------------------------------------------


def plain_reading(result: StudyResult, event_id: str) -> str:
    """One or two sentences an analyst can quote, e.g. "TSLA rose 15.3% on 2024-04-29, 14.1 points more
    than SPY explains; p < 0.001." The day-0 test is the one-day CAR [0,0]."""
    ev = result.events.set_index("event_id").loc[event_id]
    if not ev["estimable"] or not np.isfinite(ev["ret_day0"]):
        reason = ev["notes"].split("; ")[0] if ev["notes"] else "no abnormal return"
        return f"{event_id}: no reading ({reason})."
    ret, ar = float(ev["ret_day0"]) * 100, float(ev["ar_day0"]) * 100
    verb = "rose" if ret >= 0 else "fell"
    more = "more" if ar >= 0 else "less"
    baseline = {
        "market": f"than {result.benchmark} explains",
        "market_adjusted": f"than {result.benchmark}'s move",
        "constant_mean": "than its average day",
    }[result.model]
    text = (
        f"{result.ticker} {verb} {abs(ret):.1f}% on {pd.Timestamp(ev['trading_date']):%Y-%m-%d}, "
        f"{abs(ar):.1f} points {more} {baseline}; {format_p(float(ev['p_day0']))}."
    )
    first = result.windows[0]
    row = result.rows[(result.rows["event_id"] == event_id) & (result.rows["window_start"] == first[0])
                      & (result.rows["window_end"] == first[1])]
    if len(row) and np.isfinite(row["car"].iloc[0]) and first != (0, 0):
        r = row.iloc[0]
        text += (
            f" Over days {fmt_window(first)} the cumulative abnormal return was {r['car'] * 100:+.1f}% "
            f"(t = {r['t_stat']:.2f}, {format_p(r['p_value'])})."
        )
    return text


def peer_reactions(
    events: pd.DataFrame,
    benchmark: str = "SPY",
    peers: Sequence[str] = PEERS,
    **study_args,
) -> tuple[pd.DataFrame, list[str]]:
    """The same study for the Chinese EV makers the data holds, stacked; plus a note per peer left out."""
    from eventlens import prices

    held = set(prices.snapshot_tickers())
    frames, notes = [], []
    for peer in peers:
        if peer not in held:
            notes.append(f"{peer} is not in the price data.")
            continue
        frames.append(run_study(load_returns(peer, benchmark), events, **study_args).rows)
    return (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CSV_COLUMNS)), notes


# --- inputs for the command line and the page ------------------------------------------------


def _typed_day(text: str) -> pd.Timestamp:
    """A typed ``YYYY-MM-DD`` date; anything else (a time, a time zone, not a date) is refused in the app's words."""
    shown = clip(str(text).strip(), 40)
    if not _DAY_RE.match(str(text).strip()):
        raise StudyInputError(f"'{shown}' is not a date; write YYYY-MM-DD (no time or time zone).")
    try:
        day = pd.Timestamp(str(text).strip())
    except (ValueError, TypeError, OverflowError) as exc:
        raise StudyInputError(f"'{shown}' is not a date; write YYYY-MM-DD.") from exc
    if pd.isna(day):
        raise StudyInputError(f"'{shown}' is not a date; write YYYY-MM-DD.")
    return day.normalize()


def events_for_dates(dates: Sequence[str], sessions: pd.DatetimeIndex) -> tuple[pd.DataFrame, list[str]]:
    """Events for trading dates typed by the analyst; non-sessions map to the next session (reported).

    The event id is the date as typed, so a mapped date stays recognisable; a
    date given more than once is studied once, and said so. Raises
    :class:`StudyInputError` for a date that does not parse or lies outside
    the data (never a silent substitute), and for more than
    ``limits.MAX_DATES`` distinct dates.
    """
    counts: dict[str, int] = {}
    for text in dates:
        event_id = f"{_typed_day(text):%Y-%m-%d}"
        counts[event_id] = counts.get(event_id, 0) + 1
        if len(counts) > limits.MAX_DATES:
            raise StudyInputError(f"A study takes at most {limits.MAX_DATES} dates.")
    rows, notes = [], []
    for event_id, times in counts.items():
        day = pd.Timestamp(event_id)
        if day < sessions[0]:
            raise StudyInputError(f"{event_id} is before the first session in the data ({sessions[0]:%Y-%m-%d}).")
        session = next_session(day, sessions)
        if session is None:
            raise StudyInputError(f"{event_id} is after the last session in the data ({sessions[-1]:%Y-%m-%d}).")
        if session != day:
            notes.append(
                f"{day:%Y-%m-%d} ({day:%A}) is not a trading session; studied {session:%Y-%m-%d}, the next one."
            )
        if times > 1:
            notes.append(f"{event_id} was given {times} times; it is studied once.")
        rows.append({"event_id": event_id, "trading_date": session, "category": ""})
    return pd.DataFrame(rows, columns=["event_id", "trading_date", "category"]), notes


def store_events(selection: Sequence[str] | None = None) -> pd.DataFrame:
    """Events from the store (all, or the ids in ``selection``); a clear refusal when it is unavailable."""
    try:
        from eventlens.events import load_events
    except ImportError as exc:
        raise StudyInputError(
            "The events store is not available in this version; study trading dates directly with --date YYYY-MM-DD."
        ) from exc
    try:
        events = load_events()
    except (OSError, ValueError) as exc:
        why = f" ({exc.strerror})" if isinstance(exc, OSError) and exc.strerror else ""  # not a library's words
        raise StudyInputError(f"The events store could not be read{why}; use --date YYYY-MM-DD.") from exc
    ids = [s for s in (selection or []) if s.lower() != "all"]
    if len(set(ids)) > limits.MAX_EVENTS:
        raise StudyInputError(f"A study takes at most {limits.MAX_EVENTS} event ids.")
    if ids:
        known = set(events["event_id"].astype(str))
        unknown = [s for s in ids if s not in known]
        if unknown:
            raise StudyInputError(f"Unknown event id(s): {clip(', '.join(unknown), 200)}.")
        events = events[events["event_id"].astype(str).isin(ids)]
    if events.empty:
        raise StudyInputError("The events store holds no events; add some, or use --date YYYY-MM-DD.")
    return events


def cli_study(
    ticker: str = "TSLA",
    benchmark: str = "SPY",
    model: str = "market",
    windows: Sequence[tuple[int, int]] | None = None,
    estimation: tuple[int, int] = DEFAULT_ESTIMATION,
    dates: Sequence[str] | None = None,
    event_ids: Sequence[str] | None = None,
    prediction_error: bool = False,
    exclude_other_events: bool = False,
    cross_event: bool = False,
) -> tuple[pd.DataFrame, list[str]]:
    """What ``python -m eventlens study`` prints: the CSV table and notes for stderr.

    Raises :class:`StudyInputError` or ``prices.PriceDataError`` with one sentence for a refused input.
    """
    windows = list(windows or DEFAULT_WINDOWS)
    validate_design(windows, estimation, model)
    data = load_returns(ticker, benchmark)
    notes = list(data.notes)
    if dates:
        if event_ids:
            raise StudyInputError("Give either --date or --events, not both.")
        events, mapped = events_for_dates(dates, data.dates)
        notes += mapped
    else:
        events = store_events(event_ids)
        repeated = {i: n for i, n in pd.Series(list(event_ids or []), dtype=object).value_counts().items() if n > 1}
        notes += [f"{i} was given {n} times; it is studied once." for i, n in repeated.items()]
    result = run_study(data, events, model, windows, estimation, prediction_error,
                       exclude_other_events=exclude_other_events)
    if cross_event:
        return caar(result.rows), notes
    return result.rows[[*CSV_COLUMNS, "notes"]], notes
