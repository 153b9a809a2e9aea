"""Stories made from our own made-up words, for the clustering and edition tests."""

import random

from devoured_core.model import Story
from tests.unit.samples import story

VOCABULARY = [
    f"{consonant}{vowel}{end}"
    for consonant in "bdfgklmnprstvz"
    for vowel in ("a", "e", "i", "o", "u", "ai", "ou")
    for end in ("n", "r", "st", "lk", "mp")
]


def made_stories(count: int, seed: int) -> list[Story]:
    """Stories from our own made-up words: fresh ones, and retellings of earlier ones with a few
    words changed (texts from 0 to ~20 SimHash bits apart, titles sharing 1-5 words), some on
    the same URL, some too short for a signature."""
    rng = random.Random(seed)
    made: list[Story] = []
    for index in range(count):
        if made and rng.random() < 0.5:
            base = rng.choice(made)
            text = base.text.split()
            for _ in range(rng.choice([0, 1, 2, 4, 8, 16, 40])):
                text[rng.randrange(len(text))] = rng.choice(VOCABULARY)
            title = base.title.split()
            for _ in range(rng.randint(0, 4)):
                title[rng.randrange(len(title))] = rng.choice(VOCABULARY)
            url = base.url if rng.random() < 0.1 else f"https://{seed}.example/{index}"
        else:
            length = rng.choice([20, 120, 300])
            text = [rng.choice(VOCABULARY) for _ in range(length)]
            title = [rng.choice(VOCABULARY) for _ in range(rng.randint(3, 8))]
            url = f"https://{seed}.example/{index}"
        made.append(story(f"s{index:04d}", title=" ".join(title), text=" ".join(text), url=url))
    return made
