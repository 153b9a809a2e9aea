"""The pairwise merge rule (merging.py) on stories we wrote: rewrites of one event by two
outlets merge, the same company's other news and site-name-only titles do not."""

from devoured_core.similarity import simhash
from devoured_publisher.merging import (
    Prepared,
    StoryText,
    cosine,
    merge_reason,
    prepare,
    same_story,
)

FUNDING_A = (
    "Quillfeather Robotics has raised 40 million dollars in a series B round led by Harbor "
    "Lane Ventures to build autonomous forklifts for cold-storage warehouses. The Lisbon "
    "startup says its forklifts already move pallets at eleven frozen-food depots in Portugal "
    "and Spain, and the money will pay for a factory near Porto and a sales office in Rotterdam. "
    "Chief executive Marta Veloso said freezer aisles are the hardest place to hire drivers."
)
FUNDING_B = (
    "Lisbon startup Quillfeather Robotics closed a 40 million dollar series B round, led by "
    "Harbor Lane Ventures, to build more autonomous forklifts for cold-storage warehouses. Its "
    "forklifts move pallets in eleven frozen-food depots across Portugal and Spain today. Marta "
    "Veloso, the chief executive, said the round pays for a factory near Porto and a Rotterdam "
    "sales office, because freezer aisles are where depots struggle most to hire drivers."
)
RECALL = (
    "Quillfeather Robotics is recalling the battery packs of its first forklift model after "
    "two packs overheated during charging at a depot in Seville. Nobody was hurt. The company "
    "will replace the cells with a supplier's newer chemistry at no cost, and says the fault "
    "came from a welding step at a contractor, which has since been changed. Customers were "
    "told to charge the older packs only under supervision until the swap is done."
)
OTHERS = [
    (
        "Parliament passes the rail timetable law",
        "Members of parliament voted to require train operators to publish timetables six months "
        "ahead, after commuters complained about late changes to weekend services and closures.",
    ),
    (
        "A new telescope maps cold gas clouds",
        "Astronomers released the first map from a radio telescope in the desert, showing cold "
        "hydrogen clouds between galaxies where new stars are expected to form over time.",
    ),
    (
        "Compiler release speeds up incremental builds",
        "The new compiler release caches type information between runs, so changing one file "
        "rebuilds only what depends on it; large projects report builds twice as fast.",
    ),
    (
        "Bakery chain opens in three cities",
        "A bakery chain known for sourdough opened shops in three more cities this week and "
        "plans to train apprentices in each one, its founder said at the opening in the capital.",
    ),
]


def _edition(*extra: StoryText) -> list[Prepared]:
    background = [
        StoryText(title, f"https://news.example/{n}", text)
        for n, (title, text) in enumerate(OTHERS)
    ]
    return prepare([*extra, *background])


def test_two_outlets_rewriting_one_event_are_one_story() -> None:
    a, b, *_ = _edition(
        StoryText(
            "Quillfeather Robotics raises $40M for cold-storage forklifts",
            "https://one.example/quillfeather",
            FUNDING_A,
        ),
        StoryText(
            "Quillfeather Robotics lands series B for warehouse forklifts - Tech Daily",
            "https://two.example/robots/quillfeather-series-b",
            FUNDING_B,
        ),
    )
    assert (a.simhash, b.simhash) == (None, None)  # no SimHash given: the text rule decides
    assert merge_reason(a, b) == "content"
    assert same_story(b, a)


def test_the_same_companys_other_news_stays_apart() -> None:
    funding, recall, *_ = _edition(
        StoryText(
            "Quillfeather Robotics raises $40M for forklifts", "https://one.example/f", FUNDING_A
        ),
        StoryText(
            "Quillfeather Robotics recalls forklift batteries", "https://two.example/r", RECALL
        ),
    )
    assert len(funding.title & recall.title) >= 2  # the titles alone would have merged them
    assert cosine(funding, recall) < 0.45
    assert not same_story(funding, recall)


def test_titles_that_are_only_the_site_name_do_not_merge_different_texts() -> None:
    a, b, *_ = _edition(
        StoryText("Seth's Daily Notes Blog", "https://blog.example/1", FUNDING_A),
        StoryText("Seth's Daily Notes Blog", "https://blog.example/2", OTHERS[1][1] * 3),
    )
    assert a.title == b.title
    assert merge_reason(a, b) is None


def test_close_titles_need_some_text_in_common() -> None:
    a, b, c, *_ = _edition(
        StoryText(
            "Quillfeather Robotics recalls forklift batteries", "https://a.example/1", RECALL
        ),
        StoryText(
            "Quillfeather Robotics recalls its forklift batteries",
            "https://b.example/2",
            "The forklift maker Quillfeather Robotics said two battery packs overheated in "
            "Seville and it will replace them for every customer at no cost.",
        ),
        StoryText(
            "Quillfeather Robotics recalls forklift batteries",
            "https://c.example/3",
            OTHERS[2][1],
        ),
    )
    assert merge_reason(a, b) == "title"
    assert merge_reason(a, c) is None  # same headline, a text about something else


def test_same_url_and_near_duplicate_texts_merge_whatever_the_titles() -> None:
    copy = FUNDING_A + " Shares of listed rivals were little changed."
    a, b, c, *_ = _edition(
        StoryText("Funding news", "https://one.example/x", FUNDING_A, simhash(FUNDING_A)),
        StoryText("Robots", "https://one.example/x", RECALL, simhash(RECALL)),
        StoryText("Wire: forklifts", "https://wire.example/y", copy, simhash(copy)),
    )
    assert merge_reason(a, b) == "url"
    assert merge_reason(a, c) == "text"
    assert merge_reason(b, c) is None


def test_a_pair_prepared_alone_still_has_weights() -> None:
    """IDF over two stories: the words both share weigh less than in an edition, not nothing."""
    alone = prepare(
        [
            StoryText("Quillfeather Robotics raises $40M", "https://one.example/1", FUNDING_A),
            StoryText("Quillfeather Robotics lands series B", "https://two.example/2", FUNDING_B),
        ]
    )
    in_edition = _edition(
        *(StoryText(p.url, p.url, t) for p, t in zip(alone, (FUNDING_A, FUNDING_B), strict=True))
    )
    assert alone[0].vector["quillfeather"] > 0
    assert 0.0 < cosine(*alone) < cosine(in_edition[0], in_edition[1]) <= 1.0 + 1e-9


def test_empty_texts_and_titles_never_merge_unless_the_url_matches() -> None:
    a, b = prepare(
        [StoryText("", "https://x.example/1", ""), StoryText("", "https://x.example/2", "")]
    )
    assert a.vector == {}
    assert cosine(a, b) == 0.0
    assert not same_story(a, b)
