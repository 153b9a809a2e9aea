"""Story clustering: same event from several sources becomes one item."""

from datetime import date

from devoured_core.similarity import hamming_distance, simhash, title_overlap
from devoured_publisher.clustering import TEXT_DISTANCE, cluster_stories
from devoured_publisher.edition import assemble_edition
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
