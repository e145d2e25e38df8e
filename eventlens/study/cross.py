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
    n_rows, n_cols = x.shape
    filled = np.where(np.isfinite(x), x, np.inf)
    order = np.argsort(filled, axis=1, kind="stable")
    s = np.take_along_axis(filled, order, axis=1)
    col = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols))
    new = np.ones((n_rows, n_cols), dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    start = np.maximum.accumulate(np.where(new, col, 0), axis=1)
    last = np.ones((n_rows, n_cols), dtype=bool)
    last[:, :-1] = new[:, 1:]
    end = np.flip(np.minimum.accumulate(np.flip(np.where(last, col, n_cols), axis=1), axis=1), axis=1)
    ranks = np.empty((n_rows, n_cols))
    np.put_along_axis(ranks, order, (start + end) / 2.0 + 1.0, axis=1)
    return np.where(np.isfinite(x), ranks, np.nan)


def mean_cross_correlation(residuals: np.ndarray) -> float:
    """Mean pairwise Pearson correlation of the rows over the days both are finite (Kolari-Pynnönen's r)."""
    n = len(residuals)
    if n < 2:
        return np.nan
    W = np.isfinite(residuals).astype(float)
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


def corrado_rank(est_ar: np.ndarray, window_ar: np.ndarray) -> float:
    """Corrado's rank t over a multi-day window (module docstring); rows are events."""
    combined = np.concatenate([est_ar, window_ar], axis=1)
    ok = np.isfinite(combined)
    M = ok.sum(axis=1)
    U = average_ranks(combined) / (1.0 + M[:, None])
    N = len(combined)
    n_t = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ubar = np.where(n_t > 0, np.where(ok, U, 0.0).sum(axis=0) / n_t, 0.5)
    dev = ubar - 0.5
    s_u = np.sqrt(np.sum(n_t / N * dev**2) / combined.shape[1])
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
    ranks = average_ranks(np.abs(d)[None, :])[0]
    w = float(ranks[d > 0].sum())
    tied = len(np.unique(np.abs(d))) < n
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
    _, tie_counts = np.unique(np.abs(d), return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24.0 - np.sum(tie_counts**3 - tie_counts) / 48.0
    z = (w - n * (n + 1) / 4.0) / np.sqrt(var)
    return w, _normal_p(z)


def cross_event_tests(
    car: np.ndarray,
    car_se: np.ndarray,
    csar: np.ndarray | None = None,
    n_days: np.ndarray | None = None,
    dof: np.ndarray | None = None,
    est_ar: np.ndarray | None = None,
    window_ar: np.ndarray | None = None,
) -> dict[str, float]:
    """CAAR and every test in the module docstring for N events (NaN tests for N < 2).

    ``csar``, ``n_days`` and ``dof`` feed Patell; ``est_ar`` (events x estimation days, NaN where unused)
    feeds Kolari-Pynnönen's correlation, the rank and the sign tests; ``window_ar`` (events x window days) the
    rank test. A test whose inputs are not given is NaN.
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
        r = mean_cross_correlation(est_ar)
        factor = (1 - r) / (1 + (n - 1) * r)
        t_kp = float(t_bmp * np.sqrt(factor)) if np.isfinite(factor) and factor > 0 else np.nan
        out |= {"r_mean": r, "t_kp": t_kp, "p_kp": float(two_sided_p(t_kp, n - 1))}
        ok = np.isfinite(est_ar)
        with np.errstate(invalid="ignore", divide="ignore"):
            p_hat = float(np.mean((ok & (est_ar > 0)).sum(axis=1) / ok.sum(axis=1)))
        w = int((car > 0).sum())
        z_sign = (w - n * p_hat) / np.sqrt(n * p_hat * (1 - p_hat)) if 0 < p_hat < 1 else np.nan
        out |= {"p_sign_est": p_hat, "n_positive": float(w), "z_sign": float(z_sign), "p_sign": _normal_p(z_sign)}
        if window_ar is not None:
            t_rank = corrado_rank(est_ar, window_ar)
            out |= {"t_rank": t_rank, "p_rank": _normal_p(t_rank)}
    w_plus, p_w = wilcoxon_signed_rank(car)
    out |= {"w_wilcoxon": w_plus, "p_wilcoxon": p_w}
    return out


class Panel:
    """Abnormal returns behind the rank, sign and Kolari-Pynnönen tests: one row per event.

    ``est_ar``: estimation-window residuals (NaN on days not used in the fit); ``ev_ar``: the event block's
    ARs for relative days ``d_lo .. d_lo + width - 1``. Rows of a study's ``rows`` frame point here by their
    ``event_index`` column. Panels of the same design stack (several tickers' studies pooled).
    """

    def __init__(self, est_ar: np.ndarray, ev_ar: np.ndarray, d_lo: int) -> None:
        self.est_ar, self.ev_ar, self.d_lo = est_ar, ev_ar, d_lo

    def window(self, idx: np.ndarray, w1: int, w2: int) -> np.ndarray:
        return self.ev_ar[idx, w1 - self.d_lo: w2 - self.d_lo + 1]

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
    ``event_index``) the rank, sign and Kolari-Pynnönen tests are NaN.
    """
    import pandas as pd

    out = []
    usable = rows[np.isfinite(rows["car"]) & np.isfinite(rows["car_se"])]
    key = ["ticker", "trading_date"] if "ticker" in rows else ["trading_date"]
    groups = [("all events", usable, rows)]
    if by and by in rows:
        labels, all_labels = usable[by].astype(str), rows[by].astype(str)
        for name in sorted(set(all_labels)):
            groups.append((name or "(no category)", usable[labels == name], rows[all_labels == name]))
    has_patell = {"csar", "n_days", "dof"} <= set(rows.columns)
    use_panel = panel is not None and "event_index" in rows
    for name, grp, all_grp in groups:
        for (w1, w2), sub in all_grp.groupby(["window_start", "window_end"], sort=False):
            ok = grp[(grp["window_start"] == w1) & (grp["window_end"] == w2)]
            dedup = ok.drop_duplicates(subset=key)
            notes = []
            if len(sub) - len(ok):
                notes.append(f"{len(sub) - len(ok)} event(s) without a CAR left out")
            if len(ok) - len(dedup):
                notes.append(f"{len(ok) - len(dedup)} event(s) share a trading date with another and count once")
            if len(dedup) < 2:
                notes.append("fewer than 2 events: no cross-event test")
            extra = {}
            if has_patell:
                extra |= {"csar": dedup["csar"].to_numpy(), "n_days": dedup["n_days"].to_numpy(dtype=float),
                          "dof": dedup["dof"].to_numpy(dtype=float)}
            if use_panel:
                idx = dedup["event_index"].to_numpy()
                extra |= {"est_ar": panel.est_ar[idx], "window_ar": panel.window(idx, int(w1), int(w2))}
            out.append({"group": name, "window_start": w1, "window_end": w2,
                        **cross_event_tests(dedup["car"].to_numpy(), dedup["car_se"].to_numpy(), **extra),
                        "notes": "; ".join(notes)})
    return pd.DataFrame(out)
