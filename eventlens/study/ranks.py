"""Ranks for the rank tests across events: Corrado (1989) and the Wilcoxon signed-rank test.

Kept apart from the tests themselves because ranking is where the time goes: every event's
estimation residuals are sorted once (``Panel.sorted_est``), and the event window's returns are
ranked against that sorted row by binary search instead of sorting each window again. The
formulas are in :mod:`eventlens.study.cross`; every function here is checked against a full
sort with ties and gaps in the tests.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
from scipy.special import ndtr


def _normal_p(z: float) -> float:
    return float(2.0 * ndtr(-abs(z))) if np.isfinite(z) else np.nan


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Row-wise ranks 1..M of the finite entries (ties share their average rank); NaN stays NaN."""
    x = np.atleast_2d(x)
    filled = np.where(np.isfinite(x), x, np.inf)
    order = np.argsort(filled, axis=1, kind="stable")
    return ranks_from_sorted(x, order, np.take_along_axis(filled, order, axis=1))


def ranks_from_sorted(x: np.ndarray, order: np.ndarray, s: np.ndarray) -> np.ndarray:
    """:func:`average_ranks` given each row's argsort ``order`` and sorted values ``s`` (NaN as +inf)."""
    n_rows, n_cols = x.shape
    same = s[:, 1:] == s[:, :-1]
    finite = np.isfinite(x)
    ranks = np.empty((n_rows, n_cols))
    if not same.any() or not (same & np.isfinite(s[:, 1:])).any():  # no ties among finite values: positions
        np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1.0, n_cols + 1), (n_rows, n_cols)), axis=1)
        return ranks if finite.all() else np.where(finite, ranks, np.nan)
    new = np.ones((n_rows, n_cols), dtype=bool)
    new[:, 1:] = ~same
    col = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols))
    start = np.maximum.accumulate(np.where(new, col, 0), axis=1)
    last = np.ones((n_rows, n_cols), dtype=bool)
    last[:, :-1] = new[:, 1:]
    end = np.flip(np.minimum.accumulate(np.flip(np.where(last, col, n_cols), axis=1), axis=1), axis=1)
    np.put_along_axis(ranks, order, (start + end) / 2.0 + 1.0, axis=1)
    return np.where(finite, ranks, np.nan)


class SortedRows:
    """Each row of an events x estimation-days matrix sorted once, indexable like the tuple (argsort, sorted
    values with NaN as +inf, average ranks, the ranks with 0 for unused days, each row's count of used days,
    the sorted values' finite mask, each day's count of rows that used it, each day's sum of ranks over rows).

    The rank matrix is built only when asked for: the usual path needs only each day's rank sum, which without
    ties or gaps is one weighted ``bincount`` of the sort order (the ranks are the positions 1..M).
    """

    _FIELDS = ("order", "sorted_values", "ranks", "ranks0", "n_used", "finite", "day_count", "rank_sums")

    def __init__(self, est: np.ndarray) -> None:
        self.est = est
        finite_in = np.isfinite(est)
        self.complete = bool(finite_in.all())
        filled = est if self.complete else np.where(finite_in, est, np.inf)
        self.order = np.argsort(filled, axis=1)
        n_rows, n_cols = est.shape
        self.sorted_values = filled.ravel()[self.order + (np.arange(n_rows) * n_cols)[:, None]]
        self.finite = np.isfinite(self.sorted_values)
        self.n_used = self.finite.sum(axis=1)
        self.day_count = finite_in.sum(axis=0)

    @cached_property
    def ranks(self) -> np.ndarray:
        return ranks_from_sorted(self.est, self.order, self.sorted_values)

    @cached_property
    def ranks0(self) -> np.ndarray:
        return self.ranks if self.complete else np.nan_to_num(self.ranks)

    @cached_property
    def rank_sums(self) -> np.ndarray:
        s = self.sorted_values
        if self.complete and not (s[:, 1:] == s[:, :-1]).any():
            n_rows, n_cols = s.shape  # sums of whole numbers below 2^53: exact in any order
            positions = np.broadcast_to(np.arange(1.0, n_cols + 1), (n_rows, n_cols))
            return np.bincount(self.order.ravel(), weights=positions.ravel(), minlength=n_cols)
        return self.ranks0.sum(axis=0)

    def __len__(self) -> int:
        return len(self._FIELDS)

    def __getitem__(self, k: int | slice) -> Any:
        if isinstance(k, slice):
            return tuple(getattr(self, name) for name in self._FIELDS[k])
        return getattr(self, self._FIELDS[k])


def row_search(sorted_rows: np.ndarray, values: np.ndarray, right: bool) -> np.ndarray:
    """Per row, how many entries of the ascending row are < value (or <= value with ``right``): a vectorised,
    branch-free binary search that grows each count by halving powers of two, one flat gather per step."""
    n_rows, n_cols = sorted_rows.shape
    flat = sorted_rows.ravel()
    base = (np.arange(n_rows) * n_cols - 1)[:, None]
    count = np.zeros(values.shape, dtype=np.int64)
    step = 1 << (max(n_cols, 1).bit_length() - 1)
    while step:
        cand = count + step
        at = flat[base + np.minimum(cand, n_cols)]  # the cand-th smallest entry (clipped at the row's end)
        go = (at <= values) if right else (at < values)
        count += np.where(go & (cand <= n_cols), step, 0)
        step >>= 1
    return count


def _row_cumsum(counts: np.ndarray) -> np.ndarray:
    """Cumulative sums along each row of a non-negative integer array, by one flat (contiguous) cumsum."""
    flat = np.cumsum(counts.ravel())
    before = np.concatenate([[0], flat[counts.shape[1] - 1::counts.shape[1]][:-1]])
    return flat.reshape(counts.shape) - before[:, None]


def combined_ranks(est: np.ndarray, order: np.ndarray, sorted_est: np.ndarray, est_ranks: np.ndarray,
                   window: np.ndarray) -> np.ndarray:
    """Average ranks over each row's estimation and window ARs together, from the sorted estimation ARs.

    A value's rank among both sets is its rank in its own set plus the values of the other set below it
    (ties count one half). Window values find their place in the sorted estimation row by binary search;
    each then lifts the estimation values above it by 1 (and those equal by 1/2), accumulated as a
    difference array in sorted order. No sort per window.
    """
    n_rows, n_est = est.shape
    finite_w = np.isfinite(window)
    left = row_search(sorted_est, window, right=False)
    right = row_search(sorted_est, window, right=True)
    r_win = _window_ranks(window, left, right)
    base = (np.arange(n_rows)[:, None] * (n_est + 1) + np.zeros(window.shape, dtype=np.int64))[finite_w]
    flat = np.concatenate([base + right[finite_w], base + left[finite_w]])
    diff = np.bincount(flat, minlength=n_rows * (n_est + 1)).reshape(n_rows, n_est + 1) * 0.5
    lift_sorted = np.cumsum(diff, axis=1)[:, :n_est]
    lift = np.empty_like(lift_sorted)
    np.put_along_axis(lift, order, lift_sorted, axis=1)
    out = np.concatenate([est_ranks + lift, r_win], axis=1)
    return np.where(np.isfinite(np.concatenate([est, window], axis=1)), out, np.nan)


def _window_ranks(window_ar: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Average ranks of the window values among the estimation and window values of their row, from their
    places ``left``/``right`` in the sorted estimation row (values below, and below or equal)."""
    r_win = 1.0 + left + 0.5 * (right - left)
    L = window_ar.shape[1]
    wide = np.uint8 if L < 2**8 else np.int64  # counts of window days, summed as bytes

    def count(mask: np.ndarray) -> np.ndarray:
        return np.add.reduce(mask.view(np.uint8), axis=2, dtype=wide).astype(np.int64)

    below = count(window_ar[:, None, :] < window_ar[:, :, None])  # events x L x L: L is small
    s = np.sort(window_ar, axis=1)
    if (s[:, 1:] == s[:, :-1]).any():  # ties within a window: count them
        equal = count(window_ar[:, None, :] == window_ar[:, :, None])
    else:  # each value equals itself only (NaN not even that)
        equal = np.isfinite(window_ar).astype(np.int64)
    return r_win + below + 0.5 * (equal - 1)


def _rank_day_sums(est_ar: np.ndarray, window_ar: np.ndarray, sorted_est: SortedRows | tuple,
                   search: tuple[np.ndarray, np.ndarray] | None = None,
                   lifts: np.ndarray | None = None) -> np.ndarray:
    """Per day (estimation days, then window days): the sum over events of ``U_it = rank_it / (1 + M_i)``.

    From the once-sorted estimation ARs, without building the events x days rank matrix: the estimation
    ranks enter by one matrix-vector product; each window value lifts the estimation values above it by 1
    (equal ones by 1/2), a step function in sorted order (cumulative sum of a difference array) that is
    folded onto days by one weighted ``bincount`` over the sort order. ``search``: the window values'
    (left, right) places in the sorted rows, when already found; ``lifts``: the window days' rows of
    :meth:`Panel.block_counts`, which give the lifts directly when every event has the same weight.
    """
    n_valid = sorted_est[4]  # fields one by one: the rank matrix is built only on the path that reads it
    n_rows, n_est = est_ar.shape
    finite_w = np.isfinite(window_ar)
    inv = 1.0 / (1.0 + n_valid + finite_w.sum(axis=1))
    if search is None:
        left = row_search(sorted_est[1], window_ar, right=False)
        right = row_search(sorted_est[1], window_ar, right=True)
    else:
        left, right = search
    r_win = _window_ranks(window_ar, left, right)
    win_sums = np.where(finite_w, r_win, 0.0).T @ inv
    if lifts is not None and len(sorted_est) > 7 and (inv == inv[0]).all():
        # one weight for all: sum_i inv (rank_it + lift_it) = inv (sum_i rank_it + sum_d lifts_dt / 2)
        return np.concatenate([inv[0] * (sorted_est[7] + 0.5 * lifts.sum(axis=0)), win_sums])
    order, ranks0, finite_sorted = sorted_est[0], sorted_est[3], sorted_est[5]
    base = (np.arange(n_rows) * (n_est + 1))[:, None]
    if finite_w.all():
        flat = np.concatenate([(base + right).ravel(), (base + left).ravel()])
    else:
        base = np.broadcast_to(base, window_ar.shape)[finite_w]
        flat = np.concatenate([base + right[finite_w], base + left[finite_w]])
    lift = _row_cumsum(np.bincount(flat, minlength=n_rows * (n_est + 1)).reshape(n_rows, n_est + 1))
    if not finite_sorted.all():
        lift = lift[:, :n_est] * finite_sorted  # days not used in the fit (sorted last, as +inf) get no rank
    if (inv == inv[0]).all():  # the usual case: every event has as many valid days, so one weight for all
        lifted = np.bincount(order.ravel(), lift[:, :n_est].ravel(), minlength=n_est) * (0.5 * inv[0])
    else:
        lifted = np.bincount(order.ravel(), (lift[:, :n_est] * (0.5 * inv)[:, None]).ravel(), minlength=n_est)
    est_sums = ranks0.T @ inv + lifted
    return np.concatenate([est_sums, win_sums])


def corrado_rank(est_ar: np.ndarray, window_ar: np.ndarray, sorted_est: SortedRows | tuple | None = None,
                 search: tuple[np.ndarray, np.ndarray] | None = None, lifts: np.ndarray | None = None) -> float:
    """Corrado's rank t over a multi-day window (module docstring); rows are events.

    ``sorted_est`` = (order, sorted values, ranks, ...) of ``est_ar`` (:meth:`Panel.sorted_est`) skips the sort
    and the events x days rank matrix (:func:`_rank_day_sums`); ``search`` the window values' places in it and
    ``lifts`` the window days' rows of :meth:`Panel.block_counts`.
    """
    if sorted_est is None:
        ok = np.concatenate([np.isfinite(est_ar), np.isfinite(window_ar)], axis=1)
        n_t = ok.sum(axis=0)
        combined = np.concatenate([est_ar, window_ar], axis=1)
        U = average_ranks(combined) / (1.0 + ok.sum(axis=1)[:, None])
        sums = np.where(ok, U, 0.0).sum(axis=0)
    else:
        est_count = sorted_est[6] if len(sorted_est) > 6 else np.isfinite(est_ar).sum(axis=0)
        n_t = np.concatenate([est_count, np.isfinite(window_ar).sum(axis=0)])
        sums = _rank_day_sums(est_ar, window_ar, sorted_est, search, lifts)
    N, n_days = len(est_ar), len(n_t)
    with np.errstate(invalid="ignore", divide="ignore"):
        ubar = np.where(n_t > 0, sums / n_t, 0.5)
    dev = ubar - 0.5
    s_u = np.sqrt(np.sum(n_t / N * dev**2) / n_days)
    L = window_ar.shape[1]
    in_window = n_t[-L:] > 0
    if s_u == 0 or not in_window.any():
        return np.nan
    return float(dev[-L:][in_window].sum() / np.sqrt(in_window.sum()) / s_u)


def wilcoxon_signed_rank(car: np.ndarray) -> tuple[float, float]:
    """W+ and its two-sided p (exact for N <= 50 without ties, else normal with tie correction)."""
    d = car[np.isfinite(car) & (car != 0)]
    n = len(d)
    if n == 0:
        return np.nan, np.nan
    a = np.abs(d)
    order = np.argsort(a, kind="stable")
    s = a[order]
    tied = bool((s[1:] == s[:-1]).any())
    if tied:
        ranks = average_ranks(a[None, :])[0]
    else:  # distinct values: ranks are positions in the sort
        ranks = np.empty(n)
        ranks[order] = np.arange(1.0, n + 1)
    w = float(ranks[d > 0].sum())
    if n <= 50 and not tied:
        counts = np.zeros(n * (n + 1) // 2 + 1)
        counts[0] = 1.0
        for k in range(1, n + 1):  # subsets of {1..k}: counts of each rank sum (exact in float64 up to 2^53)
            counts[k:] = counts[k:] + counts[:-k].copy()
        cdf = np.cumsum(counts) / 2.0**n
        wi = round(w)
        lower = cdf[wi]
        upper = 1.0 - (cdf[wi - 1] if wi > 0 else 0.0)
        return w, float(min(1.0, 2.0 * min(lower, upper)))
    starts = np.flatnonzero(np.concatenate([[True], s[1:] != s[:-1], [True]]))
    tie_counts = np.diff(starts)  # sizes of the runs of equal |CAR| in the sort
    var = n * (n + 1) * (2 * n + 1) / 24.0 - np.sum(tie_counts**3 - tie_counts) / 48.0
    z = (w - n * (n + 1) / 4.0) / np.sqrt(var)
    return w, _normal_p(z)
