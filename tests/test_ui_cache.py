"""The Streamlit-side cache: shared objects are reused, and a price refresh drops everything built on prices."""

from __future__ import annotations

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


def test_a_refresh_drops_every_price_derived_loader(cache):
    store = cache.events_key()
    built = {
        "prices": cache.price_result("TSLA"),
        "returns": cache.return_data("TSLA", "SPY"),
        "flagged": cache.flagged_events("TSLA", "SPY", store),
        "sources": cache.price_sources(),
    }
    cache.refresh_prices(["TSLA"], lambda done, total, ticker: None)  # offline: falls back, still a refresh
    again = {
        "prices": cache.price_result("TSLA"),
        "returns": cache.return_data("TSLA", "SPY"),
        "flagged": cache.flagged_events("TSLA", "SPY", store),
        "sources": cache.price_sources(),
    }
    assert all(again[k] is not built[k] for k in built), [k for k in built if again[k] is built[k]]


def test_events_table_is_a_copy_the_caller_may_change(cache):
    first = cache.events_table()
    first["title"] = "changed"
    assert (cache.events_table()["title"] != "changed").all()


def test_shown_converts_a_cached_frame_once_and_keeps_its_values(cache):
    import pandas as pd
    import pyarrow as pa

    rows = cache.event_rows("TSLA", "SPY", cache.events_key(), pd.Timestamp("2020-01-02"), pd.Timestamp("2024-12-31"))
    table = cache.shown(rows)
    assert isinstance(table, pa.Table) and cache.shown(rows) is table
    pd.testing.assert_frame_equal(table.to_pandas(), rows.reset_index(drop=True), check_dtype=False)


def test_shown_leaves_a_mixed_type_column_to_streamlit(cache):
    import pandas as pd

    mixed = pd.DataFrame({"value": [1, "one", 2.5]})
    assert cache.shown(mixed) is mixed


def test_cached_figures_send_the_same_chart_in_converted_form(cache):
    import json

    import pandas as pd
    import plotly.io as pio

    from eventlens import prices
    from eventlens.figures.price import price_figure

    result = prices.get_prices("TSLA")
    built = price_figure(result.frame, "TSLA", result.source, events=cache.events_table())
    ready = cache.ready_to_send(built)
    assert json.loads(pio.to_json(ready)) == json.loads(pio.to_json(built))
    candles = ready.data[0]
    assert isinstance(candles.open, dict) and set(candles.open) == {"dtype", "bdata"}  # already typed arrays
    start, end = pd.Timestamp("2020-01-02"), pd.Timestamp("2024-12-31")
    shown = cache.overview_figure("TSLA", start, end, "adjusted", (), "auto", "SPY", cache.events_key())
    assert isinstance(shown.data[0].open, dict)
