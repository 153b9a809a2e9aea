"""The edition's editor (pure): is a story on topic, which section is it, how important is it,
and what makes the cut.

Relevance and section come from keyword evidence (``classify``): each section's keywords, and
the scope's general keywords, are looked up in the title (weight 3), the feed's categories
(weight 3), the TL;DR (weight 2) and the first ``TEXT_WORDS`` words of the text (weight 1). A
keyword written with a capital letter ("AI", "GPU") matches only with that case; one written
with a leading ``~`` is weak (a fifth of the weight: "attack", "bank" also mean other things).
``relevance`` = 1 - exp(-evidence / ``RELEVANCE_SCALE``); the section is the one with the most
evidence, its ``confidence`` the share of the evidence it holds, damped when there is little.

Importance (``importance``): the source's weight, plus a point for every other source that told
the same event, up to a point for recency (lost over a day), up to a point for substance (the
text's length: 0 at 200 words, 1 at 1,600), half a point for relevance, and a point and a half
off a story the previous editions already told.

The cut (``edit``): clusters best first fill their sections up to each section's cap and the
edition's cap; the rest become Quick Links (headline and TL;DR), up to their own cap; off-topic
stories go to "Other" or are dropped. Every story gets a ``Decision`` saying where it went and
why.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from devoured_core.model import Story
from devoured_core.similarity import title_overlap, title_words
from devoured_publisher.merging import TITLE_MIN_SHARED_WORDS, TITLE_OVERLAP

QUICK_LINKS = "Quick Links"
OTHER_NEWS = "Other News"
OFF_TOPIC = "Other"
"""Off-topic stories, when they are kept (headline and TL;DR only, after Quick Links)."""
BRIEF_SECTIONS = frozenset({QUICK_LINKS, OFF_TOPIC})
"""Sections whose stories show as headline and TL;DR only."""

TEXT_WORDS = 600
RELEVANCE_SCALE = 6.0
WEAK = 0.2
FIELD_WEIGHTS = {"title": 3.0, "tags": 3.0, "tldr": 2.0, "text": 1.0}

Placement = Literal["lead", "quick_link", "other", "merged", "dropped"]

# The default scope: a technology digest in the seed's sections. General technology words count
# for relevance only; section words count for both.
SCOPE_KEYWORDS: tuple[str, ...] = (
    "technology",
    "tech",
    "software",
    "hardware",
    "computer",
    "computers",
    "computing",
    "internet",
    "~online",
    "web",
    "website",
    "digital",
    "app",
    "apps",
    "smartphone",
    "smartphones",
    "~phone",
    "iphone",
    "ipad",
    "android",
    "ios",
    "tablet",
    "laptop",
    "PC",
    "~device",
    "~devices",
    "gadget",
    "chip",
    "chips",
    "processor",
    "semiconductor",
    "broadband",
    "wireless",
    "telecom",
    "~network",
    "cloud",
    "server",
    "servers",
    "browser",
    "~windows",
    "linux",
    "~mac",
    "engineer",
    "engineers",
    "engineering",
    "algorithm",
    "robot",
    "robotics",
    "video game",
    "video games",
    "game console",
    "~console",
    "~gaming",
    "~users",
    "~e-mail",
    "~email",
    "search engine",
    "silicon valley",
    "IT",
    "GPS",
    "firmware",
    "~download",
    "electric vehicle",
)

DEFAULT_SECTIONS: dict[str, tuple[str, ...]] = {
    "AI": (
        "AI",
        "artificial intelligence",
        "machine learning",
        "LLM",
        "LLMs",
        "language model",
        "language models",
        "neural network",
        "neural networks",
        "deep learning",
        "openai",
        "anthropic",
        "deepmind",
        "claude",
        "gemini",
        "chatgpt",
        "gpt",
        "GPU",
        "GPUs",
        "nvidia",
        "inference",
        "training run",
        "chatbot",
        "~agents",
        "agentic",
        "model weights",
        "multimodal",
        "~benchmark",
        "~benchmarks",
        "transformer",
        "fine-tuning",
        "data center",
        "data centers",
        "compute",
        "~model",
        "~models",
        "AI model",
        "AI models",
        "open-weight",
        "reasoning model",
        "~parameters",
        "agent",
        "copilot",
        "~training",
    ),
    "Big Tech and Startups": (
        "startup",
        "startups",
        "~funding",
        "series a",
        "series b",
        "venture capital",
        "acquisition",
        "acquires",
        "IPO",
        "antitrust",
        "big tech",
        "valuation",
        "google",
        "apple",
        "microsoft",
        "amazon",
        "meta",
        "facebook",
        "twitter",
        "intel",
        "samsung",
        "ibm",
        "yahoo",
        "verizon",
        "Sprint",
        "nokia",
        "sony",
        "nintendo",
        "uber",
        "tesla",
        "iphone",
        "ipad",
        "android",
        "~windows",
        "smartphone",
        "tablet",
        "xbox",
        "playstation",
        "~ceo",
        "~layoffs",
        "~price",
        "~shares",
        "~revenue",
    ),
    "Science": (
        "science",
        "scientists",
        "scientific",
        "research",
        "researchers",
        "~study",
        "physics",
        "quantum",
        "biology",
        "chemistry",
        "genome",
        "gene",
        "protein",
        "bacteria",
        "bacterial",
        "molecule",
        "molecular",
        "~space",
        "satellite",
        "rocket",
        "mars",
        "~moon",
        "nasa",
        "telescope",
        "astronomers",
        "spacecraft",
        "orbit",
        "climate",
        "species",
        "battery",
        "~energy",
        "fusion",
        "supercomputer",
        "~journal",
        "~paper",
        "~experiment",
        "~disease",
        "~vaccine",
        "clinical",
        "~patients",
        "~medical",
        "allergies",
        "sea ice",
        "~arctic",
    ),
    "Programming, Design and Data": (
        "programming",
        "programmer",
        "programmers",
        "developer",
        "developers",
        "~code",
        "coding",
        "rust",
        "python",
        "javascript",
        "typescript",
        "java",
        "css",
        "html",
        "sql",
        "database",
        "framework",
        "~library",
        "compiler",
        "kernel",
        "git",
        "github",
        "open source",
        "open-source",
        "API",
        "APIs",
        "frontend",
        "backend",
        "devops",
        "monitoring",
        "UX",
        "UI",
        "~designer",
        "~designers",
        "figma",
        "~design",
        "~data",
        "visualization",
        "workflow",
        "repository",
        "script",
        "scripts",
        "AWS",
        "~instances",
    ),
    "Security": (
        "security",
        "vulnerability",
        "vulnerabilities",
        "ransomware",
        "breach",
        "malware",
        "malicious",
        "CVE",
        "exploit",
        "hacker",
        "hackers",
        "hacking",
        "hacked",
        "phishing",
        "scam",
        "~fraud",
        "encryption",
        "password",
        "passwords",
        "privacy",
        "surveillance",
        "spyware",
        "trojan",
        "~virus",
        "botnet",
        "DevSecOps",
        "vulnerable",
        "~patch",
        "~patches",
        "~attack",
        "~attacks",
    ),
    "Crypto and Fintech": (
        "crypto",
        "cryptocurrency",
        "bitcoin",
        "ethereum",
        "stablecoin",
        "blockchain",
        "fintech",
        "payments",
        "defi",
        "~token",
        "~tokens",
        "DAO",
        "~exchange",
        "coinbase",
        "perpetual",
        "~futures",
        "Visa",
        "mastercard",
        "~bank",
        "~banks",
        "~banking",
        "TVL",
        "on-chain",
        "onchain",
        "wallet",
        "wallets",
        "web3",
        "~bridge",
        "~protocol",
        "~hack",
    ),
}


@dataclass(frozen=True)
class Classification:
    """What the editor thinks of one story on its own: relevance, section and confidence."""

    relevance: float
    section: str
    confidence: float
    reason: str
    language: str | None = None


@dataclass(frozen=True)
class Decision:
    """Where the editor put a story in an edition, and why."""

    article_id: str
    placement: Placement
    section: str
    relevance: float | None
    confidence: float | None
    score: float
    reason: str

    def as_json(self) -> dict[str, object]:
        return {
            "article_id": self.article_id,
            "placement": self.placement,
            "section": self.section,
            "relevance": None if self.relevance is None else round(self.relevance, 3),
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "score": round(self.score, 3),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class EditorPolicy:
    """A deployment's editorial choices (from the publisher's settings and sections file)."""

    sections: Mapping[str, Sequence[str]] = field(default_factory=lambda: dict(DEFAULT_SECTIONS))
    scope_keywords: Sequence[str] = SCOPE_KEYWORDS
    min_relevance: float = 0.5
    off_topic: Literal["other", "drop"] = "other"
    always_relevant: frozenset[str] = frozenset()
    """Source ids, source names or host names whose stories are always on topic."""
    languages: frozenset[str] = frozenset()
    """ISO 639-1 codes an edition keeps; empty keeps every language."""
    max_stories: int = 48
    section_max: int = 12
    section_caps: Mapping[str, int] = field(default_factory=dict)
    quick_links_max: int = 40
    other_max: int = 20
    """Off-topic stories listed in "Other" (with ``off_topic="other"``); the rest are dropped."""

    def cap_of(self, section: str) -> int:
        return self.section_caps.get(section, self.section_max)


DEFAULT_POLICY = EditorPolicy()


# --- classification -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Matcher:
    folded: re.Pattern[str] | None
    exact: re.Pattern[str] | None
    strength: dict[str, float]


def _matcher(keywords: Sequence[str]) -> _Matcher:
    strength: dict[str, float] = {}
    folded: list[str] = []
    exact: list[str] = []
    for raw in keywords:
        weak = raw.startswith("~")
        word = raw.lstrip("~").strip()
        if not word:
            continue
        cased = word != word.lower()
        key = word if cased else word.lower()
        strength[key] = WEAK if weak else 1.0
        (exact if cased else folded).append(re.escape(key))
    return _Matcher(_union(folded, re.IGNORECASE), _union(exact, 0), strength)


def _union(words: list[str], flags: int) -> re.Pattern[str] | None:
    if not words:
        return None
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(ordered)})(?![\w-])", flags)


_MATCHERS: dict[tuple[str, ...], _Matcher] = {}


def _cached(keywords: Sequence[str]) -> _Matcher:
    key = tuple(keywords)
    if key not in _MATCHERS:
        if len(_MATCHERS) > 256:
            _MATCHERS.clear()
        _MATCHERS[key] = _matcher(key)
    return _MATCHERS[key]


def _evidence(matcher: _Matcher, fields: Mapping[str, str]) -> float:
    total = 0.0
    for name, text in fields.items():
        counts: dict[str, int] = {}
        for pattern, fold in ((matcher.folded, True), (matcher.exact, False)):
            if pattern is None:
                continue
            for match in pattern.findall(text):
                key = match.lower() if fold else match
                counts[key] = counts.get(key, 0) + 1
        total += FIELD_WEIGHTS[name] * sum(
            matcher.strength.get(k, 1.0) * math.sqrt(min(n, 4)) for k, n in counts.items()
        )
    return total


def classify(
    *,
    title: str,
    text: str,
    tldr: str = "",
    tags: Sequence[str] = (),
    source_section: str | None = None,
    source_keys: Sequence[str] = (),
    policy: EditorPolicy = DEFAULT_POLICY,
) -> Classification:
    """Relevance to the edition's scope, section and confidence of one story.

    ``source_section`` (the source's default section) decides the section; ``source_keys``
    (the source's id, name and host) matching ``policy.always_relevant`` make it on topic.
    """
    fields = {
        "title": title,
        "tags": " ; ".join(tags),
        "tldr": tldr,
        "text": " ".join(text.split()[:TEXT_WORDS]),
    }
    per_section = {
        name: _evidence(_cached(words), fields) for name, words in policy.sections.items()
    }
    scope = _evidence(_cached(policy.scope_keywords), fields)
    evidence = scope + sum(per_section.values())
    relevance = 1.0 - math.exp(-evidence / RELEVANCE_SCALE)
    pinned = _pinned(source_keys, policy)
    if source_section:
        return Classification(1.0, source_section, 1.0, "the source's section")
    tagged = _tagged_section(tags, policy.sections)
    if tagged:
        return Classification(
            1.0 if pinned else max(relevance, 0.9), tagged, 0.9, "a feed category names it"
        )
    if pinned:
        relevance = 1.0
    ranked = sorted(
        per_section.items(), key=lambda kv: (-kv[1], list(policy.sections).index(kv[0]))
    )
    if not ranked or ranked[0][1] <= 0:
        return Classification(relevance, OTHER_NEWS, 0.0, "no section's keywords")
    (best, top), second = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
    confidence = (top / (top + second)) * (1.0 - math.exp(-top / 3.0))
    return Classification(relevance, best, confidence, f"keywords of {best}")


def _pinned(source_keys: Sequence[str], policy: EditorPolicy) -> bool:
    wanted = {k.lower() for k in policy.always_relevant}
    return any(k and k.lower() in wanted for k in source_keys)


def _tagged_section(tags: Sequence[str], sections: Mapping[str, Sequence[str]]) -> str | None:
    for tag in tags:
        for name in sections:
            if tag.strip().lower() in (name.lower(), *_short_names(name)):
                return name
    return None


def _short_names(name: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in re.split(r",| and ", name) if part.strip())


def source_keys(*, source_id: str, source_name: str, url: str) -> tuple[str, ...]:
    """What ``EditorPolicy.always_relevant`` may name a source by: id, name, host."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return (source_id, source_name, host)


# --- importance -----------------------------------------------------------------------------


def word_count(text: str) -> int:
    return len(text.split())


def story_words(story: Story) -> int:
    return word_count(story.text) if story.text_words is None else story.text_words


def substance(words: int) -> float:
    """0 for 200 words or fewer, 1 for 1,600 or more, logarithmic between."""
    if words <= 200:
        return 0.0
    return min(1.0, math.log2(words / 200) / 3)


def is_repeat(title: str, previous_titles: Sequence[str]) -> bool:
    """The title tells a story an earlier edition told (clustering's title rule)."""
    words = title_words(title)
    return any(
        len(words & title_words(p)) >= TITLE_MIN_SHARED_WORDS
        and title_overlap(title, p) >= TITLE_OVERLAP
        for p in previous_titles
    )


def importance(
    story: Story,
    *,
    newest: datetime,
    sources: int = 1,
    relevance: float | None = None,
    repeat: bool = False,
) -> float:
    moment = story.published_at or story.received_at
    hours_old = max(0.0, (newest - moment).total_seconds() / 3600)
    return (
        story.source_weight
        + 1.0 * (sources - 1)
        + max(0.0, 1.0 - hours_old / 24)
        + substance(story_words(story))
        + 0.5 * (1.0 if relevance is None else relevance)
        - (1.5 if repeat else 0.0)
    )


# --- the cut --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cut:
    """The editor's edition: stories by section (in display order within each), the score of
    each placed story, and a decision for every story it was given."""

    sections: dict[str, list[Story]]
    scores: dict[str, float]
    decisions: dict[str, Decision]


def edit(
    clusters: Sequence[tuple[Story, Sequence[Story]]],
    *,
    notes: Mapping[str, Classification],
    newest: datetime,
    previous_titles: Sequence[str] = (),
    policy: EditorPolicy = DEFAULT_POLICY,
) -> Cut:
    """Place each cluster (its lead story and the other sources' stories of the same event).

    A story without a note (stored before the editor) keeps its stored section and counts as
    on topic.
    """
    decisions: dict[str, Decision] = {}
    scores: dict[str, float] = {}
    ranked: list[tuple[float, Story, Classification | None]] = []
    for lead, also in clusters:
        note = notes.get(lead.article_id)
        sources = len({lead.source_name, *(o.source_name for o in also)})
        score = importance(
            lead,
            newest=newest,
            sources=sources,
            relevance=note.relevance if note else None,
            repeat=is_repeat(lead.title, previous_titles),
        )
        scores[lead.article_id] = score
        ranked.append((score, lead, note))
        for other in also:
            decisions[other.article_id] = _decision(
                other, notes.get(other.article_id), "merged", score, f"same event as {lead.url}"
            )
    ranked.sort(key=lambda item: (-item[0], item[1].article_id))
    sections: dict[str, list[Story]] = {}
    placed = quick = listed = 0
    for score, story, note in ranked:
        section = note.section if note else (story.section or OTHER_NEWS)
        if note and note.relevance < policy.min_relevance:
            why = f"off topic: relevance {note.relevance:.2f} < {policy.min_relevance:.2f}"
            if policy.off_topic == "drop":
                decisions[story.article_id] = _decision(story, note, "dropped", score, why)
            elif listed >= policy.other_max:
                why = f"{why}; Other full ({policy.other_max})"
                decisions[story.article_id] = _decision(story, note, "dropped", score, why)
            else:
                sections.setdefault(OFF_TOPIC, []).append(story)
                listed += 1
                decisions[story.article_id] = _decision(story, note, "other", score, why)
            continue
        full = _why_not_lead(story, section, sections, placed, policy)
        if full is None:
            sections.setdefault(section, []).append(story)
            placed += 1
            why = note.reason if note else "stored section"
            decisions[story.article_id] = _decision(story, note, "lead", score, why, section)
        elif quick < policy.quick_links_max:
            sections.setdefault(QUICK_LINKS, []).append(story)
            quick += 1
            decisions[story.article_id] = _decision(story, note, "quick_link", score, full, section)
        else:
            why = f"{full}; Quick Links full ({policy.quick_links_max})"
            decisions[story.article_id] = _decision(story, note, "dropped", score, why, section)
    return Cut(sections=sections, scores=scores, decisions=decisions)


def _why_not_lead(
    story: Story, section: str, sections: Mapping[str, list[Story]], placed: int, p: EditorPolicy
) -> str | None:
    if not story.deep_dive or section == QUICK_LINKS:
        return "no Deep dive"
    if placed >= p.max_stories:
        return f"edition full ({p.max_stories} stories)"
    if len(sections.get(section, ())) >= p.cap_of(section):
        return f"{section} full ({p.cap_of(section)} stories)"
    return None


def _decision(
    story: Story,
    note: Classification | None,
    placement: Placement,
    score: float,
    reason: str,
    section: str | None = None,
) -> Decision:
    return Decision(
        article_id=story.article_id,
        placement=placement,
        section=section or (note.section if note else (story.section or OTHER_NEWS)),
        relevance=note.relevance if note else None,
        confidence=note.confidence if note else None,
        score=score,
        reason=reason,
    )


def keep_language(note: Classification | None, policy: EditorPolicy) -> bool:
    """False for a story in a language the edition does not carry (unknown languages stay)."""
    if not policy.languages or note is None or not note.language:
        return True
    return note.language.lower().split("-")[0] in policy.languages


# --- the overview ---------------------------------------------------------------------------

_LOWER_FIRST = frozenset(
    "The A An This These Those Its Their It There Here Some Many Most New Researchers "
    "Scientists Developers Users".split()
)
_CONNECTORS = ("", "Elsewhere, ", "And ")
OVERVIEW_MAX_WORDS = 110
OVERVIEW_POOL = 6
"""The overview is written from the edition's best stories only: the top six."""


def write_overview(top: Sequence[Story]) -> str:
    """One paragraph of two or three sentences about the day's top stories, from their
    TL;DRs, joined as prose rather than listed: from the best ``OVERVIEW_POOL`` stories, one
    per section first, third-person TL;DRs first."""
    if not top:
        return "No stories today."
    sentences: list[str] = []
    words = 0
    plain, first_person = _by_voice(top[:OVERVIEW_POOL])
    ordered = _one_per_section(plain) + first_person
    # A TL;DR that leans on a sentence before it ("Respectively, these ...") cannot open a
    # paragraph about the day; it is used only when nothing else is left.
    ordered = [s for s in ordered if _stands_alone(s.tldr)] + [
        s for s in ordered if not _stands_alone(s.tldr)
    ]
    for story in ordered[:3]:
        sentence = _sentence(story.tldr or story.title)
        size = len(sentence.split())
        if sentences and words + size > OVERVIEW_MAX_WORDS:
            break
        sentences.append(_joined(_CONNECTORS[len(sentences)], sentence, story.text))
        words += size
    return " ".join(sentences)


def accept_overview(text: str | None, brief: str | None = None) -> str | None:
    """An overview written elsewhere (an LLM), if it reads as one paragraph of two to four
    sentences and 20 to 150 words; None otherwise (the edition keeps its own). With the
    ``brief`` it was written from, it must also be about it: every figure in it appears in the
    brief, and it shares at least ``OVERVIEW_MIN_SHARED_WORDS`` content words with it."""
    if not text:
        return None
    paragraph = " ".join(text.split())
    sentences = len(re.findall(r"[.!?](?:\s|$)", paragraph))
    listed = re.search(r"(?m)^\s*(?:[-*•]|\d+[.)])\s", text)
    if listed or "\n\n" in text.strip() or not 20 <= len(paragraph.split()) <= 150:
        return None
    if not 2 <= sentences <= 4:
        return None
    if brief is not None:
        figures = set(re.findall(r"\d+(?:[.,]\d+)*", paragraph))
        given = set(re.findall(r"\d+(?:[.,]\d+)*", brief))
        shared = title_words(paragraph) & title_words(brief)
        if not figures <= given or len(shared) < OVERVIEW_MIN_SHARED_WORDS:
            return None
    return paragraph


OVERVIEW_MIN_SHARED_WORDS = 4
"""Content words an LLM's overview shares with its brief, at least: a paragraph about
something else (or about nothing) is not the day's overview."""


OVERVIEW_INSTRUCTIONS = (
    "Write the opening paragraph of today's technology digest: two or three sentences, one "
    "paragraph, naming the day's top stories below with their key figure. Prose, not a list; "
    "no headlines in quotes; only facts given below."
)


def _by_voice(top: Sequence[Story]) -> tuple[list[Story], list[Story]]:
    """``top`` split into third-person TL;DRs and first-person ones ("I", "we": a blog's
    voice, not the digest's), each in order."""
    first_person = re.compile(r"\b(?:I|I'm|I've|my|we|We|our|Our|us)\b")
    plain = [s for s in top if not first_person.search(s.tldr)]
    return plain, [s for s in top if s not in plain]


def _one_per_section(top: Sequence[Story]) -> list[Story]:
    """``top`` with each section's best story first, in order, then the others."""
    seen: set[str | None] = set()
    first: list[Story] = []
    for story in top:
        if story.section not in seen:
            seen.add(story.section)
            first.append(story)
    return first + [s for s in top if s not in first]


def overview_brief(top: Sequence[Story]) -> str:
    """What an LLM needs to write the overview: the top stories' headlines, TL;DRs and first
    facts, best first (the prompt's data part)."""
    lines = []
    for rank, story in enumerate(top[:5], 1):
        facts = " ".join(story.deep_dive[:3])
        lines.append(f"{rank}. {story.title} — {story.tldr} Facts: {facts}".strip())
    return "\n".join(lines)


def _joined(connector: str, sentence: str, text: str = "") -> str:
    """``sentence`` after ``connector``, its first word in lower case when that word is not a
    name: a known opener, or a word the article itself writes in lower case ("ransomware")."""
    if not connector:
        return sentence
    first, _, rest = sentence.partition(" ")
    title_case = rest[:1].isupper()  # "Order Processing: ..." is a heading, not prose
    common = first[1:].islower() and not title_case and _mostly_lower(first, text)
    if first in _LOWER_FIRST or common:
        first = first.lower()
    return f"{connector}{first} {rest}".rstrip()


def _mostly_lower(word: str, text: str) -> bool:
    """Whether ``text`` writes ``word`` in lower case at least as often as capitalised, as a
    word of prose (not inside an address: "mozilla.org" says nothing of "Mozilla")."""

    def count(form: str) -> int:
        return len(re.findall(rf"(?<![\w./@-]){re.escape(form)}(?![\w/@-]|\.\w)", text))

    lower = count(word.lower())
    return lower > 0 and lower >= count(word)


_LEANING_OPENER = re.compile(
    r"^(?:Respectively|However|But|And|Also|Meanwhile|Instead|Still|Yet|So|Thus|Therefore|"
    r"These|This|Those|That|It|They|He|She|His|Her|Its|Their|Such|Both|Neither)\b"
)


def _stands_alone(tldr: str) -> bool:
    """Whether ``tldr`` opens without leaning on a sentence before it."""
    return bool(tldr.strip()) and not _LEANING_OPENER.match(tldr.strip())


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", "…")) else text + "."
