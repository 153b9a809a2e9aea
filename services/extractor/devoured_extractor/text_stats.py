"""Counting words, reading time and language in text that may have no spaces (CJK)."""

import hashlib
import math
import re

WORDS_PER_MINUTE = 230
"""Adult silent reading of non-fiction in English (Brysbaert 2019 meta-analysis: 238)."""
CJK_CHARS_PER_MINUTE = 500
"""Japanese and Chinese readers, in characters (the usual 400-600 range, mid-point)."""

_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]+")
_KANA = re.compile("[\u3040-\u30ff]")
_HANGUL = re.compile("[\uac00-\ud7af]")
_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "with", "was"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "sich", "auf", "für"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "pour", "dans", "qui"},
    "es": {"el", "la", "los", "y", "que", "del", "las", "por", "una", "para"},
    "it": {"il", "di", "che", "e", "della", "per", "una", "sono", "gli", "nel"},
    "nl": {"de", "het", "een", "en", "van", "is", "dat", "niet", "met", "voor"},
    "pt": {"o", "a", "os", "que", "do", "da", "em", "um", "para", "não"},
    "pl": {"się", "nie", "że", "jest", "jak", "przez", "oraz", "które", "jego", "był"},
    "cs": {"a", "je", "se", "na", "že", "to", "v", "jsou", "pro", "také"},
    "sv": {"och", "att", "det", "som", "en", "är", "av", "för", "med", "inte"},
    "da": {"og", "at", "det", "som", "en", "er", "af", "til", "med", "ikke"},
    "no": {"og", "at", "det", "som", "en", "er", "av", "til", "med", "ikke"},
    "fi": {"ja", "on", "ei", "että", "se", "oli", "myös", "kun", "tai", "ovat"},
    "tr": {"ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "gibi"},
    "ru": {"и", "в", "не", "на", "что", "с", "по", "это", "как", "он"},
    "uk": {"і", "в", "не", "на", "що", "з", "та", "це", "як", "до"},
}
CONFIDENT_SHARE = 0.08
"""A guess overrules a page's declared language only when its stop words are at least this
share of the text's words and twice the declared language's (a WordPress theme's ``lang="en"``
over a German post)."""


def count_words(text: str) -> int:
    """Space-separated words, with each CJK character counted as one word."""
    if not _CJK.search(text):
        return len(text.split())
    return len(_CJK.findall(text)) + _latin_words(text)


def reading_minutes(text: str) -> int:
    """Whole minutes: words at ``WORDS_PER_MINUTE``, CJK at ``CJK_CHARS_PER_MINUTE``."""
    cjk = len(_CJK.findall(text)) if _CJK.search(text) else 0
    words = _latin_words(text) if cjk else len(text.split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE))


def _latin_words(text: str) -> int:
    """Words outside CJK runs, ignoring the punctuation left between them (、。)."""
    return len(_WORD.findall(_CJK.sub(" ", text)))


def content_hash(text: str) -> str:
    """SHA-256 of the case- and whitespace-normalised text."""
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


def text_language(declared: str | None, text: str) -> str | None:
    """The page's language: the declared one, unless the text itself clearly reads as another
    (``CONFIDENT_SHARE``); the guess when nothing is declared."""
    sample = text[:5000]
    guessed, scores, words = _guess(sample)
    if declared is None or guessed is None or guessed == declared:
        return declared or guessed
    if guessed in ("ja", "ko", "zh"):
        # a Japanese word quoted in a French article is not a Japanese page
        letters = len(re.findall(r"[^\W\d_]", sample)) or 1
        asian = len(_CJK.findall(sample)) + len(_HANGUL.findall(sample))
        return guessed if asian >= letters * 0.5 else declared
    if scores[guessed] < words * CONFIDENT_SHARE:
        return declared
    return guessed if scores[guessed] >= 2 * scores.get(declared, 0) else declared


def _guess(sample: str) -> tuple[str | None, dict[str, int], int]:
    """A cheap guess from script and stop words: (the guess, stop-word hits per language,
    words in ``sample``)."""
    if _KANA.search(sample):
        return "ja", {}, 0
    if len(_HANGUL.findall(sample)) > 20:
        return "ko", {}, 0
    if len(_CJK.findall(sample)) > 50:
        return "zh", {}, 0
    words = re.findall(r"[^\W\d_]+", sample.lower())
    if len(words) < 20:
        return None, {}, len(words)
    scores = {lang: sum(w in stops for w in words) for lang, stops in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return (best if scores[best] >= len(words) * 0.05 else None), scores, len(words)
