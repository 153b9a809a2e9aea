"""The operators' ``/status`` page asks for its token before it reads anything."""

from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from devoured_infra.settings import Settings
from devoured_publisher.bootstrap import wire
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.sinks import FileSink
from devoured_publisher.uow import PublisherUnitOfWork
from devoured_publisher.web import StatusPage, create_web_app
from tests.support.sqlite import TestDatabase


def _site(database: TestDatabase, tmp_path: Path, page: StatusPage | None) -> httpx.AsyncClient:
    new_uow = database.uow(PublisherUnitOfWork, "publisher")
    _, deps = wire(new_uow, settings=PublisherSettings(out_dir=tmp_path), sink=FileSink(tmp_path))
    app = create_web_app(deps, base_url="http://testserver", status=page)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def _page(token: str | None) -> StatusPage:
    # Never reached by these requests: they are refused before anything is read.
    settings = Settings(kafka_bootstrap_servers="127.0.0.1:1", database_url="sqlite+aiosqlite://")
    return StatusPage(token=SecretStr(token) if token is not None else None, settings=settings)


@pytest.mark.parametrize("token", [None, ""])
async def test_without_a_configured_token_there_is_no_page(
    database: TestDatabase, tmp_path: Path, token: str | None
) -> None:
    async with _site(database, tmp_path, _page(token)) as site:
        response = await site.get("/status", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 404


async def test_the_token_is_read_from_the_environment_by_default(
    database: TestDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEVOURED_PUBLISHER_STATUS_TOKEN", "from-env")
    async with _site(database, tmp_path, None) as site:
        missing = await site.get("/status")
        wrong = await site.get("/status", headers={"Authorization": "Bearer nope"})
    assert (missing.status_code, wrong.status_code) == (401, 403)
    monkeypatch.delenv("DEVOURED_PUBLISHER_STATUS_TOKEN")
    async with _site(database, tmp_path, None) as site:
        assert (await site.get("/status?token=from-env")).status_code == 404


@pytest.mark.parametrize(
    ("headers", "query", "expected"),
    [
        ({}, "", 401),
        ({"Authorization": "Bearer "}, "", 401),
        ({"Authorization": "Basic czNjcmV0"}, "", 401),
        ({"Authorization": "Bearer s3cre"}, "", 403),
        ({"Authorization": "Bearer s3cret-and-more"}, "", 403),
        ({}, "?token=S3CRET", 403),
        ({}, "?token=", 401),
    ],
)
async def test_a_missing_token_is_401_and_a_wrong_one_403(
    database: TestDatabase,
    tmp_path: Path,
    headers: dict[str, str],
    query: str,
    expected: int,
) -> None:
    async with _site(database, tmp_path, _page("s3cret")) as site:
        response = await site.get(f"/status{query}", headers=headers)
    assert response.status_code == expected
    if expected == 401:
        assert response.headers["www-authenticate"] == "Bearer"
