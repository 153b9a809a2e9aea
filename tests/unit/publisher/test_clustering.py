"""Story clustering: same event from several sources becomes one item."""

import random
from datetime import date

import pytest

from devoured_core.model import Story
from devoured_core.similarity import hamming_distance, simhash, title_overlap
from devoured_publisher.clustering import (
    TEXT_BAND_SLACK,
    TEXT_BANDS,
    Groups,
    _bands,
    cluster_stories,
    text_pairs,
    text_signature,
    title_pairs,
)
from devoured_publisher.edition import assemble_edition
from devoured_publisher.merging import (
    MIN_SHARED_TITLE_WORDS,
    TEXT_DISTANCE,
    StoryText,
    prepare,
    same_story,
)
from tests.unit.publisher.made import VOCABULARY, made_stories
from tests.unit.samples import story

BODY = (
    "The regional grid operator said on Monday that battery storage sites absorbed most of the "
    "surplus solar output during the afternoon peak. Operators had warned in the spring that "
    "curtailment would rise as rooftop panels spread across the southern suburbs. Instead, "
    "twelve new storage parks charged at midday and released the energy after sunset, when "
    "demand climbs as households return home. Prices in the evening auction fell by almost a "
    "fifth compared with the same week last year, according to figures published by the "
    "exchange. Analysts cautioned that a cold winter could still strain reserves, because "
    "lithium cells lose capacity at low temperatures and the parks hold about four hours of "
    "energy. The operator plans to tender another two gigawatt-hours of capacity next year and "
    "will publish the rules for the auction in January, a spokesperson said."
)
OTHER = (
    "A compiler release adds incremental builds for large monorepos, cutting rebuild times "
    "for teams that change a handful of files between commits. The maintainers rewrote the "
    "dependency tracker so that it hashes module interfaces instead of source files, which lets "
    "an edit to a private function skip recompiling every downstream crate. Early adopters "
    "report that clean builds are unchanged while typical edit loops finish three times faster."
)


def test_simhash_is_close_for_near_duplicates_and_far_for_different_texts() -> None:
    edited = BODY.replace("Monday", "Tuesday", 1)
    assert hamming_distance(simhash(BODY), simhash(edited)) <= TEXT_DISTANCE
    assert hamming_distance(simhash(BODY), simhash(OTHER)) > 2 * TEXT_DISTANCE


def test_title_overlap_ignores_stopwords_and_numbers() -> None:
    assert (
        title_overlap(
            "Corvid unveils the Kestrel X3 accelerator",
            "Kestrel X3: Corvid unveils new accelerator",
        )
        >= 0.6
    )
    assert title_overlap("Storage 2", "Storage 3") == 1.0  # numbers ignored: one word left


def test_near_duplicate_texts_and_same_event_titles_cluster_others_do_not() -> None:
    stories = [
        story("a", title="Grid operator leans on batteries", text=BODY, source_weight=2.0),
        story("b", title="Batteries soak up solar surplus", text=BODY.replace("Monday", "Sunday")),
        story("c", title="Corvid unveils Kestrel X3 accelerator chip"),
        story("d", title="Kestrel X3 accelerator chip: Corvid unveils it"),
        story("e", title="Rust web framework reaches 1.0"),
        story("f", title="Storage 2"),
        story("g", title="Storage 3"),  # too few shared words to call it the same event
    ]
    clusters = cluster_stories(stories, score=lambda s: s.source_weight)
    groups = sorted(sorted([c.lead.article_id, *(s.article_id for s in c.also)]) for c in clusters)
    assert groups == [["a", "b"], ["c", "d"], ["e"], ["f"], ["g"]]
    lead = next(c for c in clusters if c.lead.article_id in {"a", "b"})
    assert lead.lead.article_id == "a"  # the heavier source leads


def test_edition_shows_one_item_per_event_with_also_covered_links() -> None:
    stories = [
        story("c", title="Corvid unveils Kestrel X3 accelerator chip", source_weight=2),
        story("d", title="Kestrel X3 accelerator chip: Corvid unveils it"),
        story("e", title="Rust web framework reaches 1.0"),
    ]
    edition = assemble_edition(stories, digest_name="D", day=date(2026, 11, 29))
    assert (edition.item_count, edition.story_count) == (2, 3)
    item = next(i for s in edition.to_message().sections for i in s.items if i.article_id == "c")
    assert [o.url for o in item.also_covered_by] == [stories[1].url]


# Candidate pairs (SimHash bands, title-word index) against comparing every pair.


def _all_pairs(stories: list[Story]) -> list[list[str]]:
    """The clusters as the rule defines them: every pair compared (the former algorithm)."""
    hashes = [text_signature(s.text) for s in stories]
    prepared = prepare(
        [StoryText(s.title, s.url, s.text, h) for s, h in zip(stories, hashes, strict=True)]
    )
    groups = Groups(len(stories))
    for i in range(len(stories)):
        for j in range(i + 1, len(stories)):
            if same_story(prepared[i], prepared[j]):
                groups.join(i, j)
    return sorted(sorted(stories[i].article_id for i in members) for members in groups.members())


@pytest.mark.parametrize("seed", range(6))
def test_clusters_equal_comparing_every_pair(seed: int) -> None:
    stories = made_stories(160, seed)
    clusters = cluster_stories(stories, score=lambda s: s.source_weight)
    found = sorted(sorted([c.lead.article_id, *(s.article_id for s in c.also)]) for c in clusters)
    expected = _all_pairs(stories)
    assert found == expected
    assert any(len(g) > 1 for g in expected)  # the stories do merge, or this shows nothing
    assert any(len(g) == 1 for g in expected)


@pytest.mark.parametrize("seed", range(4))
def test_text_pairs_are_every_pair_within_the_text_distance(seed: int) -> None:
    """The bands' guarantee: signatures up to TEXT_DISTANCE bits apart share a band, so every
    such pair is found, while far fewer than all pairs are compared."""
    rng = random.Random(seed)
    hashes: list[int | None] = []
    for _ in range(400):
        if hashes and rng.random() < 0.6:
            base = rng.choice([h for h in hashes if h is not None])
            flipped = rng.sample(range(64), rng.randint(0, TEXT_DISTANCE + 4))
            hashes.append(base ^ sum(1 << b for b in flipped))
        else:
            hashes.append(None if rng.random() < 0.1 else rng.getrandbits(64))
    near = {
        (i, j)
        for i, a in enumerate(hashes)
        for j, b in enumerate(hashes)
        if i < j and a is not None and b is not None and hamming_distance(a, b) <= TEXT_DISTANCE
    }
    far = sum(1 for a in hashes for b in hashes if a and b and hamming_distance(a, b) > 12)
    assert len(near) > 100
    assert far > 0
    assert set(text_pairs(hashes)) == near


@pytest.mark.parametrize("min_shared", [MIN_SHARED_TITLE_WORDS, 3])
@pytest.mark.parametrize("seed", range(4))
def test_title_pairs_are_every_pair_sharing_enough_title_words(seed: int, min_shared: int) -> None:
    rng = random.Random(seed)
    common = VOCABULARY[:6]  # in many titles: prefix filtering must not lose pairs on them
    titles: list[set[str]] = []
    for _ in range(400):
        if titles and rng.random() < 0.5:
            title = set(rng.choice(titles))
            for _ in range(rng.randint(0, 3)):
                title.discard(rng.choice(sorted(title)) if title else "")
                title.add(rng.choice(VOCABULARY))
        else:
            title = {rng.choice(common)} | set(rng.sample(VOCABULARY, rng.randint(1, 9)))
        titles.append(title)
    expected = {
        (i, j)
        for i, a in enumerate(titles)
        for j, b in enumerate(titles)
        if i < j and len(a & b) >= min_shared
    }
    assert len(expected) > 50
    assert set(title_pairs(titles, min_shared)) == expected


def test_the_bands_cover_every_bit_once_and_close_pairs_are_close_on_one() -> None:
    assert TEXT_DISTANCE < TEXT_BANDS * (TEXT_BAND_SLACK + 1)  # pigeonhole: one band is close
    covered = 0
    for shift, mask in _bands():
        assert covered & (mask << shift) == 0
        covered |= mask << shift
    assert covered == (1 << 64) - 1


def test_a_signature_is_memoised_and_short_texts_have_none() -> None:
    assert text_signature(BODY) == simhash(BODY)
    assert text_signature(BODY) == text_signature(str(BODY))
    assert text_signature("Too short to tell.") is None
