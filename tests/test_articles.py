"""Article decoding, refusal of bad input, boilerplate stripping, extraction and safe display."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventlens.news import (
    MAX_BYTES,
    ArticleError,
    decode_article,
    parse_article,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return parse_article(path.read_bytes(), path.stem, path)


TEXT = "Tesla’s data centre in Shanghai — café, 26% more.\nSecond line."


@pytest.mark.parametrize(
    ("payload", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le (BOM)"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be (BOM)"),
        (TEXT.encode("cp1252"), "windows-1252"),
    ],
)
def test_decodes_each_supported_encoding(payload: bytes, encoding: str) -> None:
    text, used = decode_article(payload)
    assert text == TEXT
    assert used == encoding


def test_crlf_becomes_newline() -> None:
    assert decode_article(b"a\r\nb\rc")[0] == "a\nb\nc"


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        (b"", "empty"),
        (b"  \n\t \r\n ", "empty"),
        (b"\xef\xbb\xbf   \n", "empty"),
        (b"text\x00with NUL", "NUL"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG"),
        (b"\xff\xd8\xff\xe0" + b"JFIF", "JPEG"),
        (b"%PDF-1.7\n", "PDF"),
        (b"PK\x03\x04rest", "ZIP"),
        (b"a" * (MAX_BYTES + 1), "1 MB"),
        (b"caf\x81 \x8d", "neither"),  # undefined in Windows-1252 and invalid UTF-8
        (b"\x01\x02\x03\x04\x05\x06 binary \x07\x08", "control"),
    ],
)
def test_refuses_bad_input(payload: bytes, needle: str) -> None:
    with pytest.raises(ArticleError, match=needle):
        decode_article(payload, "x.txt")


def test_exactly_one_megabyte_is_accepted() -> None:
    text, _ = decode_article(b"a" * MAX_BYTES)
    assert len(text) == MAX_BYTES


def test_boilerplate_is_stripped_from_seeds() -> None:
    a3 = seed("003")
    assert "Q4 2025" not in a3.text and "Unsplash" not in a3.text
    assert a3.text.rstrip().endswith("negotiations with Tesla.")
    assert any(s.reason.startswith("photo credit") and "Q1 2026" in s.text for s in a3.stripped)
    a4 = seed("004")
    assert "Copyright" not in a4.text and "2020" not in a4.text
    a0 = seed("000")
    assert "full disclosure" not in a0.text and "Better Investment" not in a0.text
    assert "Tesla backers expect" in a0.text  # the last real paragraph stays
    a1 = seed("001")
    assert a1.text.count("Tesla Works On Getting Customers In China Access") == 1
    assert "Posted In" not in a1.text and "Price Action" in a1.text
    a2 = seed("002")
    assert "author-image" not in a2.text and "Key Takeaways" in a2.text


def test_sources_and_mentions_with_spans() -> None:
    assert seed("000").source() == "MyWallSt"
    assert seed("001").source() == "Benzinga"
    assert seed("004").source() == "WSJ / Dow Jones"
    assert seed("003").source() == "Reuters (cited)"
    for prefix, expected in [("002", {"CAAM", "Baidu", "Tesla"}), ("003", {"Nvidia", "Tesla"})]:
        art = seed(prefix)
        mentions = art.mentions()
        for m in mentions:
            assert art.text[m.start:m.end] == m.text  # every span points at its text
        assert expected <= {m.label for m in mentions if m.kind == "organisation"}
    places = {m.label for m in seed("003").mentions() if m.kind == "place"}
    assert {"Shanghai Lingang", "Shanghai"} <= places
    figures = {m.label for m in seed("001").mentions() if m.kind == "figure"}
    assert {"$670.94", "0.39%", "30%"} <= figures
    assert "1.7 million cars" in {m.label for m in seed("002").mentions() if m.kind == "figure"}


def test_categories_and_directions_are_explained() -> None:
    expected = {
        "000": ("data_localisation", "company_action"),
        "001": ("customer_data_access", "company_action"),
        "003": ("cross_border_transfer", "easing"),
        "004": ("government_restriction", "company_action"),
    }
    for prefix, (category, direction) in expected.items():
        cls = seed(prefix).classify()
        assert (cls.category, cls.direction) == (category, direction), prefix
        assert cls.reasons[0].startswith(f"category {category}")
        assert cls.topic_scores[category] == max(cls.topic_scores.values())
    assert seed("002").classify().direction == "easing"


def test_no_topic_means_other() -> None:
    art = parse_article(b"Tesla held its annual picnic.", "x")
    assert art.classify().category == "other"
    assert art.classify().direction == "neutral"
