"""The bench's language check (bench.extraction.languages), on pages we wrote."""

from bench.extraction.languages import agreement

GERMAN = (
    "Der Hafenrat hat den Bau von zehn neuen Gezeitenturbinen beschlossen. Die Arbeiten "
    "beginnen im Frühjahr, und die Stadt hofft, dass die Turbinen genug Strom für die Schulen "
    "und das Schwimmbad liefern, die sich nicht mit dem alten Netz verbinden lassen."
)
ENGLISH = (
    "The harbour council voted to build ten new tidal turbines. Work starts in the spring, and "
    "the town hopes the turbines will power the schools and the pool that the old grid cannot "
    "reach, as the mayor promised when she was elected."
)


def _page(text: str, lang: str) -> str:
    paragraphs = "".join(f"<p>{text}</p>" for _ in range(3))
    return f'<html lang="{lang}"><body><article>{paragraphs}</article></body></html>'


def test_agreement_counts_pages_whose_tag_matches_the_reference() -> None:
    result = agreement(
        [(_page(ENGLISH, "en"), None), (_page(GERMAN, "de"), None), ("<p>tiny</p>", None)]
    )
    assert result.pages == 2  # the page with no text worth tagging is not counted
    assert result.agree == 2
    assert result.share == 1.0


def test_a_wrong_declared_language_shows_as_a_difference_unless_the_text_overrules_it() -> None:
    # French declared over an English text: the text overrules it, so the tags agree
    assert agreement([(_page(ENGLISH, "fr"), None)]).agree == 1
    # Slovenian declared over English names only: too little text to overrule, so they differ
    names = "Anna Lang, Tom Berg, Ola Nordmann, Kari Nordmann, Jan Kowalski, Eva Novak. " * 6
    result = agreement([(_page(names, "sl"), None)])
    assert result.pages == 1
    assert result.agree == 0
    assert [ours for ours, _ in result.differences] == ["sl"]
