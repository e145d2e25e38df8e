"""The price layer: snapshot by default, yfinance refresh with every failure falling back.

The network is replaced at the yfinance boundary only (``yfinance.download``);
the frames it returns are shaped as yfinance 1.x shapes them and hold the real
snapshot values.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yfinance
from curl_cffi.requests.exceptions import DNSError
from yfinance.exceptions import YFRateLimitError

from eventlens import prices
from tests.yf_fakes import YF_PRICE_ORDER, empty_download, offline_download, yf_download_frame


@pytest.fixture
def fake_yahoo(monkeypatch):
    """Install a yfinance.download replacement; returns a setter for its behaviour."""
    calls = []

    def install(behaviour):
        def fake(tickers, *args, **kwargs):
            calls.append({"tickers": tickers, **kwargs})
            return behaviour(tickers, kwargs)

        monkeypatch.setattr(yfinance, "download", fake)
        return calls

    return install


def test_snapshot_spans_and_known_closes():
    tsla = prices.load_snapshot("TSLA")
    assert len(tsla) == 1258
    assert (tsla.index[0], tsla.index[-1]) == (pd.Timestamp("2020-01-02"), pd.Timestamp("2024-12-31"))
    assert tsla.loc["2024-04-29", "Close"] == pytest.approx(194.050003)
    assert tsla.loc["2024-04-26", "Close"] == pytest.approx(168.289993)
    assert len(prices.load_snapshot("XPEV")) == 1093
    assert prices.snapshot_tickers() == ["LI", "NIO", "QQQ", "SPY", "TSLA", "XPEV"]


def test_default_uses_snapshot_and_never_the_network(data_dir, no_network):
    result = prices.get_prices("tsla", "2021-05-03", "2021-05-07")
    assert no_network == []
    assert result.ticker == "TSLA"
    assert result.source == prices.SNAPSHOT_SOURCE
    assert list(result.frame.index.strftime("%Y-%m-%d")) == [
        "2021-05-03",
        "2021-05-04",
        "2021-05-05",
        "2021-05-06",
        "2021-05-07",
    ]
    assert result.messages == [] and not result.fell_back


def test_refresh_with_network_down_falls_back_with_one_clear_sentence(data_dir, no_network):
    result = prices.get_prices("TSLA", refresh=True)
    assert len(no_network) == 1
    assert no_network[0][1]["auto_adjust"] is False
    assert result.fell_back
    assert len(result.frame) == 1258
    (message,) = result.messages
    assert "Yahoo Finance" in message and "offline snapshot" in message and "2024-12-31" in message
    assert not (data_dir / "cache" / "TSLA.csv").exists()


@pytest.mark.parametrize(
    "behaviour",
    [
        pytest.param(lambda t, kw: (_ for _ in ()).throw(YFRateLimitError()), id="rate-limit"),
        pytest.param(lambda t, kw: (_ for _ in ()).throw(ConnectionError("no route")), id="connection-error"),
        pytest.param(lambda t, kw: None, id="none"),
        pytest.param(lambda t, kw: yf_download_frame(t, "2024-06-01", "2025-01-01"), id="partial-span"),
        pytest.param(lambda t, kw: yf_download_frame(t).drop(columns="Close", level="Price"), id="missing-close"),
        pytest.param(lambda t, kw: yf_download_frame("SPY").rename(columns={"SPY": "XYZ"}), id="other-ticker"),
        pytest.param(lambda t, kw: yf_download_frame(t) * float("nan"), id="all-nan"),
    ],
)
def test_every_yfinance_failure_falls_back_to_snapshot(data_dir, fake_yahoo, behaviour):
    fake_yahoo(behaviour)
    result = prices.get_prices("TSLA", "2020-01-02", "2024-12-31", refresh=True)
    assert result.fell_back
    assert result.source == prices.SNAPSHOT_SOURCE
    assert len(result.frame) == 1258
    assert len(result.messages) == 1 and "refresh failed" in result.messages[0]
    assert not (data_dir / "cache" / "TSLA.csv").exists()


def test_successful_refresh_is_cached_and_used_next_time(data_dir, fake_yahoo):
    calls = fake_yahoo(lambda t, kw: yf_download_frame(t, kw["start"], kw["end"]))
    fresh = prices.get_prices("TSLA", "2020-01-02", "2024-12-31", refresh=True)
    assert calls[0]["start"] == "2020-01-02" and calls[0]["end"] == "2025-01-01"  # yfinance's end is exclusive
    assert not fresh.fell_back and fresh.source.startswith(prices.YAHOO_SOURCE)
    expected = prices.load_snapshot("TSLA")
    pd.testing.assert_frame_equal(fresh.frame, expected, check_freq=False)
    assert (data_dir / "cache" / "TSLA.csv").exists()
    assert not list((data_dir / "cache").glob("*.tmp"))

    again = prices.get_prices("TSLA", "2021-05-05", "2021-05-05")
    assert len(calls) == 1
    assert again.source.startswith(prices.YAHOO_SOURCE + ", refreshed 20")
    assert again.frame["Close"].iloc[0] == pytest.approx(223.646667)


def test_ticker_history_shape_is_accepted():
    # Ticker.history(): flat columns, tz-aware exchange-time index, no Adj Close.
    raw = yf_download_frame("TSLA", "2024-04-26", "2024-04-30").droplevel("Ticker", axis=1)
    raw = raw.drop(columns="Adj Close")
    raw.index = raw.index.tz_localize("America/New_York")
    frame = prices._frame_from_yfinance(raw, "TSLA")
    assert list(frame.index.strftime("%Y-%m-%d")) == ["2024-04-26", "2024-04-29"]
    assert frame.index.tz is None
    assert frame["Adj Close"].tolist() == frame["Close"].tolist()


def test_span_after_the_snapshot_asks_yahoo_then_says_what_it_shows(data_dir, fake_yahoo):
    calls = fake_yahoo(lambda t, kw: empty_download(t))
    result = prices.get_prices("TSLA", "2024-12-01", "2025-06-30")
    assert len(calls) == 1
    assert result.frame.index[-1] == pd.Timestamp("2024-12-31")
    assert "up to 2024-12-31" in result.messages[0]


def test_corrupt_cache_is_set_aside_reported_and_snapshot_used(data_dir, no_network):
    cache = data_dir / "cache"
    cache.mkdir()
    (cache / "TSLA.csv").write_bytes(b"Date,Open,High\n2024-01-0\x00\x00garbage")
    result = prices.get_prices("TSLA")
    assert result.source == prices.SNAPSHOT_SOURCE
    assert len(result.frame) == 1258
    assert any("set aside" in m for m in result.messages)
    assert not (cache / "TSLA.csv").exists()
    assert len(list(cache.glob("TSLA.csv.corrupt-*"))) == 1
    again = prices.get_prices("TSLA")  # every later read says so too, until a refresh replaces it
    assert again.source == prices.SNAPSHOT_SOURCE and any("set aside" in m for m in again.messages)
    prices.write_cache("TSLA", again.frame)
    assert prices.get_prices("TSLA").messages == []


def test_truncated_cache_with_unordered_dates_is_rejected(data_dir, no_network):
    cache = data_dir / "cache"
    cache.mkdir()
    lines = (data_dir / "prices" / "TSLA.csv").read_text().splitlines()
    (cache / "TSLA.csv").write_text("\n".join([lines[0], lines[20], lines[10]]) + "\n")
    result = prices.get_prices("TSLA")
    assert result.source == prices.SNAPSHOT_SOURCE
    assert "unordered" in result.messages[0]


@pytest.mark.parametrize("symbol", ["ZZZZ", "BRK.B"])
def test_unknown_ticker_says_what_the_snapshot_holds(data_dir, no_network, symbol):
    with pytest.raises(prices.UnknownTickerError, match="TSLA"):
        prices.get_prices(symbol)


def test_unknown_ticker_with_refresh_and_no_answer(data_dir, no_network):
    with pytest.raises(prices.UnknownTickerError, match="not in the offline snapshot and"):
        prices.get_prices("ZZZZ", refresh=True)


@pytest.mark.parametrize("bad", ["", "   ", "TSLA; rm -rf /", "<script>", "A" * 40])
def test_malformed_symbols_are_refused(bad):
    with pytest.raises(prices.UnknownTickerError, match="not a valid ticker"):
        prices.normalise_ticker(bad)


def test_get_many_reports_progress_and_unknown_tickers(data_dir, no_network):
    seen = []
    results = prices.get_many(["TSLA", "SPY", "ZZZZ"], progress=lambda i, n, t: seen.append((i, n, t)))
    assert seen == [(0, 3, "TSLA"), (1, 3, "SPY"), (2, 3, "ZZZZ"), (3, 3, "")]
    assert results["SPY"].frame["Close"].iloc[-1] == pytest.approx(586.080017, rel=1e-6)
    assert results["ZZZZ"].frame.empty and results["ZZZZ"].fell_back


def test_yf_fake_matches_yfinance_column_order():
    frame = yf_download_frame("TSLA", "2024-04-26", "2024-04-30")
    assert frame.columns.names == ["Price", "Ticker"]
    assert list(frame.columns.get_level_values("Price")) == YF_PRICE_ORDER


@pytest.mark.parametrize(
    ("behaviour", "said", "not_said"),
    [
        # yfinance 1.7 offline: logs the DNS failure, raises nothing, returns an empty frame.
        pytest.param(lambda t, kw: offline_download(t), "no network", "no rows", id="offline-empty-frame"),
        # the same failure raised by curl_cffi's own exception class (a ConnectionError)
        pytest.param(lambda t, kw: (_ for _ in ()).throw(DNSError("Failed to perform, curl: (6) Could not resolve "
                                                                   "host: query2.finance.yahoo.com")),
                     "no network", "curl", id="offline-raises"),
        # an empty answer with no network failure logged is not called "no network"
        pytest.param(lambda t, kw: empty_download(t), "no rows", "no network", id="empty-online"),
    ],
)
def test_an_offline_refresh_says_no_network(data_dir, fake_yahoo, capsys, behaviour, said, not_said):
    import logging

    log = logging.getLogger("yfinance")
    before = (log.level, log.propagate, list(log.handlers))
    fake_yahoo(behaviour)
    result = prices.get_prices("TSLA", "2020-01-02", "2024-12-31", refresh=True)
    (message,) = result.messages
    assert result.fell_back and said in message and not_said not in message, message
    assert message.startswith("Yahoo Finance refresh failed (") and message.endswith("up to 2024-12-31.")
    assert (log.level, log.propagate, list(log.handlers)) == before  # yfinance's logger is left as it was
    assert "DNSError" not in capsys.readouterr().err  # the library's words were not printed
