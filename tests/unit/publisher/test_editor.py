"""The edition's editor: relevance, sections, importance, caps, decisions and overview."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from devoured_publisher.edition import assemble_edition
from devoured_publisher.editor import (
    DEFAULT_SECTIONS,
    OFF_TOPIC,
    QUICK_LINKS,
    Classification,
    EditorPolicy,
    _joined,
    accept_overview,
    classify,
    importance,
    is_repeat,
    write_overview,
)
from devoured_publisher.pages import render_html
from devoured_publisher.render import render_json
from tests.unit.samples import WHEN, story

DAY = date(2026, 11, 29)
SPORTS = (
    "The home side scored twice in the second half to win the derby. The striker said the "
    "team had trained hard all week and the coach praised the defence after the match."
)
LABELS = Path(__file__).resolve().parents[2] / "testdata" / "editor"
SHARED = Path(__file__).resolve().parents[4] / "shared"


def note(section: str = "AI", relevance: float = 0.9, **changes: object) -> Classification:
    values: dict[str, object] = {
        "relevance": relevance,
        "section": section,
        "confidence": 0.8,
        "reason": f"keywords of {section}",
    }
    return Classification(**(values | changes))  # type: ignore[arg-type]


# --- classification -------------------------------------------------------------------------


def test_technology_story_is_relevant_and_filed_by_its_keywords() -> None:
    result = classify(
        title="Ransomware gang exploits a VPN vulnerability",
        text="Attackers used malware and a phishing campaign; the security patch is out.",
    )
    assert result.section == "Security"
    assert result.relevance > 0.7
    assert result.confidence > 0.5


def test_sports_story_is_off_topic() -> None:
    result = classify(title="Derby won with two late goals", text=SPORTS)
    assert result.relevance < 0.5


def test_weak_words_alone_do_not_make_a_story_relevant() -> None:
    result = classify(title="The bank raised its price", text="The bank said the attack on prices")
    assert result.relevance < 0.5


def test_capitalised_keywords_match_their_case_only() -> None:
    assert classify(title="Ai Weiwei opens an exhibition", text=SPORTS).section != "AI"
    assert classify(title="AI lab ships a model", text="").section == "AI"


def test_source_section_and_always_relevant_sources_win() -> None:
    pinned = EditorPolicy(always_relevant=frozenset({"club.example"}))
    sourced = classify(title="Derby", text=SPORTS, source_section="Science")
    kept = classify(
        title="Derby", text=SPORTS, source_keys=("s", "S", "club.example"), policy=pinned
    )
    assert (sourced.section, sourced.relevance, sourced.confidence) == ("Science", 1.0, 1.0)
    assert kept.relevance == 1.0


def test_feed_category_naming_a_section_files_it_there() -> None:
    result = classify(title="Derby", text=SPORTS, tags=["Crypto"])
    assert (result.section, result.confidence) == ("Crypto and Fintech", 0.9)


def test_sections_file_keywords_replace_the_defaults() -> None:
    policy = EditorPolicy(sections={"Energy": ("turbine", "grid")})
    result = classify(title="A quieter turbine", text="The grid took it.", policy=policy)
    assert result.section == "Energy"


# --- importance -----------------------------------------------------------------------------


def test_coverage_by_other_sources_and_substance_raise_importance() -> None:
    short = story("s", text="word " * 100)
    long = story("l", text="word " * 1600)
    assert importance(long, newest=WHEN) > importance(short, newest=WHEN)
    assert importance(short, newest=WHEN, sources=3) > importance(long, newest=WHEN)


def test_a_story_told_by_a_previous_edition_ranks_lower() -> None:
    title = "Quantum chip maker raises record funding round"
    assert is_repeat(title, ["Quantum chip maker raises a record funding round today"])
    assert not is_repeat(title, ["Derby won with two late goals"])
    fresh = importance(story("a", title=title), newest=WHEN)
    assert importance(story("a", title=title), newest=WHEN, repeat=True) < fresh


def test_ranking_ignores_arrival_order() -> None:
    stories = [
        story("late-small", received_at=WHEN, text="short"),
        story("early-big", received_at=WHEN - timedelta(hours=2), text="word " * 2000),
    ]
    notes = {s.article_id: note("Science") for s in stories}
    edition = assemble_edition(stories, digest_name="D", day=DAY, notes=notes)
    assert [s.article_id for s in edition.sections[0][1]] == ["early-big", "late-small"]


# --- the cut --------------------------------------------------------------------------------


def test_section_and_edition_caps_send_the_rest_to_quick_links() -> None:
    stories = [story(f"a{i}", source_weight=10 - i) for i in range(5)]
    stories += [story(f"s{i}", source_weight=5 - i) for i in range(3)]
    notes = {s.article_id: note("AI" if s.article_id[0] == "a" else "Security") for s in stories}
    policy = EditorPolicy(section_max=3, section_caps={"Security": 2}, max_stories=4)
    edition = assemble_edition(stories, digest_name="D", day=DAY, notes=notes, policy=policy)
    sections = {name: [s.article_id for s in items] for name, items in edition.sections}
    assert sections["AI"] == ["a0", "a1", "a2"]
    assert sections["Security"] == ["s0"]  # then the edition was full
    assert sections[QUICK_LINKS] == ["a3", "a4", "s1", "s2"]
    assert edition.decisions["a3"].reason == "AI full (3 stories)"
    assert edition.decisions["s1"].reason == "edition full (4 stories)"
    assert edition.decisions["a0"].placement == "lead"


def test_quick_links_have_a_cap_too() -> None:
    stories = [story(f"q{i}", deep_dive=[], section=QUICK_LINKS) for i in range(4)]
    notes = {s.article_id: note(QUICK_LINKS) for s in stories}
    policy = EditorPolicy(quick_links_max=2)
    edition = assemble_edition(stories, digest_name="D", day=DAY, notes=notes, policy=policy)
    placements = sorted(d.placement for d in edition.decisions.values())
    assert placements == ["dropped", "dropped", "quick_link", "quick_link"]


@pytest.mark.parametrize(("off_topic", "listed"), [("other", True), ("drop", False)])
def test_off_topic_stories_go_to_other_or_are_dropped(off_topic: str, listed: bool) -> None:
    stories = [story("on"), story("off")]
    notes = {"on": note("Science"), "off": note("Other News", relevance=0.1)}
    policy = EditorPolicy(off_topic=off_topic)  # type: ignore[arg-type]
    edition = assemble_edition(stories, digest_name="D", day=DAY, notes=notes, policy=policy)
    names = [name for name, _ in edition.sections]
    assert (OFF_TOPIC in names) is listed
    assert names[0] == "Science"
    assert edition.decisions["off"].placement == ("other" if listed else "dropped")
    assert edition.decisions["off"].reason.startswith("off topic: relevance 0.10")


def test_other_list_has_a_cap() -> None:
    stories = [story(f"o{i}", source_weight=5 - i) for i in range(3)]
    notes = {s.article_id: note(relevance=0.1) for s in stories}
    policy = EditorPolicy(other_max=2)
    edition = assemble_edition(stories, digest_name="D", day=DAY, notes=notes, policy=policy)
    assert [(n, [s.article_id for s in items]) for n, items in edition.sections] == [
        (OFF_TOPIC, ["o0", "o1"])
    ]
    assert edition.decisions["o2"].reason.endswith("Other full (2)")


def test_languages_setting_keeps_only_those_languages() -> None:
    stories = [story("en"), story("de"), story("unknown")]
    notes = {
        "en": note(language="en"),
        "de": note(language="de"),
        "unknown": note(language=None),
    }
    policy = EditorPolicy(languages=frozenset({"en"}))
    edition = assemble_edition(stories, digest_name="D", day=DAY, notes=notes, policy=policy)
    shown = {s.article_id for _, items in edition.sections for s in items}
    assert shown == {"en", "unknown"}
    assert edition.decisions["de"].reason == "language de not in the edition's languages"


def test_stories_without_notes_keep_their_stored_section() -> None:
    edition = assemble_edition([story("old", section="Security")], digest_name="D", day=DAY)
    assert [name for name, _ in edition.sections] == ["Security"]
    assert edition.decisions["old"].relevance is None


def test_decisions_are_in_the_json_and_the_page() -> None:
    stories = [
        story("a", title="Tidal power wins", url="https://a.example/x"),
        story("b", title="Tidal power wins", url="https://b.example/x", source_name="B"),
        story("off", title="Derby result", url="https://c.example/d"),
    ]
    notes = {"a": note("Science"), "b": note("Science"), "off": note("AI", relevance=0.2)}
    edition = assemble_edition(stories, digest_name="D", day=DAY, notes=notes)
    document = json.loads(render_json(edition))
    assert document["item_count"] == 2
    by_id = {d["article_id"]: d for d in document["editor"]}
    assert set(by_id) == {"a", "b", "off"}
    merged = [d for d in by_id.values() if d["placement"] == "merged"]
    assert len(merged) == 1
    assert merged[0]["reason"].startswith("same event as https://")
    assert by_id["off"]["placement"] == "other"
    assert by_id["off"]["relevance"] == 0.2
    page = render_html(edition)
    assert "Why here" in page
    assert "off topic: relevance 0.20 &lt; 0.50" in page


# --- overview -------------------------------------------------------------------------------


def test_overview_is_prose_of_at_most_three_sentences() -> None:
    stories = [
        story(f"s{i}", section=f"S{i}", tldr=f"The lab number {i} shipped {i}0 units.")
        for i in range(5)
    ]
    text = write_overview(stories)
    assert text.count(".") == 3
    assert text.startswith("The lab number 0 shipped 00 units. Elsewhere, the lab number 1")


def test_overview_prefers_the_digests_voice_to_a_blogs() -> None:
    stories = [
        story("blog", section="A", tldr="I think we should all learn Rust."),
        story("news", section="B", tldr="The team shipped 3 releases."),
    ]
    assert write_overview(stories).startswith("The team shipped 3 releases. Elsewhere, I think")


def test_written_overview_must_be_one_paragraph_of_a_few_sentences() -> None:
    good = "The lab shipped a model 2x faster than before. " * 2 + "Rivals cut prices by 10%."
    assert accept_overview(good) == good.strip()
    assert accept_overview("- one\n- two\n- three\n- four and more words " * 3) is None
    assert accept_overview("Too short.") is None
    assert accept_overview(None) is None
    assert accept_overview("One sentence with no end " * 10) is None


# --- labelled data --------------------------------------------------------------------------


def _rows(name: str) -> list[list[str]]:
    lines = (LABELS / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def test_labels_are_well_formed() -> None:
    allowed = {*DEFAULT_SECTIONS, "off-topic"}
    sections = _rows("sections.tsv")
    assert len(sections) >= 100
    assert all(len(row) == 2 and row[1] in allowed for row in sections)
    assert len({row[0] for row in sections}) == len(sections)
    pairs = _rows("merge_pairs.tsv")
    assert all(len(row) == 3 and row[2] in {"same", "related"} for row in pairs)


@pytest.mark.skipif(not (SHARED / "seed").is_dir(), reason="../shared is not there")
def test_seed_stories_dev_labels_are_mostly_on_topic_and_in_their_section() -> None:
    """The seed's own text and TL;DR (no extraction), dev labels only (four in five)."""
    raw = json.loads((SHARED / "seed" / "dev_stories.json").read_text(encoding="utf-8"))
    seed = {f"seed:{s['id']}": s for s in raw["stories"]}
    rows = [row for i, row in enumerate(_rows("sections.tsv")) if i % 5 != 4 and row[0] in seed]
    results = [
        (
            label,
            classify(
                title=seed[key]["title"] or "",
                text=seed[key]["article"],
                tldr=seed[key]["summary"],
            ),
        )
        for key, label in rows
    ]
    on_topic = sum(r.relevance >= 0.5 for _, r in results)
    right = sum(r.section == label for label, r in results)
    assert on_topic >= 0.9 * len(results)
    assert right >= 0.6 * len(results)


@pytest.mark.skipif(not (SHARED / "extraction-dev").is_dir(), reason="../shared is not there")
def test_labelled_ids_exist_in_the_shared_data() -> None:
    truth = json.loads((SHARED / "extraction-dev" / "ground-truth.json").read_text())
    raw = json.loads((SHARED / "seed" / "dev_stories.json").read_text(encoding="utf-8"))
    known = set(truth) | {f"seed:{s['id']}" for s in raw["stories"]}
    ids = {row[0] for row in _rows("sections.tsv")}
    ids |= {i for row in _rows("merge_pairs.tsv") for i in row[:2]}
    assert ids <= known


def test_overview_lowercases_a_common_word_after_a_connector_but_not_a_name() -> None:
    text = "Attackers used ransomware to encrypt the servers. Quillmark said nothing."
    assert _joined("Elsewhere, ", "Ransomware halts a port.", text).startswith(
        "Elsewhere, ransomware halts"
    )
    assert _joined("And ", "Quillmark raises $48 million.", text).startswith("And Quillmark")


def test_overview_keeps_a_title_case_heading_and_skips_a_leaning_tldr() -> None:
    text = "Place your order today. Orders ship in a week."
    assert _joined("And ", "Order Processing: the shop ships weekly.", text).startswith(
        "And Order Processing"
    )
    leaning = story("lean", tldr="Respectively, these alerts are tickets and pages.")
    alone = story("alone", tldr="Corvid unveiled the Kestrel X3 accelerator on Friday.")
    overview = write_overview([leaning, alone])
    assert overview.startswith("Corvid unveiled")


def test_overview_keeps_a_name_the_article_writes_lower_case_only_in_addresses() -> None:
    text = "Mozilla said so. Mozilla builds Firefox; see www.mozilla.org and mozilla.org/about."
    assert _joined("And ", "Mozilla is a free-software community.", text).startswith("And Mozilla")
