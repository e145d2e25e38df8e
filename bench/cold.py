"""The cold start: what the first visitor of a newly started server waits for, beside the hello-world floor.

* AppTest: the first script run in a new process (one process per run), floor and Overview in turns. The
  Overview's is measured twice: in a bare new process (imports, store, chart all inside the run), and as a
  server started by ``streamlit_app.py`` runs it: once its start-up warm-up (:mod:`ui.warm_up`, run by
  ``st.App``'s lifespan hook) has finished. The target is judged on the second; both are printed;
* Chromium: time from navigation to the chart drawn on the first visit to a newly started server (the
  Overview's started as ``make run`` and Streamlit Cloud start it: ``streamlit run streamlit_app.py``,
  healthy once its warm-up has ended). The start-up is not hidden: the time from launch to healthy, and
  from launch to chart (what a visitor waiting for a woken app sees), are printed beside it.

Each Overview gets a new, empty state folder: a woken cloud app rebuilds its SQLite store from the seeds.
Targets (issue 15): the Overview's first script run <= 4x the floor's, its time to chart <= 1.25x, in the
same run. Run by ``bench/run.py`` (``--cold`` runs only this part).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.run import SERVED, _time_to_chart  # noqa: E402 - needs REPO on sys.path
from tests.e2e.server import CHROMIUM, StreamlitServer, launch_chromium  # noqa: E402

COLD_REPEATS = 4
TARGET_COLD_RUN_RATIO = 4.0
TARGET_COLD_TTC_RATIO = 1.25


def _cold_child(script: str, page: str, started: bool) -> None:
    """In a new process: the first script run of one AppTest (what a cold server's first visitor waits for);
    ``started``: after the server's start-up warm-up has run to its end."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(script, default_timeout=180)
    if page:
        at.switch_page(page)
    if started:
        from ui import warm_up

        warm_up.start().join()
    t0 = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - t0
    if at.exception:
        raise SystemExit(f"{page or script} raised: {at.exception[0].value}")
    print(json.dumps({"seconds": seconds}))


def _first_run(script: Path, page: str, env: dict, started: bool = False) -> float:
    import subprocess

    proc = subprocess.run([sys.executable, __file__, str(script), page, "started" if started else "bare"],
                          env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode:
        raise RuntimeError(f"cold run of {page or script} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])["seconds"]


def cold_times(floor: Path, floor_dir: Path, workdir: Path, env: dict) -> dict:
    """The two cold-start targets, measured in turns (ABBA) so that load on this shared machine hits both alike.

    AppTest: one new process per first run; the Overview's gets a new, empty state folder (a woken cloud app
    rebuilds its SQLite store from the seeds). Chromium: one newly started server per first visit, new store
    too; time from navigation to the chart drawn. Ratios are of the medians.
    """
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[float]] = {"floor": [], "overview": [], "overview_bare": []}
    visits: dict[str, list[float]] = {"floor": [], "overview": []}
    starts: dict[str, list[float]] = {"floor": [], "overview": []}  # launch until healthy (start-up included)

    def fresh_env(tag: str) -> dict:
        return {**env, "EVENTLENS_STATE_DIR": str(Path(tempfile.mkdtemp(prefix=f"cold-{tag}-", dir=workdir)))}

    for i in range(COLD_REPEATS):
        for side in (("floor", "overview") if i % 2 == 0 else ("overview", "floor")):
            if side == "floor":
                runs[side].append(_first_run(floor, "", fresh_env(side)))
            else:
                runs[side].append(_first_run(REPO / "dashboard.py", "pages/overview.py", fresh_env(side), True))
                runs["overview_bare"].append(_first_run(REPO / "dashboard.py", "pages/overview.py",
                                                        fresh_env(side)))
    if os.path.exists(CHROMIUM):
        with sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                for i in range(COLD_REPEATS):
                    for side in (("floor", "overview") if i % 2 == 0 else ("overview", "floor")):
                        launched = time.perf_counter()
                        server = (StreamlitServer(floor, floor_dir, fresh_env(side)) if side == "floor"
                                  else StreamlitServer(SERVED, REPO, fresh_env(side)))
                        starts[side].append(time.perf_counter() - launched)
                        context = browser.new_context(viewport={"width": 1400, "height": 1000})
                        try:
                            visits[side].append(_time_to_chart(context.new_page(), server.url + "/"))
                        finally:
                            context.close()
                            server.stop()
            finally:
                browser.close()
    med = {k: statistics.median(v) for k, v in runs.items()}
    out: dict = {"repeats": COLD_REPEATS, "apptest_first_run_s": runs, "apptest_ratio": med["overview"] / med["floor"],
                 "apptest_bare_ratio": med["overview_bare"] / med["floor"]}
    if visits["floor"]:
        vmed = {k: statistics.median(v) for k, v in visits.items()}
        whole = {k: statistics.median(a + b for a, b in zip(starts[k], visits[k], strict=True)) for k in visits}
        out |= {"chromium_first_visit_s": visits, "chromium_ratio": vmed["overview"] / vmed["floor"],
                "server_start_s": starts, "launch_to_chart_ratio": whole["overview"] / whole["floor"]}
    return out


def render_cold(c: dict) -> tuple[list[str], list[tuple[str, bool]]]:
    ms = lambda v: "/".join(f"{s * 1000:.0f}" for s in v) + " ms"  # noqa: E731
    runs = c["apptest_first_run_s"]
    ok_run = c["apptest_ratio"] <= TARGET_COLD_RUN_RATIO
    lines = ["", f"Cold start ({c['repeats']} turns each, floor and Overview alternating; the Overview on a new store)",
             f"  AppTest first script run in a new process: floor {ms(runs['floor'])}; Overview after the "
             f"start-up warm-up {ms(runs['overview'])}; ratio of medians {c['apptest_ratio']:.2f}x  target <= "
             f"{TARGET_COLD_RUN_RATIO:.0f}x  {'PASS' if ok_run else 'MISS'}",
             f"    (the Overview in a bare process, without start-up: {ms(runs['overview_bare'])}, "
             f"{c['apptest_bare_ratio']:.2f}x the floor)"]
    verdicts = [(f"Overview cold first script run <= {TARGET_COLD_RUN_RATIO:.0f}x floor ({c['apptest_ratio']:.2f}x)",
                 ok_run)]
    if "chromium_ratio" in c:
        visits = c["chromium_first_visit_s"]
        ok_ttc = c["chromium_ratio"] <= TARGET_COLD_TTC_RATIO
        lines.append(f"  Chromium first visit to a newly started server, time to chart: floor {ms(visits['floor'])}; "
                     f"Overview {ms(visits['overview'])}; ratio of medians {c['chromium_ratio']:.2f}x  target <= "
                     f"{TARGET_COLD_TTC_RATIO}x  {'PASS' if ok_ttc else 'MISS'}")
        if "server_start_s" in c:
            starts = c["server_start_s"]
            lines.append(f"    (server start, launch to healthy: floor {ms(starts['floor'])}; Overview "
                         f"{ms(starts['overview'])}, its warm-up included. From launch to chart, what a woken "
                         f"app's waiting visitor sees: {c['launch_to_chart_ratio']:.2f}x the floor)")
        verdicts.append((f"Overview cold time-to-chart <= {TARGET_COLD_TTC_RATIO}x floor ({c['chromium_ratio']:.2f}x)",
                         ok_ttc))
    return lines, verdicts


if __name__ == "__main__":  # the child process of one cold AppTest run: SCRIPT PAGE started|bare
    _cold_child(sys.argv[1], sys.argv[2], sys.argv[3] == "started")
