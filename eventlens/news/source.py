"""Who published an article: its byline, dateline, header or footer names it; else an outlet it cites.

Publishers an analyst pastes from are mostly unknown here, so the name is
read from where articles put it, not looked up in a list: a wire dateline
("BEIJING, May 12 (Pacific Wire) -"), a byline ("By Dana Whitlock | EV
Ledger", "Posted by Marcus Feld, Charged Up Daily"), a masthead line
("Harbor Street Research | Equity Flash", "Opinion | The Dragon Desk"), a
credit or copyright line ("(Reporting by ... for Pacific Wire)", "© Charged
Up Daily"). A publisher a text merely mentions ("a Wall Street Journal
report") is only a cited outlet.
"""

from __future__ import annotations

import re

# Signatures of publishers of the seeds, whose pages carry no byline with the name.
_SIGNATURES = [
    ("MyWallSt", re.compile(r"\bMyWallSt\b")),
    ("WSJ / Dow Jones", re.compile(r"©\s*\d{4}\s*Dow Jones|Dow Jones & Company")),
    ("Benzinga", re.compile(r"\bBenzinga\b|^Price Action:|^Posted In:|^Why It Matters:", re.M)),
    ("Reuters", re.compile(r"^\s*\(Reuters\)|\bReuters\s*-\s", re.M)),
]
_NAME = r"(?P<name>[A-Z][\w&'.-]*(?:[ \t]+(?:[A-Z][\w&'.-]*|of|the|and|&))*)"
_ORG_WORDS = re.compile(r"\b(?:News|Service|Wire|Daily|Research|Markets|Capital|Securities|Partners|Times|Post|Journal"
                        r"|Ledger|Desk|Circuit|Press|Media|Review|Weekly|Herald|Tribune|Report|Insider|Group|Bank"
                        r"|Agency|Network|Digest|Monitor|Street|Advisors|Analytics)\b")
_RULES = [
    # "BEIJING, May 12 (Pacific Wire) -" and "(Meridian News Service) - Tesla said"
    re.compile(r"^[A-Z][A-Z .'-]+,[^(\n]{0,30}\((?P<name>[^)\n;]{2,60})\)\s*[-–—]", re.M),
    re.compile(r"^\s*\((?P<name>[^)\n;]{2,60})\)\s*[-–—]", re.M),
    # "By Dana Whitlock | EV Ledger", "Posted by Marcus Feld, Charged Up Daily", "By Meridian News Service"
    re.compile(rf"^\s*(?:Posted |Written |Words )?[Bb]y\s+[^|,\n]{{2,40}}?\s*[|,]\s*{_NAME}\s*(?:\||$)", re.M),
    re.compile(rf"^\s*By\s+{_NAME}\s*(?:\||$)", re.M),
    # "Opinion | The Dragon Desk", "Harbor Street Research | Equity Flash", "EV Ledger | News | By ..."
    re.compile(rf"^\s*(?:Opinion|Commentary|Analysis|Column)\s*[|:]\s*{_NAME}\s*$", re.M),
    re.compile(rf"^\s*{_NAME}\s*(?:\||—|–|-)\s", re.M),
    # credits and copyright at the end
    re.compile(rf"\((?:Reporting|Writing|Editing)[^)\n]*?\bfor\s+{_NAME}\)", re.M),
    re.compile(rf"^\s*\(\s*{_NAME}\s*(?:;[^)\n]*)?\)\s*$", re.M),
    re.compile(rf"^\s*(?:--|—)\s*{_NAME}\s*(?:,|$)", re.M),
    re.compile(rf"(?:©|\(c\)|Copyright)\s*(?:\d{{4}}\s*)?{_NAME}", re.M),
    # a masthead line alone at the top ("Kestrel Capital Markets")
    re.compile(rf"\A\s*{_NAME}\s*$", re.M),
]


def _clean(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" .,;:-–—")
    return re.sub(r"\s+(?:Research|staff|newsroom)$", lambda m: m.group() if "Research" in m.group() else "", name)


def byline_publisher(raw: str) -> str | None:
    """The publisher named where articles put it (dateline, byline, masthead, credit line), if any."""
    for rule in _RULES:
        for m in rule.finditer(raw):
            name = _clean(m.group("name"))
            in_parentheses = rule is _RULES[0] or rule is _RULES[1]  # an agency in a dateline needs no check
            looks_like_org = bool(_ORG_WORDS.search(name) or re.fullmatch(r"Reuters|AP|AFP|Bloomberg", name))
            if not name or len(name) > 60 or not (in_parentheses or looks_like_org):
                continue  # a person's name, a section or a ticker, not a publisher
            return name
    return None


def publisher(raw: str) -> str | None:
    """The publisher named by a signature or a byline in the raw text (boilerplate included), if any."""
    known = next((name for name, pattern in _SIGNATURES if pattern.search(raw)), None)
    return known or byline_publisher(raw)


def source(raw: str, cited_outlets: list[str]) -> str:
    """The publisher when the text names it, else the first outlet the text cites, else 'unknown'."""
    found = publisher(raw)
    if found:
        return found
    return f"{cited_outlets[0]} (cited)" if cited_outlets else "unknown"
