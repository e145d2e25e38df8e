"""Daily prices: the offline snapshot first, Yahoo Finance (yfinance) when asked.

These machines, CI and often Streamlit Community Cloud cannot reach Yahoo, so
the verified snapshot in ``data/prices/`` is the default source and yfinance
is a refresh on top of it. Whatever goes wrong with yfinance (no network, a
rate limit, an empty or partial answer, missing columns, an unknown ticker)
the caller gets the snapshot back with one sentence that says what happened,
never an exception. Refreshed prices are cached in ``data/cache/`` with atomic
writes; a cache file that does not parse is set aside and reported.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from eventlens.errors import UserError
from eventlens.paths import cache_dir, prices_dir
from eventlens.storage import atomic_write_bytes, atomic_write_text

PRICE_COLUMNS = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]
SNAPSHOT_SOURCE = "offline snapshot of Yahoo Finance daily prices (data/prices, verified)"
YAHOO_SOURCE = "Yahoo Finance via yfinance"
_TICKER_RE = re.compile(r"^[A-Z0-9][A-Z0-9.\-^=]{0,14}$")
# Calendar days a span may overhang the snapshot (weekends, holidays) before
# it counts as outside it.
_SPAN_SLACK_DAYS = 5


class PriceDataError(UserError):
    """A price source could not give usable data; the message says why, in one sentence."""


class UnknownTickerError(PriceDataError):
    """Neither the snapshot nor the cache holds this ticker."""


@dataclass
class PriceResult:
    """Prices for one ticker, with where they came from and what the caller should be told."""

    ticker: str
    frame: pd.DataFrame
    source: str
    as_of: pd.Timestamp | None
    messages: list[str] = field(default_factory=list)
    fell_back: bool = False

    @property
    def first_date(self) -> pd.Timestamp | None:
        return None if self.frame.empty else self.frame.index[0]

    def notice(self) -> str:
        """One line for the page: source and span, then anything that went wrong."""
        if self.frame.empty:
            span = "no rows"
        else:
            span = f"{self.first_date:%Y-%m-%d} to {self.as_of:%Y-%m-%d}"
        text = f"{self.ticker}: {self.source}, {span}."
        return " ".join([text, *self.messages])


def normalise_ticker(ticker: str) -> str:
    """Upper-case a ticker and refuse anything that is not a plausible symbol."""
    cleaned = (ticker or "").strip().upper()
    if not _TICKER_RE.match(cleaned):
        raise UnknownTickerError(f"'{ticker}' is not a valid ticker symbol.")
    return cleaned


def snapshot_tickers() -> list[str]:
    """Tickers held in the offline snapshot, sorted."""
    return sorted(p.stem for p in prices_dir().glob("*.csv") if p.stem != "splits")


def validate_frame(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """Check a price frame's shape and content; return it cleaned, or raise PriceDataError.

    Rows without a close (a yfinance gap, a half-written line) are dropped;
    anything else odd is an error, because a silently wrong price is worse
    than a clear refusal.
    """
    missing = [c for c in PRICE_COLUMNS if c not in frame.columns]
    if missing:
        raise PriceDataError(f"{what} lacks the column(s) {', '.join(missing)}.")
    frame = frame[PRICE_COLUMNS].apply(pd.to_numeric, errors="coerce")
    frame = frame.dropna(subset=["Close"])
    if frame.empty:
        raise PriceDataError(f"{what} holds no price rows.")
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise PriceDataError(f"{what} has no date index.")
    if frame.index.tz is not None:
        frame.index = frame.index.tz_localize(None)
    frame.index = frame.index.normalize()
    frame.index.name = "Date"
    if frame.index.has_duplicates or not frame.index.is_monotonic_increasing:
        raise PriceDataError(f"{what} has duplicated or unordered dates.")
    if (frame["Close"] <= 0).any():
        raise PriceDataError(f"{what} has non-positive closing prices.")
    # Adj Close may be empty in a source; Close is then the right return basis
    # for non-dividend payers, and the gap is filled from Close explicitly.
    frame["Adj Close"] = frame["Adj Close"].fillna(frame["Close"])
    return frame


def read_price_csv(path: Path, what: str | None = None) -> pd.DataFrame:
    """Read one ``Date,Open,High,Low,Close,Adj Close,Volume`` CSV and validate it."""
    what = what or str(path)
    try:
        frame = pd.read_csv(path, index_col="Date", parse_dates=["Date"])
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise PriceDataError(f"{what} could not be read ({type(exc).__name__}).") from exc
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise PriceDataError(f"{what} has dates that do not parse.")
    return validate_frame(frame, what)


def load_snapshot(ticker: str) -> pd.DataFrame:
    """The verified snapshot for one ticker, indexed by trading date."""
    ticker = normalise_ticker(ticker)
    path = prices_dir() / f"{ticker}.csv"
    if not path.exists():
        raise UnknownTickerError(f"{ticker} is not in the offline snapshot (it holds {', '.join(snapshot_tickers())}).")
    return read_price_csv(path, f"The snapshot file for {ticker}")


# --- yfinance boundary -------------------------------------------------------


def _frame_from_yfinance(raw: pd.DataFrame, ticker: str) -> pd.DataFrame:
    """Turn what ``yf.download`` returns into a flat price frame for one ticker.

    yfinance 1.x returns MultiIndex columns ``(Price, Ticker)`` even for a
    single ticker; older versions and ``Ticker.history`` return flat columns.
    """
    if raw is None or not isinstance(raw, pd.DataFrame) or raw.empty:
        raise PriceDataError(f"Yahoo Finance returned no rows for {ticker}.")
    if isinstance(raw.columns, pd.MultiIndex):
        levels = [list(map(str, raw.columns.get_level_values(i))) for i in range(raw.columns.nlevels)]
        ticker_level = next((i for i, values in enumerate(levels) if ticker in values), None)
        if ticker_level is None:
            raise PriceDataError(f"Yahoo Finance returned no columns for {ticker}.")
        raw = raw.xs(ticker, axis=1, level=ticker_level)
    raw = raw.copy()
    raw.columns = [str(c) for c in raw.columns]
    if "Adj Close" not in raw.columns and "Close" in raw.columns:
        raw["Adj Close"] = float("nan")
    if raw.dropna(how="all").empty:
        raise PriceDataError(f"Yahoo Finance returned only empty rows for {ticker}.")
    return validate_frame(raw, f"Yahoo Finance's answer for {ticker}")


def yfinance_download(ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Fetch daily prices for ``[start, end]`` (inclusive) through yfinance.

    This is the only function that touches the network; tests replace
    ``yfinance.download`` underneath it.
    """
    import yfinance as yf  # imported here: a slow import the offline path never needs

    # yfinance 1.x does not raise when Yahoo cannot be reached: it logs "['TSLA']: DNSError('Failed to perform,
    # curl: (6) Could not resolve host ...')" and returns an empty frame. Its log lines are caught here (not
    # printed: failures are reported by us, once) so an empty answer can say "no network" when that is why.
    with _yfinance_errors() as failures, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # yfinance's own pandas deprecation noise
        raw = yf.download(
            ticker,
            start=start.strftime("%Y-%m-%d"),
            end=(end + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),  # yfinance's end is exclusive
            auto_adjust=False,
            actions=False,
            progress=False,
            threads=False,
        )
    if (raw is None or (isinstance(raw, pd.DataFrame) and raw.empty)) and any(_OFFLINE.search(f) for f in failures):
        raise PriceDataError(NO_NETWORK)
    return _frame_from_yfinance(raw, ticker)


NO_NETWORK = "no network: Yahoo Finance could not be reached"
# What yfinance (through curl_cffi or requests) logs when there is no network: DNS, connect and timeout failures.
_OFFLINE = re.compile(r"DNSError|ConnectionError|ConnectTimeout|Timeout|Could not resolve host|Failed to connect|"
                      r"curl: \((?:6|7|28)\)|Network is unreachable|Name or service not known|name resolution",
                      re.IGNORECASE)


@contextlib.contextmanager
def _yfinance_errors() -> Iterator[list[str]]:
    """The error lines yfinance logs inside the block, kept from the console."""
    import logging

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    log = logging.getLogger("yfinance")
    saved = (log.level, log.propagate, log.handlers[:])
    log.setLevel(logging.ERROR)
    log.propagate, log.handlers = False, [Keep()]
    try:
        yield lines
    finally:
        log.setLevel(saved[0])
        log.propagate, log.handlers = saved[1], saved[2]


Downloader = Callable[[str, pd.Timestamp, pd.Timestamp], pd.DataFrame]


# --- cache --------------------------------------------------------------------


def version() -> str:
    """A stamp of what :func:`get_prices` reads: the snapshot's and the refresh cache's folders.

    Every write of a refresh (the app's, the CLI's or another process's) is an atomic rename into
    ``data/cache/``, and a cache file that does not parse is renamed aside: both change the folder's
    mtime, so callers key cached results by this stamp instead of clearing them by hand. Two ``stat``
    calls, run on every page run: it reads and builds nothing. (A snapshot file edited in place, not
    replaced, is not seen until a restart; the snapshot is read-only data.)
    """
    parts = []
    for folder in _stamped_folders(os.environ.get("EVENTLENS_DATA_DIR")):
        try:
            parts.append(f"{folder}:{os.stat(folder).st_mtime_ns}")
        except FileNotFoundError:
            parts.append(f"{folder}:missing")
    return "|".join(parts)


@functools.lru_cache(maxsize=8)
def _stamped_folders(data_dir_setting: str | None) -> tuple[str, str]:
    """The two folders :func:`version` stats, per setting of the data folder (building the paths cost more
    than the two ``stat`` calls)."""
    return str(prices_dir()), str(cache_dir())


def cache_path(ticker: str) -> Path:
    return cache_dir() / f"{ticker}.csv"


def _meta_path(ticker: str) -> Path:
    return cache_dir() / f"{ticker}.json"


def write_cache(ticker: str, frame: pd.DataFrame) -> None:
    """Store refreshed prices atomically, with when they were fetched."""
    buffer = io.StringIO()
    frame[PRICE_COLUMNS].to_csv(buffer, index_label="Date", date_format="%Y-%m-%d")
    atomic_write_bytes(cache_path(ticker), buffer.getvalue().encode("utf-8"))
    meta = {"ticker": ticker, "fetched_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "rows": len(frame)}
    atomic_write_text(_meta_path(ticker), json.dumps(meta))


def read_cache(ticker: str) -> tuple[pd.DataFrame | None, str | None]:
    """The cached refresh for ``ticker`` and a message, or ``(None, message)``.

    A file that does not parse is renamed ``*.corrupt-<time>`` so the next
    refresh starts clean and the bad bytes stay available for a look; until a
    refresh replaces it, every read says so.
    """
    path = cache_path(ticker)
    if not path.exists():
        set_aside = sorted(path.parent.glob(f"{path.name}.corrupt-*")) if path.parent.exists() else []
        if set_aside:  # said on every read, not only the one that set it aside: callers cache by the folder's stamp
            return None, (f"The cached refresh for {ticker} could not be read and was set aside as "
                          f"data/cache/{set_aside[-1].name}; refresh the prices to replace it.")
        return None, None
    try:
        frame = read_price_csv(path, f"The cached refresh for {ticker}")
    except PriceDataError as exc:
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d%H%M%S')}")
        path.replace(aside)
        return None, f"{exc} It was set aside as data/cache/{aside.name}."
    fetched = ""
    try:
        fetched = json.loads(_meta_path(ticker).read_text())["fetched_at"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return frame, fetched or "an unknown time"


# --- the one entry point --------------------------------------------------------


def _ends_after(frame: pd.DataFrame, end: pd.Timestamp | None) -> bool:
    """Whether the asked span runs past the data held (an early start is not: peers listed mid-2020)."""
    slack = pd.Timedelta(days=_SPAN_SLACK_DAYS)
    return bool(end is not None and end > frame.index[-1] + slack)


def _clip(frame: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None) -> pd.DataFrame:
    return frame.loc[start:end]


def get_prices(
    ticker: str,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    refresh: bool = False,
    downloader: Downloader | None = None,
) -> PriceResult:
    """Daily prices for ``ticker`` over ``[start, end]`` with their source.

    Default: the latest good refresh if one is cached, else the snapshot.
    yfinance is asked only when ``refresh`` is set or the span ends after the
    data we hold. Raises :class:`UnknownTickerError` only when no source at
    all has the ticker; every other problem becomes a message on the result.
    """
    ticker = normalise_ticker(ticker)
    start_ts = pd.Timestamp(start) if start is not None else None
    end_ts = pd.Timestamp(end) if end is not None else None
    messages: list[str] = []

    base: pd.DataFrame | None = None
    source = SNAPSHOT_SOURCE
    cached, cache_note = read_cache(ticker)
    if cached is not None:
        base, source = cached, f"{YAHOO_SOURCE}, refreshed {cache_note}"
    elif cache_note:
        messages.append(cache_note)
    if base is None:
        try:
            base = load_snapshot(ticker)
        except UnknownTickerError:
            if not refresh:
                raise
            base = None

    if refresh or base is None or _ends_after(base, end_ts):
        fetch_start = start_ts or (base.index[0] if base is not None else pd.Timestamp("2020-01-01"))
        fetch_end = end_ts or pd.Timestamp.today().normalize()
        try:
            fresh = (downloader or yfinance_download)(ticker, fetch_start, fetch_end)
            _check_span(fresh, ticker, fetch_start, fetch_end)
        except Exception as exc:
            reason = _reason(exc)
            if base is None:
                raise UnknownTickerError(f"{ticker} is not in the offline snapshot and {reason}") from exc
            messages.append(
                f"Yahoo Finance refresh failed ({reason}); showing the {source} up to {base.index[-1]:%Y-%m-%d}."
            )
            return PriceResult(ticker, _clip(base, start_ts, end_ts), source, base.index[-1], messages, fell_back=True)
        try:
            write_cache(ticker, fresh)
        except OSError as exc:
            messages.append(
                f"The refresh could not be cached ({exc.strerror or exc}); it is used for this session only."
            )
        source = f"{YAHOO_SOURCE}, refreshed {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        base = fresh

    frame = _clip(base, start_ts, end_ts)
    return PriceResult(ticker, frame, source, base.index[-1], messages)


def _check_span(frame: pd.DataFrame, ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """Refuse an answer that covers only part of the asked span (a truncated download)."""
    slack = pd.Timedelta(days=_SPAN_SLACK_DAYS)
    first, last = frame.index[0], frame.index[-1]
    today = pd.Timestamp.today().normalize()
    if first > start + slack:
        raise PriceDataError(f"Yahoo Finance returned {ticker} only from {first:%Y-%m-%d}, a partial span")
    if last < min(end, today) - slack:
        raise PriceDataError(f"Yahoo Finance returned {ticker} only up to {last:%Y-%m-%d}, a partial span")


def _reason(exc: Exception) -> str:
    """Why a refresh failed, in the app's words; a library's own exception text goes to the log, not the user."""
    text = str(exc).strip().rstrip(".")
    if isinstance(exc, PriceDataError):
        return text or "it gave no data"
    import logging

    logging.getLogger("eventlens.prices").warning("Yahoo Finance refresh failed: %r", exc)
    if type(exc).__name__ == "YFRateLimitError" or re.search(r"too many requests|rate.?limit", text, re.IGNORECASE):
        return "Yahoo Finance is limiting requests; try again in a while"
    if isinstance(exc, ConnectionError | TimeoutError | OSError):
        return NO_NETWORK
    return "Yahoo Finance's answer could not be read"


def get_many(
    tickers: list[str],
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    refresh: bool = False,
    downloader: Downloader | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, PriceResult]:
    """:func:`get_prices` for several tickers; unknown ones are reported, not raised.

    ``progress(done, total, ticker)`` is called before each ticker so a page
    can show a progress bar during a refresh.
    """
    results: dict[str, PriceResult] = {}
    for i, ticker in enumerate(tickers):
        if progress:
            progress(i, len(tickers), ticker)
        try:
            results[ticker] = get_prices(ticker, start, end, refresh=refresh, downloader=downloader)
        except UnknownTickerError as exc:
            results[ticker] = PriceResult(
                ticker, pd.DataFrame(columns=PRICE_COLUMNS), "unavailable", None, [str(exc)], True
            )
    if progress:
        progress(len(tickers), len(tickers), "")
    return results


def adjusted_close(result_or_frame: PriceResult | pd.DataFrame) -> pd.Series:
    """The return basis: Adj Close (dividends and splits included)."""
    frame = result_or_frame.frame if isinstance(result_or_frame, PriceResult) else result_or_frame
    return frame["Adj Close"]
