"""The return models as objects: fit, abnormal returns, Var(CAR), degrees of freedom and label.

MacKinlay (1997), "Event Studies in Economics and Finance", JEL 35(1), 13-39,
section 4; equation numbers refer to that paper.

market           ``R_t = alpha + beta Rm_t + e_t`` (eq. 3), OLS on the estimation window (eq. 7-9):
                 ``beta = S_xy / S_xx``, ``alpha = mean(R) - beta mean(Rm)``, ``sigma^2 = SSR / (n-2)``.
                 AR ``= R - alpha - beta Rm`` (eq. 10).
market_adjusted  ``AR = R - Rm`` (alpha = 0, beta = 1 imposed, section 4.3); sigma from the estimation
                 ARs with n-1 dof.
constant_mean    ``AR = R - mean(R_est)`` (eq. 1-2); sigma from the estimation returns with n-1 dof.

Var(CAR) over a window of L valid days is ``L sigma^2`` (eq. 13 without the
estimation-error term). With the prediction error (eq. 11 and 13),
``Var(CAR) = 1' sigma^2 (I + X*(X'X)^-1 X*') 1``, in closed form
``sigma^2 [L + L^2/n + (sum_window (Rm_t - mean_est Rm))^2 / S_xx]`` for the
market model, ``sigma^2 (L + L^2/n)`` for the constant mean, and ``L sigma^2``
for the market-adjusted model, which estimates no parameter of the mean.

The fits are closed-form row sums over the valid entries of an events x days
matrix: one ``einsum`` per cross-product, no loop over events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Fit:
    """One fit per event (arrays over events); NaN where not estimable."""

    alpha: np.ndarray
    beta: np.ndarray
    sigma2: np.ndarray
    n: np.ndarray
    dof: np.ndarray
    mean_m: np.ndarray
    sxx: np.ndarray

    def blank(self, mask: np.ndarray) -> None:
        """Set every parameter of the events in ``mask`` to NaN (not estimable)."""
        for arr in (self.alpha, self.beta, self.sigma2, self.dof, self.mean_m, self.sxx):
            arr[mask] = np.nan


class ReturnModel:
    """A model of normal returns; subclasses set ``name``, ``label`` and the maths."""

    name = ""
    label = ""
    uses_market = True
    describe_dof = "n−1"

    def valid(self, R: np.ndarray, M: np.ndarray, usable: np.ndarray) -> np.ndarray:
        """Estimation entries the fit may use: a stock return and, if the model needs it, a market return."""
        ok = usable & np.isfinite(R)
        return ok & np.isfinite(M) if self.uses_market else ok

    def fit(self, R: np.ndarray, M: np.ndarray, valid: np.ndarray, shift_r: float = 0.0,
            shift_m: float = 0.0) -> Fit:
        """Closed-form fit per row over ``valid``; inputs shifted by a constant near their mean first,
        which changes neither beta nor the residuals but keeps raw-moment sums free of cancellation."""
        raise NotImplementedError

    def abnormal(self, fit: Fit, R: np.ndarray, M: np.ndarray) -> np.ndarray:
        """AR = R - E[R | Rm] for an events x days block."""
        return R - fit.alpha[:, None] - fit.beta[:, None] * M

    def deviation(self, fit: Fit, M: np.ndarray) -> np.ndarray:
        """``Rm_t - mean_est(Rm)``, the regressor term of the prediction error (zero without a market)."""
        return M - fit.mean_m[:, None]

    def car_var(self, sigma2: np.ndarray, L: np.ndarray | float, n: np.ndarray, dev_sum: np.ndarray,
                sxx: np.ndarray, prediction_error: bool) -> np.ndarray:
        """Var(CAR) = 1' V 1 over a window of L valid days (module docstring)."""
        return sigma2 * L

    @staticmethod
    def _zeroed(X: np.ndarray, shift: float, valid: np.ndarray, all_valid: bool) -> np.ndarray:
        """``X - shift`` on the valid entries, 0 elsewhere (no mask pass when every entry is valid)."""
        return X - shift if all_valid else np.where(valid, X - shift, 0.0)

    @staticmethod
    def _moments(R0: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = valid.sum(axis=1).astype(float)
        sr = R0.sum(axis=1)
        srr = np.einsum("ij,ij->i", R0, R0)
        return n, sr, srr


    def _cross_moments(self, R, M, valid, shift_r, shift_m):
        """n, the (shifted) means of R and Rm, and the centred sums Syy, Sxx, Sxy over each row's valid days."""
        every = bool(valid.all())
        R0 = self._zeroed(R, shift_r, valid, every)
        M0 = self._zeroed(M, shift_m, valid, every)
        n, sr, srr = self._moments(R0, valid)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_r, mean_m = sr / n, M0.sum(axis=1) / n
            syy = srr - n * mean_r**2
            sxx = np.einsum("ij,ij->i", M0, M0) - n * mean_m**2
            sxy = np.einsum("ij,ij->i", R0, M0) - n * mean_r * mean_m
        return n, mean_r, mean_m, syy, sxx, sxy


class MarketModel(ReturnModel):
    name = "market"
    label = "market model (OLS alpha and beta)"
    describe_dof = "n−2"

    def fit(self, R, M, valid, shift_r=0.0, shift_m=0.0):
        n, mean_r, mean_m, syy, sxx, sxy = self._cross_moments(R, M, valid, shift_r, shift_m)
        with np.errstate(invalid="ignore", divide="ignore"):
            beta = sxy / sxx
            alpha = (mean_r + shift_r) - beta * (mean_m + shift_m)
            sigma2 = (syy - beta * sxy) / (n - 2)
        return Fit(alpha, beta, sigma2, n, n - 2, mean_m + shift_m, sxx)

    def car_var(self, sigma2, L, n, dev_sum, sxx, prediction_error):
        if not prediction_error:
            return sigma2 * L
        return sigma2 * (L + L**2 / n + dev_sum**2 / sxx)


class MarketAdjusted(ReturnModel):
    name = "market_adjusted"
    label = "market-adjusted returns (R - Rm)"

    def fit(self, R, M, valid, shift_r=0.0, shift_m=0.0):
        n, _mean_r, mean_m, syy, sxx, sxy = self._cross_moments(R, M, valid, shift_r, shift_m)
        with np.errstate(invalid="ignore", divide="ignore"):
            # AR = R - Rm; its sum of squared deviations from its mean: Syy - 2 Sxy + Sxx.
            sigma2 = (syy - 2 * sxy + sxx) / (n - 1)
        return Fit(np.zeros(len(n)), np.ones(len(n)), sigma2, n, n - 1, mean_m + shift_m, sxx)


class ConstantMean(ReturnModel):
    name = "constant_mean"
    label = "constant-mean returns"
    uses_market = False

    def fit(self, R, M, valid, shift_r=0.0, shift_m=0.0):
        R0 = self._zeroed(R, shift_r, valid, bool(valid.all()))
        n, sr, srr = self._moments(R0, valid)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_r = sr / n
            sigma2 = (srr - n * mean_r**2) / (n - 1)
        nan = np.full(len(n), np.nan)
        return Fit(mean_r + shift_r, nan, sigma2, n, n - 1, nan.copy(), nan.copy())

    def abnormal(self, fit, R, M):
        return R - fit.alpha[:, None]

    def deviation(self, fit, M):
        return np.zeros(M.shape)

    def car_var(self, sigma2, L, n, dev_sum, sxx, prediction_error):
        return sigma2 * (L + L**2 / n) if prediction_error else sigma2 * L


_MODELS: dict[str, ReturnModel] = {m.name: m for m in (MarketModel(), MarketAdjusted(), ConstantMean())}
MODELS = tuple(_MODELS)
MODEL_LABELS = {name: m.label for name, m in _MODELS.items()}


def get_model(name: str) -> ReturnModel:
    """The model object for ``name``: the one place a model name is matched."""
    from eventlens.study.design import StudyInputError

    try:
        return _MODELS[name]
    except KeyError:
        raise StudyInputError(f"Unknown model '{name}'; choose one of {', '.join(MODELS)}.") from None
