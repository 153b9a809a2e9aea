"""Counting what the services logged while a fault lasted and the pipeline recovered.

The services log one JSON object per line (``devoured_infra.runtime.JsonFormatter``). An outage
should read as a few clear lines, not thousands: the count of ERROR lines per service, and the
most frequent messages among them, go into the results.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ERROR_LEVELS = frozenset({"ERROR", "CRITICAL"})


@dataclass
class LogDigest:
    """One service's log between two marks."""

    lines: int = 0
    errors: int = 0
    warnings: int = 0
    unstructured: int = 0  # lines that are not JSON (tracebacks printed raw, start markers)
    top_errors: list[tuple[str, int]] = field(default_factory=list)


def digest_log(path: Path, start: int, end: int | None = None) -> LogDigest:
    """Read ``path`` from byte ``start`` to ``end`` (the end of the file when None)."""
    if not path.exists():
        return LogDigest()
    with path.open("rb") as log:
        log.seek(start)
        chunk = log.read() if end is None else log.read(max(0, end - start))
    digest = LogDigest()
    messages: Counter[str] = Counter()
    for raw in chunk.decode(errors="replace").splitlines():
        if not raw.strip() or raw.startswith("=== start "):
            continue
        digest.lines += 1
        try:
            entry = json.loads(raw)
        except ValueError:
            digest.unstructured += 1
            continue
        if not isinstance(entry, dict):
            digest.unstructured += 1
            continue
        level = str(entry.get("level", ""))
        if level in ERROR_LEVELS:
            digest.errors += 1
            messages[f"{entry.get('logger', '?')}: {str(entry.get('message', ''))[:100]}"] += 1
        elif level == "WARNING":
            digest.warnings += 1
    digest.top_errors = messages.most_common(3)
    return digest
