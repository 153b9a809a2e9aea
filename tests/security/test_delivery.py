"""Delivery channels: email only over verified TLS unless cleartext is allowed on purpose,
webhook signatures that cannot be replayed, chat payloads an article cannot forge, and
settings that never print a secret."""

import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from devoured_publisher.delivery import (
    DeliveryFailed,
    EmailChannel,
    WebhookChannel,
    redact,
    target_id,
)
from devoured_publisher.edition import assemble_edition
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.signature import sign, verify_signature
from devoured_summarizer.settings import SummarizerSettings
from tests.security.smtp import PASSWORD, USER, make_certificate, smtp_server
from tests.unit.samples import story

pytestmark = pytest.mark.timeout(60)

EDITION = assemble_edition([story("a", title="Alpha")], digest_name="D", day=date(2026, 11, 29))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def channel(port: int, **options: object) -> EmailChannel:
    return EmailChannel(
        host="127.0.0.1",
        port=port,
        sender="digest@example.org",
        targets=["ana@example.org"],
        username=USER,
        password=SecretStr(PASSWORD),
        **options,  # type: ignore[arg-type]
    )


async def test_starttls_is_started_before_the_password_is_sent(
    certificate: tuple[Path, Path],
) -> None:
    with smtp_server("starttls", certificate) as (port, box):
        await channel(port, ca_file=certificate[0]).send(EDITION, "ana@example.org")
    assert box.logins == [(USER, PASSWORD, True)]
    assert len(box.messages) == 1


async def test_implicit_tls_delivers(certificate: tuple[Path, Path]) -> None:
    with smtp_server("implicit", certificate) as (port, box):
        email = channel(port, implicit_tls=True, ca_file=certificate[0])
        await email.send(EDITION, "ana@example.org")
    assert box.logins == [(USER, PASSWORD, True)]
    assert len(box.messages) == 1


async def test_a_server_without_starttls_gets_no_password_and_no_mail() -> None:
    with (
        smtp_server("plain") as (port, box),
        pytest.raises(DeliveryFailed, match="offers no STARTTLS"),
    ):
        await channel(port).send(EDITION, "ana@example.org")
    assert box.logins == []
    assert box.messages == []


async def test_an_untrusted_certificate_is_refused(certificate: tuple[Path, Path]) -> None:
    with (
        smtp_server("starttls", certificate) as (port, box),
        pytest.raises(DeliveryFailed, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        await channel(port).send(EDITION, "ana@example.org")  # no CA file: not trusted
    assert box.logins == []


async def test_cleartext_only_when_the_operator_allows_it() -> None:
    with smtp_server("plain") as (port, box):
        await channel(port, allow_plaintext=True).send(EDITION, "ana@example.org")
    assert box.logins == [(USER, PASSWORD, False)]
    with pytest.raises(ValidationError, match="SMTP without TLS"):
        PublisherSettings(smtp_host="mail.example.org", smtp_starttls=False)


def test_a_signature_verifies_once_and_only_while_fresh() -> None:
    header = sign(b'{"a":1}', "k", 1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    assert verify_signature(header, b'{"a":1}', "k", now=1_700_000_100)
    assert not verify_signature(header, b'{"a":1}', "k", now=1_700_000_000 + 301)  # replayed
    assert not verify_signature(header, b'{"a":1}', "k", now=1_700_000_000 - 301)
    assert not verify_signature(header, b'{"a":2}', "k", now=1_700_000_000)  # other body
    assert not verify_signature(header, b'{"a":1}', "other", now=1_700_000_000)
    forged = header.replace("t=1700000000", "t=1700000600")  # a fresh time on an old MAC
    assert not verify_signature(forged, b'{"a":1}', "k", now=1_700_000_600)
    for broken in ("", "v1=abc", "t=x,v1=abc", "sha256=abc"):
        assert not verify_signature(broken, b"", "k", now=0)


def test_webhook_calls_carry_a_timestamped_signature() -> None:
    hook = WebhookChannel(targets=[], secret=SecretStr("k"), clock=lambda: 1_700_000_000.0)
    assert hook.clock() == 1_700_000_000.0
    body = b"{}"
    assert verify_signature(sign(body, "k", 1_700_000_000), body, "k", now=1_700_000_010)


def test_target_ids_keep_no_secret_and_stay_stable() -> None:
    url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"
    key = target_id(url)
    assert key.startswith("https://hooks.slack.com/…#")
    assert "XXXXSECRET" not in key
    assert target_id(url) == key != target_id(url + "2")
    assert "pw" not in target_id("https://user:pw@example.org/hook")
    assert target_id("ana@example.org") == "ana@example.org"
    message = f"ConnectError: {url} refused; password {PASSWORD}"
    assert redact(message, [url, PASSWORD]) == f"ConnectError: {key} refused; password ***"


def test_settings_never_print_secrets() -> None:
    settings = PublisherSettings(
        smtp_password=SecretStr(PASSWORD),
        webhook_urls=SecretStr("https://hooks.slack.com/services/T/B/XXXXSECRET"),
        webhook_secret=SecretStr("whsec-SECRET"),
    )
    summarizer = SummarizerSettings(openai_api_key=SecretStr("sk-SECRET"))
    for shown in (repr(settings), str(settings), repr(summarizer), settings.model_dump_json()):
        for secret in (PASSWORD, "XXXXSECRET", "whsec-SECRET", "sk-SECRET"):
            assert secret not in shown
    assert settings.webhooks == ["https://hooks.slack.com/services/T/B/XXXXSECRET"]


def test_the_sample_verifier_in_the_docs_agrees() -> None:
    docs = (Path(__file__).parents[2] / "docs/publisher.md").read_text()
    sample = docs.split("### Verifying a webhook signature")[1].split("```python\n")[1]
    namespace: dict[str, Any] = {}
    exec(sample.split("```")[0], namespace)  # our own documentation
    verify = namespace["verify_signature"]
    now = int(time.time())
    assert verify(sign(b"{}", "k", now), b"{}", "k")
    assert not verify(sign(b"{}", "k", now - 301), b"{}", "k")  # replayed
    assert not verify(sign(b"{}", "k", now), b"{ }", "k")
    assert not verify("sha256=00", b"{}", "k")
