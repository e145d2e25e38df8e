"""Tests of one event's abnormal return, volume and volatility, vectorised over events.

t-test (MacKinlay 1997, eq. 16)
    ``t = CAR / sqrt(Var(CAR))``; two-sided p from Student's t with the
    estimation dof (n-2 market model, n-1 otherwise).

SQ test (Gelbach, Helland and Klick 2013, "Valid Inference in Single-Firm,
Single-Event Studies", American Law and Economics Review 15(2), 495-541)
    The t-test assumes normal abnormal returns; for one firm and one event no
    averaging rescues it. The SQ test compares the event-window CAR with the
    *sample quantiles* of the firm's own estimation-window fitted residuals
    ``e_s = R_s - alpha - beta Rm_s`` (the in-sample ARs of the days used in the
    fit), so the p-value has the right size whatever their distribution,
    asymptotically in the estimation length.

    GHK's test is stated for one day: reject when the event-day excess return
    lies outside the a/2 and 1-a/2 sample quantiles of the pre-event fitted
    excess returns. For a window of L days this module applies the same rule to
    L-day sums (its own construction, stated here so it can be checked): the
    reference is the empirical distribution of the **overlapping** L-day sums
    ``S_k = e_k + ... + e_{k+L-1}`` of consecutive estimation days,
    k = 1 .. n-L+1, keeping only runs of L days that were all used in the fit
    (a day left out of the fit, or missing, breaks the run). Overlapping,
    because the CAR is a sum of L *consecutive* days, so consecutive sums keep
    any serial dependence the CAR has, and because they give n-L+1 sums instead
    of floor(n/L): with n = 240 and L = 11 non-overlapping sums would be only
    21, too few for any 5% two-sided rejection region (that needs at least
    40: 2/(J+1) < 0.05). The sums are dependent, which leaves the empirical quantiles
    consistent (stationary, weakly dependent residuals) but makes their
    effective sample smaller than J; for L = 1 the sums are the residuals
    themselves, GHK's own test.

    With J sums: ``p_upper = (#{S_k >= CAR} + 1) / (J + 1)``,
    ``p_lower = (#{S_k <= CAR} + 1) / (J + 1)`` and the equal-tailed two-sided
    ``p = min(1, 2 min(p_upper, p_lower))``: GHK's quantile rule written as a
    p-value, with the CAR counted as one more draw of the same law (the "+1").
    That makes the p-value exactly valid when the CAR and the sums are
    exchangeable (L = 1, i.i.d. residuals); the bare ``count / J`` over-rejects
    at small levels (at 1% with J = 240 it rejects about 1.7% of the time). The
    smallest two-sided p is therefore ``2 / (J + 1)`` (0.008 for J = 240): a CAR
    beyond every estimation sum; the pages say so.

Abnormal volume (Campbell and Wasley 1996, Review of Quantitative Finance and
Accounting; the mean-adjusted model on log volume)
    ``V_t = ln(volume_t)``; ``AV_t = V_t - mean_est(V)``, standardised by the
    estimation sd ``s_V`` (n-1 dof). Over a window of L days the mean ``AV``
    and ``t = sum AV / (s_V sqrt(L))``, two-sided p from Student's t with n-1
    dof. ``exp(AV) - 1`` reads as "volume x% above its normal level".

Abnormal volatility (Beaver 1968, "The Information Content of Annual
Earnings Announcements", Journal of Accounting Research 6 (supplement), the
U statistic)
    ``U = mean over the window of AR_t^2 / sigma^2``, sigma^2 the estimation
    variance. Under the model (normal, independent ARs) ``U ~ F(L, dof)``;
    one-sided p = P(F > U) (volatility higher than normal).
"""

from __future__ import annotations

import numpy as np
from scipy.special import fdtrc, stdtr  # special, not stats: scipy.stats adds ~1 s to the app's cold start


def two_sided_p(t: np.ndarray | float, dof: np.ndarray | float) -> np.ndarray | float:
    """Two-sided p-value of a t statistic with ``dof`` degrees of freedom: 2 P(T > |t|)."""
    return 2.0 * stdtr(dof, -np.abs(t))


class RollingSums:
    """Overlapping L-day sums of consecutive columns (NaN where a run holds a NaN), for any L, from one pair
    of cumulative sums."""

    def __init__(self, residuals: np.ndarray) -> None:
        ok = np.isfinite(residuals)
        N, E = residuals.shape
        self.residuals = residuals
        self.complete = bool(ok.all())  # the usual case: no gap, so no run needs checking
        self.cs = np.zeros((N, E + 1))
        np.cumsum(residuals if self.complete else np.where(ok, residuals, 0.0), axis=1, out=self.cs[:, 1:])
        if not self.complete:
            self.cnt = np.zeros((N, E + 1), dtype=np.int32)
            np.cumsum(ok, axis=1, out=self.cnt[:, 1:])

    def __call__(self, length: int) -> np.ndarray:
        if length == 1:
            return self.residuals
        sums = self.cs[:, length:] - self.cs[:, :-length]
        if self.complete:
            return sums
        return np.where(self.cnt[:, length:] - self.cnt[:, :-length] == length, sums, np.nan)


def rolling_sums(residuals: np.ndarray, length: int) -> np.ndarray:
    """Overlapping ``length``-day sums of consecutive columns (NaN where a run holds a NaN)."""
    return RollingSums(residuals)(length)


def count_true(mask: np.ndarray) -> np.ndarray:
    """Per row, how many entries of a boolean matrix hold (summed as bytes: several times cheaper than
    ``mask.sum(axis=1)``, which widens every entry to 64 bits first)."""
    if mask.shape[1] >= 2**16:
        return mask.sum(axis=1)
    return np.add.reduce(mask.view(np.uint8), axis=1, dtype=np.uint16).astype(np.int64)


def sq_test(residuals: np.ndarray, car: np.ndarray, length: int,
            sums: np.ndarray | None = None, complete: bool = False) -> dict[str, np.ndarray]:
    """SQ p-values of ``car`` (one per event) against the overlapping ``length``-day residual sums.

    ``residuals``: events x estimation days, NaN on days not used in the fit (``sums``: their
    :func:`rolling_sums`, when already computed; ``complete``: they hold no NaN). Returns ``p``
    (two-sided), ``p_upper``, ``p_lower`` and ``n_sums`` (J); NaN p where the CAR is NaN or no run of
    ``length`` used days exists.
    """
    N, E = residuals.shape
    if length > E or N == 0:
        nan = np.full(N, np.nan)
        return {"p": nan, "p_upper": nan.copy(), "p_lower": nan.copy(), "n_sums": np.zeros(N, dtype=int)}
    sums = rolling_sums(residuals, length) if sums is None else sums
    c = car[:, None]
    upper, lower = count_true(sums >= c), count_true(sums <= c)  # NaN compares False: runs with a gap never count
    J = np.full(N, sums.shape[1]) if complete else np.isfinite(sums).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_up = np.where((J > 0) & np.isfinite(car), (upper + 1) / (J + 1), np.nan)
        p_lo = np.where((J > 0) & np.isfinite(car), (lower + 1) / (J + 1), np.nan)
    return {"p": np.minimum(1.0, 2.0 * np.minimum(p_up, p_lo)), "p_upper": p_up, "p_lower": p_lo, "n_sums": J}


def volume_baseline(log_volume_est: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per event: mean and sd (n-1) of estimation-window log volume, and n (NaN entries ignored)."""
    ok = np.isfinite(log_volume_est)
    n = ok.sum(axis=1).astype(float)
    every = bool(ok.all())
    x = log_volume_est if every else np.where(ok, log_volume_est, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = x.sum(axis=1) / n
        dev = log_volume_est - mean[:, None]
        if not every:
            dev = np.where(ok, dev, 0.0)
        sd = np.sqrt(np.einsum("ij,ij->i", dev, dev) / (n - 1))
    return mean, sd, n


def abnormal_volume(window_log_volume: np.ndarray, mean: np.ndarray, sd: np.ndarray,
                    n: np.ndarray) -> dict[str, np.ndarray]:
    """Mean abnormal log volume over a window, its t (Campbell-Wasley) and two-sided p (n-1 dof)."""
    ok = np.isfinite(window_log_volume)
    L = ok.sum(axis=1)
    total = window_log_volume - mean[:, None]
    total = (total if ok.all() else np.where(ok, total, 0.0)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_av = np.where(L > 0, total / L, np.nan)
        t = np.where(L > 0, total / (sd * np.sqrt(L)), np.nan)
    return {"abn_volume": mean_av, "volume_t": t, "volume_p": np.asarray(two_sided_p(t, n - 1))}


def abnormal_volatility(window_ar: np.ndarray, sigma2: np.ndarray, dof: np.ndarray) -> dict[str, np.ndarray]:
    """Beaver's U averaged over the window's valid days, and P(F(L, dof) > U)."""
    ok = np.isfinite(window_ar)
    L = ok.sum(axis=1)
    sq = window_ar if ok.all() else np.where(ok, window_ar, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(L > 0, np.einsum("ij,ij->i", sq, sq) / L / sigma2, np.nan)
        p = np.where(np.isfinite(u), fdtrc(np.maximum(L, 1), dof, u), np.nan)
    return {"volatility_ratio": u, "volatility_p": p}
