"""Skips are counted under the code their raiser gave, not under words of their message."""

import pickle
from collections.abc import Iterator

import pytest

from devoured_core.errors import SkipCode, SkippedInput
from devoured_extractor.bootstrap import wire
from devoured_extractor.extract import ExtractedContent, extract
from devoured_extractor.guards import check_markup
from devoured_extractor.handlers import skip_code
from devoured_extractor.isolation import IsolatedExtractor
from devoured_extractor.uow import ExtractorUnitOfWork
from devoured_infra.metrics import REGISTRY
from tests.support.sqlite import TestDatabase
from tests.unit import samples
from tests.unit.extractor import workloads


def _skips(reason: str) -> float:
    return REGISTRY.get_sample_value("devoured_extractor_skips_total", {"reason": reason}) or 0.0


async def _skipped_by(database: TestDatabase, raised: SkippedInput) -> None:
    def extractor(html: str, url: str | None) -> ExtractedContent:
        raise raised

    stage = wire(database.uow(ExtractorUnitOfWork, "extractor"), extractor=extractor)
    assert await stage.handle(samples.page_fetched()) == []


@pytest.fixture
def pool() -> Iterator[list[IsolatedExtractor]]:
    made: list[IsolatedExtractor] = []
    yield made
    for extractor in made:
        extractor.close()


async def test_the_raisers_code_is_the_label_whatever_the_message_says(
    database: TestDatabase,
) -> None:
    before = (_skips("too_deep"), _skips("empty"))
    # The message reads like an empty document; the code says what it is.
    message = "extract: empty document, says the text"
    await _skipped_by(database, SkippedInput(message, code=SkipCode.TOO_DEEP))
    assert (_skips("too_deep"), _skips("empty")) == (before[0] + 1, before[1])


async def test_a_skip_without_a_code_is_other_whatever_its_message_says(
    database: TestDatabase,
) -> None:
    """No label is read from a message any more: every raiser of the extractor gives a code."""
    before = (_skips("no_text"), _skips("other"))
    await _skipped_by(database, SkippedInput("extract: no main text found (3 words)"))
    assert (_skips("no_text"), _skips("other")) == (before[0], before[1] + 1)


@pytest.mark.parametrize(
    ("html", "code"),
    [
        ("<p>" + " ".join(["word"] * 30) + "</p>" + "<b>" * 10_000, SkipCode.TOO_DEEP),
        ("<!-- only a comment -->", SkipCode.OTHER),
        ('<p>Short.</p><div class="paywall">Subscribe.</div>', SkipCode.PAYWALLED),
        ('<div id="root"></div><script src="/app.js"></script>', SkipCode.JAVASCRIPT_SHELL),
        ("<p>Three words here.</p>", SkipCode.NO_TEXT),
    ],
)
def test_extract_and_parse_give_their_codes(html: str, code: SkipCode) -> None:
    with pytest.raises(SkippedInput) as caught:
        extract(html)
    assert caught.value.code is code


def test_the_code_crosses_the_worker_process_boundary(pool: list[IsolatedExtractor]) -> None:
    run = IsolatedExtractor(extract, time_limit_s=60)
    pool.append(run)
    with pytest.raises(SkippedInput) as caught:
        run("<p>Three words here.</p>", None)
    assert (str(caught.value), caught.value.code) == (
        "extract: no main text found (3 words)",
        SkipCode.NO_TEXT,
    )


def test_a_skip_without_a_code_crosses_the_boundary_without_one(
    pool: list[IsolatedExtractor],
) -> None:
    run = IsolatedExtractor(workloads.refuse, time_limit_s=60)
    pool.append(run)
    with pytest.raises(SkippedInput) as caught:
        run("<p>x</p>", None)
    assert (str(caught.value), caught.value.code) == ("extract: empty document", None)
    assert skip_code(caught.value) == "other"


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


async def test_a_guard_skip_reaches_its_metric_label(database: TestDatabase) -> None:
    before = _skips("empty")
    stage = wire(database.uow(ExtractorUnitOfWork, "extractor"), extractor=extract)
    assert await stage.handle(samples.page_fetched(body="  \n ")) == []
    assert _skips("empty") == before + 1


async def test_a_paywalled_teaser_is_counted_as_paywalled(database: TestDatabase) -> None:
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
    stage = wire(database.uow(ExtractorUnitOfWork, "extractor"), extractor=lambda html, url: teaser)
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
