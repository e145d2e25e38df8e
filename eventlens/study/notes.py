"""The study's notes on data problems, built with numpy string arithmetic (no Python loop per event).

Per event: ``not_estimable``, a short estimation window, ``estimation_contaminated`` (another event's day 0
inside the estimation window), undated or non-session dates. Per event and window: ``window_past_data``,
``missing_days``, ``overlap`` (another event's day 0 in the window) and *company news* (a scheduled
earnings or deliveries release priced inside the window, from :mod:`eventlens.study.calendar`).
"""

from __future__ import annotations

import numpy as np


def blank(n: int) -> np.ndarray:
    return np.zeros(n, dtype="U1")


def num(values: np.ndarray) -> np.ndarray:
    """Integers as a fixed-width string array (a lookup table when the values are small, as counts are)."""
    values = np.asarray(values).astype(np.int64)
    if values.size == 0:
        return blank(0)
    lo, hi = int(values.min()), int(values.max())
    if lo >= 0 and hi < 4 * values.size:
        return np.arange(hi + 1).astype(str)[values]
    return values.astype(str)


def add_note(acc: np.ndarray, has: np.ndarray, mask: np.ndarray, part: np.ndarray | str) -> np.ndarray:
    """Append ``part`` where ``mask`` holds, after "; " if there is text already (callers skip empty masks)."""
    sep = np.where(has & mask, "; ", "")
    return np.char.add(np.char.add(acc, sep), np.where(mask, part, ""))


def concat(*parts: np.ndarray | str) -> np.ndarray:
    out = parts[0]
    for part in parts[1:]:
        out = np.char.add(out, part)
    return np.asarray(out)


def others_text(
    labels: np.ndarray, order: np.ndarray, lo: np.ndarray, span: np.ndarray, count: np.ndarray,
    own: np.ndarray | None = None,
) -> np.ndarray:
    """Per event, up to three of the ``count`` other events in ``order[lo:lo+span]``, then "and k more"."""
    n = len(lo)
    if n == 0 or not (count > 0).any():
        return blank(n)
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
    ext = np.concatenate([labels, blank(1)])
    shown = ok.sum(axis=1)
    text = ext[picks[:, 0]] + np.where(shown > 1, ", ", "") + ext[picks[:, 1]] + np.where(shown > 2, ", ", "") \
        + ext[picks[:, 2]]
    more = count - shown
    if (more > 0).any():
        text = text + np.where(more > 0, " and " + num(more) + " more", "")
    return text


def company_news_text(hits: np.ndarray, labels: np.ndarray, wtext: str) -> np.ndarray:
    """Per event, "[-5,+5] includes the 2024-04-23 earnings release, after the close: day 2024-04-24, +12.1%"
    for the calendar releases ``hits`` (events x releases) marks; empty where none."""
    out = np.full(len(hits), "", dtype=object)
    rows, cols = np.nonzero(hits)
    for i in np.unique(rows).tolist():  # only the events with company news in the window
        out[i] = f"{wtext} includes " + " and ".join(labels[cols[rows == i]].tolist())
    return out.astype(str)


def event_notes(
    located: np.ndarray, estimable: np.ndarray, n_est: np.ndarray, window: tuple[int, int], min_est: int,
    contaminated: np.ndarray, contamination_text: np.ndarray, excluded: bool, special: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Notes about each event's estimation (text and whether there is any)."""
    e1, e2 = window
    N = len(located)
    text, has = blank(N), np.zeros(N, dtype=bool)
    mask = located & ~estimable
    if mask.any():
        text = add_note(text, has, mask, concat(
            "not estimable: ", num(n_est), f" valid estimation returns in [{e1},{e2}] (fewer than {min_est})"))
        has = has | mask
    mask = estimable & (n_est < e2 - e1 + 1)
    if mask.any():
        text = add_note(text, has, mask, concat("estimation window: ", num(n_est), f" of {e2 - e1 + 1} returns used"))
        has = has | mask
    action = "their days -1..+1 were left out of the fit" if excluded else "kept in the fit"
    mask = contaminated > 0
    if mask.any():
        text = add_note(text, has, mask, concat(
            "estimation contaminated: ", num(contaminated), f" other event(s) inside [{e1},{e2}] (",
            contamination_text, "); " + action))
        has = has | mask
    if special is not None:
        text = np.where(located, text, special.astype(str))
        has = has | ~located
    return text, has
