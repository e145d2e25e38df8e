"""The app's cached loaders, one module per concern of what they read.

Pages call these instead of the core directly when the result is costly and
depends only on its arguments, so a rerun (a widget change) reuses the data.

* :mod:`ui.loaders.prices` — price series, the snapshot's tickers, returns, the refresh;
* :mod:`ui.loaders.events` — the events store: its table, index, names and the Articles page's views;
* :mod:`ui.loaders.reactions` — each event with its measured move (needs prices and the store);
* :mod:`ui.loaders.articles` — one stored article: text, date evidence, reasons, mentions;
* :mod:`ui.loaders.study` — the event study and what the Event study page draws from it;
* :mod:`ui.loaders.figures` — the Overview and Timeline charts;
* :mod:`ui.loaders.wire` — cached frames and figures kept in the form Streamlit sends.

Most loaders use ``st.cache_resource``: it hands back the stored object itself,
where ``st.cache_data`` unpickles a fresh copy on every call (1-3 ms per
frame, on every rerun). That is safe here because nothing the app draws
mutates a loaded price frame, study, events table or figure: pages derive new
frames from them (pandas copy-on-write keeps derived frames independent), and
:func:`ui.loaders.events.events_table` hands out a copy for callers that change the table.
Results depend on the data directory, so tests clear both caches between apps.
"""
