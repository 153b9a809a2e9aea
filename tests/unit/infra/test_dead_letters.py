"""Dead letters fit under the broker's message size limit, whatever the record holds.

A letter repeats its record's value JSON-escaped (about 1.35 times a page's size), so without a
cut a record near the limit made a letter the broker refused, and the record came back forever.
"""

import hashlib
import json
from collections.abc import Sequence

import pytest

from devoured_core.errors import PermanentError
from devoured_core.messages import DeadLetter, Message, PageFetched
from devoured_infra.bus import Stage
from devoured_infra.dlq import build_dead_letter
from devoured_infra.pump import Record, RecordProcessor
from devoured_infra.settings import Settings
from tests.fakes import RecordingPublisher
from tests.unit import samples

KEY = b"0123456789abcdef0123"


def _record(value: bytes, key: bytes | None = KEY) -> Record:
    return Record(PageFetched.TOPIC, partition=3, offset=41, key=key, value=value)


def _page_of_size(size: int) -> bytes:
    """A valid PageFetched of exactly ``size`` bytes, its body HTML heavy in quotes."""
    room = size - len(samples.page_fetched(body="").model_dump_json().encode())
    chunk = '<a href="/x" class="y">a "quoted" word</a>\n\t'
    escaped = len(json.dumps(chunk)) - 2
    body = chunk * (room // escaped) + "x" * (room % escaped)
    value = samples.page_fetched(body=body).model_dump_json().encode()
    assert len(value) == size
    return value


def _wire_size(letter: DeadLetter) -> int:
    """What the broker weighs, short of its framing: the value and the key."""
    return len(letter.model_dump_json().encode()) + len(letter.key())


def _letter(value: bytes, max_bytes: int, key: bytes | None = KEY) -> DeadLetter:
    return build_dead_letter(
        _record(value, key), "boom", service="extractor", attempts=3, max_bytes=max_bytes
    )


def test_a_small_record_keeps_its_whole_payload() -> None:
    value = samples.page_fetched().model_dump_json().encode()
    letter = _letter(value, 1 << 20)
    assert letter.payload == value.decode()
    assert letter.payload_truncated is False
    assert letter.payload_bytes == len(value)
    assert letter.payload_sha256 == hashlib.sha256(value).hexdigest()
    assert (letter.original_topic, letter.partition, letter.offset) == (PageFetched.TOPIC, 3, 41)
    assert (letter.message_key, letter.service, letter.attempts) == (KEY.decode(), "extractor", 3)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(_page_of_size(200_000), id="html-page"),
        pytest.param(b"\x01" * 200_000, id="control-characters"),  # 6 bytes each, escaped
        pytest.param(b"\xff" * 200_000, id="invalid-utf8"),  # U+FFFD: 3 bytes each
        pytest.param("é€😀".encode() * 20_000, id="multibyte"),
    ],
)
def test_a_record_at_the_limit_gives_a_letter_under_the_limit(value: bytes) -> None:
    limit = len(value)
    letter = _letter(value, limit)

    assert _wire_size(letter) < limit
    assert letter.payload_truncated is True
    assert value.decode("utf-8", "replace").startswith(letter.payload)
    assert len(letter.payload) > limit // 8  # a useful start of it is kept
    assert letter.payload_bytes == len(value)
    assert letter.payload_sha256 == hashlib.sha256(value).hexdigest()
    assert DeadLetter.model_validate_json(letter.model_dump_json()) == letter


def test_an_undecodable_key_is_counted_as_the_letter_sends_it() -> None:
    key = b"\xff" * 2000  # each byte becomes U+FFFD: 3 bytes in the letter's own key
    value = _page_of_size(100_000)
    letter = _letter(value, len(value) + len(key), key=key)
    assert len(letter.key()) == 3 * len(key)
    assert _wire_size(letter) < len(value) + len(key)


def test_the_cut_leaves_room_for_the_kafka_framing() -> None:
    value = _page_of_size(1 << 20)
    letter = _letter(value, len(value))
    assert len(value) - _wire_size(letter) >= min(64 * 1024, len(value) // 8) - 1


def test_a_limit_too_small_for_any_letter_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot fit"):
        _letter(b"x" * 10, 100)


def test_letters_written_before_the_new_fields_still_validate() -> None:
    old = {
        "schema_version": 1,
        "message_id": "m",
        "occurred_at": "2026-11-29T12:00:00Z",
        "original_topic": PageFetched.TOPIC,
        "partition": 0,
        "offset": 1,
        "message_key": "k",
        "payload": "{}",
        "error": "e",
        "service": "extractor",
        "failed_at": "2026-11-29T12:00:00Z",
        "attempts": 1,
    }
    letter = DeadLetter.model_validate_json(json.dumps(old))
    assert (letter.payload_truncated, letter.payload_bytes, letter.payload_sha256) == (
        False,
        None,
        None,
    )


class _Refuses:
    async def __call__(self, message: PageFetched) -> Sequence[Message]:
        raise PermanentError("extract: no article here")


async def test_the_processor_dead_letters_a_record_at_the_default_limit_within_it() -> None:
    """The RecordProcessor's default is the brokers' limit (DEVOURED_KAFKA_MAX_MESSAGE_BYTES)."""
    limit = Settings().kafka_max_message_bytes
    value = _page_of_size(limit - 1024)
    publisher = RecordingPublisher()
    processor = RecordProcessor(Stage("extractor", PageFetched, _Refuses()), publisher)

    await processor.process(_record(value))

    [(topic, letter)] = publisher.published
    assert topic == PageFetched.TOPIC + ".dlq"
    assert isinstance(letter, DeadLetter)
    assert _wire_size(letter) < limit
    assert letter.payload_truncated is True
    assert letter.error == "PermanentError: extract: no article here"


async def test_the_processor_takes_the_limit_from_its_constructor() -> None:
    value = _page_of_size(100_000)
    publisher = RecordingPublisher()
    stage = Stage("extractor", PageFetched, _Refuses())
    processor = RecordProcessor(stage, publisher, max_letter_bytes=50_000)

    await processor.process(_record(value))

    [(_, letter)] = publisher.published
    assert isinstance(letter, DeadLetter)
    assert _wire_size(letter) < 50_000
    assert letter.payload_truncated is True
