"""EventLens benchmarks: one run, one table, figures printed (not asserted).

What is measured, side by side with a hello-world Streamlit page holding one
plotly chart (the floor, written to a temporary folder at run time):

* AppTest: cold run (fresh AppTest after clearing ``st.cache_data`` and ``st.cache_resource``) and warm
  rerun (median of ``RERUNS``; run as a server reruns: see :func:`_as_a_server_reruns`) for the floor and
  every page, and the ratio of each page's warm rerun to the floor's;
* Debian's chromium: time from navigation to a drawn chart
  (``.js-plotly-plot .main-svg`` visible, checked on every animation frame), cold (first load after the server
  starts, new browser context) and warm (reloads), for the floor and Overview;
* the event study's throughput and its speedup over a statsmodels loop
  (``bench/event_study.py``);
* peak RSS of the ``streamlit run`` server while a browser visits every
  page, and the time of one PNG export (kaleido), cold and warm;
* a cold start (``--cold`` runs only this part): the first script run of a new process under AppTest
  (one process per run, floor and Overview in turns, each Overview on a new store), and the time to
  chart of the first visit to a newly started server in Chromium (floor and Overview servers in turns);
* a shared link at every bound (``eventlens.limits``: 10 event windows of the widest span, every
  comparison, the longest estimation window with every option, on the cross-event tab) beside the
  default view of the same page: time to the end of the script run in a new
  browser session, and the server's peak RSS (``--links`` runs only this part).
* ``--scale``: every page's warm rerun and the Overview's time to chart with 1,000 generated events in the
  store (``bench/scale.py``), against the same floor.

Targets: every page's warm rerun <= 5x the floor's; Overview warm
time-to-chart <= 1.5x the floor's; cold: the Overview's first script run <= 4x the floor's (AppTest)
and its first visit's time to chart <= 1.25x the floor's (Chromium), in the same run
(``bench/cold.py``); peak RSS < 400 MB; a link at the bounds at most 3 s slower and < 100 MB more
peak RSS than the default view.

The app runs on a temporary copy of ``data/`` so nothing here writes to the
repository. Results also go to ``bench/results/latest.json`` (git-ignored).
Run: ``make bench`` or ``.venv/bin/python bench/run.py``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.e2e.server import CHROMIUM, StreamlitServer, launch_chromium  # noqa: E402 - needs REPO on sys.path

RERUNS = 30
BROWSER_REPEATS = 8
PAGES = {
    "Overview": ("pages/overview.py", "/"),
    "Timeline": ("pages/timeline.py", "/timeline"),
    "Event study": ("pages/event_study.py", "/event_study"),
    "Articles": ("pages/articles.py", "/articles"),
    "Data": ("pages/data.py", "/data"),
}
TARGET_RERUN_RATIO = 5.0
TARGET_TTC_RATIO = 1.5
TARGET_RSS_MB = 400.0
TARGET_LINK_EXTRA_S = 3.0
TARGET_LINK_EXTRA_MB = 100.0

SERVED = REPO / "streamlit_app.py"  # the entry make run and Streamlit Cloud start (st.App and its warm-up)

FLOOR_SCRIPT = '''\
import plotly.graph_objects as go
import streamlit as st

st.title("Hello, world")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3, 4], y=[1, 3, 2, 4], mode="lines+markers")), key="chart")
'''


# --- AppTest ---------------------------------------------------------------------------------------------------


_SCRIPTS = None  # the one ScriptCache of this process's AppTests, as a server's Runtime keeps one


def _as_a_server_reruns() -> None:
    """Make AppTest's warm reruns do what a running server's do, and no more.

    Two things AppTest redoes on every ``run()`` that a server does once per process:

    * it builds a new ``ScriptCache``, so the router and the page are compiled again each run (0.5-5 ms for
      these pages, ~0.05 ms for the one-line floor); a server compiles a script once;
    * it resets ``PagesManager.uses_pages_directory`` to None, so an app with a ``pages/`` folder takes
      Streamlit's legacy multipage path on every run (six more ``st.Page`` objects, a second navigation, the
      page file run directly, then ``ui.frame.ensure_router`` running the router again). On a server the
      first ``st.navigation`` call sets that flag to False for the life of the process.

    Here the compiled scripts are kept in one cache, and AppTest's reset lands on a subclass, leaving the
    flag as ``st.navigation`` last set it. Cold runs start from a fresh process's state: the cache emptied,
    the flag None (:func:`_fresh_apptest`). The compile's cost is printed beside the table
    (:func:`compile_costs`); the floor, having no ``pages/`` folder, never took the legacy path.
    """
    global _SCRIPTS
    if _SCRIPTS is not None:
        return
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    class _ResetHere(PagesManager):
        pass

    _SCRIPTS = ScriptCache()
    app_test.ScriptCache = lambda: _SCRIPTS  # type: ignore[misc,assignment]
    local_script_runner.ScriptCache = lambda: _SCRIPTS  # type: ignore[misc,assignment]
    app_test.PagesManager = _ResetHere  # type: ignore[misc]


def compile_costs(scripts: dict[str, list[Path]]) -> dict[str, float]:
    """Seconds to compile each page's scripts (the router and the page) once: what AppTest adds per run."""
    out = {}
    for name, paths in scripts.items():
        t0 = time.perf_counter()
        for path in paths:
            compile(path.read_text(), str(path), "exec", dont_inherit=True)
        out[name] = time.perf_counter() - t0
    return out


def _fresh_apptest(script: str, page: str | None):
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    _as_a_server_reruns()
    st.cache_data.clear()
    st.cache_resource.clear()
    _SCRIPTS.clear()
    PagesManager.uses_pages_directory = None  # as in a new server process
    at = AppTest.from_file(script, default_timeout=180)
    if page:
        at.switch_page(page)
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"{page or script} raised: {at.exception[0].value}")
    return at, cold


def _rerun(at) -> float:
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def apptest_times(script: str, page: str | None, floor: str | None = None) -> dict:
    """Cold first run and the median of warm reruns of one page in a fresh AppTest.

    With ``floor``, each warm rerun of the page alternates with a rerun of the floor, and the
    page's ratio is taken to that interleaved floor: both then run under the same machine load
    (this machine is shared, and load drifts over the seconds a page takes).
    """
    at, cold = _fresh_apptest(script, page)
    drawn = [t.value for t in at.title]
    floor_at = _fresh_apptest(floor, None)[0] if floor else None
    warm, floor_warm = [], []
    for _ in range(RERUNS):
        warm.append(_rerun(at))
        if floor_at is not None:
            floor_warm.append(_rerun(floor_at))
    if [t.value for t in at.title] != drawn or at.exception:  # the reruns timed the page the cold run drew
        raise RuntimeError(f"{page or script}: the warm reruns did not draw the same page")
    out = {"cold_s": cold, "warm_median_s": statistics.median(warm), "warm_min_s": min(warm), "reruns": RERUNS}
    if floor_warm:
        out["floor_warm_median_s"] = statistics.median(floor_warm)
    return out


# --- a real server and a real browser ----------------------------------------------------------------------------


class RssSampler(threading.Thread):
    """Samples the server's RSS (and its children's) every 50 ms; keeps the peaks."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process(pid)
        self.peak_server = 0
        self.peak_tree = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stop_event.is_set():
            try:
                own = self.proc.memory_info().rss
                kids = sum(c.memory_info().rss for c in self.proc.children(recursive=True))
            except psutil.Error:
                break
            self.peak_server = max(self.peak_server, own)
            self.peak_tree = max(self.peak_tree, own + kids)
            time.sleep(0.05)


# Checked on every animation frame: Playwright's wait_for_selector re-checks only every 500 ms after
# the first 770 ms, which rounds a ~1.1 s floor and a ~1.6 s page to the same few steps.
_CHART_DRAWN = """() => {
  const svg = document.querySelector('.js-plotly-plot .main-svg');
  if (!svg) return false;
  const box = svg.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(svg).visibility !== 'hidden';
}"""


def _time_to_chart(page, url: str, reload: bool = False) -> float:
    t0 = time.perf_counter()
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_function(_CHART_DRAWN, polling="raf", timeout=120_000)
    return time.perf_counter() - t0


def browser_times(servers: dict[str, tuple[StreamlitServer, str]]) -> dict[str, dict]:
    """Time-to-chart for each (server, path), with their warm reloads interleaved.

    Cold: the first load after the server started, in a new context. Warm: median of reloads, taken
    in turns (floor, page, floor, page...) so that load drifting on a shared machine hits both alike.
    New session: median of fresh contexts once the server is warm.
    """
    from playwright.sync_api import sync_playwright

    out: dict[str, dict] = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            pages = {}
            for name, (server, path) in servers.items():
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                out[name] = {"cold_s": _time_to_chart(page, server.url + path), "warm_all_s": []}
                pages[name] = page
            for _ in range(BROWSER_REPEATS):
                for name, page in pages.items():
                    page.wait_for_timeout(300)
                    out[name]["warm_all_s"].append(_time_to_chart(page, "", reload=True))
            for name, (server, path) in servers.items():
                fresh = []
                for _ in range(3):
                    other = browser.new_context(viewport={"width": 1400, "height": 1000})
                    fresh.append(_time_to_chart(other.new_page(), server.url + path))
                    other.close()
                out[name] |= {"warm_median_s": statistics.median(out[name]["warm_all_s"]),
                              "new_session_median_s": statistics.median(fresh)}
        finally:
            browser.close()
    return out


def visit_every_page(server: StreamlitServer) -> dict:
    """Peak RSS of the server while one browser session visits every page (and reruns on each)."""
    from playwright.sync_api import sync_playwright

    sampler = RssSampler(server.proc.pid)
    sampler.start()
    visited = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            for name, (_, path) in PAGES.items():
                page.goto(server.url + path)
                page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=120_000)
                page.wait_for_timeout(300)
                page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=120_000)
                visited.append(name)
        finally:
            browser.close()
    time.sleep(0.3)
    sampler.stop_event.set()
    sampler.join(2)
    mb = 1024 * 1024
    return {"pages": visited, "peak_rss_server_mb": sampler.peak_server / mb,
            "peak_rss_server_and_children_mb": sampler.peak_tree / mb}


# --- a link at the bounds ------------------------------------------------------------------------------------------


LINK_REPEATS = 3


def _worst_links(variant: int) -> dict[str, tuple[str, str]]:
    """Per page: (the default view, the same page with every link parameter at its bound).

    ``variant`` moves the windows' end by a day so that each visit computes its study afresh (a cached
    study would hide the cost a new link puts on the server).
    """
    from eventlens import limits

    end = limits.MAX_WINDOW_DAY - variant
    windows = ";".join(f"{k},{end}" for k in range(limits.MAX_WINDOWS))  # 10 windows, to day +250
    return {
        "Event study": ("/event_study", f"/event_study?windows={windows}&peers=NIO,XPEV,LI&model=market"
                        f"&est_start=-{limits.MAX_ESTIMATION_START}&est_end=-1&pe=1&excl=1&cal=1&tab=caar"),
        "Overview": ("/", f"/?peers=SPY,QQQ,NIO,XPEV,LI&start=2020-01-{2 + variant:02d}&end=2024-12-31"),
    }


def _script_done(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", state="attached",
                           timeout=180_000)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=180_000)
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=180_000)


def _visit(browser, url: str) -> float:
    """Seconds from navigation to the end of the script run, in a new browser session; refuses a clipped link."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        _script_done(page)
        seconds = time.perf_counter() - t0
        ignored = [n for n in page.locator("[data-testid='stAlertContentInfo']").all_inner_texts()
                   if n.startswith("Ignored")]
    finally:
        context.close()
    if ignored:
        raise RuntimeError(f"the link is not within the bounds: {ignored}")
    return seconds - 0.3  # _script_done's pause


def bounded_links(env: dict) -> dict[str, dict]:
    """Per page, one fresh server: the default view, then new sessions on it and on links at the bounds in turns.

    Time: median over the turns (this machine is shared; turns put load drift on both alike). Memory: the
    server's peak RSS while only the default view had been asked for, and at the end, after every link.
    """
    from playwright.sync_api import sync_playwright

    out: dict[str, dict] = {}
    for name in _worst_links(0):
        server = StreamlitServer(SERVED, REPO, env)
        sampler = RssSampler(server.proc.pid)
        sampler.start()
        try:
            with sync_playwright() as p:
                browser = launch_chromium(p)
                try:
                    default_path = _worst_links(0)[name][0]
                    first = _visit(browser, server.url + default_path)
                    default_s, bounds_s = [], []
                    for variant in range(LINK_REPEATS):
                        default_s.append(_visit(browser, server.url + default_path))
                        rss_default = sampler.peak_server
                        bounds_s.append(_visit(browser, server.url + _worst_links(variant)[name][1]))
                        if variant == 0:
                            rss_default_only = rss_default
                finally:
                    browser.close()
        finally:
            sampler.stop_event.set()
            sampler.join(2)
            server.stop()
        mb = 1024 * 1024
        out[name] = {"link": _worst_links(0)[name][1], "first_visit_s": first,
                     "default": {"seconds": statistics.median(default_s), "peak_rss_mb": rss_default_only / mb},
                     "bounds": {"seconds": statistics.median(bounds_s), "peak_rss_mb": sampler.peak_server / mb}}
    return out


def render_links(links: dict[str, dict]) -> tuple[list[str], list[tuple[str, bool]]]:
    lines = ["", f"A shared link at every bound beside the default view (one fresh server per page; time from "
                 f"navigation to the end of the script run in a new session, median of {LINK_REPEATS} turns, each "
                 "link new to the server; server peak RSS after the default view, and after the links)",
             f"  {'page':14} {'default':>17} {'link at bounds':>19} {'extra':>17}  target <= "
             f"+{TARGET_LINK_EXTRA_S:.0f} s and < +{TARGET_LINK_EXTRA_MB:.0f} MB"]
    verdicts = []
    for name, r in links.items():
        d, b = r["default"], r["bounds"]
        extra_s, extra_mb = b["seconds"] - d["seconds"], b["peak_rss_mb"] - d["peak_rss_mb"]
        ok = extra_s <= TARGET_LINK_EXTRA_S and extra_mb < TARGET_LINK_EXTRA_MB
        lines.append(f"  {name:14} {d['seconds']:6.2f} s {d['peak_rss_mb']:5.0f} MB   {b['seconds']:6.2f} s "
                     f"{b['peak_rss_mb']:5.0f} MB   {extra_s:+6.2f} s {extra_mb:+5.0f} MB  {'PASS' if ok else 'MISS'}")
        lines.append(f"  {'':14} link: {r['link']}")
        verdicts.append((f"{name} link at the bounds: {extra_s:+.2f} s, {extra_mb:+.0f} MB beside the default view",
                         ok))
    return lines, verdicts


# --- PNG export ----------------------------------------------------------------------------------------------------


def png_export_times() -> dict:
    from eventlens import export, prices
    from eventlens.figures.price import price_figure

    result = prices.get_prices("TSLA")
    fig = price_figure(result.frame, "TSLA", result.source)
    t0 = time.perf_counter()
    first = export.figure_image(fig, "png")
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        export.figure_image(fig, "png")
        warm.append(time.perf_counter() - t0)
    return {"cold_s": cold, "warm_median_s": statistics.median(warm), "bytes": len(first)}


def store_key_times(n: int = 2000) -> dict:
    """What every page run pays to learn whether the store changed: one indexed read of the revision.

    Beside it, the ``os.stat`` of a file that the CSV store used to pay, for scale.
    """
    from eventlens import events

    store = events.default_store()
    store.revision()
    t0 = time.perf_counter()
    for _ in range(n):
        store.revision()
    revision = (time.perf_counter() - t0) / n
    path = Path(os.environ["EVENTLENS_STATE_DIR"]) / "eventlens.sqlite"
    t0 = time.perf_counter()
    for _ in range(n):
        path.stat()
    stat = (time.perf_counter() - t0) / n
    return {"revision_s": revision, "stat_s": stat, "backend": store.engine.dialect.name}


def render_apptest(r: dict) -> str:
    lines = [f"{'page':32} {'cold run':>11} {'warm rerun':>11} {'floor then':>11} {'warm/floor':>11}"]
    for name, t in r["apptest"].items():
        floor = t.get("floor_warm_median_s") or t["warm_median_s"]
        lines.append(f"  {name:32} {t['cold_s'] * 1000:8.0f} ms {t['warm_median_s'] * 1000:8.1f} ms "
                     f"{floor * 1000:8.1f} ms {t['warm_median_s'] / floor:10.2f}x")
    if r.get("apptest_compile_s"):
        lines.append("Warm reruns reuse the compiled scripts and the router, as a server does; AppTest alone would "
                     "also compile these again on every run: " + ", ".join(f"{n.split(' (')[0]} +{s * 1000:.1f} ms"
                                                for n, s in r["apptest_compile_s"].items()))
    k = r["store_key"]
    if k is None:
        return "\n".join(lines)
    lines.append(f"store key per run ({k['backend']}): revision read {k['revision_s'] * 1e6:.0f} µs "
                 f"(a file stat: {k['stat_s'] * 1e6:.1f} µs)")
    return "\n".join(lines)


# --- the run ---------------------------------------------------------------------------------------------------------


def main() -> int:
    if "--links" in sys.argv:
        return links_only()
    if "--scale" in sys.argv:  # the same figures with 1,000 events in a generated store (bench/scale.py)
        from bench import scale

        return scale.main([a for a in sys.argv[1:] if a != "--scale"])
    workdir = Path(tempfile.mkdtemp(prefix="eventlens-bench-"))
    data = workdir / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("cache", ".*.lock", "*.tmp"))
    floor_dir = workdir / "floor"
    floor_dir.mkdir()
    floor = floor_dir / "hello.py"
    floor.write_text(FLOOR_SCRIPT)
    os.environ["EVENTLENS_DATA_DIR"] = str(data)
    os.environ["EVENTLENS_STATE_DIR"] = str(workdir / "state")  # a new store, never the developer's own
    os.environ.pop("EVENTLENS_DB_URL", None)
    os.environ.setdefault("BROWSER_PATH", CHROMIUM)
    env = {**os.environ}
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "load_avg_at_start": os.getloadavg()}}
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731 - progress, not results

    try:
        if "--apptest" not in sys.argv:
            say("cold start: first script runs (AppTest) and first visits (chromium), floor and Overview in turns…")
            from bench.cold import cold_times, render_cold

            results["cold"] = cold_times(floor, floor_dir, workdir, env)
        if "--cold" in sys.argv:
            lines, verdicts = render_cold(results["cold"])
            print("\n".join([f"load average at start {results['machine']['load_avg_at_start'][0]:.1f}", *lines, "",
                             "Targets:", *(f"  {'PASS' if ok else 'MISS'}  {t}" for t, ok in verdicts)]))
            return 0
        say("AppTest: floor and pages…")
        apptest = {"Floor (hello + 1 plotly chart)": apptest_times(str(floor), None)}
        for name, (page, _) in PAGES.items():
            apptest[name] = apptest_times(str(REPO / "dashboard.py"), page, floor=str(floor))
        results["apptest"] = apptest
        results["apptest_compile_s"] = compile_costs(
            {"Floor (hello + 1 plotly chart)": [floor]}
            | {name: [REPO / "dashboard.py", REPO / page] for name, (page, _) in PAGES.items()})
        try:
            results["store_key"] = store_key_times()
        except AttributeError:  # a version of the app from before the SQL store
            results["store_key"] = None
        if "--apptest" in sys.argv:
            print(render_apptest(results))
            return 0

        have_browser = os.path.exists(CHROMIUM)
        if have_browser:
            say("chromium: floor and Overview time-to-chart, then every page for peak RSS…")
            floor_server = StreamlitServer(floor, floor_dir, env)
            server = StreamlitServer(SERVED, REPO, env)
            try:
                timed = browser_times({"floor": (floor_server, "/"), "overview": (server, "/")})
                results["browser_floor"], results["browser_overview"] = timed["floor"], timed["overview"]
                floor_server.stop()
                results["memory"] = visit_every_page(server)
            finally:
                floor_server.stop()
                server.stop()
            say("chromium: a link at the bounds beside the default view…")
            results["links"] = bounded_links(env)
        say("event study…")
        from bench import event_study as es_bench

        results["event_study"] = es_bench.run()
        say("PNG export…")
        results["png_export"] = png_export_times()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(render(results))
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2, default=float))
    return 0


def render(r: dict) -> str:
    ms = lambda s: f"{s * 1000:8.0f} ms"  # noqa: E731
    floor_key = next(iter(r["apptest"]))
    floor_warm = r["apptest"][floor_key]["warm_median_s"]
    lines = [f"EventLens benchmarks ({r['machine']['cpus']} CPUs, load average at start "
             f"{r['machine']['load_avg_at_start'][0]:.1f}; Python {r['machine']['python']})", ""]
    lines.append(f"AppTest (warm = median of {RERUNS} reruns; each page's reruns alternate with the floor's, "
                 "and its ratio is to that interleaved floor)")
    lines.append(f"  {'page':32} {'cold run':>11} {'warm rerun':>11} {'floor then':>11} {'warm/floor':>11}  "
                 f"target <= {TARGET_RERUN_RATIO:.0f}x")
    verdicts = []
    for name, t in r["apptest"].items():
        floor_then = t.get("floor_warm_median_s", floor_warm)
        ratio = t["warm_median_s"] / floor_then
        t["ratio_to_floor"] = ratio
        ok = name == floor_key or ratio <= TARGET_RERUN_RATIO
        mark = "" if name == floor_key else ("PASS" if ok else "MISS")
        if name != floor_key:
            verdicts.append((f"{name} warm rerun <= {TARGET_RERUN_RATIO:.0f}x floor ({ratio:.1f}x)", ok))
        lines.append(f"  {name:32} {ms(t['cold_s'])} {ms(t['warm_median_s'])} {ms(floor_then)} {ratio:10.1f}x  "
                     f"{mark}")
    if r.get("store_key"):
        k = r["store_key"]
        lines.append(f"  store key per run ({k['backend']}): the revision read costs {k['revision_s'] * 1e6:.0f} µs "
                     f"(the CSV store's file stat cost {k['stat_s'] * 1e6:.1f} µs)")
    if "browser_floor" in r:
        bf, bo = r["browser_floor"], r["browser_overview"]
        ratio = bo["warm_median_s"] / bf["warm_median_s"]
        lines += ["", f"chromium, navigation -> chart drawn (warm = median of {BROWSER_REPEATS} reloads, "
                      "floor and page in turns; new session = median of 3 fresh contexts)",
                  f"  {'page':32} {'cold':>11} {'warm':>11} {'new session':>12} {'warm/floor':>11}  target <= "
                  f"{TARGET_TTC_RATIO}x",
                  f"  {'Floor':32} {ms(bf['cold_s'])} {ms(bf['warm_median_s'])} {ms(bf['new_session_median_s'])}",
                  f"  {'Overview':32} {ms(bo['cold_s'])} {ms(bo['warm_median_s'])} "
                  f"{ms(bo['new_session_median_s'])} {ratio:10.2f}x  {'PASS' if ratio <= TARGET_TTC_RATIO else 'MISS'}"]
        verdicts.append((f"Overview warm time-to-chart <= {TARGET_TTC_RATIO}x floor ({ratio:.2f}x)",
                         ratio <= TARGET_TTC_RATIO))
        m = r["memory"]
        lines += ["", f"Peak RSS of the streamlit server while visiting {', '.join(m['pages'])}:",
                  f"  server process: {m['peak_rss_server_mb']:.0f} MB; with its child processes: "
                  f"{m['peak_rss_server_and_children_mb']:.0f} MB   target < {TARGET_RSS_MB:.0f} MB (server) "
                  f"{'PASS' if m['peak_rss_server_mb'] < TARGET_RSS_MB else 'MISS'}"]
        verdicts.append((f"peak RSS < {TARGET_RSS_MB:.0f} MB ({m['peak_rss_server_mb']:.0f} MB)",
                         m["peak_rss_server_mb"] < TARGET_RSS_MB))
    else:
        lines += ["", f"chromium not found at {CHROMIUM}: browser timings and RSS skipped"]
    if "cold" in r:
        from bench.cold import render_cold

        more, cold_verdicts = render_cold(r["cold"])
        lines += more
        verdicts += cold_verdicts
    if "links" in r:
        more, link_verdicts = render_links(r["links"])
        lines += more
        verdicts += link_verdicts
    e = r["event_study"]
    per_s = e["events"] / e["engine_seconds_median"]
    lines += ["", f"Event study ({e['events']} events x {e['windows']} windows, estimation "
                  f"{e['estimation_window']}, real TSLA/SPY)",
              f"  vectorised engine {e['engine_seconds_median']:.3f} s = {per_s:,.0f}"
              f" events/s; statsmodels loop {e['statsmodels_loop_seconds_scaled']:.2f} s (scaled from "
              f"{e['statsmodels_loop_events_timed']}); speedup {e['ratio']:.0f}x   "
              f"{'PASS' if e['engine_passed'] else 'MISS'} (< {e['target_seconds']} s, >= {e['target_ratio']:.0f}x)"]
    verdicts.append((f"event study < {e['target_seconds']} s and >= {e['target_ratio']:.0f}x", e["engine_passed"]))
    for label, c in (("drawn with replacement", e), ("all dates distinct", e["unique_case"])):
        lines += [f"  whole study with every table and test, {c['whole_events']} events {label} ({c['unique_dates']} "
                  f"distinct dates): CPU {c['whole_cpu_median'] * 1000:.0f} ms vs bare numpy market-model sums "
                  f"{c['bare_cpu_median'] * 1000:.1f} ms = {c['whole_ratio_cpu']:.1f}x "
                  f"(wall {c['whole_ratio']:.1f}x)   {'PASS' if c['whole_passed'] else 'MISS'} "
                  f"(<= {c['target_whole_ratio']:.0f}x by CPU time)"]
        verdicts.append((f"whole event study, {label}, <= {c['target_whole_ratio']:.0f}x bare numpy by CPU time "
                         f"({c['whole_ratio_cpu']:.1f}x)", c["whole_passed"]))
    p = r["png_export"]
    lines += ["", f"PNG export (TSLA 5-year candles, 2400x1400 px): first {p['cold_s']:.2f} s (starts kaleido's "
                  f"chromium), then {p['warm_median_s']:.2f} s; {p['bytes'] / 1024:.0f} KiB"]
    lines += ["", "Targets:"] + [f"  {'PASS' if ok else 'MISS'}  {text}" for text, ok in verdicts]
    return "\n".join(lines)


def links_only() -> int:
    """``bench/run.py --links``: only the bounded-link comparison."""
    workdir = Path(tempfile.mkdtemp(prefix="eventlens-bench-"))
    try:
        shutil.copytree(REPO / "data", workdir / "data", ignore=shutil.ignore_patterns("cache", ".*.lock", "*.tmp"))
        env = {**os.environ, "EVENTLENS_DATA_DIR": str(workdir / "data"), "BROWSER_PATH": CHROMIUM}
        lines, verdicts = render_links(bounded_links(env))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\n".join([*lines, "", "Targets:", *(f"  {'PASS' if ok else 'MISS'}  {t}" for t, ok in verdicts)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
