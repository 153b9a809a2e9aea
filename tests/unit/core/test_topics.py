"""Topic names: one place, and a dead-letter twin for every consumed topic."""

from devoured_core import messages, topics
from devoured_infra import registry


def test_dead_letter_topic_appends_suffix() -> None:
    assert topics.dead_letter_topic("devoured.page_fetched") == "devoured.page_fetched.dlq"


def test_all_topics_are_pipeline_topics_plus_a_dlq_per_consumed_topic() -> None:
    every = registry.all_topics()
    assert len(every) == len(set(every))
    assert set(every) == {
        "devoured.url_submitted",
        "devoured.url_submitted.dlq",
        "devoured.fetch_requested",
        "devoured.page_fetched",
        "devoured.article_extracted",
        "devoured.article_summarized",
        "devoured.digest_published",
        "devoured.fetch_requested.dlq",
        "devoured.page_fetched.dlq",
        "devoured.article_extracted.dlq",
        "devoured.article_summarized.dlq",
    }


def test_the_final_topic_has_no_consumer_and_no_dead_letter_topic() -> None:
    assert topics.DIGEST_PUBLISHED not in registry.consumed_topics()
    assert topics.dead_letter_topic(topics.DIGEST_PUBLISHED) not in registry.all_topics()


def test_every_pipeline_message_is_published_on_its_own_topic() -> None:
    names = {m.TOPIC for m in messages.PIPELINE_MESSAGES}
    assert names == {m.TOPIC for m in registry.messages()}
    assert len(names) == len(messages.PIPELINE_MESSAGES)


def test_topic_names_follow_the_naming_rule() -> None:
    for name in (m.TOPIC for m in messages.PIPELINE_MESSAGES):
        prefix, _, event = name.partition(".")
        assert prefix == "devoured"
        assert event == event.lower()
        assert event.replace("_", "").isalpha()
