"""The ``openai`` backend's answer checks for the digest's rules, on answers we made up."""

import json

import pytest

from devoured_summarizer.prompt import (
    RejectedAnswer,
    build_messages,
    decodes,
    parse_answer,
    sizes,
)

FACTS = [
    "The harbour board approved a tidal plant with four turbines in the outer channel.",
    "Each turbine is rated at 2 megawatts and sits on the seabed at a depth of 30 metres.",
    "The plant should supply power to about 6,000 homes from the spring of 2028.",
    "Engineers chose the outer channel because its currents stay strong at neap tides.",
    "The board budgeted 40 million euros, half of it from a regional energy fund.",
    "Fishing crews asked for a safety zone, which the board granted around each rotor.",
    "A cable will link the plant to the old substation on the east quay.",
    "The board will publish the plant's output every month on its website.",
]
ARTICLE = "\n".join(FACTS * 3)
TITLE = "Harbour board approves tidal plant"


def answer(
    tldr: str = "The harbour board backed a 40 million euro tidal plant to power 6,000 homes.",
    bullets: list[str] | None = None,
    decoder: list[dict[str, str]] | None = None,
) -> str:
    size = sizes(ARTICLE)
    chosen = bullets if bullets is not None else FACTS[1 : 1 + size.min_bullets]
    return json.dumps(
        {
            "tldr": tldr,
            "deep_dive": chosen,
            "decoder": decoder
            if decoder is not None
            else [{"term": "Neap tide", "definition": "The weakest tide of the lunar month."}],
        }
    )


def test_sizes_grow_with_the_article_and_the_prompt_asks_for_them() -> None:
    short, long = sizes(" ".join(FACTS[:3])), sizes("\n".join(FACTS * 40))
    assert short.max_bullets < long.max_bullets
    assert short.max_terms <= long.max_terms
    system, _ = build_messages(ARTICLE, TITLE)
    size = sizes(ARTICLE)
    assert f"{size.min_bullets} to {size.max_bullets} deep_dive bullets" in system["content"]
    assert f"at most {size.max_terms} decoder terms" in system["content"]


def test_a_good_answer_passes() -> None:
    summary = parse_answer(answer(), ARTICLE, "openai", TITLE)
    assert len(summary.deep_dive) == sizes(ARTICLE).min_bullets
    assert [t.term for t in summary.decoder] == ["Neap tide"]


def test_a_bullet_count_outside_the_articles_size_is_rejected() -> None:
    size = sizes(ARTICLE)
    too_many = (FACTS * 3)[1 : size.max_bullets + 2]
    with pytest.raises(RejectedAnswer, match="bullets, the article's length asks for"):
        parse_answer(answer(bullets=too_many), ARTICLE, "openai", TITLE)
    with pytest.raises(RejectedAnswer, match="bullets"):
        parse_answer(answer(bullets=FACTS[1:2]) if size.min_bullets > 1 else "{}", ARTICLE, "o")


def test_a_tldr_copied_from_the_opening_is_rejected() -> None:
    with pytest.raises(RejectedAnswer, match="opening sentence"):
        parse_answer(answer(tldr=FACTS[0]), ARTICLE, "openai", TITLE)


@pytest.mark.parametrize(
    "opener",
    [
        "It is rated at 2 megawatts and sits on the seabed at a depth of 30 metres.",
        "However, the plant should supply power to about 6,000 homes from 2028.",
        "To pay for it, the board budgeted 40 million euros from a regional energy fund.",
    ],
)
def test_a_bullet_that_does_not_read_alone_is_rejected(opener: str) -> None:
    bullets = [opener, *FACTS[2 : 1 + sizes(ARTICLE).min_bullets]]
    with pytest.raises(RejectedAnswer, match="does not read alone"):
        parse_answer(answer(bullets=bullets), ARTICLE, "openai", TITLE)


def test_a_bullet_repeating_the_tldr_is_rejected() -> None:
    tldr = "The harbour board backed a 40 million euro tidal plant to power 6,000 homes."
    bullets = [
        "The harbour board backed a tidal plant to power 6,000 homes.",
        *FACTS[2 : sizes(ARTICLE).min_bullets + 1],
    ]
    with pytest.raises(RejectedAnswer, match="repeats the tldr"):
        parse_answer(answer(tldr=tldr, bullets=bullets), ARTICLE, "openai", TITLE)


def test_bad_decoder_entries_are_left_out_not_the_whole_answer() -> None:
    decoder = [
        {"term": "API", "definition": "A way for programs to talk to each other."},
        {"term": "Neap tide", "definition": "As the article puts it: strong at neap tides."},
        {"term": "MW", "definition": "Megawatt"},
        {"term": "Slack water", "definition": "The still moment between two tides."},
        {"term": "Ebb", "definition": "The tide going out, cut at a…"},
    ]
    summary = parse_answer(answer(decoder=decoder), ARTICLE, "openai", TITLE)
    assert [t.term for t in summary.decoder] == ["Slack water"]


def test_decodes_keeps_a_real_definition_of_an_abbreviation() -> None:
    assert decodes("MW", "Megawatt: a million watts, enough for a few hundred homes.")
    assert not decodes("MW", "Megawatt")
    assert not decodes("JavaScript", "The language of web pages.")
