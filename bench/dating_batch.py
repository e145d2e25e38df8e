"""How long does a batch of articles take to read, decode, date, classify and group? Prints figures.

The issue's target is ``eventlens add`` of a folder of 200 articles in under 20 s on this 2-CPU machine; the
store write is not measured here (``bench/add_folder.py`` times the whole command), only the news side: a
folder of 200 articles (the dating corpus repeated with a unique line each, so none is a byte duplicate) through
``news.batch.from_path``, ``parse_article``, ``infer_date``, ``classify`` and near-duplicate grouping.

Run: ``.venv/bin/python -m bench.dating_batch [N]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from eventlens.news import parse_article
from eventlens.news.batch import from_path
from eventlens.news.dating import default_calendar, infer_date
from eventlens.news.duplicates import Story, group_near_duplicates

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "dating_corpus" / "articles"


def main(n: int = 200) -> int:
    sources = sorted(CORPUS.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(n):
            src = sources[i % len(sources)]
            (folder / f"{i:04d}_{src.name}").write_bytes(src.read_bytes() + f"\nCopy {i}.\n".encode())
        timings: dict[str, float] = {}
        started = time.perf_counter()
        items = from_path(folder)
        timings["read folder"] = time.perf_counter() - started
        t = time.perf_counter()
        cal = default_calendar()
        timings["load calendar"] = time.perf_counter() - t
        t = time.perf_counter()
        articles = [parse_article(item.payload, item.name) for item in items]
        timings["decode + clean"] = time.perf_counter() - t
        t = time.perf_counter()
        results = [infer_date(a.text, cal) for a in articles]
        timings["date (incl. loading dateparser)"] = time.perf_counter() - t
        t = time.perf_counter()
        topics = [a.classify().category for a in articles]
        timings["classify"] = time.perf_counter() - t
        t = time.perf_counter()
        groups = group_near_duplicates([Story(a.article_id, a.text, r.trading_date, topic)
                                        for a, r, topic in zip(articles, results, topics, strict=True)])
        timings["group near-duplicates"] = time.perf_counter() - t
        total = time.perf_counter() - started
    for name, seconds in timings.items():
        print(f"{name:<34} {seconds:7.2f} s")
    print(f"{'total for ' + str(len(items)) + ' articles':<34} {total:7.2f} s (target: < 20 s for 200 with the store)")
    print(f"dated {sum(r.dated for r in results)}, stories after grouping {len(groups)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
