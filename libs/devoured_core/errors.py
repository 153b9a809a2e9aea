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
"""


class DevouredError(Exception):
    """Base of every error Devoured raises on purpose."""


class InvalidMessage(DevouredError):
    """A message failed validation against its contract."""


class PermanentError(DevouredError):
    """Retrying cannot help: the input itself is the problem."""


class SkippedInput(PermanentError):
    """The input was understood and deliberately not processed."""


class TransientError(DevouredError):
    """A failure that may go away if the same work is tried again later."""


class StaleLeader(DevouredError):
    """A former leader's work was fenced off: its lease expired, or its epoch is not current."""
