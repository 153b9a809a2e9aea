"""Fixtures of the infrastructure's unit tests."""

from collections.abc import Iterator

import pytest

from tests.support.logs import Lines, captured_lines


@pytest.fixture
def lines() -> Iterator[Lines]:
    with captured_lines() as handler:
        yield handler
