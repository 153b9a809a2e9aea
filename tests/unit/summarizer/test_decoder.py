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
    assert terms[0][0] == "KVC (key-value cache)"  # the digest's way of showing it
    assert terms[0][1] == find_in("key-value cache")["key-value cache"][0]
    names = [t for t, _ in terms]
    assert {"mixture of experts", "context window"} <= set(names)
    many = " ".join(f"Alpha beta gamma{i} (ABG{i}) appears here." for i in range(20))
    assert len(find_terms(many)) == MAX_TERMS


def test_well_known_names_and_everyday_words_are_not_decoded() -> None:
    text = (
        "Google and Apple both said the new API will ship to every developer this year.\n"
        "The API runs on any CPU and speaks JavaScript."
    )
    names = [t for t, _ in find_terms(text)]
    assert not {"Google", "Apple", "API", "CPU", "JavaScript"} & set(names)
    assert find_terms(text, use_glossary=False) == []


def test_glossary_entry_in_another_sense_is_left_out() -> None:
    # "grid" in a page-layout story is no electricity network.
    css = "The new grid layout places each card in the next free column of the page."
    power = "The grid carries electricity from the power plants to homes across the region."
    assert "grid" not in dict(find_terms(css))
    assert "grid" in {t.lower() for t, _ in find_terms(power)}


def test_no_quote_of_the_article_stands_in_for_a_definition() -> None:
    text = "Zorblax shipped. Zorblax is fast. Many teams use Zorblax-Prime for Zorblax."
    assert all(not d.startswith("As the article puts it") for _, d in find_terms(text))
    assert "Zorblax" not in dict(find_terms(text))


def test_glossary_long_form_of_an_article_abbreviation_is_no_second_entry() -> None:
    text = (
        "The attackers logged in through a virtual private network (VPN) account.\n"
        "The VPN had no second factor, and the VPN logs were wiped afterwards."
    )
    terms = dict(find_terms(text))
    assert "virtual private network" not in terms
    assert (
        terms["VPN (virtual private network)"]
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
            "The page cache refers to the store of recently read file blocks that the kernel "
            "keeps in spare memory for every process on the machine, so that a second read of "
            "the same block does not have to wait for the disk again."
        ]
    )["page cache"]
    assert clause.endswith("for every process on the machine")
    source = (
        "Quantum annealing is a method that searches for the lowest energy state of a system "
        "by slowly changing the conditions of a physical process over many thousands of "
        "small steps without ever stopping along the way."
    )
    # Only a cut inside a clause would fit: the term is left out rather than half defined.
    assert "Quantum annealing" not in stated_definitions([source])
    money = stated_definitions(["Acme, a lender with $1,200 million in loans, grew."])
    assert money["Acme"] == "Lender with $1,200 million in loans"  # never cut inside a number


def test_short_for_spells_out_an_abbreviation() -> None:
    text = "The index uses HNSW, short for hierarchical navigable small world, to find neighbours."
    assert abbreviation_pairs(text) == {"HNSW": "hierarchical navigable small world"}
    assert abbreviation_pairs("ACME, short for nothing at all, grew.") == {}


def test_looser_sense_window_only_in_a_technical_article() -> None:
    # The entry's sense ("operating system") is confirmed 90 words after the first mention:
    # outside the strict 50-word window, inside the looser default one, which only a technical
    # article (three entries fitting strictly) gets.
    filler = " ".join(["Residents of the valley talked about rain, markets and football."] * 9)
    plain = f"The kernel got a patch this week. {filler} It updates the operating system."
    technical = (
        "Machine learning software trains a neural network of many layers with deep learning "
        f"on example data. {plain}"
    )
    assert "kernel" not in {t.lower() for t, _ in find_terms(plain)}
    assert "kernel" in {t.lower() for t, _ in find_terms(technical)}
    assert "kernel" not in {t.lower() for t, _ in find_terms(technical, sense=(2, 50))}


def test_or_gloss_spells_out_an_abbreviation() -> None:
    text = "Attackers used BYOVD, or bring your own vulnerable driver, to disable defences."
    assert abbreviation_pairs(text) == {"BYOVD": "bring your own vulnerable driver"}
    # "or" followed by words that do not spell the letters is no gloss.
    assert abbreviation_pairs("Pay with AWS, or move to another cloud provider.") == {}
