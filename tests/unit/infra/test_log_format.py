"""``DEVOURED_LOG_FORMAT``: JSON lines for collectors (the default), readable lines for people."""

import json
import logging
import re
import sys
from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from devoured_infra.log_context import bound
from devoured_infra.runtime import ConsoleFormatter, configure_logging
from devoured_infra.settings import Settings

LINE = re.compile(r"^\d\d:\d\d:\d\d WARNING  devoured\.test  feed gone  (?P<fields>.*)$")


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _warn() -> None:
    with bound(topic="devoured.page_fetched", offset=7):
        logging.getLogger("devoured.test").warning(
            "feed gone", extra={"feed_id": "f-1", "error": "HTTP 410 Gone"}
        )


def test_json_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEVOURED_LOG_FORMAT", raising=False)
    assert Settings().log_format == "json"
    monkeypatch.setenv("DEVOURED_LOG_FORMAT", "console")
    assert Settings().log_format == "console"
    monkeypatch.setenv("DEVOURED_LOG_FORMAT", "xml")
    with pytest.raises(ValidationError):
        Settings()


def test_json_lines_carry_the_record_and_extra_fields(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    _warn()
    line = json.loads(capsys.readouterr().err.strip())
    assert line["level"] == "WARNING"
    assert line["message"] == "feed gone"
    assert (line["topic"], line["offset"], line["feed_id"]) == ("devoured.page_fetched", 7, "f-1")


def test_console_lines_read_as_text_without_colour_off_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", "console")
    _warn()
    logging.getLogger("devoured.test").debug("below the level")
    err = capsys.readouterr().err
    assert "\x1b[" not in err  # captured stderr is no terminal
    [line] = err.splitlines()
    match = LINE.match(line)
    assert match is not None, line
    assert match["fields"] == (
        'topic=devoured.page_fetched offset=7 feed_id=f-1 error="HTTP 410 Gone"'
    )


def test_console_lines_are_coloured_by_level_and_keep_the_traceback() -> None:
    formatter = ConsoleFormatter(colour=True)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        error = logging.LogRecord(
            "devoured.test", logging.ERROR, __file__, 1, "it failed", None, sys.exc_info()
        )
    info = logging.LogRecord("devoured.test", logging.INFO, __file__, 1, "all good", None, None)
    red, green = formatter.format(error), formatter.format(info)
    assert "\x1b[31mERROR" in red
    assert "\x1b[32mINFO" in green
    assert red.splitlines()[0].endswith("it failed")
    assert red.splitlines()[-1] == "RuntimeError: boom"
    assert "\n" not in green


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="log format"):
        configure_logging("INFO", "xml")
