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


POLISH = (
    "Rada portu zdecydowała, że w przyszłym roku zostanie zbudowanych dziesięć nowych turbin. "
    "Prace zaczną się wiosną, a miasto ma nadzieję, że turbiny będą dawać prąd dla szkół, "
    "które nie są jeszcze podłączone do sieci, oraz dla basenu, jak obiecał burmistrz."
)
RUSSIAN = (
    "Совет порта решил построить десять новых приливных турбин. Работы начнутся весной, и "
    "город надеется, что это даст электричество для школ и бассейна, как и обещал мэр, "
    "потому что старая сеть не справляется с нагрузкой."
)
UKRAINIAN = (
    "Рада порту вирішила збудувати десять нових припливних турбін. Роботи почнуться навесні, "
    "і місто сподівається, що це дасть електрику для шкіл та басейну, як і обіцяв мер, бо "
    "стара мережа не витримує навантаження."
)


def test_a_declared_language_the_text_plainly_is_not_gives_way_to_the_text() -> None:
    # a theme's lang="en" over a German post
    assert extract(_page(GERMAN, lang="en")).language == "de"
    assert extract(_page(FRENCH, lang="en-US")).language == "fr"


def test_a_declared_language_stays_when_the_text_agrees_or_is_unclear() -> None:
    assert extract(_page(GERMAN, lang="de")).language == "de"
    names = "Anna Lang, Tom Berg, Ola Nordmann, Kari Nordmann, Jan Kowalski, Eva Novak. " * 4
    assert extract(_page(names, lang="sl")).language == "sl"


def test_a_quoted_japanese_word_does_not_make_a_french_page_japanese() -> None:
    quoted = FRENCH + " Les ingénieurs disent « ありがとう » aux pêcheurs du port."
    assert extract(_page(quoted, lang="fr")).language == "fr"


def test_polish_russian_and_ukrainian_are_guessed_when_undeclared() -> None:
    assert extract(_page(POLISH)).language == "pl"
    assert extract(_page(RUSSIAN)).language == "ru"
    assert extract(_page(UKRAINIAN)).language == "uk"
