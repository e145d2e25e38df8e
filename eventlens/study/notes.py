"""The study's notes on data problems, per event and per event x window.

Per event: ``not_estimable``, a short estimation window, ``estimation_contaminated`` (another event's day 0
inside the estimation window), undated or non-session dates. Per event and window: ``window_past_data``,
``missing_days``, ``overlap`` (another event's day 0 in the window) and *company news* (a scheduled
earnings or deliveries release priced inside the window, from :mod:`eventlens.study.calendar`).

The text is built with numpy *object* arrays of Python strings: ``+`` on them concatenates element by
element in C, with no Python loop per event and none of ``np.char``'s fixed-width copies, so 900 events x 5
windows cost a few milliseconds.
"""

from __future__ import annotations

import numpy as np


def strings(values: np.ndarray) -> np.ndarray:
    """Integers as an object array of str (a lookup table: counts are small)."""
    values = np.asarray(values).astype(np.int64)
    if values.size == 0:
        return np.zeros(0, dtype=object)
    lo, hi = int(values.min()), int(values.max())
    if lo >= 0 and hi < 4 * values.size + 64:
        return np.array([str(i) for i in range(hi + 1)], dtype=object)[values]
    return np.array([str(v) for v in values.tolist()], dtype=object)


def counted(values: np.ndarray, template: str) -> np.ndarray:
    """``template.format(k)`` for each count ``k`` of ``values``, from a table of the counts that occur (one
    string per distinct count, then one gather)."""
    values = np.asarray(values).astype(np.int64)
    if values.size == 0:
        return np.zeros(0, dtype=object)
    lo, hi = int(values.min()), int(values.max())
    if lo >= 0 and hi < 4 * values.size + 64:
        return np.array([template.format(k) for k in range(hi + 1)], dtype=object)[values]
    return np.array([template.format(v) for v in values.tolist()], dtype=object)


def append(acc: np.ndarray, mask: np.ndarray, part: np.ndarray | str) -> np.ndarray:
    """``acc`` with ``part`` added where ``mask`` holds, after "; " when there is text already."""
    if not mask.any():
        return acc
    sep = np.where(acc != "", "; ", "").astype(object)
    return np.where(mask, acc + (sep + part), acc)  # the short part first: each long note is copied once


def others_text(labels: np.ndarray, order: np.ndarray, lo: np.ndarray, span: np.ndarray, count: np.ndarray,
                own: np.ndarray | None = None) -> np.ndarray:
    """Per event, up to three of the ``count`` other events in ``order[lo:lo+span]`` (never ``own``), then
    "and k more"."""
    n = len(lo)
    if n == 0 or not (count > 0).any():
        return np.full(n, "", dtype=object)
    k = np.arange(4)
    cand = order[np.clip(lo[:, None] + k[None, :], 0, len(order) - 1)]
    ok = k[None, :] < span[:, None]
    if own is not None:
        ok &= cand != own[:, None]
    ok &= np.cumsum(ok, axis=1) <= 3
    ranked = np.where(ok, np.cumsum(ok, axis=1) - 1, 3)  # picked labels packed to the left
    picks = np.full((n, 4), n)
    np.put_along_axis(picks, ranked, np.where(ok, cand, n), axis=1)
    ext = np.concatenate([labels, np.array([""], dtype=object)])
    shown = ok.sum(axis=1)
    comma = np.array(["", ", "], dtype=object)
    text = ext[picks[:, 0]] + comma[(shown > 1).astype(int)] + ext[picks[:, 1]] + comma[(shown > 2).astype(int)] \
        + ext[picks[:, 2]]
    more = np.maximum(count - shown, 0)
    if (more > 0).any():
        suffix = counted(more, " and {} more")
        suffix[more == 0] = ""
        text = text + suffix
    return text


def event_notes(
    located: np.ndarray, estimable: np.ndarray, n_est: np.ndarray, window: tuple[int, int], min_est: int,
    contaminated: np.ndarray, labels: np.ndarray, order: np.ndarray, lo: np.ndarray, excluded: bool,
    special: np.ndarray | None,
) -> np.ndarray:
    """Notes about each event's estimation (object array of str, "" when there is nothing to say)."""
    e1, e2 = window
    width = e2 - e1 + 1
    text = np.full(len(located), "", dtype=object)
    n = strings(np.nan_to_num(n_est).astype(int))
    text = append(text, located & ~estimable, "not estimable: " + n
                  + f" valid estimation returns in [{e1},{e2}] (fewer than {min_est})")
    text = append(text, estimable & (n_est < width), "estimation window: " + n + f" of {width} returns used")
    if (contaminated > 0).any():
        action = "their days -1..+1 were left out of the fit" if excluded else "kept in the fit"
        others = others_text(labels, order, lo, contaminated, contaminated)
        text = append(text, contaminated > 0, counted(contaminated, "estimation contaminated: {} other event(s) "
                                                      f"inside [{e1},{e2}] (") + others + ("); " + action))
    if special is not None:
        text = np.where(located, text, special)
    return text


def window_notes(
    event_text: np.ndarray, wtext: str, past: np.ndarray, past_end: np.ndarray, missing: np.ndarray,
    n_days: np.ndarray, overlap: np.ndarray, labels: np.ndarray, order: np.ndarray, lo: np.ndarray,
    span: np.ndarray, company: np.ndarray,
) -> np.ndarray:
    """Each event's notes for one window: its event notes, then what this window adds."""
    text = event_text
    if past.any():
        side = np.where(past_end, "end", "start").astype(object)
        text = append(text, past, f"window {wtext} runs past the " + side + " of the data: no CAR")
    mask = ~past & (missing > 0)
    if mask.any():
        text = append(text, mask, strings(missing) + f" missing day(s) in window {wtext}: the CAR sums the "
                      + strings(n_days) + " available day(s)")
    if (overlap > 0).any():
        own = np.arange(len(lo))
        text = append(text, overlap > 0, counted(overlap, "overlap: {} other event(s) inside " + wtext + " (")
                      + others_text(labels, order, lo, span, overlap, own=own) + ")")
    return append(text, company != "", "company news: " + company)


def company_news(hits: np.ndarray, labels: np.ndarray, wtext: str) -> np.ndarray:
    """Per event, "[-5,+5] includes the 2024-04-23 earnings release, after the close: day 2024-04-24, +12.1%"
    for the calendar releases ``hits`` (events x releases) marks; "" where none."""
    out = [""] * len(hits)
    names = [str(label) for label in labels.tolist()]
    rows, cols = np.nonzero(hits)
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):  # a handful: releases are quarterly
        out[i] = (out[i] + " and " if out[i] else f"{wtext} includes ") + names[j]
    result = np.empty(len(out), dtype=object)
    result[:] = out
    return result
