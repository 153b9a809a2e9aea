"""Headers: the website's security headers (and a CSP its own styles pass), and delivery
headers that a hostile value cannot split (CRLF) or break (huge)."""

import base64
import hashlib
import re
from datetime import date
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from devoured_publisher.bootstrap import wire
from devoured_publisher.delivery import DeliveryFailed, EmailChannel, WebhookChannel
from devoured_publisher.edition import assemble_edition
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.sinks import FileSink
from devoured_publisher.uow import PublisherUnitOfWork
from devoured_publisher.web import create_web_app
from tests.security.smtp import smtp_server
from tests.support.sqlite import TestDatabase
from tests.unit.samples import story

PATHS = ["/", "/search?q=x", "/feed.xml", "/atom.xml", "/api/editions", "/editions/1999-01-01"]


@pytest.fixture
def site(database: TestDatabase, tmp_path: Path) -> httpx.AsyncClient:
    settings = PublisherSettings(digest_name="D", out_dir=tmp_path)
    new_uow = database.uow(PublisherUnitOfWork, "publisher")
    _, deps = wire(new_uow, settings=settings, sink=FileSink(tmp_path))
    app = create_web_app(deps, base_url="http://testserver")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.mark.parametrize("path", PATHS)
async def test_every_response_carries_the_security_headers(
    site: httpx.AsyncClient, path: str
) -> None:
    response = await site.get(path)
    header = response.headers["content-security-policy"]
    policy = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", policy["style-src"])
    assert "script-src" not in policy  # no script at all: default-src 'none' applies
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/search?q=x"])
async def test_the_pages_own_styles_are_allowed_by_the_policy(
    site: httpx.AsyncClient, path: str
) -> None:
    response = await site.get(path)
    styles = re.findall(r"<style>(.*?)</style>", response.text, re.DOTALL)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response.headers["content-security-policy"]
    assert " style=" not in response.text  # inline style attributes would be blocked


EDITION = assemble_edition([story("a")], digest_name="D", day=date(2026, 11, 29))
CRLF = {
    "recipient-bcc": ("ana@example.org\r\nBcc: evil@example.org", "D"),
    "recipient-lf": ("ana@example.org\nSubject: forged", "D"),
    "digest-name-crlf": ("ana@example.org", "D\r\nBcc: evil@example.org"),
}


@pytest.mark.parametrize(("recipient", "digest_name"), CRLF.values(), ids=CRLF.keys())
async def test_email_headers_cannot_be_split(recipient: str, digest_name: str) -> None:
    edition = assemble_edition([story("a")], digest_name=digest_name, day=date(2026, 11, 29))
    with smtp_server("plain") as (port, box):
        email = EmailChannel("127.0.0.1", port, "d@example.org", [recipient], allow_plaintext=True)
        with pytest.raises(DeliveryFailed, match="linefeed or carriage return"):
            await email.send(edition, recipient)
    assert box.messages == []


async def test_a_huge_subject_is_folded_not_broken() -> None:
    edition = assemble_edition([story("a")], digest_name="D" * 20_000, day=date(2026, 11, 29))
    with smtp_server("plain") as (port, box):
        email = EmailChannel("127.0.0.1", port, "d@example.org", [], allow_plaintext=True)
        await email.send(edition, "ana@example.org")
    head = box.messages[0].split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 998  # RFC 5322's line limit
    assert head.count(b"\r\nBcc") == 0


HOOKS = {
    "crlf-in-url": "http://127.0.0.1:9/hook\r\nX-Injected: 1",
    "lf-in-url": "http://127.0.0.1:9/hook\nX-Injected: 1",
    "huge-url": "http://127.0.0.1:9/" + "a" * 100_000,
}


@pytest.mark.parametrize("url", HOOKS.values(), ids=HOOKS.keys())
async def test_a_bad_webhook_url_fails_as_a_delivery_error(url: str) -> None:
    hook = WebhookChannel(targets=[url], secret=SecretStr("k"))
    with pytest.raises(DeliveryFailed) as failure:
        await hook.send(EDITION, url)
    assert "X-Injected" not in str(failure.value)
    assert "aaaa" not in str(failure.value)
