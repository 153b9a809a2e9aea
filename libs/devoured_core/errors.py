"""Devoured's exception tree.

    DevouredError
    ├── InvalidMessage        a message that does not match its contract (never retried)
    ├── PermanentError        processing can never succeed for this input (dead-lettered at once)
    │   └── SkippedInput      input deliberately not processed, with a reason (e.g. not HTML)
    ├── TransientError        may succeed later (network, database); retried with backoff
    └── StaleLeader           work of a singleton job refused: this replica's leader lease
                              expired or another replica holds it under a newer epoch

Adapters translate third-party exceptions into these at their edge, so handlers and the
transport reason about three cases only. ``StaleLeader`` is raised only in the background
loops that run under a leader lease (fetch scheduler, edition builder): the loop stops the
work of that round, and the replica carries on as a follower.

A ``SkippedInput`` carries a ``SkipCode``: the stable reason metrics count it under, while its
message is the human-readable detail (which may change wording freely).
"""

from enum import StrEnum


class DevouredError(Exception):
    """Base of every error Devoured raises on purpose."""


class InvalidMessage(DevouredError):
    """A message failed validation against its contract."""


class PermanentError(DevouredError):
    """Retrying cannot help: the input itself is the problem."""


class SkipCode(StrEnum):
    """Why an input was skipped, as a metric label (``devoured_extractor_skips_total``)."""

    EMPTY = "empty"
    NOT_HTML = "not_html"
    TOO_LARGE = "too_large"
    TOO_DEEP = "too_deep"
    PAYWALLED = "paywalled"
    JAVASCRIPT_SHELL = "javascript_shell"
    NO_TEXT = "no_text"
    OTHER = "other"


class SkippedInput(PermanentError):
    """The input was understood and deliberately not processed.

    ``code`` is the stable reason for metrics; None when the raiser gave none (the counting
    side decides, e.g. ``SkipCode.OTHER``).
    """

    def __init__(self, message: str, *, code: SkipCode | None = None) -> None:
        super().__init__(message)
        self.code = code

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling (process pools) keeps the code: the default would rebuild from args only.
        return (_skipped, (type(self), str(self), self.code))


def _skipped(kind: type[SkippedInput], message: str, code: SkipCode | None) -> SkippedInput:
    error = kind(message)
    error.code = code
    return error


class TransientError(DevouredError):
    """A failure that may go away if the same work is tried again later."""


class StaleLeader(DevouredError):
    """A former leader's work was fenced off: its lease expired, or its epoch is not current."""
