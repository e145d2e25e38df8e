"""AppTest: the Overview page renders TSLA from the snapshot and says so."""


def test_overview_renders_with_source_notice(app, no_network):
    at = app.run()
    assert not at.exception
    assert not at.error
    captions = " ".join(c.value for c in at.caption)
    assert "offline snapshot" in captions
    assert "2020-01-02 to 2024-12-31" in captions
    assert no_network == []


def test_overview_warns_when_cache_is_corrupt(app, data_dir):
    (data_dir / "cache").mkdir()
    (data_dir / "cache" / "TSLA.csv").write_text("not,a,price,file\n1,2,3,4\n")
    at = app.run()
    assert not at.exception
    assert any("set aside" in w.value for w in at.warning)
