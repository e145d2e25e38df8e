"""Topic and direction of an article, with the rule hits that decided them (so the app can say why).

Each topic and direction has phrase rules; a hit in the headline counts 3
times, in the lede (the next two paragraphs) twice, elsewhere once: the lede
says what the story is about, later paragraphs give background (a ban
mentioned as context does not make a data-centre story a ban story).

Direction is read the way an analyst reads it: rules that *require* an
approval, assessment or review before something ("approval before
over-the-air updates") are tightening; only approval *granted* (or a rule
relaxed, an exemption, a list of what may pass) is easing; what Tesla itself
does or says is a company action. Codes and labels come from
:mod:`eventlens.news.taxonomy`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventlens.news.taxonomy import CATEGORIES, DIRECTIONS

TOPIC_RULES = {
    "data_localisation": r"data cent(?:er|re)s?|stor(?:e|ed|es|ing|age)\b[^.]{0,50}\b(?:locally|in China|in the country"
                         r"|inside (?:the country|China)|onshore|within (?:China|the country))|locali[sz]\w*"
                         r"|(?:data|everything|footage)\b[^.]{0,20}\b(?:stays?|remains?) in (?:China|the country)"
                         r"|keep\w* [^.]{0,30}data (?:at home|in China|onshore)",
    "customer_data_access": r"(?:owners?|customers?|individuals?|drivers?|you)\b[^.]{0,60}\b(?:access|see|copy"
                            r"|correct|delete)\b[^.]{0,40}\bdata|access to (?:the |their |your )?data|hand\w* "
                            r"(?:over )?[^.]{0,30}data|the car's data|driving data|right to (?:access|see|their)",
    "security_clearance": r"cybersecurity review|security review|data[- ]security (?:requirements|test|review|check)"
                          r"|clearance|compliance (?:requirements|list|result)|approv(?:al|ed|e)\b|passed\b[^.]{0,40}"
                          r"(?:requirements|review|test)|meet[s]?\b[^.]{0,40}requirements|over-the-air",
    "cross_border_transfer": r"overseas|abroad|cross-border|outbound|data[- ]exports?|exporting|leav(?:e|es|ing) the "
                             r"country|transfer\w*[^.]{0,40}(?:abroad|overseas|out of China)|white list|general data"
                             r"|foreign (?:courts|authorities|law enforcement)"
                             r"|share (?:data|information)\b[^.]{0,40}(?:government|United States|U\.S\.)",
    "government_restriction": r"\bban(?:ned|s)?\b|barred|\bbar\b|restrict\w* (?:the use of |use of )?(?:Tesla|cars"
                              r"|vehicles|military|use)|restrictions on Tesla|military|police|crackdown|fined?\b"
                              r"|fines\b|probe|summon\w*|reprimand\w*|sanctions?|procurement|purchase list"
                              r"|(?:opened|opens|launched) (?:a )?cybersecurity review"
                              r"|government (?:compounds|buildings|fleets|agencies) can buy",
    "mapping_fsd": r"\bmaps?\b|mapping|surveying|\bFSD\b|Full Self-Driving|assisted driving|driver[- ]assistance"
                   r"|autonomous driving|self-driving|navigation",
}
DIRECTION_RULES = {
    "tightening": r"\bban(?:ned|s)?\b|barred|\bbar\b|restrict\w*|crackdown|fined?\b|fines\b|penalt\w+|probe|summon\w*"
                  r"|reprimand\w*|tighten\w*|stricter|scrutiny|must\b|\brequir(?:e|es|ed|ing)\b|limits? on|consent"
                  r"|need\w* (?:government |a )?"
                  r"(?:approval|clearance|review|assessment)|(?:seek|obtain|get) (?:an? )?(?:approval|clearance|review)"
                  r"\s+before|security assessments? before|review before|before (?:listing|sending|rolling|pushing)"
                  r"|bars? (?:them|companies)|criticized|security concerns|oversight|record penalt\w+|higher bar",
    "easing": r"\beas(?:e|es|ed|ing)\b|relax\w*|loosen\w*|exempt\w*"
              r"|without (?:going through |undergoing )?(?:additional )?"
              r"(?:security )?assessments?|white list|general data|faster|streamlin\w*|lighter|simpler|welcome"
              r"|passed\b[^.]{0,30}(?:requirements|review|test|check)|compliant"
              r"|meet[s]? (?:the )?(?:country's |China's )?(?:data[- ]security |compliance )?requirements"
              r"|cleared|clears?\b|green light|(?:won|granted|received|secured) (?:\w+ )?(?:approval|clearance)"
              r"|approval removes|thaw|included (?:on|in) (?:a |the )?list|first time a Tesla|reverses",
    "company_action": r"(?:Tesla|the company|the carmaker|Musk)(?: Inc)?(?: \([^)]{0,20}\))? (?:just |also |again )?"
                      r"(?:said|says|announced|launched|launches|set up|has set up|opened|promised|repeated|responded"
                      r"|works on|plans to|will (?:\w+ ){0,3}launch"
                      r"|will (?:not|never) (?:provide|share)|would (?:cooperate|not compromise|be shut down)"
                      r"|declined to comment)|Musk said|Tesla would|\blaunch(?:ed|es)?\b|\bpromis\w+ to\b",
}
_POSITION_WEIGHT = (3.0, 2.0, 1.0)  # headline, lede, body
_WHERE = (" (headline x3)", " (lede x2)", "")


@dataclass
class Classification:
    """A category and a direction with the rule hits that decided them (so the app can say why)."""

    category: str
    direction: str
    topic_scores: dict[str, float]
    direction_scores: dict[str, float]
    reasons: list[str]


def _score(text: str, lede: int, rules: dict[str, str]) -> tuple[dict[str, float], dict[str, list[str]]]:
    headline_end = text.find("\n") if "\n" in text else len(text)
    scores: dict[str, float] = {}
    hits: dict[str, list[str]] = {}
    for key, pattern in rules.items():
        for m in re.finditer(pattern, text, re.I):
            where = 0 if m.start() < headline_end else 1 if m.start() < lede else 2
            w = _POSITION_WEIGHT[where]
            scores[key] = scores.get(key, 0.0) + w
            hits.setdefault(key, []).append(f"'{m.group()}'" + _WHERE[where])
    return scores, hits


def classify(text: str, lede: int) -> Classification:
    """Category = topic with most weighted hits; direction likewise (ties broken by the taxonomy's order)."""
    reasons: list[str] = []
    topic_scores, topic_hits = _score(text, lede, TOPIC_RULES)
    direction_scores, direction_hits = _score(text, lede, DIRECTION_RULES)
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
