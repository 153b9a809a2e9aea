"""Editions of any size made from real article text, for the website benchmark.

The text is the seed digest's extracted articles (``../shared/seed/dev_stories.json``, read
at run time, never copied), or without them the bundled sample site's pages (our own). Each
story is a window of that text: most are fresh windows, about a third retell an earlier story
(a few words changed, most of its title kept, now and then on the same URL), so the edition
has near-duplicates, title matches and unrelated stories, as a day of many sources does.
"""

import json
import random
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from devoured_core.messages import DecoderTerm
from devoured_core.model import Story
from devoured_publisher.sections import SECTION_ORDER

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "dev_stories.json"
DAY = date(2026, 11, 29)
NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def corpus() -> tuple[list[str], str]:
    """The sentences of every source text, and where they came from."""
    if SEED.is_file():
        stories = json.loads(SEED.read_text(encoding="utf-8"))["stories"]
        texts = [s["article"] for s in stories if s.get("article")]
        where = f"{len(texts)} real articles of {SEED.name}"
    else:
        from devoured_embedded.sample_server import SAMPLE_SITE
        from devoured_extractor.extract import extract_content

        pages = sorted((SAMPLE_SITE / "articles").glob("*.html"))
        texts = [extract_content(p.read_text(encoding="utf-8"), None).text for p in pages]
        where = f"{len(texts)} sample-site pages (../shared missing)"
    sentences = [s for text in texts for s in _SENTENCE.split(" ".join(text.split())) if s]
    return sentences, where


def make_stories(count: int, sentences: list[str], *, seed: int = 7) -> list[Story]:
    """``count`` stories: a fresh one is 4-40 sentences drawn from all the texts (so two fresh
    ones are unrelated), a retelling an earlier one with some words changed."""
    rng = random.Random(seed)
    words = " ".join(sentences).split()
    made: list[Story] = []
    for index in range(count):
        if made and rng.random() < 0.35:
            base = rng.choice(made)
            text = base.text.split()
            for _ in range(rng.randint(0, max(1, len(text) // 30))):
                text[rng.randrange(len(text))] = rng.choice(words)
            title = base.title.split()
            for _ in range(rng.randint(0, 2)):
                title[rng.randrange(len(title))] = rng.choice(words)
            url = base.url if rng.random() < 0.05 else f"https://site{index % 97}.example/{index}"
        else:
            text = " ".join(rng.sample(sentences, k=rng.randint(4, 40))).split()
            pool = [w for w in text if len(w) > 3] or text
            title = rng.sample(pool, k=min(8, len(pool)))
            url = f"https://site{index % 97}.example/{index}"
        body = " ".join(text)
        parts = _SENTENCE.split(body)
        made.append(
            Story(
                article_id=f"bench-{index:05d}",
                edition_date=DAY,
                edition_id=DAY.isoformat(),
                section=rng.choice(SECTION_ORDER),
                title=" ".join(title),
                url=url,
                source_name=f"Source {index % 97}",
                source_weight=rng.choice([0.5, 1.0, 1.0, 2.0]),
                reading_minutes=max(1, len(text) // 230),
                published_at=NOON - timedelta(minutes=rng.randint(0, 1200)),
                tldr=parts[0][:300],
                deep_dive=[s[:300] for s in parts[1:5]],
                decoder=[DecoderTerm(term="Term", definition="What the term means.")],
                text=body,
                received_at=NOON,
            )
        )
    return made
