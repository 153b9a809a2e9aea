"""Non-English pages keep their language: declared (html lang, og:locale) or guessed."""

from devoured_extractor.extract import extract

FRENCH = (
    "Le conseil du port a voté pour la construction de dix nouvelles turbines marémotrices. "
    "Les travaux commencent au printemps et la ville espère que les turbines produiront "
    "assez d'électricité pour les écoles et la piscine municipale dans les années qui viennent."
)
GERMAN = (
    "Der Hafenrat hat den Bau von zehn neuen Gezeitenturbinen beschlossen. Die Arbeiten "
    "beginnen im Frühjahr, und die Stadt hofft, dass die Turbinen genug Strom für die Schulen "
    "und das Schwimmbad liefern, die sich nicht mit dem alten Netz verbinden lassen."
)


def _page(body: str, *, lang: str | None = None, head: str = "") -> str:
    attr = f' lang="{lang}"' if lang else ""
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    return f"<html{attr}><head>{head}</head><body><article>{paragraphs}</article></body></html>"


def test_declared_language_is_kept_with_region_dropped() -> None:
    assert extract(_page(FRENCH, lang="fr-CA")).language == "fr"
    assert extract(_page(GERMAN, lang="DE")).language == "de"


def test_og_locale_names_the_language_when_html_has_no_lang() -> None:
    head = '<meta property="og:locale" content="de_AT">'
    assert extract(_page(GERMAN, head=head)).language == "de"


def test_undeclared_language_is_guessed_from_the_text() -> None:
    assert extract(_page(FRENCH)).language == "fr"
    assert extract(_page(GERMAN)).language == "de"


def test_the_french_text_survives_with_its_accents() -> None:
    text = extract(_page(FRENCH, lang="fr")).text
    assert "marémotrices" in text
    assert "électricité" in text
