"""Which section a story belongs in (pure): the source's default, then tags, then keywords."""

import re

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
SECTION_ORDER = (*DEFAULT_SECTIONS, "Other News", QUICK_LINKS)


def section_for(
    *, source_section: str | None, tags: list[str], title: str, text: str, has_deep_dive: bool
) -> str:
    """The section of a story; items without a Deep dive go to Quick Links."""
    if not has_deep_dive:
        return QUICK_LINKS
    if source_section:
        return source_section
    for tag in tags:
        for name in DEFAULT_SECTIONS:
            if tag.strip().lower() in (name.lower(), *_short_names(name)):
                return name
    haystack = f"{title} {title} {text[:3000]}".lower()
    best, best_hits = "Other News", 0
    for name, keywords in DEFAULT_SECTIONS.items():
        hits = sum(len(re.findall(rf"\b{re.escape(k)}\b", haystack)) for k in keywords)
        if hits > best_hits:
            best, best_hits = name, hits
    return best


def _short_names(name: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in re.split(r",| and ", name) if part.strip())
