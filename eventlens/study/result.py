"""The result object: the engine's arrays, and the tables and statistics built from them on first use.

``rows`` (one row per event x window: the CSV columns, then ``notes`` and helper columns), ``events`` (one row
per event with its fit and day-0 figures), ``paths`` (per event and day of the path: AR, CAR and its standard
error) and :meth:`caar` (every cross-event test) are cached properties, so a page that needs only one of them
pays only for that one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.arrays import ArrowStringArray

from eventlens.study import single
from eventlens.study.cross import Panel, caar
from eventlens.study.design import Design, fmt_window
from eventlens.study.models import MODEL_LABELS, Fit, get_model
from eventlens.study.returns import ReturnData

CSV_COLUMNS = [
    "event_id", "trading_date", "ticker", "benchmark", "model", "window_start", "window_end",
    "car", "t_stat", "p_value", "sq_p_value", "sq_p_upper", "sq_p_lower", "sq_n_sums",
    "abn_volume", "volume_t", "volume_p", "volatility_ratio", "volatility_p",
    "alpha", "beta", "sigma", "n_est", "company_news",
]


_STARS = np.array(["***", "**", "*", ""])
_STAR_LABELS = pd.array(_STARS, dtype="str")  # the rows' column: four strings taken by code, no conversion


def _star_codes(p_values: pd.Series | np.ndarray) -> np.ndarray:
    # the number of cut-offs at or below p picks the label; NaN sorts past every cut-off
    return np.searchsorted(np.array([0.01, 0.05, 0.10]), np.asarray(p_values, dtype=float), side="right")


def significance_stars(p_values: pd.Series | np.ndarray) -> np.ndarray:
    """``***`` p<0.01, ``**`` p<0.05, ``*`` p<0.10, else empty (NaN: empty)."""
    return _STARS[_star_codes(p_values)]


_STR_DTYPE = pd.api.types.pandas_dtype("str")


_ARROW_STR = isinstance(_STR_DTYPE, pd.StringDtype) and _STR_DTYPE.storage == "pyarrow"


def _text(chunks: list[pa.Array | pa.ChunkedArray]) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """Arrow string arrays as one ``str`` column: taken as they are where pandas keeps ``str`` in Arrow."""
    flat = [piece for c in chunks for piece in (c.chunks if isinstance(c, pa.ChunkedArray) else [c])]
    joined = pa.chunked_array([c if c.type == pa.large_string() else c.cast(pa.large_string()) for c in flat],
                              type=pa.large_string())
    if _ARROW_STR:
        return ArrowStringArray(joined, dtype=_STR_DTYPE)
    return joined.to_numpy()


def _arrow_text(column: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A text column as Arrow strings (no copy when pandas already holds it in Arrow)."""
    values = column.array
    if isinstance(values, ArrowStringArray):
        return pa.array(values)  # the Arrow data behind the column (one chunk: shared, not copied)
    return pa.array(column.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def _const(value: str, n: int) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """A string column of one value (a scalar in a DataFrame dict is slow to broadcast)."""
    return _text([pa.array([value], type=pa.large_string()).take(np.zeros(n, dtype=np.int64))])


@dataclass
class WindowStats:
    """One event window's arrays over events."""

    window: tuple[int, int]
    car: np.ndarray
    var: np.ndarray
    L: np.ndarray
    missing: np.ndarray
    past: np.ndarray
    overlap: np.ndarray
    csar: np.ndarray
    sq: dict[str, np.ndarray]
    volatility: dict[str, np.ndarray]
    volume: dict[str, np.ndarray]
    company: np.ndarray  # object arrays of str
    notes: np.ndarray


@dataclass(eq=False)
class StudyResult:
    """Everything the pages, the CLI and the exporter show (see the module docstring)."""

    design: Design
    data: ReturnData
    events_in: pd.DataFrame
    pos: np.ndarray
    located: np.ndarray
    estimable: np.ndarray
    fit: Fit
    event_notes: np.ndarray
    windows_stats: list[WindowStats]
    d_lo: int
    ev_idx: np.ndarray
    Re: np.ndarray
    Me: np.ndarray
    AR: np.ndarray
    dev: np.ndarray
    outside: np.ndarray
    est_ar: np.ndarray
    contaminated: np.ndarray
    volume: tuple | None

    # --- the design, by name ---
    @property
    def ticker(self) -> str:
        return self.data.ticker

    @property
    def benchmark(self) -> str:
        return self.data.benchmark

    @property
    def model(self) -> str:
        return self.design.model

    @property
    def windows(self) -> list[tuple[int, int]]:
        return list(self.design.windows)

    @property
    def estimation(self) -> tuple[int, int]:
        return self.design.estimation

    @property
    def prediction_error(self) -> bool:
        return self.design.prediction_error

    @property
    def min_est(self) -> int:
        return self.design.min_est

    @property
    def exclude_other_events(self) -> bool:
        return self.design.exclude_other_events

    # --- tables ---
    @cached_property
    def _ids(self) -> pa.Array | pa.ChunkedArray:
        """The event ids as Arrow strings, repeated by ``take`` into the rows and the paths."""
        return _arrow_text(self.events_in["event_id"])

    @cached_property
    def _t_tests(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """se(CAR), t and its two-sided p for every event x window (window-major, as ``rows``): one call of
        Student's t for all of them, shared by ``rows`` and ``events``."""
        ws, N = self.windows_stats, len(self.events_in)
        if not N:
            return np.zeros(0), np.zeros(0), np.zeros(0)
        car, var = np.concatenate([w.car for w in ws]), np.concatenate([w.var for w in ws])
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.sqrt(var)
            t = car / se
        return se, t, np.asarray(single.two_sided_p(t, np.tile(self.fit.dof, len(ws))))

    @cached_property
    def rows(self) -> pd.DataFrame:
        """One row per event x window, windows in design order (window-major)."""
        ws, N, K = self.windows_stats, len(self.events_in), len(self.windows_stats)

        def cat(get) -> np.ndarray:
            return np.concatenate([get(w) for w in ws]) if N else np.zeros(0)

        se, t, p = (a.copy() for a in self._t_tests)  # the frame takes its arrays as they are (copy=False)
        car, dof_all = cat(lambda w: w.car), np.tile(self.fit.dof, K)
        win = np.repeat(np.array(self.windows, dtype=int), N, axis=0)
        every = np.tile(np.arange(N), K)
        frame = pd.DataFrame({
            "event_id": _text([self._ids.take(every)]),
            "trading_date": np.tile(self.events_in["trading_date"].to_numpy(), K),
            "ticker": _const(self.ticker, N * K),
            "benchmark": _const(self.benchmark, N * K),
            "model": _const(self.model, N * K),
            "window_start": win[:, 0],
            "window_end": win[:, 1],
            "car": car,
            "t_stat": t,
            "p_value": p,
            "sq_p_value": cat(lambda w: w.sq["p"]),
            "sq_p_upper": cat(lambda w: w.sq["p_upper"]),
            "sq_p_lower": cat(lambda w: w.sq["p_lower"]),
            "sq_n_sums": cat(lambda w: w.sq["n_sums"]).astype(int),
            "abn_volume": cat(lambda w: w.volume["abn_volume"]),
            "volume_t": cat(lambda w: w.volume["volume_t"]),
            "volume_p": cat(lambda w: w.volume["volume_p"]),
            "volatility_ratio": cat(lambda w: w.volatility["volatility_ratio"]),
            "volatility_p": cat(lambda w: w.volatility["volatility_p"]),
            "alpha": np.tile(self.fit.alpha, K),
            "beta": np.tile(self.fit.beta, K),
            "sigma": np.tile(np.sqrt(self.fit.sigma2), K),
            "n_est": np.tile(self.fit.n, K).astype(int),
            "company_news": _text([pa.array(w.company, type=pa.large_string()) for w in ws]),
            "notes": _text([pa.array(w.notes, type=pa.large_string()) for w in ws]),
            "category": _text([_arrow_text(self.events_in["category"]).take(every)]),
            "car_se": se,
            "dof": dof_all,
            "csar": cat(lambda w: w.csar),
            "n_days": cat(lambda w: w.L).astype(int),
            "missing_days": cat(lambda w: w.missing).astype(int),
            "window_past_data": cat(lambda w: w.past).astype(bool),
            "overlap": cat(lambda w: w.overlap) > 0,
            "estimation_contaminated": np.tile(self.contaminated > 0, K),
            "not_estimable": np.tile(self.located & ~self.estimable, K),
            "event_index": every,
            "stars": _STAR_LABELS.take(_star_codes(p)),
        }, copy=False)  # every column is a fresh array: nothing to protect by copying
        return frame

    @cached_property
    def events(self) -> pd.DataFrame:
        """One row per event: the fit, day-0 return, AR and its t and SQ p-values, day-0 abnormal volume."""
        day0 = -self.d_lo
        fit, N = self.fit, len(self.events_in)
        model = get_model(self.model)
        ar0 = np.where(self.estimable, self.AR[:, day0], np.nan)
        # Window [0,0] holds day 0's tests already (same CAR, variance and sums); only without it are they run.
        k = next((i for i, w in enumerate(self.windows_stats) if w.window == (0, 0)), None)
        if k is not None:
            p0 = self._t_tests[2][k * N:(k + 1) * N]
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                var0 = model.car_var(fit.sigma2, np.ones(N), fit.n, self.dev[:, day0], fit.sxx,
                                     self.prediction_error)
                p0 = np.asarray(single.two_sided_p(self.AR[:, day0] / np.sqrt(var0), fit.dof))
        sq0 = self.windows_stats[k].sq if k is not None else single.sq_test(self.est_ar, ar0, 1)
        if self.volume is None:
            vol0 = dict.fromkeys(("abn_volume", "volume_t", "volume_p"), np.full(N, np.nan))
        elif k is not None and not self.windows_stats[k].past.any():  # the window's figures are day 0's as they are
            vol0 = self.windows_stats[k].volume
        else:
            vol0 = single.abnormal_volume(self.volume[0][:, day0:day0 + 1], *self.volume[1:])
        return pd.DataFrame({
            "event_id": self.events_in["event_id"].array,
            "trading_date": self.events_in["trading_date"].to_numpy(),
            "category": self.events_in["category"].array,
            "position": self.pos,
            "alpha": fit.alpha,
            "beta": fit.beta,
            "sigma": np.sqrt(fit.sigma2),
            "n_est": fit.n.astype(int),
            "dof": fit.dof,
            "ret_day0": self.Re[:, day0],
            "ret_market_day0": self.Me[:, day0],
            "ar_day0": ar0,
            "p_day0": p0,
            "sq_p_day0": sq0["p"],
            "sq_n_day0": sq0["n_sums"],
            "abn_volume_day0": vol0["abn_volume"],
            "volume_t_day0": vol0["volume_t"],
            "volume_p_day0": vol0["volume_p"],
            "estimable": self.estimable,
            "notes": _text([pa.array(self.event_notes, type=pa.large_string())]),
        })

    @cached_property
    def paths(self) -> pd.DataFrame:
        """Per event and day of the design's path: return, AR, CAR from the first path day and its se."""
        d1, d2 = self.design.path_days
        pcols = slice(d1 - self.d_lo, d2 - self.d_lo + 1)
        fit, model, N, T = self.fit, get_model(self.model), len(self.events_in), len(self.data.dates)
        ar = self.AR[:, pcols]
        ok = np.isfinite(ar)
        car = np.where(ok, ar, 0.0).cumsum(axis=1)
        k = ok.cumsum(axis=1).astype(float)
        dev = np.where(ok, self.dev[:, pcols], 0.0).cumsum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            var = model.car_var(fit.sigma2[:, None], k, fit.n[:, None], dev, fit.sxx[:, None], self.prediction_error)
        car = np.where(self.outside[:, pcols].cumsum(axis=1) > 0, np.nan, car)
        car[~self.estimable] = np.nan
        width = pcols.stop - pcols.start
        idx = self.ev_idx[:, pcols]
        inside = (idx >= 0) & (idx < T)
        frame = pd.DataFrame({
            "event_id": _text([self._ids.take(np.repeat(np.arange(N), width))]),
            "day": np.tile(np.arange(d1, d2 + 1), N),
            "date": self.data.dates[np.where(inside, idx, 0).ravel()] if T else pd.DatetimeIndex([]),
            "ret": self.Re[:, pcols].ravel(),
            "ret_market": self.Me[:, pcols].ravel(),
            "ar": np.where(self.estimable[:, None], ar, np.nan).ravel(),
            "car": car.ravel(),
            "car_se": np.sqrt(var).ravel(),
            "dof": np.repeat(fit.dof, width),
        })
        if not inside.all():
            frame.loc[~inside.ravel(), "date"] = pd.NaT
        return frame

    @cached_property
    def panel(self) -> Panel:
        """The ARs behind the rank, sign and Kolari-Pynnönen tests (rows' ``event_index`` points here)."""
        return Panel(self.est_ar, np.where(self.estimable[:, None], self.AR, np.nan), self.d_lo)

    def caar(self, by: str | None = "category") -> pd.DataFrame:
        """CAAR per window and group with every cross-event test (:func:`eventlens.study.cross.caar`)."""
        return caar(self.rows, by, self.panel)

    @cached_property
    def caar_table(self) -> pd.DataFrame:
        return self.caar()

    def estimation_fit(self, event_id: str) -> pd.DataFrame:
        """Estimation-window returns of one event: date, market and stock return, used in the fit, fitted value."""
        i = int(np.flatnonzero(self.events_in["event_id"].to_numpy() == event_id)[0])
        if self.pos[i] < 0:
            return pd.DataFrame(columns=["date", "r_market", "r_stock", "used", "fitted"])
        e1, e2 = self.estimation
        idx = np.arange(self.pos[i] + e1, self.pos[i] + e2 + 1)
        keep = (idx >= 1) & (idx < len(self.data.dates))
        r, rm = self.data.stock[idx[keep]], self.data.market[idx[keep]]
        used = np.isfinite(self.est_ar[i][keep]) | (~self.estimable[i] & np.isfinite(r))
        fitted = (np.full(len(r), self.fit.alpha[i]) if self.model == "constant_mean"
                  else self.fit.alpha[i] + self.fit.beta[i] * rm)
        return pd.DataFrame({"date": self.data.dates[idx[keep]], "r_market": rm, "r_stock": r, "used": used,
                             "fitted": fitted})

    def describe(self) -> str:
        """The method in one paragraph, for the page and exports."""
        e1, e2 = self.estimation
        pe = ("including the prediction error of the fitted parameters (MacKinlay 1997, eq. 11-13)"
              if self.prediction_error
              else "as L·σ² (the estimation error of the parameters ignored, MacKinlay 1997, eq. 13 for large n)")
        left_out = [x for x, on in (("other events' days -1..+1", self.exclude_other_events),
                                    (f"{self.ticker}'s scheduled earnings and deliveries days",
                                     self.design.exclude_calendar)) if on]
        return (
            f"{self.ticker} against {self.benchmark}, {MODEL_LABELS[self.model]} fitted on trading days "
            f"[{e1},{e2}] before each event (at least {self.min_est} valid daily returns, else not estimable"
            + (f"; {' and '.join(left_out)} left out of the fit" if left_out else "") + "). "
            "Daily simple returns of adjusted closes; day 0 is the event's trading date. "
            f"Event windows {', '.join(fmt_window(w) for w in self.windows)}; CAR = sum of abnormal returns, "
            f"its variance {pe}; t = CAR/√Var, two-sided p from Student's t with "
            f"{get_model(self.model).describe_dof} degrees of freedom. SQ p (Gelbach, Helland and Klick 2013): "
            "the CAR's place among all overlapping L-day sums of the event's own estimation-window abnormal "
            "returns, which needs no normality. Abnormal volume: log volume against its estimation mean and sd "
            "(Campbell and Wasley 1996); abnormal volatility: mean squared AR over σ² (Beaver 1968)."
        )


def pooled_caar(results: list[StudyResult], by: str | None = None) -> pd.DataFrame:
    """Every cross-event test on several studies of one design pooled (e.g. TSLA with NIO, XPEV and LI on the
    same news days), where Kolari-Pynnönen's correction for correlated residuals matters most."""
    rows, offset = [], 0
    for result in results:
        rows.append(result.rows.assign(event_index=result.rows["event_index"] + offset))
        offset += len(result.events_in)
    return caar(pd.concat(rows, ignore_index=True), by, Panel.stack([r.panel for r in results]))
