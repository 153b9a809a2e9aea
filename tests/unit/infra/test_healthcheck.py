"""The image's health check finds its service's port in the registry."""

import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from devoured_embedded.sample_server import serve_http
from devoured_infra import healthcheck, registry


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def health_port() -> Iterator[int]:
    with serve_http(_Health) as base:
        yield int(base.rsplit(":", 1)[1])


def test_a_stage_is_asked_on_the_port_given(
    monkeypatch: pytest.MonkeyPatch, health_port: int
) -> None:
    monkeypatch.setenv("SERVICE", "extractor")
    monkeypatch.setenv("DEVOURED_HTTP_PORT", str(health_port))
    assert healthcheck.main() == 0


def test_without_an_override_the_descriptor_port_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICE", "summarizer")
    monkeypatch.delenv("DEVOURED_HTTP_PORT", raising=False)
    asked: list[str] = []

    def fake_open(url: str, timeout: float) -> object:
        asked.append(url)
        raise urllib.error.URLError("refused")

    monkeypatch.setattr(urllib.request, "urlopen", fake_open)
    with pytest.raises(urllib.error.URLError):
        healthcheck.main()
    assert asked == [f"http://127.0.0.1:{registry.find('summarizer').port}/healthz"]


def test_the_cli_image_passes_and_an_unknown_stage_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICE", "cli")
    assert healthcheck.main() == 0
    monkeypatch.setenv("SERVICE", "nonesuch")
    with pytest.raises(LookupError, match="nonesuch"):
        healthcheck.main()
