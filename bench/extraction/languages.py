"""Language tags on real pages: ours against an independent identifier, langid.py.

Our tag comes from the page's declaration, overruled by the text when the text plainly reads
as another language (``devoured_extractor.text_stats.text_language``). langid.py (Lui &
Baldwin 2012, 97 languages) classifies the same extracted text, as a reference made without
our rules; where the two differ, langid.py is not always right (an English page on Japan, a
page of obfuscated text), so agreement is what is reported, not accuracy.

Pages: the unseen check's (``fresh``, half German, many languages; open and held-aside parts)
and the dev set's (all English by its selection rule).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import langid

from devoured_core.errors import SkippedInput
from devoured_extractor.extract import extract


@dataclass(frozen=True)
class LanguageAgreement:
    pages: int
    agree: int
    untagged: int
    differences: Counter[tuple[str, str]]

    @property
    def share(self) -> float:
        return self.agree / self.pages if self.pages else 0.0


def agreement(pages: Sequence[tuple[str, str | None]]) -> LanguageAgreement:
    """Over (html, url) pairs: how often our tag equals langid.py's on our extracted text."""
    agree = untagged = total = 0
    differences: Counter[tuple[str, str]] = Counter()
    for html, url in pages:
        try:
            content = extract(html, url)
        except SkippedInput:
            continue  # no text worth tagging
        total += 1
        reference = str(langid.classify(content.text[:3000])[0])
        ours = content.language
        if ours is None:
            untagged += 1
        if ours == reference:
            agree += 1
        else:
            differences[(ours or "-", reference)] += 1
    return LanguageAgreement(total, agree, untagged, differences)
