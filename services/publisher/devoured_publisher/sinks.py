"""Where built editions go besides the database: files in the output directory."""

from pathlib import Path
from typing import Protocol

from devoured_publisher.edition import Edition
from devoured_publisher.render import render_html, render_json, render_markdown, render_text


class EditionSink(Protocol):
    def write(self, edition: Edition) -> list[Path]: ...


class FileSink:
    """Writes ``<id>.md``, ``.html``, ``.txt`` and ``.json``, and ``index.html``/``latest.md``
    as copies of the newest edition, atomically (write then rename)."""

    def __init__(self, out_dir: Path) -> None:
        self._out_dir = out_dir

    def write(self, edition: Edition) -> list[Path]:
        self._out_dir.mkdir(parents=True, exist_ok=True)
        renders = {
            "md": render_markdown(edition),
            "html": render_html(edition),
            "txt": render_text(edition),
            "json": render_json(edition),
        }
        written = [
            self._write(f"{edition.edition_id}.{ext}", body) for ext, body in renders.items()
        ]
        if self._is_newest(edition.edition_id):
            written.append(self._write("index.html", renders["html"]))
            written.append(self._write("latest.md", renders["md"]))
        return written

    def _is_newest(self, edition_id: str) -> bool:
        existing = sorted(p.stem for p in self._out_dir.glob("????-??-??.md"))
        return not existing or existing[-1] <= edition_id

    def _write(self, name: str, body: str) -> Path:
        path = self._out_dir / name
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_text(body, encoding="utf-8")
        temporary.replace(path)
        return path


class NullSink:
    def write(self, edition: Edition) -> list[Path]:
        return []
