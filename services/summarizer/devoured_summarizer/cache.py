"""The LLM answer cache, keyed by (content hash, model, prompt version).

A replayed or re-extracted article with the same text costs nothing. The cache keeps the
accepted answer's JSON, so a cached answer is checked by the same code as a fresh one.
"""

from collections import OrderedDict
from typing import Protocol


class AnswerCache(Protocol):
    def get(self, key: str) -> str | None: ...

    def put(self, key: str, answer: str) -> None: ...


class MemoryAnswerCache:
    """Least-recently-used, bounded, in this process."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._max = max_entries

    def get(self, key: str) -> str | None:
        answer = self._entries.get(key)
        if answer is not None:
            self._entries.move_to_end(key)
        return answer

    def put(self, key: str, answer: str) -> None:
        self._entries[key] = answer
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
