"""A fetch request record, through the record processor: typed command, ids in the logs."""

import json
import logging
from collections.abc import Sequence

from devoured_core.messages import FetchArticle, FetchRequested, Message, PollFeed
from devoured_core.urls import article_id_for
from devoured_infra.bus import Stage
from devoured_infra.pump import Record, RecordProcessor
from tests.fakes import RecordingPublisher
from tests.support.logs import Lines
from tests.unit import samples

URL = "https://lantern.test/posts/one"


def _processor(seen: list[FetchRequested]) -> RecordProcessor:
    async def handle(message: FetchRequested) -> Sequence[Message]:
        seen.append(message)
        logging.getLogger("devoured.fetcher").info("fetching")
        return []

    return RecordProcessor(Stage("fetcher", FetchRequested, handle), RecordingPublisher())


async def test_an_article_record_reaches_the_handler_typed_and_logs_its_article(
    lines: Lines,
) -> None:
    seen: list[FetchRequested] = []
    request = FetchArticle(url=URL, source=samples.SOURCE)
    await _processor(seen).process(
        Record(FetchRequested.TOPIC, 0, 1, None, request.model_dump_json().encode())
    )
    assert [type(m) for m in seen] == [FetchArticle]
    (line,) = [line for line in lines.lines if line["message"] == "fetching"]
    assert (line["article_id"], line["url"]) == (article_id_for(URL), URL)


async def test_a_feed_record_reaches_the_handler_typed_without_an_article_id(
    lines: Lines,
) -> None:
    seen: list[FetchRequested] = []
    request = PollFeed(url="https://lantern.test/feed.xml", source=samples.SOURCE)
    await _processor(seen).process(
        Record(FetchRequested.TOPIC, 0, 2, None, request.model_dump_json().encode())
    )
    assert [type(m) for m in seen] == [PollFeed]
    (line,) = [line for line in lines.lines if line["message"] == "fetching"]
    assert "article_id" not in line


async def test_an_invalid_article_record_still_names_its_article(lines: Lines) -> None:
    seen: list[FetchRequested] = []
    value = json.dumps({"kind": "article", "url": URL}).encode()  # no source
    await _processor(seen).process(Record(FetchRequested.TOPIC, 0, 3, None, value))
    assert seen == []
    (dead,) = [line for line in lines.lines if line["message"] == "dead-lettered"]
    assert (dead["article_id"], dead["offset"]) == (article_id_for(URL), 3)
