"""Which section a story belongs in (pure): the source's default, then tags, then keywords."""

import re
from collections.abc import Mapping, Sequence

QUICK_LINKS = "Quick Links"
DEFAULT_SECTIONS: dict[str, tuple[str, ...]] = {
    "AI": (
        "ai",
        "artificial intelligence",
        "machine learning",
        "llm",
        "language model",
        "neural",
        "openai",
        "anthropic",
        "gpu",
        "inference",
        "training run",
        "chatbot",
    ),
    "Big Tech and Startups": (
        "startup",
        "funding",
        "series a",
        "series b",
        "acquisition",
        "acquires",
        "ipo",
        "antitrust",
        "big tech",
        "valuation",
    ),
    "Science": (
        "science",
        "research",
        "study",
        "physics",
        "quantum",
        "biology",
        "space",
        "satellite",
        "battery",
        "climate",
        "nasa",
        "telescope",
        "paper",
    ),
    "Programming, Design and Data": (
        "programming",
        "developer",
        "rust",
        "python",
        "javascript",
        "css",
        "database",
        "framework",
        "compiler",
        "kernel",
        "open source",
        "open-source",
        "api",
        "design",
        "data",
    ),
    "Security": (
        "security",
        "vulnerability",
        "ransomware",
        "breach",
        "malware",
        "cve",
        "exploit",
        "attack",
        "privacy",
        "phishing",
    ),
    "Crypto and Fintech": (
        "crypto",
        "bitcoin",
        "ethereum",
        "stablecoin",
        "blockchain",
        "fintech",
        "payments",
        "bank",
        "defi",
    ),
}
OTHER_NEWS = "Other News"
SECTION_ORDER = (*DEFAULT_SECTIONS, OTHER_NEWS, QUICK_LINKS)


def section_for(
    *,
    source_section: str | None,
    tags: list[str],
    title: str,
    text: str,
    has_deep_dive: bool,
    sections: Mapping[str, Sequence[str]] = DEFAULT_SECTIONS,
) -> str:
    """The section of a story: Quick Links without a Deep dive, else the source's default,
    else a tag naming a section, else the section whose keywords the story uses most."""
    if not has_deep_dive:
        return QUICK_LINKS
    if source_section:
        return source_section
    for tag in tags:
        for name in sections:
            if tag.strip().lower() in (name.lower(), *_short_names(name)):
                return name
    haystack = f"{title} {title} {text[:3000]}".lower()
    best, best_hits = OTHER_NEWS, 0
    for name, keywords in sections.items():
        hits = sum(len(re.findall(rf"\b{re.escape(k.lower())}\b", haystack)) for k in keywords)
        if hits > best_hits:
            best, best_hits = name, hits
    return best


def section_order(sections: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Configured sections in their order, then Other News and Quick Links."""
    return (*(n for n in sections if n not in (OTHER_NEWS, QUICK_LINKS)), OTHER_NEWS, QUICK_LINKS)


def _short_names(name: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in re.split(r",| and ", name) if part.strip())
