"""The overview through the LLM backend: devoured_infra.llm against a real HTTP server on
127.0.0.1 (started here, answering like the chat-completions API), wired as the publisher's
overview writer. The paragraph is used only when the editor accepts it; garbage, errors and
timeouts leave the editor's own overview."""

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pydantic import SecretStr

from devoured_infra.llm import ChatClient, LlmError, LlmSettings
from devoured_infra.metrics import REGISTRY
from devoured_infra.settings import env_names
from devoured_publisher.bootstrap import llm_overview_writer
from devoured_publisher.editor import OVERVIEW_INSTRUCTIONS
from devoured_publisher.handlers import build_edition
from devoured_summarizer.settings import SummarizerSettings
from tests.support.sqlite import TestDatabase
from tests.unit.publisher.test_editor_handlers import summarized
from tests.unit.publisher.test_handlers import Publisher

OWN_OVERVIEW = "A new compiler halves build times for Rust and Python developers."
PARAGRAPH = (
    "Compiler 1 ships today, and its makers say it halves build times for Rust and Python "
    "developers. The release is open source and runs on every supported computer."
)


@dataclass
class Script:
    """What the fake API answers next, and what it was asked."""

    content: str | None = PARAGRAPH
    status: int = 200
    body: bytes | None = None  # raw body instead of a completion
    delay_s: float = 0.0
    requests: list[tuple[str, dict[str, str], dict[str, object]]] = field(default_factory=list)


@pytest.fixture
def api() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length))
            script.requests.append((self.path, dict(self.headers), payload))
            time.sleep(script.delay_s)
            body = script.body
            if body is None:
                body = json.dumps(
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "model": payload.get("model"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": script.content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 20},
                    }
                ).encode()
            try:
                self.send_response(script.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", script
    finally:
        server.shutdown()
        server.server_close()


def _settings(base_url: str, *, timeout_s: float = 5.0) -> LlmSettings:
    return LlmSettings(
        backend="openai",
        openai_base_url=base_url,
        openai_api_key=SecretStr("sk-test"),
        openai_model="tiny-model",
        openai_timeout_s=timeout_s,
    )


def _count(outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "devoured_llm_requests_total", {"caller": "publisher", "outcome": outcome}
    )
    return value or 0.0


async def _overview(database: TestDatabase, tmp_path: Path, settings: LlmSettings) -> str:
    publisher = Publisher(database, tmp_path)
    writer = llm_overview_writer(settings)
    assert writer is not None
    publisher.deps = dataclasses.replace(publisher.deps, overview_writer=writer)
    await publisher.receive(summarized(1))
    return (await build_edition("2026-11-29", deps=publisher.deps)).overview


async def test_the_llms_paragraph_becomes_the_overview(
    api: tuple[str, Script], database: TestDatabase, tmp_path: Path
) -> None:
    url, script = api
    before = _count("ok")
    assert await _overview(database, tmp_path, _settings(url)) == PARAGRAPH
    assert _count("ok") == before + 1
    [(path, headers, payload)] = script.requests
    assert path == "/v1/chat/completions"
    assert headers["Authorization"] == "Bearer sk-test"
    assert payload["model"] == "tiny-model"
    messages = payload["messages"]
    assert isinstance(messages, list)
    assert messages[0] == {"role": "system", "content": OVERVIEW_INSTRUCTIONS}
    assert messages[1]["role"] == "user"
    assert "Compiler 1 ships" in messages[1]["content"]  # the brief: headline and TL;DR


@pytest.mark.parametrize(
    "garbage",
    [
        "- Compiler 1 ships\n- Build times halve\n- Rust and Python developers rejoice today",
        "Sure! Here is the overview you asked for.",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. "
        "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip.",
        "Compiler 1 ships today and cuts build times by 75 percent for Rust and Python "
        "developers. It costs 300 dollars a seat and runs on every supported computer.",
    ],
    ids=["a list", "chatter", "about something else", "invented figures"],
)
async def test_garbage_from_the_llm_is_refused(
    garbage: str, api: tuple[str, Script], database: TestDatabase, tmp_path: Path
) -> None:
    url, script = api
    script.content = garbage
    assert await _overview(database, tmp_path, _settings(url)) == OWN_OVERVIEW
    assert len(script.requests) == 1


async def test_a_slow_llm_times_out_and_the_edition_keeps_its_own_overview(
    api: tuple[str, Script], database: TestDatabase, tmp_path: Path
) -> None:
    url, script = api
    script.delay_s = 2.0
    before = _count("timeout")
    started = time.monotonic()
    assert await _overview(database, tmp_path, _settings(url, timeout_s=0.3)) == OWN_OVERVIEW
    assert time.monotonic() - started < 1.9  # it did not wait for the answer
    assert _count("timeout") == before + 1


async def test_server_errors_and_malformed_answers_are_clear_errors(
    api: tuple[str, Script],
) -> None:
    url, script = api
    client = ChatClient(model="tiny-model", base_url=url, timeout_s=5.0, caller="test")
    try:
        script.status, script.body = 503, b'{"error": {"message": "overloaded"}}'
        with pytest.raises(LlmError, match="server error 503"):
            await client.complete("system", "user")
        script.status, script.body = 401, b'{"error": {"message": "bad key"}}'
        with pytest.raises(LlmError, match="client error 401"):
            await client.complete("system", "user")
        script.status, script.body = 200, b"<html>a proxy page</html>"
        with pytest.raises(LlmError, match="bad answer: not JSON"):
            await client.complete("system", "user")
        script.body = b'{"choices": []}'
        with pytest.raises(LlmError, match="bad answer: no choices"):
            await client.complete("system", "user")
        script.body, script.content = None, "   "
        with pytest.raises(LlmError, match="bad answer: empty content"):
            await client.complete("system", "user")
        script.content = "fine"
        assert await client.complete("system", "user") == "fine"
        assert "Authorization" not in script.requests[-1][1]  # no key, no header
    finally:
        await client.aclose()


async def test_an_unreachable_api_is_a_connection_error(
    database: TestDatabase, tmp_path: Path
) -> None:
    client = ChatClient(model="m", base_url="http://127.0.0.1:9/v1", timeout_s=2.0)
    try:
        with pytest.raises(LlmError, match="connection error"):
            await client.complete("system", "user")
    finally:
        await client.aclose()
    settings = _settings("http://127.0.0.1:9/v1", timeout_s=2.0)
    assert await _overview(database, tmp_path, settings) == OWN_OVERVIEW


def test_the_summarizers_settings_configure_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert llm_overview_writer(LlmSettings()) is None  # extractive: no writer
    ours = {name for names in env_names(LlmSettings).values() for name in names}
    summarizers = {name for names in env_names(SummarizerSettings).values() for name in names}
    assert ours <= summarizers  # one configuration serves both
    monkeypatch.setenv("DEVOURED_SUMMARIZER_BACKEND", "openai")
    monkeypatch.setenv("DEVOURED_SUMMARIZER_OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    monkeypatch.setenv("DEVOURED_SUMMARIZER_OPENAI_TIMEOUT_S", "7.5")
    settings = LlmSettings()
    assert settings.configured
    assert settings.openai_timeout_s == 7.5
    assert llm_overview_writer(settings) is not None
    with pytest.raises(ValueError, match="timeout_s"):
        ChatClient(model="m", timeout_s=0)
