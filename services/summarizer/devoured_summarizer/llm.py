"""The LLM client: one chat completion through the official ``openai`` SDK.

The SDK's own retries are off so the policy is ours and visible: timeouts, then retries with
exponential backoff on 429, 5xx, timeouts and connection errors, waiting what ``Retry-After``
asks (capped) when the server says. Other 4xx are not retried. Every failure becomes an
``LlmError`` whose ``reason`` is short enough for a metric label and the message's backend.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from devoured_core.errors import TransientError
from devoured_summarizer import metrics

if TYPE_CHECKING:  # openai takes a second to import: only a configured LLM loads it
    import openai


@dataclass(frozen=True)
class Completion:
    content: str
    tokens_in: int
    tokens_out: int


class LlmError(TransientError):
    """llm: the API gave no usable answer; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"llm: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    backoff_s: float = 1.0
    max_retry_after_s: float = 60.0
    # One summary's calls, retries and waits together; past it the summarizer falls back to
    # the extractive backend. It keeps a handler well inside the consumer's max poll interval.
    deadline_s: float = 120.0


class LlmClient:
    """Chat completions with structured output against any OpenAI-compatible API."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout_s: float = 60.0,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.model = model
        self._timeout_s = timeout_s
        self._clock = clock
        import openai  # loaded only when an LLM is configured

        self._client = openai.AsyncOpenAI(
            api_key=api_key or "unused", base_url=base_url, timeout=timeout_s, max_retries=0
        )
        self._retry = retry
        self._sleep = sleep

    async def complete(
        self, messages: list[dict[str, str]], response_format: dict[str, object]
    ) -> Completion:
        import openai

        deadline = self._clock() + self._retry.deadline_s
        for attempt in range(self._retry.max_retries + 1):
            started = time.perf_counter()
            try:
                # The pure prompt module builds plain dicts; the SDK types them as TypedDicts.
                response = await self._client.chat.completions.create(  # type: ignore[call-overload]
                    model=self.model,
                    messages=messages,
                    response_format=response_format,
                    temperature=0,
                    timeout=max(0.1, min(self._timeout_s, deadline - self._clock())),
                )
            except openai.APIError as exc:
                reason, wait = self._failure(exc, attempt)
                metrics.LLM_SECONDS.labels("error").observe(time.perf_counter() - started)
                metrics.LLM_ERRORS.labels(reason).inc()
                if wait is None or attempt == self._retry.max_retries:
                    raise LlmError(reason) from exc
                if self._clock() + wait >= deadline:
                    raise LlmError(f"{reason}; out of time to retry") from exc
                await self._sleep(wait)
                continue
            metrics.LLM_SECONDS.labels("success").observe(time.perf_counter() - started)
            return _completion(response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _failure(self, exc: "openai.APIError", attempt: int) -> tuple[str, float | None]:
        """(reason, seconds to wait before retrying or None when retrying cannot help)."""
        import openai

        backoff = self._retry.backoff_s * 2**attempt
        if isinstance(exc, openai.APITimeoutError):
            return "timeout", backoff
        if isinstance(exc, openai.APIConnectionError):
            return "connection error", backoff
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            if status == 429 or status >= 500:
                asked = _retry_after(exc.response.headers.get("retry-after"))
                wait = backoff if asked is None else min(asked, self._retry.max_retry_after_s)
                return ("rate limited" if status == 429 else f"server error {status}"), wait
            return f"client error {status}", None
        return "api error", None


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: rare from these APIs, so plain backoff is used


def _completion(response: object) -> Completion:
    choices = getattr(response, "choices", None) or []
    content = choices[0].message.content if choices else None
    if not content:
        metrics.LLM_ERRORS.labels("empty answer").inc()
        raise LlmError("empty answer")
    usage = getattr(response, "usage", None)
    return Completion(
        content=content,
        tokens_in=getattr(usage, "prompt_tokens", 0) or 0,
        tokens_out=getattr(usage, "completion_tokens", 0) or 0,
    )
