"""The Streamlit-side loaders: shared objects are reused, and a write to the prices or the store (by any process)
is seen on the next call through the version stamps, with no cache cleared by hand."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st


@pytest.fixture
def cache(data_dir, no_network):
    """Every loader module under one name, as the pages reach them."""
    from types import SimpleNamespace

    from ui.loaders import events, figures, prices, reactions, wire

    st.cache_data.clear()
    st.cache_resource.clear()
    yield SimpleNamespace(**{n: getattr(m, n) for m in (prices, events, reactions, figures, wire)
                             for n in dir(m) if not n.startswith("__")})
    st.cache_resource.clear()


def test_loaders_hand_back_the_same_object(cache):
    assert cache.price_result("TSLA") is cache.price_result("TSLA")
    assert cache.return_data("TSLA", "SPY") is cache.return_data("TSLA", "SPY")
    assert cache.event_index() is cache.event_index()


def _price_derived(cache) -> dict:
    store = cache.events_key()
    start, end = pd.Timestamp("2020-01-02"), pd.Timestamp("2024-12-31")
    return {
        "prices": cache.price_result("TSLA"),
        "returns": cache.return_data("TSLA", "SPY"),
        "flagged": cache.flagged_events("TSLA", "SPY", store),
        "rows": cache.event_rows("TSLA", "SPY", store, start, end),
        "sources": cache.price_sources(),
        "figure": cache.overview_figure("TSLA", start, end, "adjusted", (), "auto", "SPY", store),
    }


def test_refreshed_prices_written_by_any_process_are_seen_without_clearing(cache):
    from eventlens import prices

    built = _price_derived(cache)
    stamp = cache.prices_key()
    frame = prices.load_snapshot("TSLA")
    prices.write_cache("TSLA", frame.iloc[:-1])  # what a refresh writes, here one session short
    assert cache.prices_key() != stamp
    again = _price_derived(cache)
    assert all(again[k] is not built[k] for k in built), [k for k in built if again[k] is built[k]]
    assert again["prices"].frame.index[-1] == frame.index[-2]
    assert "refreshed" in again["prices"].source


def test_a_refresh_that_wrote_nothing_rebuilds_nothing(cache, data_dir):
    built = _price_derived(cache)
    outcome = cache.refresh_prices(["TSLA"], lambda done, total, ticker: None)  # offline: falls back
    assert outcome["TSLA"].fell_back and not (data_dir / "cache" / "TSLA.csv").exists()
    again = _price_derived(cache)
    assert all(again[k] is built[k] for k in built), [k for k in built if again[k] is not built[k]]


def test_a_store_write_by_another_writer_is_seen_without_clearing(cache):
    from eventlens import events
    from tests.test_intake import WIRE
    from ui import store

    index, table = cache.event_index(), cache.events_table()
    key = cache.events_key()
    events.add_article(WIRE.encode(), "wire.txt", store=store.current())  # as the CLI would, outside the loaders
    assert cache.events_key() != key
    assert cache.event_index() is not index
    assert len(cache.events_table()) == len(table) + 1


def test_key_functions_build_and_write_nothing(cache, data_dir):
    before = sorted(p.relative_to(data_dir) for p in data_dir.rglob("*"))
    for _ in range(3):
        cache.prices_key()
    assert sorted(p.relative_to(data_dir) for p in data_dir.rglob("*")) == before
    assert not (data_dir / "cache").exists()


def test_events_table_is_a_copy_the_caller_may_change(cache):
    first = cache.events_table()
    first["title"] = "changed"
    assert (cache.events_table()["title"] != "changed").all()


def test_shown_converts_a_cached_frame_once_and_keeps_its_values(cache):
    import pyarrow as pa

    rows = cache.event_rows("TSLA", "SPY", cache.events_key(), pd.Timestamp("2020-01-02"), pd.Timestamp("2024-12-31"))
    table = cache.shown(rows)
    assert isinstance(table, pa.Table) and cache.shown(rows) is table
    pd.testing.assert_frame_equal(table.to_pandas(), rows.reset_index(drop=True), check_dtype=False)


def test_shown_leaves_a_mixed_type_column_to_streamlit(cache):
    mixed = pd.DataFrame({"value": [1, "one", 2.5]})
    assert cache.shown(mixed) is mixed


def test_sendable_hands_streamlit_the_same_json_made_once(cache):
    import json

    import plotly.io as pio
    import plotly.tools

    start, end = pd.Timestamp("2020-01-02"), pd.Timestamp("2024-12-31")
    fig = cache.overview_figure("TSLA", start, end, "adjusted", (), "auto", "SPY", cache.events_key())
    sent = cache.sendable(fig)
    assert cache.sendable(fig) is sent  # one conversion per cached figure
    # What st.plotly_chart does with what it is given: to_dict through plotly.tools, then to_json.
    given = plotly.tools.return_figure_from_figure_or_data(sent, validate_figure=True)
    assert json.loads(pio.to_json(given, validate=False)) == json.loads(pio.to_json(fig))
    assert sent.to_dict() is sent.to_dict()  # no copy per rerun
    assert fig.data[0].open is not None and len(fig.data)  # the cached figure itself is untouched


def test_cached_loaders_called_by_name_share_one_entry_and_skip_underscored_arguments():
    from ui.loaders import caching

    st.cache_resource.clear()
    calls: list[tuple] = []

    @caching.resource(show_spinner=False)
    def square(x: int, y: int, _ignored: object = None) -> int:
        calls.append((x, y))
        return x * x + y

    assert square(3, 1) == 10 and square(3, y=1) == 10 and square(x=3, y=1, _ignored=object()) == 10
    assert calls == [(3, 1)]  # positional, mixed and named calls are one key; "_ignored" is not hashed
    assert square(4, 1) == 17 and len(calls) == 2
    square.clear()
    assert square(3, 1) == 10 and len(calls) == 3

    with pytest.raises(TypeError, match="named parameters"):

        @caching.resource(show_spinner=False)
        def spread(*args: int) -> int:
            return sum(args)
