"""Hundreds of events: every page's warm rerun and the Overview's time to chart with 1,000 events in the store.

Issue 15's target: with 1,000 events in the store, every page's warm rerun stays within 5x the hello-world
floor's (AppTest) and the Overview's warm time to chart within 1.5x the floor's (Debian's chromium). The
floor, the AppTest timing (each page's reruns interleaved with the floor's) and the browser timing are
``bench/run.py``'s own helpers.

The store is generated, in a temporary folder (``EVENTLENS_STATE_DIR``; never the repository's): the seeds,
then article-like records built from the dating corpus's texts (each copy made unique by a line naming the
copy) through the store's public API (:func:`eventlens.events.new_article`'s parts and
:meth:`Store.add <eventlens.store.Store.add>`). Prices are the real snapshot; only the events are generated,
each dated on a real trading day of it, spread over 2021-2024 (several on some days, as a folder of news
brings). Generated events are for this benchmark only, never for the app's data.

Run: ``.venv/bin/python -m bench.scale [N]`` (``--apptest``: AppTest only; ``--browser``: chromium only), or
``bench/run.py --scale``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CORPUS = REPO / "tests" / "dating_corpus" / "articles"
EVENTS = 1000
SPAN = ("2021-01-04", "2024-12-31")


def generated_articles(n: int, first_number: int = 100):
    """``n`` article-like records, dated on real trading days of the price snapshot (seeded, reproducible).

    The text is a real article of the dating corpus with one added line naming the copy, so each is a
    distinct article (its own bytes, its own event); the topic, direction, source and summary are the
    text's own, as :func:`eventlens.events.event_row` finds them. The date is not inferred (that is the
    dating benchmark's work): each record carries a trading day drawn from the snapshot's sessions.
    """
    import numpy as np
    import pandas as pd

    from eventlens.news import parse_article, sha256_hex
    from eventlens.news.dating import default_calendar
    from eventlens.store import NewArticle

    cal = default_calendar()
    sessions = cal.sessions[(cal.sessions >= SPAN[0]) & (cal.sessions <= SPAN[1])]
    rng = np.random.default_rng(15)
    days = np.sort(rng.choice(sessions, size=n, replace=True))
    texts = sorted(CORPUS.glob("*.txt"))
    parsed: dict[Path, tuple] = {}
    for i in range(n):
        src = texts[i % len(texts)]
        if src not in parsed:  # classifying a text is the same work for every copy of it
            art = parse_article(src.read_bytes(), "x", name=src.name)
            cls = art.classify()
            parsed[src] = (art.title, art.source(), art.summary(), cls.category, cls.direction)
        title, source, summary, category, direction = parsed[src]
        day = pd.Timestamp(days[i])
        payload = src.read_bytes() + f"\nCopy {i} of a generated folder, filed {day:%Y-%m-%d}.\n".encode()
        article_id = f"{first_number + i:04d}_{sha256_hex(payload)[:16]}"
        event = {
            "event_id": f"ev_{article_id}", "article_id": article_id, "title": f"{title} ({i})", "source": source,
            "category": category, "direction": direction, "summary": summary, "corrected": "",
            "event_date": day, "trading_date": cal.trading_date(day),
            "date_confidence": round(float(rng.uniform(0.5, 0.99)), 4), "date_label": "likely",
            "origin": "inferred", "date_evidence": "generated for the scale benchmark",
        }
        yield NewArticle(article_id=article_id, sha256=sha256_hex(payload), filename=f"gen_{i:04d}.txt",
                         raw=payload, encoding="utf-8", title=event["title"], source=source, origin="upload",
                         event=event)


def build_store(n: int = EVENTS) -> int:
    """Fill the store named by the environment (seeds first) up to ``n`` events; returns how many it holds."""
    from eventlens import events

    store = events.default_store()  # created, migrated and seeded on first use
    have = len(store.events())
    for item in generated_articles(max(n - have, 0)):
        store.add(item)
    return len(store.events())


def _isolated(workdir: Path) -> None:
    """Point the app at a copy of ``data/`` and a new store in ``workdir`` (never the repository's)."""
    data = workdir / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("cache", "state", ".*.lock", "*.tmp"))
    os.environ["EVENTLENS_DATA_DIR"] = str(data)
    os.environ["EVENTLENS_STATE_DIR"] = str(workdir / "state")
    os.environ.pop("EVENTLENS_DB_URL", None)


def measure(n: int = EVENTS, browser: bool = True, apptest: bool = True) -> dict:
    """Build the store, then AppTest warm reruns of every page (floor interleaved) and, with ``browser``,
    the Overview's time to chart beside the floor's. The caller has pointed the environment at a temp dir."""
    from bench import run

    t0 = time.perf_counter()
    held = build_store(n)
    out: dict = {"events": held, "build_s": time.perf_counter() - t0, "load_avg_at_start": os.getloadavg()}
    floor = Path(os.environ["EVENTLENS_STATE_DIR"]).parent / "floor" / "hello.py"
    floor.parent.mkdir(exist_ok=True)
    floor.write_text(run.FLOOR_SCRIPT)
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731 - progress, not results
    out["apptest"] = {}
    for name, (page, _) in run.PAGES.items() if apptest else ():
        say(f"AppTest with {held} events: {name}…")
        out["apptest"][name] = run.apptest_times(str(REPO / "dashboard.py"), page, floor=str(floor))
    if browser and os.path.exists(run.CHROMIUM):
        say("chromium: floor and Overview time to chart…")
        env = {**os.environ}
        floor_server = run.StreamlitServer(floor, floor.parent, env)
        server = run.StreamlitServer(run.SERVED, REPO, env)
        try:
            timed = run.browser_times({"floor": (floor_server, "/"), "overview": (server, "/")})
        finally:
            floor_server.stop()
            server.stop()
        out["browser_floor"], out["browser_overview"] = timed["floor"], timed["overview"]
    return out


def render(r: dict) -> str:
    from bench import run

    ms = lambda s: f"{s * 1000:8.1f} ms"  # noqa: E731
    lines = [f"With {r['events']} events in a generated store (built in {r['build_s']:.1f} s; load average at "
             f"start {r['load_avg_at_start'][0]:.1f})",
             f"  AppTest warm rerun (median of {run.RERUNS}, each page's reruns alternating with the floor's)",
             f"  {'page':14} {'warm rerun':>11} {'floor then':>11} {'ratio':>7}  target <= "
             f"{run.TARGET_RERUN_RATIO:.0f}x"]
    verdicts = []
    for name, t in r["apptest"].items():
        ratio = t["warm_median_s"] / t["floor_warm_median_s"]
        ok = ratio <= run.TARGET_RERUN_RATIO
        lines.append(f"  {name:14} {ms(t['warm_median_s'])} {ms(t['floor_warm_median_s'])} {ratio:6.1f}x  "
                     f"{'PASS' if ok else 'MISS'}")
        verdicts.append((f"{name} warm rerun with {r['events']} events <= {run.TARGET_RERUN_RATIO:.0f}x floor "
                         f"({ratio:.1f}x)", ok))
    if "browser_floor" in r:
        bf, bo = r["browser_floor"], r["browser_overview"]
        ratio = bo["warm_median_s"] / bf["warm_median_s"]
        ok = ratio <= run.TARGET_TTC_RATIO
        lines += [f"  chromium, navigation -> chart drawn (median of {run.BROWSER_REPEATS} reloads in turns)",
                  f"  {'Floor':14} {ms(bf['warm_median_s'])}   cold {ms(bf['cold_s'])}",
                  f"  {'Overview':14} {ms(bo['warm_median_s'])}   cold {ms(bo['cold_s'])}   {ratio:.2f}x  target <= "
                  f"{run.TARGET_TTC_RATIO}x  {'PASS' if ok else 'MISS'}"]
        verdicts.append((f"Overview time to chart with {r['events']} events <= {run.TARGET_TTC_RATIO}x floor "
                         f"({ratio:.2f}x)", ok))
    return "\n".join(lines + ["", "Targets:"] + [f"  {'PASS' if ok else 'MISS'}  {t}" for t, ok in verdicts])


def main(argv: list[str]) -> int:
    numbers = [a for a in argv if a.isdigit()]
    n = int(numbers[0]) if numbers else EVENTS
    workdir = Path(tempfile.mkdtemp(prefix="eventlens-scale-"))
    try:
        _isolated(workdir)
        result = measure(n, browser="--apptest" not in argv, apptest="--browser" not in argv)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
