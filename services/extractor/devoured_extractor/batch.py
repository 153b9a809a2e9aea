"""``devoured extract``: the extractor core as JSON for operators and benchmarks."""

import dataclasses
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from devoured_core.errors import SkippedInput
from devoured_extractor.extract import WORDS_PER_MINUTE, extract
from devoured_extractor.guards import decode_bytes


def extract_json(data: bytes, url: str | None) -> tuple[str, bool]:
    """One JSON object for the page in ``data``, and whether an article came out of it."""
    try:
        content = extract(decode_bytes(data), url)
    except SkippedInput as exc:
        return json.dumps({"skipped": str(exc), "url": url}, ensure_ascii=False), False
    fields = dataclasses.asdict(content)
    fields["words_per_minute"] = WORDS_PER_MINUTE
    return json.dumps(fields, default=_jsonable, ensure_ascii=False), True


def extract_file_list(listing: Path) -> Iterator[str]:
    """One JSON line per file named in ``listing`` (``path`` or ``path<TAB>url``)."""
    for raw in listing.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        path, _, url = raw.partition("\t")
        try:
            data = Path(path.strip()).read_bytes()
        except OSError as exc:
            yield json.dumps({"file": path, "error": f"unreadable: {exc.strerror}"})
            continue
        line, _ = extract_json(data, url.strip() or None)
        yield json.dumps({"file": path, **json.loads(line)}, ensure_ascii=False)


def _jsonable(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
