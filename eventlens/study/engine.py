"""The orchestrator: events and returns in, a :class:`~eventlens.study.result.StudyResult` out.

Everything is vectorised over events: the estimation and event windows are
events x relative-days arrays built by fancy indexing; the model fits them in
closed form (:mod:`models`), the tests run on whole arrays (:mod:`single`),
and the notes are numpy string arithmetic (:mod:`notes`). Data problems are
reported per event and window, never silently absorbed (see :mod:`notes`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eventlens.study import notes as nt
from eventlens.study import single
from eventlens.study.calendar import calendar_marks
from eventlens.study.design import Design, StudyInputError, fmt_window
from eventlens.study.models import get_model
from eventlens.study.result import StudyResult, WindowStats
from eventlens.study.returns import ReturnData


def _take(values: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``values[idx]`` with NaN outside the data, and the in-data mask (position 0 has no return)."""
    if idx.size and idx.min() >= 1 and idx.max() < len(values):  # the usual case: no window runs off the data
        return values[idx], np.ones(idx.shape, dtype=bool)
    inside = (idx >= 1) & (idx < len(values))
    return np.where(inside, values[np.clip(idx, 0, len(values) - 1)], np.nan), inside


def _events_frame(events: pd.DataFrame) -> pd.DataFrame:
    if "event_id" not in events or "trading_date" not in events:
        raise StudyInputError("The events need the columns event_id and trading_date.")
    dates = events["trading_date"]
    if isinstance(dates.dtype, np.dtype) and dates.dtype.kind == "M":  # naive datetimes already: floor to the day
        days = dates.to_numpy()
        days = days.astype("datetime64[D]").astype(days.dtype)
    else:
        days = pd.to_datetime(dates, errors="coerce").dt.normalize().to_numpy()
    ids = events["event_id"].astype(str).array  # the text columns as pandas holds them: no round trip
    if len(set(ids.tolist())) < len(ids):
        dup = pd.Series(ids)[pd.Series(ids).duplicated()].iloc[0]
        raise StudyInputError(f"The event id '{dup}' appears more than once.")
    return pd.DataFrame({
        "event_id": ids,
        "trading_date": days,
        "category": (events["category"].fillna("").astype(str).array if "category" in events
                     else np.full(len(events), "", dtype=object)),
    }, copy=False)


def _near(positions: np.ndarray, size: int) -> np.ndarray:
    """A mask over sessions 0..size+1: within one session of any of ``positions``."""
    near = np.zeros(size + 2, dtype=bool)
    for shift in (-1, 0, 1):
        np.put(near, np.clip(positions + shift, 0, size + 1), True)
    return near


def run_study(data: ReturnData, events: pd.DataFrame, design: Design | None = None, **options) -> StudyResult:
    """Abnormal returns, CARs and every single-event test for every event and window.

    ``events`` needs ``event_id`` and ``trading_date`` (``category`` is kept for the cross-event tests).
    ``design`` defaults to ``Design(data.ticker, data.benchmark, **options)``; ``options`` are Design fields
    (model, windows, estimation, prediction_error, exclude_other_events, exclude_calendar, min_est,
    path_days). An event whose trading date is missing or not a session of the stock is kept with NaN
    statistics and a note.
    """
    if design is None:
        design = Design(data.ticker, data.benchmark, **options)
    elif options:
        raise TypeError("give either a design or design options, not both")
    model = get_model(design.model)
    ev = _events_frame(events)
    N, T = len(ev), len(data.dates)
    td = pd.DatetimeIndex(ev["trading_date"])
    pos = np.asarray(data.dates.get_indexer(td), dtype=np.int64) if N else np.zeros(0, dtype=np.int64)
    pos[td.isna()] = -1
    located = pos >= 0
    p = np.where(located, pos, 0)
    e1, e2 = design.estimation
    if "calendar" not in data.cache:  # the company's releases on this data's sessions, found once
        data.cache["calendar"] = calendar_marks(data.ticker, data.dates, data.stock)
    cal_pos, cal_labels = data.cache["calendar"]

    # Estimation window, events x days; days left out of the fit are not "usable".
    est_idx = p[:, None] + np.arange(e1, e2 + 1)[None, :]
    R, in_est = _take(data.stock, est_idx)
    M, _ = _take(data.market, est_idx)
    usable = in_est & located[:, None]
    # where each estimation day falls in a sessions-long mask (only the exclusions read it)
    clipped = np.clip(est_idx, 0, T + 1) if design.exclude_other_events or design.exclude_calendar else est_idx
    if design.exclude_other_events and N:
        usable &= ~(_near(pos[located], T)[clipped] & (np.abs(est_idx - p[:, None]) > 1))
    if design.exclude_calendar and len(cal_pos):
        own = np.zeros(T + 2, dtype=bool)
        own[cal_pos] = True
        usable &= ~own[clipped]
    valid = model.valid(R, M, usable)
    shift_r = float(np.nanmean(data.stock)) if T > 1 else 0.0
    shift_m = float(np.nanmean(data.market)) if np.isfinite(data.market).any() else 0.0
    fit = model.fit(R, M, valid, shift_r, shift_m)
    estimable = located & (fit.n >= design.min_est)
    fit.blank(~estimable)
    est_ar = model.abnormal(fit, R, M)
    if not (estimable.all() and valid.all()):
        est_ar = np.where(valid & estimable[:, None], est_ar, np.nan)

    # Event block, events x relative days, covering the windows and the path.
    d_lo = min(min(w[0] for w in design.windows), design.path_days[0])
    d_hi = max(max(w[1] for w in design.windows), design.path_days[1])
    ev_idx = p[:, None] + np.arange(d_lo, d_hi + 1)[None, :]
    Re, in_data = _take(data.stock, ev_idx)
    Me, _ = _take(data.market, ev_idx)
    AR = model.abnormal(fit, Re, Me)
    dev = model.deviation(fit, Me)
    valid_ar = np.isfinite(AR)
    missing = in_data & ~valid_ar & estimable[:, None]
    outside = ~in_data  # overhang is measured against the data, not the estimability
    # Patell's standardised ARs: each day's AR over its prediction-error sd (MacKinlay eq. 11).
    with np.errstate(invalid="ignore", divide="ignore"):
        sar = AR / np.sqrt(model.car_var(fit.sigma2[:, None], 1.0, fit.n[:, None], dev, fit.sxx[:, None], True))

    volume = None
    if data.log_volume is not None:
        lv_est, _ = _take(data.log_volume, est_idx)
        if not usable.all():
            lv_est = np.where(usable, lv_est, np.nan)
        v_mean, v_sd, v_n = single.volume_baseline(lv_est)
        v_ok = located & (v_n >= design.min_est)
        v_mean[~v_ok] = np.nan
        lv_ev, _ = _take(data.log_volume, ev_idx)
        volume = (lv_ev, v_mean, v_sd, v_n)

    # Other events' day 0 in each window, counted with a sorted search (no pairwise loop).
    key = np.where(located, pos, -(10**9))
    order = np.argsort(key, kind="stable")
    sorted_pos = key[order]

    def count_in(lo_off: int, hi_off: int) -> tuple[np.ndarray, np.ndarray]:
        return (np.searchsorted(sorted_pos, p + lo_off, side="left"),
                np.searchsorted(sorted_pos, p + hi_off, side="right"))

    day_s = np.datetime_as_string(np.asarray(ev["trading_date"].to_numpy(), dtype="datetime64[D]"))
    labels = np.array([i if i == d else f"{i} ({d})" for i, d in zip(ev["event_id"].tolist(), day_s.tolist(),
                                                                     strict=True)], dtype=object)
    lo_c, hi_c = count_in(e1, e2)
    contaminated = np.where(located, hi_c - lo_c, 0)
    special = None
    if not located.all():  # rare: undated events, or dates that are not sessions
        special = np.full(N, "", dtype=object)
        ev_dates = ev["trading_date"].to_numpy()
        for i in np.flatnonzero(~located).tolist():
            if pd.isna(ev_dates[i]):
                special[i] = "no trading date: the event is not dated, so it cannot be studied"
                continue
            day = pd.Timestamp(ev_dates[i])
            where = (f"outside {data.ticker}'s data ({data.dates[0]:%Y-%m-%d} to {data.dates[-1]:%Y-%m-%d})"
                     if T and (day < data.dates[0] or day > data.dates[-1]) else f"not a {data.ticker} session")
            special[i] = f"trading date {day:%Y-%m-%d} is {where}"
    ev_text = nt.event_notes(located, estimable, fit.n, design.estimation, design.min_est, contaminated, labels,
                             order, lo_c, design.exclude_other_events, special)

    stats: list[WindowStats] = []
    sums: dict[int, np.ndarray] = {}  # overlapping L-day residual sums, shared by windows of one length
    rolling = single.RollingSums(est_ar)
    for w in design.windows:
        cols = slice(w[0] - d_lo, w[1] - d_lo + 1)
        width = w[1] - w[0] + 1
        past = outside[:, cols].any(axis=1) & located
        ok = valid_ar[:, cols]
        L = ok.sum(axis=1).astype(float)
        miss = missing[:, cols].sum(axis=1)
        every = bool(ok.all())  # the usual case: no day of the window lacks an AR, so nothing to zero

        def total(x: np.ndarray, ok: np.ndarray = ok, every: bool = every) -> np.ndarray:
            return x.sum(axis=1) if every else np.where(ok, x, 0.0).sum(axis=1)

        car, dev_sum, csar = total(AR[:, cols]), total(dev[:, cols]), total(sar[:, cols])
        with np.errstate(invalid="ignore", divide="ignore"):
            var = model.car_var(fit.sigma2, L, fit.n, dev_sum, fit.sxx, design.prediction_error)
        bad = ~estimable | past | (L == 0)
        for arr in (car, var, csar):
            arr[bad] = np.nan
        if width not in sums:
            sums[width] = rolling(width)
        sq = single.sq_test(est_ar, car, width, sums[width], complete=rolling.complete)
        vol = single.abnormal_volatility(np.where(bad[:, None], np.nan, AR[:, cols]) if bad.any() else AR[:, cols],
                                         fit.sigma2, fit.dof)
        av = (single.abnormal_volume(volume[0][:, cols], *volume[1:]) if volume is not None
              else dict.fromkeys(("abn_volume", "volume_t", "volume_p"), np.full(N, np.nan)))
        if volume is not None:
            for arr in av.values():
                arr[past] = np.nan
        lo_w, hi_w = count_in(w[0], w[1])
        overlap = np.where(located, hi_w - lo_w - int(w[0] <= 0 <= w[1]), 0)  # others only, never itself
        wtext = fmt_window(w)
        hits = ((cal_pos[None, :] >= p[:, None] + w[0]) & (cal_pos[None, :] <= p[:, None] + w[1])
                & located[:, None]) if len(cal_pos) else np.zeros((N, 0), dtype=bool)
        company = nt.company_news(hits, cal_labels, wtext)
        text = nt.window_notes(ev_text, wtext, past, ev_idx[:, cols.stop - 1] >= T, np.where(located, miss, 0),
                               L, overlap, labels, order, lo_w, hi_w - lo_w, company)
        stats.append(WindowStats(w, car, var, L, miss, past, overlap, csar, sq, vol, av, company, text))
    return StudyResult(
        design=design, data=data, events_in=ev, pos=pos, located=located, estimable=estimable, fit=fit,
        event_notes=ev_text, windows_stats=stats, d_lo=d_lo, ev_idx=ev_idx, Re=Re, Me=Me, AR=AR, dev=dev,
        outside=outside, est_ar=est_ar, contaminated=contaminated, volume=volume,
    )
