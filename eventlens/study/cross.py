"""Tests across events: is the average abnormal return over a window different from zero?

Each test relaxes a different assumption of the plain cross-sectional t:

cross-sectional t    ``CAAR / (sd(CAR)/sqrt(N))``, N-1 dof (MacKinlay 1997 eq. 20-21 with the
                     cross-sectional variance, Brown and Warner 1985): robust to event-induced variance.
Patell (1976)        ``Z = N^-1/2 sum_i CSAR_i / sqrt(L_i dof_i / (dof_i - 2))`` with
                     ``CSAR_i = sum_t AR_it / s_it``, ``s_it^2 = sigma_i^2 (1 + 1/n + (Rm_t - mean Rm)^2/S_xx)``
                     (prediction-error variance, MacKinlay eq. 11); ``dof/(dof-2)`` is the variance of a
                     t(dof) variable. Normal p. Weighs each event by its precision (heteroskedastic events).
BMP (1991)           Boehmer, Musumeci and Poulsen: ``SCAR_i = CAR_i / se(CAR_i)``,
                     ``t = mean(SCAR) / (sd(SCAR)/sqrt(N))``, N-1 dof: Patell robust to event-induced variance.
Kolari-Pynnönen      (2010, Review of Financial Studies 23(11)) ``t_KP = t_BMP sqrt((1 - r)/(1 + (N-1) r))``,
                     r the mean pairwise correlation of the events' estimation-window residuals aligned in
                     event time (for events of several tickers on one day, calendar time): relaxes the
                     independence of events that share dates. N-1 dof.
Corrado (1989) rank  ``U_it = rank(AR_it) / (1 + M_i)`` over the M_i valid days of the estimation window and the
                     event window (Corrado and Zivney 1992 scaling); with ``Ubar_t`` the mean over the N_t events
                     valid on day t, ``S_U^2 = (1/T) sum_t (N_t/N)(Ubar_t - 1/2)^2`` over all T days and
                     ``t = L^-1/2 sum_{t in window} (Ubar_t - 1/2) / S_U`` (the multi-day form of Campbell and
                     Wasley 1993). Normal p. No normality at all.
generalized sign     (Cowan 1992) ``p = mean_i (share of positive estimation ARs of i)``, w = number of events
                     with CAR > 0, ``Z = (w - N p)/sqrt(N p (1 - p))``. Normal p. No normality, and an asymmetric
                     AR distribution is allowed for.
Wilcoxon signed-rank W+ = sum of the ranks of |CAR_i| over events with CAR_i > 0 (zeros dropped, average ranks
                     for ties); exact two-sided p ``2 min(P(W+ <= w), P(W+ >= w))`` for N <= 50 without ties,
                     else the normal approximation with the tie correction. Symmetric CARs, no normality.

Events of one ticker sharing a trading date have identical CARs and count once.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from eventlens.study.single import two_sided_p

TESTS = {  # key: (label, assumption relaxed), shown beside the statistics
    "cs": ("Cross-sectional t", "event-induced variance (uses the CARs' own spread)"),
    "patell": ("Patell Z", "unequal event variances (weights by precision); assumes normal, independent ARs"),
    "bmp": ("BMP t", "event-induced variance on top of Patell's standardisation"),
    "kp": ("Kolari-Pynnönen t", "independence across events (corrects BMP for correlated residuals)"),
    "rank": ("Corrado rank t", "normality (ranks of ARs, robust to fat tails)"),
    "sign": ("Generalized sign Z", "normality and symmetry (signs against the estimation share of gains)"),
    "wilcoxon": ("Wilcoxon W+", "normality (signed ranks of CARs; assumes symmetry)"),
}


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


def mean_cross_correlation(residuals: np.ndarray) -> float:
    """Mean pairwise Pearson correlation of the rows over the days both are finite (Kolari-Pynnönen's r)."""
    n = len(residuals)
    if n < 2:
        return np.nan
    valid = np.isfinite(residuals)
    if (valid == valid[0]).all():
        # Every row valid on the same days: with z the rows standardised (n-1 dof) over those T days,
        # sum_{i<j} corr_ij = (|sum_i z_i|^2 - sum_i |z_i|^2) / (2 (T-1)), with no N x N matrix.
        x = residuals[:, valid[0]]
        T = x.shape[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, ddof=1, keepdims=True)
        total = z.sum(axis=0)
        pair_sum = (total @ total - np.einsum("ij,ij->", z, z)) / (2.0 * (T - 1))
        return float(pair_sum / (n * (n - 1) / 2))
    W = valid.astype(float)
    X = np.where(W > 0, residuals, 0.0)
    cnt = W @ W.T
    sx = X @ W.T  # row i's sum over the days valid for both i and j
    sxx = (X * X) @ W.T
    sxy = X @ X.T
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = cnt * sxy - sx * sx.T
        var = cnt * sxx - sx**2
        corr = cov / np.sqrt(var * var.T)
    iu = np.triu_indices(n, 1)
    vals = corr[iu]
    vals = vals[np.isfinite(vals)]
    return float(vals.mean()) if len(vals) else np.nan


def _row_search(sorted_rows: np.ndarray, values: np.ndarray, right: bool) -> np.ndarray:
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
    left = _row_search(sorted_est, window, right=False)
    right = _row_search(sorted_est, window, right=True)
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
    below = (window_ar[:, None, :] < window_ar[:, :, None]).sum(axis=2)  # events x L x L: L is small
    equal = (window_ar[:, None, :] == window_ar[:, :, None]).sum(axis=2)
    return r_win + below + 0.5 * (equal - 1)


def _rank_day_sums(est_ar: np.ndarray, window_ar: np.ndarray, sorted_est: tuple,
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
    order, sorted_values, _, ranks0, n_valid, finite_sorted = sorted_est[:6]
    n_rows, n_est = est_ar.shape
    finite_w = np.isfinite(window_ar)
    inv = 1.0 / (1.0 + n_valid + finite_w.sum(axis=1))
    if search is None:
        left = _row_search(sorted_values, window_ar, right=False)
        right = _row_search(sorted_values, window_ar, right=True)
    else:
        left, right = search
    r_win = _window_ranks(window_ar, left, right)
    win_sums = np.where(finite_w, r_win, 0.0).T @ inv
    if lifts is not None and len(sorted_est) > 7 and (inv == inv[0]).all():
        # one weight for all: sum_i inv (rank_it + lift_it) = inv (sum_i rank_it + sum_d lifts_dt / 2)
        return np.concatenate([inv[0] * (sorted_est[7] + 0.5 * lifts.sum(axis=0)), win_sums])
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


def corrado_rank(est_ar: np.ndarray, window_ar: np.ndarray, sorted_est: tuple | None = None,
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


def positive_share(est_ar: np.ndarray) -> float:
    """Cowan's p-hat: the mean over events of each event's share of positive estimation-window ARs."""
    ok = np.isfinite(est_ar)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.mean((ok & (est_ar > 0)).sum(axis=1) / ok.sum(axis=1)))


def cross_event_tests(
    car: np.ndarray,
    car_se: np.ndarray,
    csar: np.ndarray | None = None,
    n_days: np.ndarray | None = None,
    dof: np.ndarray | None = None,
    est_ar: np.ndarray | None = None,
    window_ar: np.ndarray | None = None,
    sorted_est: tuple | None = None,
    r_mean: float | None = None,
    p_hat: float | None = None,
    search: tuple[np.ndarray, np.ndarray] | None = None,
    lifts: np.ndarray | None = None,
) -> dict[str, float]:
    """CAAR and every test in the module docstring for N events (NaN tests for N < 2).

    ``csar``, ``n_days`` and ``dof`` feed Patell; ``est_ar`` (events x estimation days, NaN where unused)
    feeds Kolari-Pynnönen's correlation, the rank and the sign tests; ``window_ar`` (events x window days) the
    rank test. A test whose inputs are not given is NaN. ``sorted_est``, ``r_mean`` and ``p_hat`` may be passed
    precomputed (they depend on the events, not on the window), and ``search`` and ``lifts``, the window ARs'
    places in the sorted estimation rows and their lifts (:meth:`Panel.block_counts`).
    """
    car = np.asarray(car, dtype=float)
    scar = car / np.asarray(car_se, dtype=float)
    n = len(car)
    out = {"n_events": n, "caar": float(car.mean()) if n else np.nan,
           "mean_scar": float(scar.mean()) if n else np.nan}
    keys = ("t_cs", "p_cs", "t_bmp", "p_bmp", "z_patell", "p_patell", "r_mean", "t_kp", "p_kp", "t_rank",
            "p_rank", "p_sign_est", "n_positive", "z_sign", "p_sign", "w_wilcoxon", "p_wilcoxon")
    out |= dict.fromkeys(keys, np.nan)
    if n < 2:
        return out
    t_cs = car.mean() / (car.std(ddof=1) / np.sqrt(n))
    t_bmp = scar.mean() / (scar.std(ddof=1) / np.sqrt(n))
    out |= {"t_cs": float(t_cs), "p_cs": float(two_sided_p(t_cs, n - 1)),
            "t_bmp": float(t_bmp), "p_bmp": float(two_sided_p(t_bmp, n - 1))}
    if csar is not None and n_days is not None and dof is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            z = float(np.sum(csar / np.sqrt(n_days * dof / (dof - 2))) / np.sqrt(n))
        out |= {"z_patell": z, "p_patell": _normal_p(z)}
    if est_ar is not None:
        r = mean_cross_correlation(est_ar) if r_mean is None else r_mean
        factor = (1 - r) / (1 + (n - 1) * r)
        t_kp = float(t_bmp * np.sqrt(factor)) if np.isfinite(factor) and factor > 0 else np.nan
        out |= {"r_mean": r, "t_kp": t_kp, "p_kp": float(two_sided_p(t_kp, n - 1))}
        share = positive_share(est_ar) if p_hat is None else p_hat
        w = int((car > 0).sum())
        z_sign = (w - n * share) / np.sqrt(n * share * (1 - share)) if 0 < share < 1 else np.nan
        out |= {"p_sign_est": share, "n_positive": float(w), "z_sign": float(z_sign), "p_sign": _normal_p(z_sign)}
        if window_ar is not None:
            t_rank = corrado_rank(est_ar, window_ar, sorted_est, search, lifts)
            out |= {"t_rank": t_rank, "p_rank": _normal_p(t_rank)}
    w_plus, p_w = wilcoxon_signed_rank(car)
    out |= {"w_wilcoxon": w_plus, "p_wilcoxon": p_w}
    return out


class Panel:
    """Abnormal returns behind the rank, sign and Kolari-Pynnönen tests: one row per event.

    ``est_ar``: estimation-window residuals (NaN on days not used in the fit); ``ev_ar``: the event block's
    ARs for relative days ``d_lo .. d_lo + width - 1``. Rows of a study's ``rows`` frame point here by their
    ``event_index`` column. Panels of the same design stack (several tickers' studies pooled). What depends
    only on the set of events (ranks, Kolari-Pynnönen's r, Cowan's p-hat) is computed once per set.
    """

    def __init__(self, est_ar: np.ndarray, ev_ar: np.ndarray, d_lo: int) -> None:
        self.est_ar, self.ev_ar, self.d_lo = est_ar, ev_ar, d_lo
        self._sorted: dict[bytes, tuple[np.ndarray, ...]] = {}
        self._rows: dict[bytes, np.ndarray] = {}
        self._counts: dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._by_set: dict[bytes, tuple[float, float]] = {}

    def window(self, idx: np.ndarray, w1: int, w2: int) -> np.ndarray:
        return self.ev_ar[idx, w1 - self.d_lo: w2 - self.d_lo + 1]

    def sorted_est(self, idx: np.ndarray) -> tuple[np.ndarray, ...]:
        """For the estimation ARs of events ``idx``: (argsort, sorted values with NaN as +inf, average ranks,
        the ranks with 0 for unused days, each event's count of used days, the sorted values' finite mask, each
        estimation day's count of events that used it, each estimation day's sum of ranks over events).

        Sorted once per set of events (every window of a group shares it), and only the rows of the set: the
        cross-event tests count events sharing a date once, so duplicates are never sorted. The sort need not
        be stable: tied values get their average rank, so their order among themselves changes nothing.
        """
        key = np.asarray(idx, dtype=np.int64).tobytes()
        if key not in self._sorted:
            est = self.rows(idx)
            finite_in = np.isfinite(est)
            filled = est if finite_in.all() else np.where(finite_in, est, np.inf)
            order = np.argsort(filled, axis=1)
            n_rows, n_cols = est.shape
            flat_order = order + (np.arange(n_rows) * n_cols)[:, None]
            sorted_values = filled.ravel()[flat_order]
            ranks = ranks_from_sorted(est, order, sorted_values)
            finite = np.isfinite(sorted_values)
            ranks0 = ranks if finite_in.all() else np.nan_to_num(ranks)
            self._sorted[key] = (order, sorted_values, ranks, ranks0, finite.sum(axis=1), finite,
                                 finite_in.sum(axis=0), ranks0.sum(axis=0))
        return self._sorted[key]

    def rows(self, idx: np.ndarray) -> np.ndarray:
        """The estimation ARs of events ``idx`` (one copy per set of events)."""
        key = np.asarray(idx, dtype=np.int64).tobytes()
        if key not in self._rows:
            self._rows[key] = self.est_ar[idx]
        return self._rows[key]

    def block_counts(self, idx: np.ndarray, d1: int, d2: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For events ``idx`` and each event day d1..d2, compare every estimation AR with that day's AR at once
        (events x days x estimation days). Returns (left, right, lifts): how many estimation ARs of each event
        lie below its day-d AR, and below or at it; and, per day d and estimation day t, how many events' AR
        on t lies above their day-d AR, plus how many lie at or above it. A window's lifts are the sum of its
        days' rows: twice what its values add to the ranks of the estimation ARs, summed over events.
        Found once per set of events and every window's days, instead of a sort-order pass per window."""
        key = np.asarray(idx, dtype=np.int64).tobytes() + bytes(f"{d1},{d2}", "ascii")
        if key not in self._counts:
            est = self.rows(idx)
            sorted_values = self.sorted_est(idx)[1]
            block = self.ev_ar[idx, d1 - self.d_lo: d2 - self.d_lo + 1]

            narrow = np.uint16 if len(est) < 2**16 else np.int64  # counts of events: exact, and a cheaper sum

            def lifted(above: np.ndarray) -> np.ndarray:  # per (day, estimation day): how many events
                return np.add.reduce(above.view(np.uint8), axis=0, dtype=narrow).astype(np.int64)

            right = _row_search(sorted_values, block, right=True)
            lifts = lifted(est[:, None, :] > block[:, :, None])  # NaN compares False: never counted
            at = np.take_along_axis(sorted_values, np.maximum(right - 1, 0), axis=1)
            if ((right > 0) & (at == block)).any():  # some estimation AR equals a window AR: count ">=" too
                left = _row_search(sorted_values, block, right=False)
                lifts = lifts + lifted(est[:, None, :] >= block[:, :, None])
            else:
                left, lifts = right, 2 * lifts
            self._counts[key] = (left, right, lifts)
        return self._counts[key]

    def set_stats(self, idx: np.ndarray) -> tuple[float, float]:
        """Kolari-Pynnönen's mean correlation and Cowan's p-hat for the events ``idx``."""
        key = np.asarray(idx, dtype=np.int64).tobytes()
        if key not in self._by_set:
            est = self.rows(idx)
            self._by_set[key] = (mean_cross_correlation(est), positive_share(est))
        return self._by_set[key]

    @classmethod
    def stack(cls, panels: list[Panel]) -> Panel:
        d_lo = min(p.d_lo for p in panels)
        width = max(p.d_lo + p.ev_ar.shape[1] for p in panels) - d_lo
        blocks = []
        for p in panels:
            block = np.full((len(p.ev_ar), width), np.nan)
            block[:, p.d_lo - d_lo: p.d_lo - d_lo + p.ev_ar.shape[1]] = p.ev_ar
            blocks.append(block)
        return cls(np.concatenate([p.est_ar for p in panels]), np.concatenate(blocks), d_lo)


def caar(rows, by: str | None = "category", panel: Panel | None = None):
    """CAAR per window (and per ``by`` group, plus "all events") with every cross-event test.

    Rows without a CAR (not estimable, past the data) are left out and counted. Events of one ticker sharing
    a trading date have identical CARs, so each (ticker, date) counts once. Without ``panel`` (or the rows'
    ``event_index``) the rank, sign and Kolari-Pynnönen tests are NaN. Works on numpy columns: a group or a
    window is a boolean mask, never a pandas filter.
    """
    import pandas as pd

    car = rows["car"].to_numpy(dtype=float)
    se = rows["car_se"].to_numpy(dtype=float)
    usable = np.isfinite(car) & np.isfinite(se)
    starts, ends = rows["window_start"].to_numpy(), rows["window_end"].to_numpy()
    dates = rows["trading_date"]
    dates = (dates if dates.dtype.kind == "M" else pd.to_datetime(dates)).to_numpy().astype("datetime64[ns]").view(
        np.int64)
    tickers = pd.factorize(rows["ticker"])[0] if "ticker" in rows else np.zeros(len(rows), dtype=np.int64)
    key = tickers.astype(np.int64) * 1_000_003 + pd.factorize(dates)[0]
    _, first_seen = np.unique(np.stack([starts, ends]), axis=1, return_index=True)
    windows = [(int(starts[i]), int(ends[i])) for i in np.sort(first_seen)]  # in order of appearance
    groups: list[tuple[str, np.ndarray]] = [("all events", np.ones(len(rows), dtype=bool))]
    if by and by in rows and rows[by].nunique(dropna=False) > 1:  # one category only: "all events" again
        labels = rows[by].astype(str).to_numpy()
        names = sorted(set(labels.tolist()))
        if len(names) > 1:
            groups += [(name or "(no category)", labels == name) for name in names]
    patell = ({k: rows[k].to_numpy(dtype=float) for k in ("csar", "n_days", "dof")}
              if {"csar", "n_days", "dof"} <= set(rows.columns) else None)
    ev_index = rows["event_index"].to_numpy() if panel is not None and "event_index" in rows else None
    d1, d2 = min(w[0] for w in windows) if windows else 0, max(w[1] for w in windows) if windows else 0
    out = []
    for name, in_g in groups:  # group by group, windows in order within each
        for w1, w2 in windows:
            sel = (starts == w1) & (ends == w2) & in_g
            ok = np.flatnonzero(sel & usable)
            _, first = np.unique(key[ok], return_index=True)
            idx = ok[np.sort(first)]
            notes = []
            if sel.sum() - len(ok):
                notes.append(f"{int(sel.sum() - len(ok))} event(s) without a CAR left out")
            if len(ok) - len(idx):
                notes.append(f"{len(ok) - len(idx)} event(s) share a trading date with another and count once")
            if len(idx) < 2:
                notes.append("fewer than 2 events: no cross-event test")
            extra: dict = {}
            if patell is not None:
                extra |= {k: v[idx] for k, v in patell.items()}
            if ev_index is not None and panel is not None and len(idx) >= 2:
                e = ev_index[idx]
                r_mean, p_hat = panel.set_stats(e)
                cols = slice(int(w1) - d1, int(w2) - d1 + 1)
                left, right, lifts = panel.block_counts(e, d1, d2)
                extra |= {"est_ar": panel.rows(e), "window_ar": panel.window(e, int(w1), int(w2)),
                          "sorted_est": panel.sorted_est(e), "r_mean": r_mean, "p_hat": p_hat,
                          "search": (left[:, cols], right[:, cols]), "lifts": lifts[cols]}
            out.append({"group": name, "window_start": w1, "window_end": w2,
                        **cross_event_tests(car[idx], se[idx], **extra), "notes": "; ".join(notes)})
    if not out:
        return pd.DataFrame()
    columns = {k: [row[k] for row in out] for k in out[0]}
    return pd.DataFrame({k: v if k in ("group", "notes") else np.asarray(v) for k, v in columns.items()})
