"""A small async client for an OpenAI-compatible chat-completions API (httpx).

For services that want a paragraph from the LLM backend without importing the summarizer (the
publisher's overview). It reads the summarizer's settings (``LlmSettings``: the same
``DEVOURED_SUMMARIZER_BACKEND=openai``, ``..._OPENAI_BASE_URL``, ``..._OPENAI_API_KEY``,
``..._OPENAI_MODEL`` and ``..._OPENAI_TIMEOUT_S``), so one configuration serves both. The
summarizer keeps its own client (``devoured_summarizer.llm``, the ``openai`` SDK with retries,
budget and structured output) for now.

One call, one attempt: a caller that has a fallback (the publisher's extractive overview)
does not wait for retries. Every failure is an ``LlmError`` whose ``reason`` is short enough
for a metric label; ``devoured_llm_requests_total{caller, outcome}`` counts every call.
"""

import os
import time

import httpx
from prometheus_client import Counter
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from devoured_core.errors import TransientError
from devoured_infra.metrics import REGISTRY

DEFAULT_BASE_URL = "https://api.openai.com/v1"  # the API's own, as the openai SDK defaults to
MAX_ANSWER_CHARS = 20_000  # an answer longer than this is not a paragraph

REQUESTS = Counter(
    "devoured_llm_requests_total",
    "Chat completions through devoured_infra.llm, by caller and outcome "
    "(ok, timeout, connection error, server error N, client error N, bad answer)",
    ["caller", "outcome"],
    registry=REGISTRY,
)


class LlmSettings(BaseSettings):
    """The LLM backend as the summarizer's settings configure it (same environment names)."""

    model_config = SettingsConfigDict(env_prefix="DEVOURED_SUMMARIZER_", extra="ignore")

    backend: str = "extractive"
    openai_base_url: str | None = None  # None: OPENAI_BASE_URL, else the API's own
    openai_api_key: SecretStr = SecretStr("")
    openai_model: str = "gpt-4o-mini"
    openai_timeout_s: float = 60.0

    @property
    def configured(self) -> bool:
        """An LLM backend is configured (the summarizer's backend is ``openai``)."""
        return self.backend == "openai"


class LlmError(TransientError):
    """llm: the API gave no usable answer; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"llm: {reason}")
        self.reason = reason


class ChatClient:
    """``complete(system, user)``: one chat completion's text, or ``LlmError``."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str = "",
        base_url: str | None = None,
        timeout_s: float = 60.0,
        caller: str = "",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.model = model
        self.caller = caller
        root = base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.AsyncClient(
            base_url=root.rstrip("/") + "/",
            headers=headers,
            timeout=httpx.Timeout(timeout_s),
            transport=transport,
        )
        self._timeout_s = timeout_s

    @classmethod
    def from_settings(cls, settings: LlmSettings, *, caller: str) -> "ChatClient":
        return cls(
            model=settings.openai_model,
            api_key=settings.openai_api_key.get_secret_value(),
            base_url=settings.openai_base_url,
            timeout_s=settings.openai_timeout_s,
            caller=caller,
        )

    async def complete(
        self, system: str, user: str, *, max_tokens: int = 400, temperature: float = 0.2
    ) -> str:
        """The answer's text to ``system`` instructions and a ``user`` message."""
        payload = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        try:
            text = await self._ask(payload)
        except LlmError as error:
            REQUESTS.labels(self.caller, error.reason.split(":")[0]).inc()
            raise
        REQUESTS.labels(self.caller, "ok").inc()
        return text

    async def _ask(self, payload: dict[str, object]) -> str:
        started = time.monotonic()
        try:
            response = await self._http.post("chat/completions", json=payload)
        except httpx.TimeoutException as error:
            waited = time.monotonic() - started
            raise LlmError(f"timeout: no answer in {waited:.1f} s") from error
        except httpx.HTTPError as error:
            raise LlmError(f"connection error: {type(error).__name__}") from error
        if response.status_code >= 500:
            raise LlmError(f"server error {response.status_code}")
        if response.status_code >= 400:
            raise LlmError(f"client error {response.status_code}")
        return _content(response)

    async def aclose(self) -> None:
        await self._http.aclose()


def _content(response: httpx.Response) -> str:
    """The first choice's message text, or ``LlmError("bad answer: ...")``."""
    try:
        body = response.json()
    except ValueError as error:
        raise LlmError("bad answer: not JSON") from error
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as error:
        raise LlmError("bad answer: no choices[0].message.content") from error
    if not isinstance(content, str) or not content.strip():
        raise LlmError("bad answer: empty content")
    if len(content) > MAX_ANSWER_CHARS:
        raise LlmError("bad answer: too long")
    return content.strip()
