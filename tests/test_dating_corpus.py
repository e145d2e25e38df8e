"""The labelled dating corpus (tests/dating_corpus/): its labels are complete and every TSLA price it quotes is real.

Prices are checked here from the raw snapshot CSV and the split dates written out in this file (x15 before
2020-08-31, x3 before 2022-08-25), not through eventlens.splits, so a bug there cannot hide a wrong quote.
A quoted number matches when it is within half a unit of its last quoted digit ("2%" is 1.5..2.5, "0.26%"
is 0.255..0.265).
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from eventlens.news.taxonomy import CATEGORIES, DIRECTIONS

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "dating_corpus"
LABELS = list(csv.DictReader((CORPUS / "labels.csv").open(encoding="utf-8")))
RAW = pd.read_csv(REPO / "data/prices/TSLA.csv", parse_dates=["Date"]).set_index("Date")
# A dollar figure in the text; amounts of money (millions, ...) and ranges like "mid-$200s" are not prices.
DOLLAR = re.compile(r"\$(\d[\d,]*(?:\.\d+)?)(?!\s*(?:million|billion|trillion|bn|m\b)|s\b|[.,]?\d)")


def as_traded_factor(day: pd.Timestamp) -> int:
    return 15 if day < pd.Timestamp("2020-08-31") else 3 if day < pd.Timestamp("2022-08-25") else 1


def half_unit(quoted: str) -> Decimal:
    exponent = Decimal(quoted).as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


def quotes(row: dict[str, str]) -> list[tuple[str, str, str]]:
    return [tuple(q.split("|")) for q in row["quotes"].split(";") if q]  # type: ignore[misc]


def test_corpus_size_split_and_vocabulary() -> None:
    ids = [r["id"] for r in LABELS]
    files = sorted(p.stem for p in (CORPUS / "articles").glob("*.txt"))
    assert sorted(ids) == files and len(set(ids)) == len(ids)
    assert len(LABELS) >= 60
    assert sum(1 for r in LABELS if not r["date"]) >= 10
    for split in ("dev", "test"):
        rows = [r for r in LABELS if r["split"] == split]
        assert len(rows) >= 25 and sum(1 for r in rows if not r["date"]) >= 5
    for r in LABELS:
        assert r["split"] in ("dev", "test", "holdout")
        assert r["topic"] in CATEGORIES, r["id"]
        assert r["direction"] in DIRECTIONS, r["id"]
        assert r["publisher"].strip() and r["truth_source"].strip() and r["style"] in (
            "wire", "blog", "broker", "opinion")
        if r["date"]:
            day = pd.Timestamp(r["date"])
            assert pd.Timestamp("2020-01-01") <= day <= pd.Timestamp("2024-12-31")
        else:
            assert r["truth_source"].startswith("undatable")


@pytest.mark.parametrize("row", LABELS, ids=[r["id"] for r in LABELS])
def test_every_quoted_price_is_listed_and_real(row: dict[str, str]) -> None:
    text = (CORPUS / "articles" / f"{row['id']}.txt").read_text(encoding="utf-8")
    listed = {value for _, field, value in quotes(row) if field != "pct"}
    in_text = {m.group(1).replace(",", "") for m in DOLLAR.finditer(text)}
    assert in_text == listed, f"{row['id']}: prices in the text {in_text} vs listed {listed}"
    pct = RAW["Close"].pct_change() * 100
    for day_text, field, value in quotes(row):
        tol = half_unit(value)
        if day_text == "approx":
            # a round figure on purpose (a level, a target): several sessions lie within 2.5% of it
            closes = RAW["Close"] * [as_traded_factor(d) for d in RAW.index]
            assert (abs(closes / float(value) - 1) <= 0.025).sum() >= 5, row["id"]
            continue
        day = pd.Timestamp(day_text)
        assert day in RAW.index, f"{row['id']}: {day_text} is not a session"
        if field == "pct":
            actual = Decimal(str(round(float(pct[day]), 6)))
        else:
            actual = Decimal(str(round(float(RAW.loc[day, field.capitalize()]) * as_traded_factor(day), 6)))
        assert abs(actual - Decimal(value)) <= tol, f"{row['id']}: {field} {value} vs {actual} on {day_text}"
