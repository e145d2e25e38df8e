"""AppTest: the Event study page renders, reacts to its controls and refuses bad input clearly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eventlens.paths import REPO_ROOT
from tests.rendered import as_read

PAGE = "pages/event_study.py"


@pytest.fixture
def page(app):
    app.switch_page(PAGE)
    app.default_timeout = 120
    return app


def numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """A grid as shown (numbers as text, "—" where there is none) with its number columns as numbers again."""
    out = frame.copy()
    for column in out.columns:
        shown = out[column].astype(str)
        values = pd.to_numeric(shown.replace("—", np.nan), errors="coerce")
        if values.notna().sum() == (shown != "—").sum():
            out[column] = values
    return out


def table(at, column: str = "Verdict (t-test)") -> pd.DataFrame:
    """The one grid on the page with ``column`` (by default the CAR details, opened if folded), numbers as numbers."""
    if column == "Verdict (t-test)" and not any(column in d.value.columns for d in at.dataframe):
        at.session_state["es_details"] = True  # the user opens the fold with every statistic
        at.run()
        assert not at.exception
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return numeric(frame)


def summary(at) -> pd.DataFrame:
    """The CAR table (one row per event, the windows as columns), each cell as the reader sees it."""
    (frame,) = [t.value for t in at.table if "Event" in t.value.columns]
    return frame.map(as_read)


def on(frame: pd.DataFrame, day: str) -> pd.Series:
    """Rows of the event whose trading day is ``day`` (the Event column reads "YYYY-MM-DD · headline")."""
    return frame["Event"].str.startswith(day)


def design(at):
    """Open the "Study design" menu: its widgets are drawn only while it is open (a lazy popover)."""
    at.session_state["es_design"] = True
    at = at.run()
    assert not at.exception
    return at


def open_tab(at, label: str):
    """Click a results tab: the tabs are lazy, so the page reruns and draws only that tab."""
    at.session_state["es_tab"] = label
    at = at.run()
    assert not at.exception
    return at


def test_renders_with_method_reading_and_table(page):
    at = page.run()
    assert not at.exception and not at.error
    infos = " ".join(i.value for i in at.info)
    assert "Method." in infos and "[-250,-11]" in as_read(infos)
    readings = as_read(" ".join(m.value for m in at.markdown))
    # TSLA's real day-0 return on 2024-04-29 from the snapshot, computed here.
    tsla = pd.read_csv(REPO_ROOT / "data/prices/TSLA.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    r0 = tsla.loc["2024-04-29"] / tsla.loc["2024-04-26"] - 1
    assert f"TSLA rose {r0 * 100:.1f}% on 2024-04-29" in readings and "than SPY explains; p < 0.001" in readings
    # The CAR table: one row per event in trading-date order, the windows as columns, each cell CAR, p, verdict.
    cars = summary(at)
    assert list(cars.columns) == ["Event", "CAR [-1,+1]", "CAR [0,0]", "CAR [0,+1]", "CAR [-5,+5]", "CAR [0,+10]"]
    assert list(cars["Event"].str[:10]) == ["2021-03-22", "2021-05-06", "2021-05-25", "2024-04-29", "2024-05-17"]
    musk = cars[on(cars, "2024-04-29")].iloc[0]
    assert musk["CAR [0,0]"].endswith("p < 0.001 (significant at 1%)") and musk["CAR [0,0]"].startswith("+")
    shown = table(at)
    assert {"CAR (%)", "t", "p (t-test)", "Verdict (t-test)", "p (SQ test)", "Verdict (SQ test)",
            "Volume vs normal (%)", "Company news in window", "Notes"} <= set(shown.columns)
    assert set(shown["Window (days)"]) == {"[-1,+1]", "[0,0]", "[0,+1]", "[-5,+5]", "[0,+10]"}
    # The summary's cell is the details' CAR, in % with two decimals.
    car0 = shown[on(shown, "2024-04-29") & (shown["Window (days)"] == "[0,0]")]["CAR (%)"].iloc[0]
    assert musk["CAR [0,0]"].startswith(f"{car0:+.2f}% · ")
    # The Q1 2024 earnings (after the close on 2024-04-23, priced 2024-04-24) sit inside 2024-04-29's [-5,+5].
    flagged = shown[shown["Company news in window"] != "—"]
    assert set(zip(flagged["Event"].str[:10], flagged["Window (days)"], strict=True)) >= {("2024-04-29", "[-5,+5]")}
    assert "[-5,+5] includes the 2024-04-23 earnings release, after the close: day 2024-04-24" in readings
    assert "(SQ p = 0.008, beyond all 240 estimation-window sums)" in readings  # day 0 of 2024-04-29
    # Only the open tab is drawn: the CARs tab by default, one detail chart at a time in the detail tab.
    assert [c.key for c in at.get("plotly_chart")] == ["es_car_paths"]
    assert not at.get("button_group")
    at = open_tab(at, "One event in detail")
    assert [c.key for c in at.get("plotly_chart")] == ["es_bars"]
    at.button_group(key="es_detail").set_value("fit").run()
    assert not at.exception
    assert [c.key for c in at.get("plotly_chart")] == ["es_fit"]
    captions = " ".join(c.value for c in at.caption)
    assert "offline snapshot" in captions


def test_model_and_benchmark_change_the_table(page):
    at = page.run()
    base = table(at).set_index(["Event", "Window (days)"])["CAR (%)"]
    design(at).radio(key="es_model").set_value("constant_mean").run()
    assert not at.exception and not at.error
    constant = table(at)
    assert constant["β"].isna().all()
    assert not constant.set_index(["Event", "Window (days)"])["CAR (%)"].equals(base)
    design(at).radio(key="es_model").set_value("market").run()
    design(at).selectbox(key="es_benchmark").set_value("QQQ").run()
    assert not at.exception and not at.error
    qqq = table(at).set_index(["Event", "Window (days)"])["CAR (%)"]
    assert not qqq.equals(base)
    assert "TSLA vs QQQ" in " ".join(str(c.proto.spec) for c in at.get("plotly_chart"))


def test_bad_windows_give_a_clear_error(page):
    at = page.run()
    design(at).text_input(key="es_windows").set_value("-1;1").run()
    assert not at.exception
    assert any("Could not read the window '-1'" in as_read(e.value) for e in at.error)
    design(at).text_input(key="es_windows").set_value("-20,0").run()
    assert any("overlaps the estimation window" in as_read(e.value) for e in at.error)


def test_peers_table(page):
    at = page.run()
    main = table(at)  # the CAR table of the default tab
    at = open_tab(at, "China EV peers")
    assert any("Choose China EV makers under 'Compare with' in the 'Study design' menu" in i.value for i in at.info)
    design(at).multiselect(key="es_peers").set_value(["NIO", "XPEV"]).run()
    assert not at.exception and not at.error
    peers = table(at, "TSLA: CAR, p")
    assert {"TSLA: CAR, p", "NIO: CAR, p", "XPEV: CAR, p"} <= set(peers.columns)
    # XPEV listed on 2020-08-27, so its 2021-03-22 fit has only the returns since then: check the cell by
    # an independent least-squares fit (numpy polyfit) on the snapshot.
    xpev = pd.read_csv(REPO_ROOT / "data/prices/XPEV.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    spy = pd.read_csv(REPO_ROOT / "data/prices/SPY.csv", index_col="Date", parse_dates=["Date"])["Adj Close"]
    r, m = xpev.pct_change(), spy.reindex(xpev.index).pct_change()
    i0 = xpev.index.get_loc(pd.Timestamp("2021-03-22"))
    est = slice(1, i0 - 10)  # days -250..-11 that exist: from the first return on
    assert i0 - 11 < 240
    beta, alpha = np.polyfit(m.iloc[est], r.iloc[est], 1)
    win = slice(i0 - 1, i0 + 2)
    car = float((r.iloc[win] - alpha - beta * m.iloc[win]).sum())
    early = peers[on(peers, "2021-03-22") & (peers["Window (days)"] == "[-1,+1]")]
    assert early["XPEV: CAR, p"].iloc[0].startswith(f"{car * 100:+.2f}% · p ")
    tsla = main[on(main, "2021-03-22") & (main["Window (days)"] == "[-1,+1]")]["CAR (%)"].iloc[0]
    assert early["TSLA: CAR, p"].iloc[0].startswith(f"{tsla:+.2f}%")


def test_store_unavailable_falls_back_to_dates(page, monkeypatch):
    from ui.loaders import events as event_data

    def broken():
        raise OSError("events.csv is unreadable")

    monkeypatch.setattr(event_data, "event_index", broken)
    at = page.run()
    assert not at.exception
    assert any("events store is not available" in as_read(w.value) for w in at.warning)
    assert list(summary(at)["Event"]) == ["2024-04-29"]
    at.text_input(key="es_dates").set_value("2024-04-27").run()  # a Saturday
    assert any("is not a trading session; studied 2024-04-29" in as_read(i.value) for i in at.info)


def test_caar_tab_has_every_test_and_pools_peers(page):
    at = open_tab(page.run(), "Across events (CAAR)")
    caar = table(at, "CAAR (%)")
    for column in ("Cross-sectional t", "Patell Z", "BMP t", "Kolari-Pynnönen t", "Corrado rank t",
                   "Generalized sign Z", "Wilcoxon W+", "p (Patell)", "p (Kolari-Pynnönen)", "p (Corrado rank)",
                   "p (generalized sign)", "p (Wilcoxon)", "Verdict (cross-sectional t)"):
        assert column in caar.columns
    assumptions = table(at, "Relaxes")
    assert len(assumptions) == 7 and "normality" in " ".join(assumptions["Relaxes"])
    at.session_state["es_peers"] = ["NIO"]
    at = at.run()
    assert not at.exception
    frames = [numeric(d.value) for d in at.dataframe if "CAAR (%)" in d.value.columns]
    assert len(frames) == 2 and "TSLA and NIO pooled" in " ".join(m.value for m in at.markdown)
    pooled = frames[1]
    both = pooled[(pooled["Topic"] == "all events") & (pooled["Window (days)"] == "[0,0]")].iloc[0]
    mine = caar[(caar["Topic"] == "all events") & (caar["Window (days)"] == "[0,0]")].iloc[0]
    assert both["Events"] == 2 * mine["Events"]  # TSLA and NIO on the same news days


def test_leaving_earnings_days_out_of_the_fit(page):
    at = design(page.run())
    base = table(at).set_index(["Event", "Window (days)"])["Estimation days"]
    at.checkbox(key="es_cal").check().run()
    assert not at.exception
    fewer = table(at).set_index(["Event", "Window (days)"])["Estimation days"]
    assert (fewer <= base).all() and (fewer < base).any()
    infos = " ".join(i.value for i in at.info)
    assert "scheduled earnings and deliveries days left out of the fit" in infos


def test_caar_tab_averages_the_event_cars(page):
    at = page.run()
    cars = table(at)
    at = open_tab(at, "Across events (CAAR)")
    caar = table(at, "CAAR (%)")
    row = caar[(caar["Topic"] == "all events") & (caar["Window (days)"] == "[-1,+1]")].iloc[0]
    shown = cars.loc[cars["Window (days)"] == "[-1,+1]", "CAR (%)"].dropna()
    assert row["Events"] == len(shown) >= 2
    # CAAR = mean CAR; the CAR table is rounded to 0.01 points, so allow that much.
    assert abs(row["CAAR (%)"] - shown.mean()) < 0.01
    assert not [c for c in at.get("plotly_chart")]  # the CAR chart belongs to the other tab


def test_an_event_too_early_to_estimate_says_why_in_its_reading(page, monkeypatch):
    from ui.loaders import events as event_data

    def broken():
        raise OSError("events.csv is unreadable")

    monkeypatch.setattr(event_data, "event_index", broken)  # study typed dates instead of the store
    at = page.run()
    at.text_input(key="es_dates").set_value("2020-03-16, 2024-04-29").run()
    assert not at.exception
    readings = as_read(" ".join(m.value for m in at.markdown))
    # 2020-03-16 is the 51st session of the snapshot: only 39 returns fall in days -250..-11 (from the 2nd session).
    assert "Data note: not estimable: 39 valid estimation returns in [-250,-11] (fewer than 120)" in readings
    assert readings.count("Data note:") == 1


def test_prediction_error_and_exclusion_switches_change_what_they_should(page):
    at = page.run()
    base = table(at).set_index(["Event", "Window (days)"])
    design(at).checkbox(key="es_pe").check().run()
    assert not at.exception and not at.error
    pe = table(at).set_index(["Event", "Window (days)"])
    # Same abnormal returns, larger variance: CARs unchanged, every |t| no larger, and some smaller.
    pd.testing.assert_series_equal(pe["CAR (%)"], base["CAR (%)"])
    assert (pe["t"].abs() <= base["t"].abs() + 1e-9).all() and (pe["t"].abs() < base["t"].abs()).any()
    design(at).checkbox(key="es_pe").uncheck().run()
    design(at).checkbox(key="es_excl").check().run()
    assert not at.exception and not at.error
    excl = table(at).set_index(["Event", "Window (days)"])
    # 2021-05-25's estimation window holds the 2021-03-22 and 2021-05-06 events: its fit (beta) must move.
    (event,) = [e for e in base.index.get_level_values("Event") if e.startswith("2021-05-25")][:1]
    key = (event, "[-1,+1]")
    assert excl.loc[key, "β"] != base.loc[key, "β"]
    assert excl.loc[key, "Estimation days"] < base.loc[key, "Estimation days"]


def test_design_menu_is_drawn_when_opened_and_the_method_box_states_the_design(page):
    at = page.run()
    assert at.get("popover")[0].proto.popover.label == "Study design"
    assert not at.radio and not at.number_input and not at.checkbox  # nothing to draw while closed
    method = at.info[0].value
    assert "market model" in method.lower() and "SPY" in method
    at = design(at)
    assert [r.label for r in at.radio] == ["Model"]
    assert [n.label for n in at.number_input] == ["Estimation window start (day)", "Estimation window end (day)"]
    assert (at.number_input[0].value, at.number_input[1].value) == (-250, -11)
    assert not at.warning  # defaults seeded once, not passed to the widgets as well


def test_a_link_naming_the_benchmark_as_the_stock_studies_it_against_the_other_index(page):
    page.query_params["ticker"] = "SPY"  # SPY is also the default benchmark
    page.query_params["peers"] = "SPY,NIO"
    at = page.run()
    assert not at.exception and not at.error
    assert "SPY vs QQQ" in " ".join(str(c.proto.spec) for c in at.get("plotly_chart"))
    assert at.session_state["es_peers"] == ["NIO"]


def test_no_internal_id_or_code_reaches_the_reader(page):
    from eventlens.vocabulary import internal_codes
    from tests.rendered import shown_texts

    at = page.run()
    seen = shown_texts(at)
    table(at)  # the fold with every statistic
    seen += shown_texts(at)
    design(at).multiselect(key="es_peers").set_value(["NIO"]).run()
    for tab in ("Across events (CAAR)", "One event in detail", "China EV peers"):
        at = open_tab(at, tab)
        seen += shown_texts(at)
    assert any("Elon Musk Departs Beijing" in t for t in seen)  # events are named by their headlines...
    assert internal_codes(seen) == []  # ...never by their ids, and no code, "None" or "nan" shows
