"""Decoder: article definitions, our glossary, and the ranking."""

import pytest

from devoured_summarizer.extractive.decoder import MAX_TERMS, find_terms
from devoured_summarizer.extractive.definitions import (
    abbreviation_pairs,
    best_long_form,
    plausible_term,
    stated_definitions,
)
from devoured_summarizer.extractive.glossary import find_in, glossary, key, parse_glossary


def test_schwartz_hearst_pairs_in_both_orders() -> None:
    text = (
        "Teams rely on retrieval augmented generation (RAG) for search. "
        "The WHO (World Health Organization) published new advice."
    )
    assert abbreviation_pairs(text) == {
        "RAG": "retrieval augmented generation",
        "WHO": "World Health Organization",
    }


def test_long_form_is_the_shortest_run_spelling_the_abbreviation() -> None:
    words_before = "the team measured the time to first token".split()
    assert best_long_form("TTFT", words_before) == "time to first token"
    assert best_long_form("XYZ", words_before) is None


def test_bracket_that_is_no_abbreviation_of_the_words_is_ignored() -> None:
    assert abbreviation_pairs("The plant opens next year (CEO) as planned.") == {}
    assert abbreviation_pairs("Prices rose (about 4 percent) in May.") == {}


def test_copula_appositive_and_bracket_glosses() -> None:
    found = stated_definitions(
        [
            "Kubernetes is an open-source system for running containers at scale.",
            "They used Triton, a language for writing fast GPU kernels, to tune it.",
            "Engineers added Perfetto (a tool for recording system traces) to the build.",
        ]
    )
    assert found == {
        "Kubernetes": "Open-source system for running containers at scale",
        "Triton": "Language for writing fast GPU kernels",
        "Perfetto": "Tool for recording system traces",
    }


@pytest.mark.parametrize("opener", ["For example", "Currently", "However", "To address this"])
def test_sentence_openers_are_not_terms(opener: str) -> None:
    assert not plausible_term(opener)
    assert stated_definitions([f"{opener}, a team of engineers rebuilt the whole cache."]) == {}


def test_glossary_file_parses_and_has_hundreds_of_terms() -> None:
    entries = glossary()
    assert len({name for name, _, _ in entries.values()}) >= 300
    assert all(0 < len(definition.split()) <= 30 for _, _, definition in entries.values())


def test_glossary_aliases_share_a_definition_and_bad_lines_fail() -> None:
    parsed = parse_glossary("# note\nLLM | LLMs | large language model: A model of text\n")
    assert parsed[("llm",)] == ("LLM", "LLM", "A model of text")
    assert parsed[("large", "language", "model")] == (
        "LLM",
        "large language model",
        "A model of text",
    )
    with pytest.raises(ValueError, match="no definition"):
        parse_glossary("just a term\n")


def test_glossary_matches_inflected_forms_and_longest_phrase_first() -> None:
    found = find_in("Two LLMs and a vector database answer with low latency.")
    assert set(found) == {"LLM", "vector database", "latency"}
    assert found["LLM"][1] == 1  # word position of the first mention


def test_glossary_term_is_shown_as_the_text_spells_it_once_per_entry() -> None:
    found = find_in("A large language model, or LLM, writes text.")
    assert list(found) == ["large language model"]


def test_decoder_ranks_article_definitions_first_and_caps_the_count() -> None:
    text = (
        "The lab trained a mixture of experts model on its own GPU cluster.\n"
        "Its key-value cache (KVC) grows with the context window of the model.\n"
        "The KVC is the main memory cost, the lab said, with latency second."
    )
    terms = find_terms(text)
    # The article's long form, followed by our glossary's definition of it.
    assert terms[0][0] == "KVC"
    assert terms[0][1].startswith("Key-value cache: ")
    names = [t for t, _ in terms]
    assert {"mixture of experts", "GPU cluster", "context window", "latency"} <= set(names)
    many = " ".join(f"Alpha beta gamma{i} (ABG{i}) appears here." for i in range(20))
    assert len(find_terms(many)) == MAX_TERMS


def test_well_known_names_are_not_decoded_and_english_glossary_can_be_off() -> None:
    text = "Google and Apple both said the new API will ship to every developer this year."
    names = [t for t, _ in find_terms(text)]
    assert "Google" not in names
    assert "Apple" not in names
    assert "API" in names
    assert find_terms(text, use_glossary=False) == []


def test_glossary_long_form_of_an_article_abbreviation_is_no_second_entry() -> None:
    text = (
        "The attackers logged in through a virtual private network (VPN) account.\n"
        "The VPN had no second factor, and the VPN logs were wiped afterwards."
    )
    terms = dict(find_terms(text))
    assert "virtual private network" not in terms
    assert terms["VPN"].startswith("Virtual private network: ")
    assert (
        terms["VPN"].removeprefix("Virtual private network: ")
        == find_in("virtual private network")["virtual private network"][0]
    )


def test_glossary_phrases_do_not_match_across_punctuation() -> None:
    found = find_in("The lab raised a new series, a web server team said. Series A rounds")
    assert [t.lower() for t in found].count("series a") == 1
    assert found[next(t for t in found if t.lower() == "series a")][1] > 10  # the real one


def test_acronyms_keep_their_last_letter_and_plurals_fold() -> None:
    entries = parse_glossary(
        "HTTP: The web's request protocol\nHTTPS: HTTP over an encrypted connection\n"
        "GPU | GPUs: A chip for parallel maths\n"
    )
    assert entries[key("HTTPS")][2] == "HTTP over an encrypted connection"
    assert entries[key("HTTP")][2] == "The web's request protocol"
    assert key("GPUs") == key("GPU")
    assert key("Node.js") == ("node", "js")


def test_a_long_stated_definition_is_cut_at_a_clause_or_a_word_never_inside_one() -> None:
    clause = stated_definitions(
        [
            "The page cache is the store of recently read file blocks that the kernel keeps in "
            "spare memory for every process on the machine, so that a second read of the same "
            "block does not have to wait for the disk again."
        ]
    )["page cache"]
    assert clause.endswith("for every process on the machine")
    source = (
        "Quantum annealing is a method that searches for the lowest energy state of a system "
        "by slowly changing the conditions of a physical process over many thousands of "
        "small steps without ever stopping along the way."
    )
    word = stated_definitions([source])["Quantum annealing"]
    assert word.endswith("…")
    assert len(word) <= 161
    cut = word.removesuffix("…")
    assert f"a {cut[0].lower()}{cut[1:]} " in source  # ends at a whole word
