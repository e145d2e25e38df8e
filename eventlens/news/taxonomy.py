"""The one vocabulary of topics and directions, with the labels and colours figures and tables show.

Classification (:mod:`eventlens.news.classify`), the events store, the
Articles page's correction menus, charts and the evaluation corpus all use
these codes; nothing else defines them.
"""

from __future__ import annotations

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
DIRECTION_LABELS = {
    "company_action": "company action",
    "easing": "easing (rules relaxed, access granted)",
    "tightening": "tightening (stricter rules, bans, fines)",
    "neutral": "neutral",
}
CATEGORY_COLORS = {
    "data_localisation": "#1f77b4",
    "customer_data_access": "#17becf",
    "security_clearance": "#2ca02c",
    "cross_border_transfer": "#9467bd",
    "government_restriction": "#d62728",
    "mapping_fsd": "#ff7f0e",
    "other": "#7f7f7f",
}


def category_label(category: object) -> str:
    """The label a reader sees for a category code (unknown codes shown as words, missing ones as such)."""
    if category is None or (isinstance(category, float) and category != category):  # None or NaN
        return "uncategorised"
    return TOPICS.get(str(category), str(category).replace("_", " "))
