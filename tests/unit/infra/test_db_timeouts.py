"""The PostgreSQL limits: from the settings to asyncpg's connect arguments (the limits
themselves are tested on the real server in tests/integration/test_db_timeouts.py)."""

import pytest

from devoured_infra.db import postgres_connect_args
from devoured_infra.settings import DatabaseTimeouts, Settings


def test_the_settings_defaults_are_the_engines_defaults() -> None:
    assert Settings().database_timeouts == DatabaseTimeouts()


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEVOURED_DB_CONNECT_TIMEOUT_S", "2.5")
    monkeypatch.setenv("DEVOURED_DB_STATEMENT_TIMEOUT_S", "12")
    monkeypatch.setenv("DEVOURED_DB_IDLE_IN_TRANSACTION_TIMEOUT_S", "0")
    monkeypatch.setenv("DEVOURED_DB_POOL_TIMEOUT_S", "4")
    assert Settings().database_timeouts == DatabaseTimeouts(2.5, 12, 0, 4)


def test_each_limit_becomes_its_asyncpg_argument() -> None:
    args = postgres_connect_args(DatabaseTimeouts(connect_s=3, statement_s=1.5))
    assert args == {
        "timeout": 3,
        "command_timeout": 6.5,  # the server cancels first; the client, if it never answers
        "server_settings": {
            "statement_timeout": "1500",
            "idle_in_transaction_session_timeout": "60000",
        },
    }


def test_a_limit_of_zero_is_left_out() -> None:
    args = postgres_connect_args(DatabaseTimeouts(0, 0, 0, 0))
    assert args == {"server_settings": {}}
