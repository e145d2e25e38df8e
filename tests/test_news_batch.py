"""Many articles at once (folder, zip, CSV, JSONL, RSS/Atom) and near-duplicate grouping."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from eventlens.news import ArticleError, parse_article
from eventlens.news.batch import MAX_ITEMS, from_named, from_path
from eventlens.news.duplicates import Story, group_near_duplicates, similarity

CORPUS = Path(__file__).resolve().parent / "dating_corpus" / "articles"

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>China eases data rules</title><link>https://example.com/a</link>
<pubDate>Fri, 22 Mar 2024 09:00:00 GMT</pubDate><description>The regulator relaxed rules today.</description></item>
<item><title>Second</title><link>https://example.com/b</link><description>More text.</description></item>
</channel></rss>"""


def test_folder_zip_and_tables_become_items(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"Headline\n\nBody one.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")  # not an article file: skipped in a folder
    (tmp_path / "rows.csv").write_text("title,text,published\nT1,Body two,2024-03-22\n", encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text(json.dumps({"title": "T2", "text": "Body three"}) + "\n\n", encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inner/b.md", "Zipped\n\nBody four.")
        z.writestr("feed.rss", RSS)
        z.writestr("__MACOSX/.junk", "x")
    (tmp_path / "pack.zip").write_bytes(buf.getvalue())
    items = from_path(tmp_path)
    assert [i.name for i in items] == ["a.txt", "feed.rss row 1: China eases data rules", "feed.rss row 2: Second",
                                       "inner/b.md", "rows.csv row 1: T1", "rows.jsonl row 1: T2"]
    csv_item = next(i for i in items if i.name.startswith("rows.csv"))
    assert csv_item.payload.decode().startswith("T1\nPublished 2024-03-22\n\nBody two")
    feed_item = items[1]
    assert feed_item.url == "https://example.com/a" and b"Published Fri, 22 Mar 2024" in feed_item.payload
    article = parse_article(feed_item.payload, "x")  # items go through the one-article path unchanged
    assert article.title == "China eases data rules"


@pytest.mark.parametrize(("name", "payload", "needle"), [
    ("rows.csv", b"title,body\nx,y\n", "lacks a 'text' column"),
    ("rows.csv", b"title,text\nx,\n", "row 1 has no 'text'"),
    ("rows.jsonl", b"{not json}\n", "line 1 is not valid JSON"),
    ("rows.jsonl", b"[1, 2]\n", "not a JSON object"),
    ("pack.zip", b"PK\x03\x04 broken", "not a readable zip"),
    ("feed.rss", b"<html>nothing</html>", "feed"),
    ("photo.png", b"\x89PNG", "is not an article"),
])
def test_bad_batches_get_one_clear_error(name: str, payload: bytes, needle: str) -> None:
    with pytest.raises(ArticleError, match=needle):
        from_named(name, payload)


def test_a_batch_is_bounded() -> None:
    rows = b"title,text\n" + b"t,x\n" * (MAX_ITEMS + 1)
    with pytest.raises(ArticleError, match="at most"):
        from_named("big.csv", rows)


def test_the_same_wire_story_rewritten_is_one_story_and_different_stories_are_not() -> None:
    wire = (CORPUS / "t23.txt").read_text(encoding="utf-8")
    edited = wire.replace("China passes Data Security Law, tightening control over data leaving the country",
                          "Beijing adopts data law").replace("(Reporting by Pacific Wire's Beijing bureau)", "")
    other = (CORPUS / "d07.txt").read_text(encoding="utf-8")  # same day and topic, different writing
    assert similarity(wire, edited) >= 0.8 and similarity(wire, other) < 0.2
    stories = [Story("a", wire, "2021-06-10", "cross_border_transfer"),
               Story("b", other, "2021-06-10", "cross_border_transfer"),
               Story("c", edited, "2021-06-10", "cross_border_transfer"),
               Story("d", edited, "2021-06-11", "cross_border_transfer"),  # another day: not the same news
               Story("e", edited, None, "cross_border_transfer")]  # undated: never grouped
    assert group_near_duplicates(stories) == [["a", "c"], ["b"], ["d"], ["e"]]


PAGE = b"""<html><head><title>China eases data rules</title>
<meta property="article:published_time" content="2024-03-22T09:15:00Z"></head>
<body><nav>Home | World | Markets</nav><article><h1>China eases data rules</h1>
<p>BEIJING - China's cyberspace regulator on Friday relaxed rules on cross-border data flows, exempting many
transfers from security assessments in a move welcomed by foreign carmakers including Tesla.</p>
<p>Tesla shares fell 1.2% to $170.83 on a weak day for electric-vehicle stocks.</p></article>
<footer>Copyright 2024 Example Media. Read more: Ten stocks to buy now</footer></body></html>"""


def test_a_saved_web_page_gives_its_main_text_and_its_metadata_date() -> None:
    from eventlens.news.dating import infer_date

    [item] = from_named("page.html", PAGE)
    article = parse_article(item.payload, "x")
    assert article.title == "China eases data rules" and "Published 2024-03-22" in article.text
    assert "Home | World" not in article.text and "Ten stocks" not in article.text
    result = infer_date(article.text, known=[])
    assert {"published", "price"} <= {ev.kind for ev in result.evidence}
    assert f"{result.event_date:%Y-%m-%d}" == "2024-03-22"
    with pytest.raises(ArticleError, match="no article text"):
        from_named("empty.html", b"<html><head><title>x</title></head><body><script>1</script></body></html>")
