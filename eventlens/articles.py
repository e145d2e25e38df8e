"""Plain-text news articles: safe decoding, boilerplate stripping, explainable extraction.

An article arrives as bytes (a seed, an upload, ``python -m eventlens add``).
It is refused before anything is written when it is empty, binary, too big
or undecodable, because a half-understood file would become a wrong event on
the timeline. The text is then cleaned of site furniture (photo credits,
"Read next" lists, copyright lines) so that stray headlines or a copyright
year never count as evidence, and every extracted item keeps the character
span that supports it so an analyst can check it in the reader.

HTML or script inside an article is kept as plain text: nothing here renders.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from eventlens.errors import UserError

MAX_BYTES = 1_000_000  # "larger than 1 MB" is refused
ARTICLE_SUFFIXES = (".txt", ".md")

# Magic numbers of common binary files an analyst might pick by mistake.
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF media file",
}


class ArticleError(UserError):
    """An article that cannot be accepted; the message is one sentence for the user."""


# --- decoding ----------------------------------------------------------------


def decode_article(payload: bytes, name: str = "the file") -> tuple[str, str]:
    """Validate raw bytes and decode them; return ``(text, encoding)`` or raise ArticleError.

    Order matters: a byte-order mark is the only reliable signal (UTF-16 text
    is full of NUL bytes, so BOM sniffing comes before the binary checks);
    then strict UTF-8, which almost never accepts non-UTF-8 text by accident;
    then Windows-1252, the usual encoding of text saved on Windows.
    """
    if not isinstance(payload, bytes | bytearray):
        raise ArticleError(f"{name} is not a file's bytes.")
    payload = bytes(payload)
    if len(payload) > MAX_BYTES:
        raise ArticleError(
            f"{name} is {len(payload):,} bytes; articles larger than 1 MB (1,000,000 bytes) are refused.")
    for magic, what in _BINARY_MAGIC.items():
        if payload.startswith(magic):
            raise ArticleError(f"{name} looks like {what}, not a plain-text article.")
    text: str | None = None
    encoding = ""
    for bom, codec, label in (
        (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
        (b"\xff\xfe", "utf-16", "utf-16-le (BOM)"),
        (b"\xfe\xff", "utf-16", "utf-16-be (BOM)"),
    ):
        if payload.startswith(bom):
            try:
                text = payload.decode(codec)
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{name} starts with a {label} byte-order mark but does not decode as it.") from exc
            encoding = label
            break
    if text is None:
        if b"\x00" in payload:
            raise ArticleError(f"{name} contains NUL bytes: it is binary, not a plain-text article.")
        try:
            text, encoding = payload.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = payload.decode("cp1252"), "windows-1252"
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{name} is neither UTF-8, UTF-16 nor Windows-1252 text.") from exc
    if "\x00" in text:
        raise ArticleError(f"{name} contains NUL characters: it is binary, not a plain-text article.")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 100):
        raise ArticleError(f"{name} is full of control characters: it is binary, not a plain-text article.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError(f"{name} is empty (or only whitespace).")
    return text, encoding


# --- cleaning ----------------------------------------------------------------

# A line matching one of these is furniture, not article, and so is everything after it.
_CUT_FROM = [
    (re.compile(r"^\s*photo\s*(credit)?\s*:", re.I), "photo credit and what follows it"),
    (re.compile(r"^\s*read (more|next)\b", re.I), "'read more' list"),
    (re.compile(r"^\s*posted in\s*:", re.I), "site tags"),
    (re.compile(r"^\s*(copyright\s*)?©|^\s*copyright\b", re.I), "copyright line"),
    (re.compile(r"full disclosure policy", re.I), "disclosure notice"),
]
# Single lines of furniture inside the article.
_DROP_LINE = [
    (re.compile(r"^\s*author-image\s*$", re.I), "author image placeholder"),
    (re.compile(r"^\s*new update\s*$", re.I), "site label"),
    (re.compile(r"^\s*read our\b.*$", re.I), "promotion line"),
    (re.compile(r"^\s*\.?source\s*$", re.I), "site label"),
]


@dataclass(frozen=True)
class Stripped:
    """A run of boilerplate removed from the raw text, and why."""

    text: str
    reason: str


def clean_text(raw: str) -> tuple[str, list[Stripped]]:
    """Keep only the article: drop furniture lines, repeated headlines and trailing link lists.

    Cut markers are only honoured in the second half of the text so that an
    article that merely *mentions* a photo credit early on is not truncated.
    """
    lines = raw.split("\n")
    stripped: list[Stripped] = []
    n_chars = len(raw)
    pos = 0
    cut_at = len(lines)
    for i, line in enumerate(lines):
        hit = next(((strong, reason) for strong, (p, reason) in enumerate(_CUT_FROM) if p.search(line)), None)
        # photo credits and "read more" only count late in the text; site tags, copyright, disclosure anywhere
        if hit and i > 0 and (hit[0] >= 2 or pos >= n_chars * 0.5):
            cut_at = i
            stripped.append(Stripped("\n".join(lines[i:]).strip(), hit[1]))
            break
        pos += len(line) + 1
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines[:cut_at]:
        reason = next((r for p, r in _DROP_LINE if p.search(line)), None)
        key = line.strip()
        if reason:
            stripped.append(Stripped(key, reason))
            continue
        if key and key in seen and len(key) > 20:
            stripped.append(Stripped(key, "repeated line"))
            continue
        if key:
            seen.add(key)
        kept.append(line.rstrip())
    # A trailing run of short lines with no sentence punctuation is a list of other headlines.
    tail = len(kept)
    while tail > 0 and not kept[tail - 1].strip():
        tail -= 1
    start = tail
    while start > 0 and _looks_like_headline(kept[start - 1]):
        start -= 1
    if tail - start >= 3:
        stripped.append(Stripped("\n".join(kept[start:tail]), "list of unrelated headlines"))
        kept = kept[:start]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return text, stripped


def _looks_like_headline(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) <= 140 and not s.endswith((".", ":", '"', "”", "?", "!")) and len(s.split()) >= 3


# --- extraction --------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """One extracted item and the span of ``Article.text`` that supports it."""

    kind: str  # source, cited_outlet, organisation, place, person, figure, topic
    label: str
    start: int
    end: int
    text: str


# Publishers recognised by a signature in the raw text (including boilerplate).
_PUBLISHERS = [
    ("MyWallSt", re.compile(r"\bMyWallSt\b")),
    ("WSJ / Dow Jones", re.compile(r"Dow Jones|Wall Street Journal|\bWSJ\b")),
    ("Benzinga", re.compile(r"\bBenzinga\b|^Price Action:|^Posted In:|^Why It Matters:", re.M)),
    ("Reuters", re.compile(r"^\s*\(Reuters\)|\bReuters\s*-\s", re.M)),
]
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

# Regulatory topics: pattern -> topic. The category is the topic with most weight.
TOPICS = {
    "data_localisation": "data localisation (store data in China)",
    "customer_data_access": "data access for customers",
    "security_clearance": "security clearance or approval",
    "cross_border_transfer": "cross-border data transfer",
    "government_restriction": "government restriction or ban",
    "mapping_fsd": "mapping / FSD",
}
CATEGORIES = [*TOPICS, "other"]
# Order breaks ties: a story that reports Tesla's own move as much as the regulators' is a company action.
DIRECTIONS = ["company_action", "easing", "tightening", "neutral"]
_TOPIC_RULES = {
    "data_localisation": r"data cent(?:er|re)s?|stor(?:e|ed|ing|age)\b[^.]{0,60}\b(?:locally|in China|in Shanghai)"
                         r"|local(?:ly)? (?:stor|collected)|data storage",
    "customer_data_access": r"access to (?:the )?data|customers?[^.]{0,40}\baccess\b|data generated by their vehicles",
    "security_clearance": r"clearance|approv(?:al|ed)|compliance requirements|meet[s]?[^.]{0,40}requirements"
                          r"|security assessments?",
    "cross_border_transfer": r"overseas|abroad|cross-border|data[- ]export"
                             r"|transfer(?:red|ring)?[^.]{0,40}(?:overseas|abroad|back to the United States)"
                             r"|white list|share data[^.]{0,40}(?:China|United States)",
    "government_restriction": r"\bban(?:ned|s)?\b|restrict(?:ed|ion|s)?|military|crackdown|reprimand(?:ed)?"
                              r"|scrutiny|sanctions?",
    "mapping_fsd": r"mapping|\bFSD\b|Full Self-Driving|assisted driving|autonomous driving|self-driving",
}
_DIRECTION_RULES = {
    "easing": r"clearance|approv(?:al|ed)|white list|without (?:undergoing )?(?:additional )?security assessments"
              r"|eased|meet[s]? (?:the )?compliance|faster|accelerate|hurdle|granted",
    "tightening": r"\bban(?:ned|s)?\b|restrict(?:ed|ion|s)?|crackdown|reprimand(?:ed)?|scrutiny|criticized|"
                  r"security concerns|protest(?:s|ed)?",
    "company_action": r"Tesla(?: \([^)]{0,20}\))? (?:just )?(?:announced|launched|launches"
                      r"|will (?:later this year )?launch|works on|said|has launched)"
                      r"|will (?:never|not) (?:provide|share)|\blaunch(?:ed|es)?\b",
}


@dataclass
class Classification:
    """A category and a direction with the rule hits that decided them (so the app can say why)."""

    category: str
    direction: str
    topic_scores: dict[str, float]
    direction_scores: dict[str, float]
    reasons: list[str]


@dataclass
class Article:
    """A decoded, cleaned article: ``text`` is what every span indexes into."""

    article_id: str
    raw: str
    text: str
    encoding: str
    stripped: list[Stripped] = field(default_factory=list)
    path: Path | None = None

    @property
    def title(self) -> str:
        return next((ln.strip() for ln in self.text.split("\n") if ln.strip()), "")[:200]

    @property
    def lede_end(self) -> int:
        """Offset where the headline and the first two paragraphs end (the article's subject)."""
        count, pos = 0, 0
        for line in self.text.split("\n"):
            pos += len(line) + 1
            if line.strip():
                count += 1
                if count >= 3:
                    break
        return min(pos, len(self.text))

    def publisher(self) -> str | None:
        return next((name for name, pattern in _PUBLISHERS if pattern.search(self.raw)), None)

    def source(self) -> str:
        """The publisher when a signature names it, else the first outlet the text cites."""
        publisher = self.publisher()
        if publisher:
            return publisher
        cited = [m for m in self.mentions() if m.kind == "cited_outlet"]
        return f"{cited[0].label} (cited)" if cited else "unknown"

    def mentions(self) -> list[Mention]:
        """Outlets, organisations, places, people, figures and topics, each with its span."""
        found: list[Mention] = []
        text = self.text
        for outlet in _OUTLETS:
            for m in re.finditer(rf"\b{re.escape(outlet)}\b", text):
                found.append(Mention("cited_outlet", outlet, m.start(), m.end(), m.group()))
        for kind, table in (("organisation", _ORGS), ("place", _PLACES), ("person", _PEOPLE)):
            for label, pattern in table.items():
                for m in re.finditer(pattern, text):
                    found.append(Mention(kind, label, m.start(), m.end(), m.group()))
        for m in _FIGURE.finditer(text):
            found.append(Mention("figure", m.group().strip(), m.start(), m.end(), m.group()))
        for topic, pattern in _TOPIC_RULES.items():
            for m in re.finditer(pattern, text, re.I):
                found.append(Mention("topic", topic, m.start(), m.end(), m.group()))
        return sorted(found, key=lambda x: (x.start, x.end))

    def classify(self) -> Classification:
        """Category = topic with most weighted hits; direction likewise. Headline/lede hits count 3x.

        The lede says what the story is about; later paragraphs give background
        (a ban mentioned as context should not make a data-centre story a ban story).
        """
        lede = self.lede_end
        reasons: list[str] = []

        def score(rules: dict[str, str]) -> tuple[dict[str, float], dict[str, list[str]]]:
            scores: dict[str, float] = {}
            hits: dict[str, list[str]] = {}
            for key, pattern in rules.items():
                for m in re.finditer(pattern, self.text, re.I):
                    w = 3.0 if m.start() < lede else 1.0
                    scores[key] = scores.get(key, 0.0) + w
                    hits.setdefault(key, []).append(f"'{m.group()}'" + (" (lede x3)" if w > 1 else ""))
            return scores, hits

        topic_scores, topic_hits = score(_TOPIC_RULES)
        direction_scores, direction_hits = score(_DIRECTION_RULES)
        category = max(topic_scores, key=lambda k: (topic_scores[k], -CATEGORIES.index(k))) if topic_scores else "other"
        if topic_scores:
            reasons.append(f"category {category} (score {topic_scores[category]:g}): " + ", ".join(
                topic_hits[category][:6]))
            others = sorted(((v, k) for k, v in topic_scores.items() if k != category), reverse=True)[:3]
            if others:
                reasons.append("other topics: " + ", ".join(f"{k} {v:g}" for v, k in others))
        else:
            reasons.append("category other: no regulatory-topic rule matched")
        if direction_scores:
            direction = max(direction_scores, key=lambda k: (direction_scores[k], -DIRECTIONS.index(k)))
            reasons.append(f"direction {direction} (score {direction_scores[direction]:g}): " + ", ".join(
                direction_hits[direction][:6]))
            others = sorted(((v, k) for k, v in direction_scores.items() if k != direction), reverse=True)
            if others:
                reasons.append("other directions: " + ", ".join(f"{k} {v:g}" for v, k in others))
        else:
            direction = "neutral"
            reasons.append("direction neutral: no easing, tightening or company-action rule matched")
        return Classification(category, direction, topic_scores, direction_scores, reasons)

    def summary(self, limit: int = 300) -> str:
        """The first body sentence(s) after the headline, for the store's summary column."""
        body = self.text[len(self.text.split("\n", 1)[0]):].strip() or self.text
        first = " ".join(body.split())
        return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def parse_article(payload: bytes, article_id: str, path: Path | None = None, name: str | None = None) -> Article:
    """Decode, validate and clean one article."""
    raw, encoding = decode_article(payload, name or article_id)
    text, stripped = clean_text(raw)
    if not text.strip():
        raise ArticleError(f"{name or article_id} holds nothing but boilerplate.")
    return Article(article_id, raw, text, encoding, stripped, path)


def sha256_hex(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


# --- safe display ------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:=^])")


def escape_markdown(text: str) -> str:
    """Make untrusted text inert for ``st.markdown``: HTML entities for <>&, backslashes for markdown syntax.

    Article text may hold HTML, script or markdown; escaped this way it is
    shown literally and nothing in it is interpreted (links, images, LaTeX,
    Streamlit's ``:color[...]`` directives).
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def highlighted_paragraphs(text: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """Each non-empty line of ``text`` as safe markdown with ``spans`` in bold and tagged.

    ``spans`` are ``(start, end, tag)`` offsets into ``text``; the tag (e.g.
    ``E3``) is shown as inline code after the span so the reader can find the
    matching row of the evidence table. Only the bold markers and tags are
    markdown we add; everything from the article goes through
    :func:`escape_markdown`.
    """
    out = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        inside = sorted((max(s, start), min(e, end), tag) for s, e, tag in spans if s < end and e > start)
        parts, cursor = [], start
        for s, e, tag in inside:
            if s < cursor:  # overlapping span: keep the first
                continue
            parts.append(escape_markdown(text[cursor:s]))
            marked = text[s:e].strip()
            lead = text[s:e][: len(text[s:e]) - len(text[s:e].lstrip())]
            trail = text[s:e][len(text[s:e].rstrip()):]
            parts.append(escape_markdown(lead) + (f"**{escape_markdown(marked)}**" if marked else "")
                         + f" `{tag}`" + escape_markdown(trail))
            cursor = e
        parts.append(escape_markdown(text[cursor:end]))
        out.append("".join(parts))
    return out
