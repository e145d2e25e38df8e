"""The study's notes on data problems, per event and per event x window.

Per event: ``not_estimable``, a short estimation window, ``estimation_contaminated`` (another event's day 0
inside the estimation window), undated or non-session dates. Per event and window: ``window_past_data``,
``missing_days``, ``overlap`` (another event's day 0 in the window) and *company news* (a scheduled
earnings or deliveries release priced inside the window, from :mod:`eventlens.study.calendar`).

The text is built as Arrow string arrays with ``pyarrow.compute`` (element-wise joins, ``if_else`` and
``take`` run in C++ over whole arrays, with no Python object per string): the result's tables hold
Arrow-backed ``str`` columns, so the notes go into them as they are, without a conversion from Python
strings. 900 events x 5 windows cost about a millisecond. A part of a note is built only when some event
needs it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def blank(n: int) -> pa.Array:
    """``n`` empty strings."""
    return pa.array([""], type=pa.string()).take(np.zeros(n, dtype=np.int64))


def text_array(values) -> pa.Array:
    """Python strings (a list or an object array) as an Arrow string array."""
    return pa.array(values, type=pa.string())


def join(*parts) -> pa.Array:
    """Element-wise concatenation of arrays and plain strings."""
    return pc.binary_join_element_wise(*parts, "")


def _table(values: np.ndarray, template: str, zero: str | None = None) -> pa.Array:
    """``template.format(k)`` for each count ``k`` of ``values`` (``zero`` for k = 0 when given), from a table
    of the counts that occur: one string per distinct count, then one ``take``."""
    values = np.asarray(values).astype(np.int64)
    if values.size == 0:
        return blank(0)
    lo, hi = int(values.min()), int(values.max())
    if lo >= 0 and hi < 4 * values.size + 64:
        table = [template.format(k) for k in range(hi + 1)]
        if zero is not None:
            table[0] = zero
        return text_array(table).take(values)
    return text_array([zero if zero is not None and v == 0 else template.format(v) for v in values.tolist()])


def strings(values: np.ndarray) -> pa.Array:
    """Integers as strings."""
    return _table(values, "{}")


def counted(values: np.ndarray, template: str) -> pa.Array:
    """``template.format(k)`` for each count ``k`` of ``values``."""
    return _table(values, template)


def append(acc: pa.Array, mask: np.ndarray, part) -> pa.Array:
    """``acc`` with ``part`` added where ``mask`` holds, after "; " when there is text already."""
    if not mask.any():
        return acc
    added = pc.if_else(pc.equal(acc, ""), part, pc.binary_join_element_wise(acc, part, "; "))
    return pc.if_else(mask, added, acc)


def event_labels(ids: np.ndarray, days: np.ndarray) -> pa.Array:
    """Each event as the notes name it: its id, followed by its trading day unless the id is that day."""
    ids_a = text_array(ids)
    day_text = pc.fill_null(pc.cast(pa.array(np.asarray(days, dtype="datetime64[D]")), pa.string()), "NaT")
    return pc.if_else(pc.equal(ids_a, day_text), ids_a, join(ids_a, " (", day_text, ")"))


def others_text(labels: pa.Array, order: np.ndarray, lo: np.ndarray, span: np.ndarray, count: np.ndarray,
                own: np.ndarray | None = None) -> pa.Array:
    """Per event, up to three of the ``count`` other events in ``order[lo:lo+span]`` (never ``own``), then
    "and k more"."""
    n = len(lo)
    if n == 0 or not (count > 0).any():
        return blank(n)
    k = np.arange(4)
    cand = order[np.clip(lo[:, None] + k[None, :], 0, len(order) - 1)]
    ok = k[None, :] < span[:, None]
    if own is not None:
        ok &= cand != own[:, None]
    ok &= np.cumsum(ok, axis=1) <= 3
    ranked = np.where(ok, np.cumsum(ok, axis=1) - 1, 3)  # picked labels packed to the left
    picks = np.full((n, 4), n)
    np.put_along_axis(picks, ranked, np.where(ok, cand, n), axis=1)
    ext = pa.concat_arrays([labels, text_array([""])])
    shown = ok.sum(axis=1)
    comma = text_array(["", ", "])
    parts = [ext.take(picks[:, 0]), comma.take((shown > 1).astype(np.int64)), ext.take(picks[:, 1]),
             comma.take((shown > 2).astype(np.int64)), ext.take(picks[:, 2])]
    more = np.maximum(count - shown, 0)
    if (more > 0).any():
        parts.append(_table(more, " and {} more", zero=""))
    return join(*parts)


def event_notes(
    located: np.ndarray, estimable: np.ndarray, n_est: np.ndarray, window: tuple[int, int], min_est: int,
    contaminated: np.ndarray, labels: pa.Array, order: np.ndarray, lo: np.ndarray, excluded: bool,
    special: np.ndarray | None,
) -> pa.Array:
    """Notes about each event's estimation ("" when there is nothing to say)."""
    e1, e2 = window
    width = e2 - e1 + 1
    text = blank(len(located))
    not_estimable = located & ~estimable
    short = estimable & (n_est < width)
    if not_estimable.any() or short.any():
        n = strings(np.nan_to_num(n_est).astype(int))
        text = append(text, not_estimable, join("not estimable: ", n, f" valid estimation returns in [{e1},{e2}] "
                                                f"(fewer than {min_est})"))
        text = append(text, short, join("estimation window: ", n, f" of {width} returns used"))
    if (contaminated > 0).any():
        action = "their days -1..+1 were left out of the fit" if excluded else "kept in the fit"
        others = others_text(labels, order, lo, contaminated, contaminated)
        text = append(text, contaminated > 0, join(counted(contaminated, "estimation contaminated: {} other "
                                                           f"event(s) inside [{e1},{e2}] ("), others, "); " + action))
    if special is not None:
        text = pc.if_else(located, text, text_array(special))
    return text


def window_notes(
    event_text: pa.Array, wtext: str, past: np.ndarray, past_end: np.ndarray, missing: np.ndarray,
    n_days: np.ndarray, overlap: np.ndarray, labels: pa.Array, order: np.ndarray, lo: np.ndarray,
    span: np.ndarray, company: pa.Array, has_company: np.ndarray,
) -> pa.Array:
    """Each event's notes for one window: its event notes, then what this window adds."""
    text = event_text
    if past.any():
        side = text_array(["start", "end"]).take(past_end.astype(np.int64))
        text = append(text, past, join(f"window {wtext} runs past the ", side, " of the data: no CAR"))
    mask = ~past & (missing > 0)
    if mask.any():
        text = append(text, mask, join(strings(missing), f" missing day(s) in window {wtext}: the CAR sums the ",
                                       strings(n_days), " available day(s)"))
    if (overlap > 0).any():
        own = np.arange(len(lo))
        text = append(text, overlap > 0, join(counted(overlap, "overlap: {} other event(s) inside " + wtext + " ("),
                                              others_text(labels, order, lo, span, overlap, own=own), ")"))
    if has_company.any():
        text = append(text, has_company, join("company news: ", company))
    return text


def company_news(hits: np.ndarray, labels: np.ndarray, wtext: str) -> tuple[pa.Array, np.ndarray]:
    """Per event, "[-5,+5] includes the 2024-04-23 earnings release, after the close: day 2024-04-24, +12.1%"
    for the calendar releases ``hits`` (events x releases) marks ("" where none), and where there is one."""
    n = len(hits)
    rows, cols = np.nonzero(hits)
    if not len(rows):
        return blank(n), np.zeros(n, dtype=bool)
    out: dict[int, str] = {}
    names = [str(label) for label in labels.tolist()]
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):  # a handful per event: releases are quarterly
        out[i] = (out[i] + " and " if i in out else f"{wtext} includes ") + names[j]
    where = np.fromiter(out, dtype=np.int64, count=len(out))
    slot = np.full(n, len(out), dtype=np.int64)
    slot[where] = np.arange(len(out))
    table = text_array([*out.values(), ""])
    has = np.zeros(n, dtype=bool)
    has[where] = True
    return table.take(slot), has
