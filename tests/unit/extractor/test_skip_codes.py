"""Skips are counted under the code their raiser gave, not under words of their message."""

import pickle

import pytest

from devoured_core.errors import SkipCode, SkippedInput
from devoured_extractor.bootstrap import wire
from devoured_extractor.extract import ExtractedContent, extract
from devoured_extractor.guards import check_markup
from devoured_extractor.handlers import skip_code
from devoured_infra.metrics import REGISTRY
from tests.fakes import FakeDatabase
from tests.unit import samples


def _skips(reason: str) -> float:
    return REGISTRY.get_sample_value("devoured_extractor_skips_total", {"reason": reason}) or 0.0


async def _skipped_by(raised: SkippedInput) -> None:
    def extractor(html: str, url: str | None) -> ExtractedContent:
        raise raised

    stage = wire(FakeDatabase().new_uow, extractor=extractor)
    assert await stage.handle(samples.page_fetched()) == []


async def test_the_raisers_code_is_the_label_whatever_the_message_says() -> None:
    before = (_skips("too_deep"), _skips("empty"))
    # The message reads like an empty document; the code says what it is.
    message = "extract: empty document, says the text"
    await _skipped_by(SkippedInput(message, code=SkipCode.TOO_DEEP))
    assert (_skips("too_deep"), _skips("empty")) == (before[0] + 1, before[1])


async def test_a_skip_without_a_code_is_labelled_as_before() -> None:
    before = _skips("no_text")
    await _skipped_by(SkippedInput("extract: no main text found (3 words)"))
    assert _skips("no_text") == before + 1


@pytest.mark.parametrize(
    ("html", "code"),
    [
        ("   ", SkipCode.EMPTY),
        ("\x00\x01binary" * 10, SkipCode.NOT_HTML),
        ("just words, no markup", SkipCode.NOT_HTML),
        ("<p>" + "x" * 10_000_001, SkipCode.TOO_LARGE),
    ],
)
def test_the_guards_give_their_codes(html: str, code: SkipCode) -> None:
    with pytest.raises(SkippedInput) as caught:
        check_markup(html)
    assert caught.value.code is code
    assert skip_code(caught.value) == code.value


async def test_a_guard_skip_reaches_its_metric_label() -> None:
    before = _skips("empty")
    stage = wire(FakeDatabase().new_uow, extractor=extract)
    assert await stage.handle(samples.page_fetched(body="  \n ")) == []
    assert _skips("empty") == before + 1


async def test_a_paywalled_teaser_is_counted_as_paywalled() -> None:
    teaser = ExtractedContent(
        title="T",
        author=None,
        authors=(),
        published_at=None,
        updated_at=None,
        site_name=None,
        language="en",
        text="A teaser.",
        canonical_url=None,
        lead_image=None,
        word_count=2,
        reading_minutes=1,
        content_hash="h",
        simhash="0" * 16,
        paywalled=True,
    )
    before = _skips("paywalled")
    stage = wire(FakeDatabase().new_uow, extractor=lambda html, url: teaser)
    assert await stage.handle(samples.page_fetched()) == []
    assert _skips("paywalled") == before + 1


def test_the_code_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(SkippedInput("extract: x", code=SkipCode.PAYWALLED)))
    assert (str(error), error.code) == ("extract: x", SkipCode.PAYWALLED)


def test_codes_are_the_documented_labels() -> None:
    assert [c.value for c in SkipCode] == [
        "empty",
        "not_html",
        "too_large",
        "too_deep",
        "paywalled",
        "javascript_shell",
        "no_text",
        "other",
    ]
