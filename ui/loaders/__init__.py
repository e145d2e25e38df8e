"""The app's cached loaders, one module per concern of what they read.

Pages call these instead of the core directly when the result is costly and
depends only on its arguments, so a rerun (a widget change) reuses the data.

Every loader is keyed by version stamps of what it reads, so nothing keeps a list of caches to clear
after a write, and a write by another process (the CLI, another session) is seen on the next run:

* the store's :func:`ui.loaders.events.events_key` (its location and revision, which every write raises);
* the price files' :func:`ui.loaders.prices.prices_key` (the snapshot's and the refresh cache's folders'
  mtimes: a refresh writes by atomic rename, which changes its folder's).

A public loader reads the stamps and calls its private cached twin with them; a key function only reads
(a ``stat``, one indexed row) and never builds or writes anything (the store itself is opened, once per
process, by :mod:`ui.store` when its first key is asked for).

* :mod:`ui.loaders.prices` — price series, the snapshot's tickers, returns, the refresh;
* :mod:`ui.loaders.events` — the events store: its table, index, names and the Articles page's views;
* :mod:`ui.loaders.event_picks` — answers that walk every event: a filter's matches, a study's keys, months;
* :mod:`ui.loaders.study_pages` — one page of a study's events and what the page draws for them;
* :mod:`ui.loaders.reactions` — each event with its measured move (needs prices and the store);
* :mod:`ui.loaders.articles` — one stored article: text, date evidence, reasons, mentions;
* :mod:`ui.loaders.study` — the event study and what the Event study page draws from it;
* :mod:`ui.loaders.figures` — the Overview and Timeline charts;
* :mod:`ui.loaders.wire` — cached frames and figures kept in the form Streamlit sends;
* :mod:`ui.loaders.caching` — the cache decorators every loader uses (Streamlit's, called by name).

Most loaders use ``st.cache_resource``: it hands back the stored object itself,
where ``st.cache_data`` unpickles a fresh copy on every call (1-3 ms per
frame, on every rerun). That is safe here because nothing the app draws
mutates a loaded price frame, study, events table or figure: pages derive new
frames from them (pandas copy-on-write keeps derived frames independent), and
:func:`ui.loaders.events.events_table` hands out a copy for callers that change the table.
Results depend on the data directory, so tests clear both caches between apps.
"""
