"""Who and what an article names: outlets, organisations, places, people, figures, topics, each with its span.

Every item keeps the character span of ``Article.text`` that supports it so
an analyst can check it in the reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventlens.news.classify import TOPIC_RULES


@dataclass(frozen=True)
class Mention:
    """One extracted item and the span of ``Article.text`` that supports it."""

    kind: str  # source, cited_outlet, organisation, place, person, figure, topic
    label: str
    start: int
    end: int
    text: str


_OUTLETS = ["Reuters", "Bloomberg", "Electrek", "Benzinga", "Wall Street Journal", "WSJ", "Dow Jones", "CNBC",
            "South China Morning Post", "SCMP", "Caixin", "Global Times", "Xinhua"]
_ORGS = {
    "Tesla": r"Tesla(?:'s|’s)?\b",
    "CAC (Cyberspace Administration of China)": r"\bCAC\b|Cyberspace Administration(?: of China)?",
    "CAAM": r"\bCAAM\b|China Association of Automobile Manufacturers",
    "MIIT": r"\bMIIT\b|Ministry of Industry and Information Technology",
    "SAMR": r"\bSAMR\b|state administration for market regulation",
    "CPCA": r"\bCPCA\b|China Passenger Car Association",
    "Baidu": r"\bBaidu\b",
    "Nvidia": r"\bNvidia\b",
    "NIO": r"\bNIO\b",
    "Xpeng": r"\bXpeng\b|\bXPEV\b",
    "Li Auto": r"\bLi Auto\b",
    "Geely": r"\bGeely\b",
    "ByteDance / TikTok": r"\bByte[dD]ance\b|\bTikTok\b",
    "China Development Forum": r"China Development Forum",
}
_PLACES = {
    "China": r"\bChina\b|\bChinese\b",
    "Beijing": r"\bBeijing\b",
    "Shanghai": r"\bShanghai\b|\bSHANGHAI\b",
    "Shanghai Lingang": r"\bLingang\b",
    "United States": r"\bUnited States\b|\bU\.S\.|\bUS\b",
}
_PEOPLE = {
    "Elon Musk": r"\bElon Musk\b|\bMusk\b",
    "Li Qiang": r"\bLi Qiang\b",
}
_FIGURE = re.compile(
    r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:billion|million|bn|m)\b)?"
    r"|[-+]?\d[\d,]*(?:\.\d+)?\s?%"
    r"|\b\d[\d,]*(?:\.\d+)?(?:\s(?:million|billion))?\s(?:cars|vehicles|models|companies|units|people|years)\b"
)



def mentions(text: str) -> list[Mention]:
    """Outlets, organisations, places, people, figures and topics, each with its span."""
    found: list[Mention] = []
    for outlet in _OUTLETS:
        for m in re.finditer(rf"\b{re.escape(outlet)}\b", text):
            found.append(Mention("cited_outlet", outlet, m.start(), m.end(), m.group()))
    for kind, table in (("organisation", _ORGS), ("place", _PLACES), ("person", _PEOPLE)):
        for label, pattern in table.items():
            for m in re.finditer(pattern, text):
                found.append(Mention(kind, label, m.start(), m.end(), m.group()))
    for m in _FIGURE.finditer(text):
        found.append(Mention("figure", m.group().strip(), m.start(), m.end(), m.group()))
    for topic, pattern in TOPIC_RULES.items():
        for m in re.finditer(pattern, text, re.I):
            found.append(Mention("topic", topic, m.start(), m.end(), m.group()))
    return sorted(found, key=lambda x: (x.start, x.end))
