"""The chaos harness's own parts, without infrastructure: the verdicts must be right before a
failing scenario can be believed."""

import json
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from random import Random

import pytest
from pydantic import ValidationError

from devoured_core.messages import FetchRequested, PageFetched
from devoured_core.topics import FETCH_REQUESTED, PAGE_FETCHED
from tests.chaos.audit import DeadLetterSeen
from tests.chaos.logs import digest_log
from tests.chaos.poison import NEAR_MAX_MARGIN_BYTES, Poison, poison_value
from tests.chaos.results import ScenarioResult, markdown_table
from tests.chaos.stream import ArticleStream
from tests.chaos.verdict import judge_dead_letters, judge_published

MAX_BYTES = 16 * 1024 * 1024


def _result() -> ScenarioResult:
    return ScenarioResult("probe", "short", 1)


def _letter(offset: int, error: str, topic: str = FETCH_REQUESTED) -> DeadLetterSeen:
    return DeadLetterSeen(topic, 0, offset, error, "fetcher")


def test_published_once_each_is_a_pass() -> None:
    result = _result()
    offered = {"a", "b"}
    judge_published(result, offered, Counter(offered), Counter(offered))
    assert result.failures == []
    assert (result.offered, result.published, result.in_edition_files) == (2, 2, 2)


def test_lost_doubled_and_extra_articles_are_each_reported() -> None:
    result = _result()
    published = Counter({"a": 2, "poison": 1})
    in_files = Counter({"a": 1, "poison": 1})
    judge_published(result, {"a", "b"}, published, in_files)
    assert (result.lost, result.doubled, result.extra) == (1, 1, 1)
    assert result.in_edition_files == 1
    assert len(result.failures) == 4  # lost, doubled, extra, b not in the files


def test_an_article_twice_in_the_edition_files_is_doubled() -> None:
    result = _result()
    judge_published(result, {"a"}, Counter({"a": 1}), Counter({"a": 2}))
    assert result.doubled == 1
    assert result.in_edition_files == 0


def test_exactly_the_injected_poison_on_the_dead_letter_topics_is_a_pass() -> None:
    result = _result()
    poison = [Poison(FETCH_REQUESTED, "invalid-json", 0, 7, 20)]
    judge_dead_letters(result, poison, [_letter(7, "invalid FetchRequested: <root>: bad")])
    assert result.failures == []
    assert result.dead_letter_causes == {"fetcher: invalid FetchRequested": 1}


def test_dead_letters_for_an_outage_fail_even_when_poison_is_right() -> None:
    result = _result()
    poison = [Poison(FETCH_REQUESTED, "invalid-json", 0, 7, 20)]
    letters = [
        _letter(7, "invalid FetchRequested: x"),
        _letter(8, "gave up after 3 attempts: ConnectionRefusedError: [Errno 111] refused"),
    ]
    judge_dead_letters(result, poison, letters)
    assert (result.unexpected_dead_letters, result.transient_dead_letters) == (1, 1)
    assert len(result.failures) == 2


def test_poison_missing_or_dead_lettered_twice_fails() -> None:
    result = _result()
    poison = [
        Poison(FETCH_REQUESTED, "random-bytes", 0, 1, 512),
        Poison(PAGE_FETCHED, "future-schema-version", 2, 3, 900),
    ]
    judge_dead_letters(result, poison, [_letter(1, "invalid FetchRequested")] * 2)
    assert result.poison_not_dead_lettered == 1
    assert any("more than once" in f for f in result.failures)
    assert any(f"{PAGE_FETCHED}/future-schema-version" in f for f in result.failures)


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        ("gave up after 3 attempts: TypeError: boom", True),
        ("OperationalError: the database system is starting up", True),
        ("KafkaTimeoutError: request timed out", True),
        ("invalid PageFetched: body: Field required", False),
        ("SkippedInput: no main text", False),
    ],
)
def test_transient_errors_are_told_from_bad_records(error: str, transient: bool) -> None:
    assert _letter(0, error).transient is transient


def test_log_digest_counts_from_the_mark(tmp_path: Path) -> None:
    log = tmp_path / "fetcher.log"
    before = json.dumps({"level": "ERROR", "logger": "x", "message": "old"}) + "\n"
    log.write_text(before)
    mark = log.stat().st_size
    lines = [
        "=== start 2 ===",
        json.dumps({"level": "ERROR", "logger": "devoured.pump", "message": "dead-lettered"}),
        json.dumps({"level": "ERROR", "logger": "devoured.pump", "message": "dead-lettered"}),
        json.dumps({"level": "WARNING", "logger": "devoured.pump", "message": "retry"}),
        "Traceback (most recent call last):",
    ]
    with log.open("a") as out:
        out.write("\n".join(lines) + "\n")
    digest = digest_log(log, mark)
    assert (digest.errors, digest.warnings, digest.unstructured) == (2, 1, 1)
    assert digest.top_errors == [("devoured.pump: dead-lettered", 2)]


def test_near_max_poison_fits_the_topic_and_fails_validation() -> None:
    value = poison_value(
        PAGE_FETCHED, "near-max-size", url="http://x/", max_bytes=MAX_BYTES, rng=Random(1)
    )
    assert MAX_BYTES - NEAR_MAX_MARGIN_BYTES - 64 < len(value) <= MAX_BYTES - NEAR_MAX_MARGIN_BYTES
    with pytest.raises(ValidationError):
        PageFetched.model_validate_json(value)


def test_future_schema_version_is_otherwise_a_valid_message() -> None:
    value = poison_value(
        FETCH_REQUESTED,
        "future-schema-version",
        url="http://127.0.0.1:1/poison.html",
        max_bytes=MAX_BYTES,
        rng=Random(1),
    )
    document = json.loads(value)
    assert document["schema_version"] == 99
    FetchRequested.model_validate({**document, "schema_version": 1})


def test_wrong_schema_is_a_valid_message_of_another_topic() -> None:
    value = poison_value(
        FETCH_REQUESTED, "wrong-schema", url="http://x/p.html", max_bytes=MAX_BYTES, rng=Random(2)
    )
    with pytest.raises(ValidationError):
        FetchRequested.model_validate_json(value)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_the_stream_grows_serves_pages_on_their_hosts_and_freezes() -> None:
    stream = ArticleStream(hosts=3, interval_s=0.2, initial=2)
    try:
        assert stream.released() == 2
        stream.start()
        time.sleep(0.5)
        assert stream.released() >= 4
        stream.burst(5)
        offered = stream.freeze()
        time.sleep(0.3)
        assert stream.released() == offered >= 9
        status, feed = _get(stream.feed_url)
        assert status == 200
        assert feed.count("<item>") == offered
        assert len(stream.feed_polls) == 1
        first = stream.article_url(0)
        assert first.startswith("http://127.0.0.2:")
        assert _get(first)[0] == 200
        assert "story number 0" in _get(first)[1]
        assert stream.article_url(1).startswith("http://127.0.0.3:")
        assert _get(stream.article_url(offered))[0] == 404  # not offered (yet)
        assert _get(first.replace("story-0000", "story-0001"))[0] == 404  # another host's
        assert _get(stream.missing_url("x"))[0] == 404
    finally:
        stream.close()


def test_markdown_table_lists_each_scenario_and_its_failures() -> None:
    passed, failed = _result(), ScenarioResult("broker-killed", "full", 1)
    failed.failures.append("3 of 40 offered articles lost: [...]")
    table = markdown_table([passed, failed])
    assert "| probe | short | pass |" in table
    assert "| broker-killed | full | FAIL |" in table
    assert "**broker-killed**: 3 of 40 offered articles lost" in table
