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

from eventlens.study.ranks import (
    SortedRows,
    corrado_rank,
    row_search,
    wilcoxon_signed_rank,
)
from eventlens.study.single import count_true, two_sided_p

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


def mean_cross_correlation(residuals: np.ndarray) -> float:
    """Mean pairwise Pearson correlation of the rows over the days both are finite (Kolari-Pynnönen's r)."""
    n = len(residuals)
    if n < 2:
        return np.nan
    valid = np.isfinite(residuals)
    if (valid == valid[0]).all():
        # Every row valid on the same days: with z the rows standardised (n-1 dof) over those T days,
        # sum_{i<j} corr_ij = (|sum_i z_i|^2 - sum_i |z_i|^2) / (2 (T-1)), with no N x N matrix.
        # Without building z: sum_i z_i = X' (1/s) - sum_i m_i/s_i (one matrix-vector product), and each
        # |z_i|^2 = T-1 by the definition of s_i, so sum_i |z_i|^2 = n (T-1).
        x = residuals if valid[0].all() else residuals[:, valid[0]]
        T = x.shape[1]
        mean = x.mean(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            inv_sd = 1.0 / np.sqrt((np.einsum("ij,ij->i", x, x) - T * mean**2) / (T - 1))
            total = inv_sd @ x - inv_sd @ mean
        pair_sum = (total @ total - n * (T - 1.0)) / (2.0 * (T - 1))
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


def positive_share(est_ar: np.ndarray) -> float:
    """Cowan's p-hat: the mean over events of each event's share of positive estimation-window ARs."""
    ok = np.isfinite(est_ar)
    every = bool(ok.all())
    used = np.full(len(est_ar), est_ar.shape[1]) if every else count_true(ok)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.mean(count_true(est_ar > 0) / used))  # NaN > 0 is False: unused days never count


def cross_event_tests(
    car: np.ndarray,
    car_se: np.ndarray,
    csar: np.ndarray | None = None,
    n_days: np.ndarray | None = None,
    dof: np.ndarray | None = None,
    est_ar: np.ndarray | None = None,
    window_ar: np.ndarray | None = None,
    sorted_est: SortedRows | tuple | None = None,
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
        self._sorted: dict[bytes, SortedRows] = {}
        self._rows: dict[bytes, np.ndarray] = {}
        self._counts: dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._by_set: dict[bytes, tuple[float, float]] = {}

    def window(self, idx: np.ndarray, w1: int, w2: int) -> np.ndarray:
        return self.ev_ar[idx, w1 - self.d_lo: w2 - self.d_lo + 1]

    def sorted_est(self, idx: np.ndarray) -> SortedRows:
        """For the estimation ARs of events ``idx``: (argsort, sorted values with NaN as +inf, average ranks,
        the ranks with 0 for unused days, each event's count of used days, the sorted values' finite mask, each
        estimation day's count of events that used it, each estimation day's sum of ranks over events).

        Sorted once per set of events (every window of a group shares it), and only the rows of the set: the
        cross-event tests count events sharing a date once, so duplicates are never sorted. The sort need not
        be stable: tied values get their average rank, so their order among themselves changes nothing.
        """
        key = np.asarray(idx, dtype=np.int64).tobytes()
        if key not in self._sorted:
            self._sorted[key] = SortedRows(self.rows(idx))
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

            above = est[:, None, :] > block[:, :, None]  # NaN compares False: never counted
            lifts = lifted(above)
            # each block value's place in its sorted row (how many used estimation ARs lie at or below it) is
            # the row's count of used days less those above it: the same comparisons, no binary search
            n_used = self.sorted_est(idx)[4]
            wide = np.uint16 if est.shape[1] < 2**16 else np.int64
            right = n_used[:, None] - np.add.reduce(above.view(np.uint8), axis=2, dtype=wide).astype(np.int64)
            if not np.isfinite(block).all():
                right = np.where(np.isfinite(block), right, 0)  # as the search gives: NaN is below nothing
            at = np.take_along_axis(sorted_values, np.maximum(right - 1, 0), axis=1)
            if ((right > 0) & (at == block)).any():  # some estimation AR equals a window AR: count ">=" too
                left = row_search(sorted_values, block, right=False)
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
