"""Where built editions go besides the database: files in the output directory."""

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from devoured_core.model import EditionRecord
from devoured_publisher.edition import Edition
from devoured_publisher.feeds import atom_feed, rss_feed
from devoured_publisher.pages import digest_name_of, render_email_html, render_html
from devoured_publisher.render import render_json, render_markdown, render_text


class EditionSink(Protocol):
    def write(
        self,
        edition: Edition,
        recent: Sequence[EditionRecord] = (),
        rendered: EditionRecord | None = None,
    ) -> list[Path]:
        """Write ``edition``'s files; ``rendered``, when given, is its stored record, whose
        Markdown and HTML are used as they are."""
        ...


class FileSink:
    """Writes ``<id>.md``, ``.html``, ``.email.html``, ``.txt`` and ``.json``; ``index.html`` and
    ``latest.md`` as copies of the newest edition; ``feed.xml`` (RSS) and ``atom.xml`` of the
    recent editions. Each file is written atomically (write, then rename)."""

    def __init__(self, out_dir: Path, *, base_url: str = "") -> None:
        self._out_dir = out_dir
        self._base_url = base_url.rstrip("/")

    def write(
        self,
        edition: Edition,
        recent: Sequence[EditionRecord] = (),
        rendered: EditionRecord | None = None,
    ) -> list[Path]:
        self._out_dir.mkdir(parents=True, exist_ok=True)
        renders = {
            "md": rendered.markdown if rendered else render_markdown(edition),
            "html": rendered.html if rendered else render_html(edition),
            "email.html": render_email_html(edition),
            "txt": render_text(edition),
            "json": render_json(edition),
        }
        written = [
            self._write(f"{edition.edition_id}.{ext}", body) for ext, body in renders.items()
        ]
        if self._is_newest(edition.edition_id):
            written.append(self._write("index.html", renders["html"]))
            written.append(self._write("latest.md", renders["md"]))
        if recent:
            name = digest_name_of(edition)
            written.append(
                self._write("feed.xml", rss_feed(recent, title=name, base_url=self._base_url))
            )
            written.append(
                self._write("atom.xml", atom_feed(recent, title=name, base_url=self._base_url))
            )
        return written

    def _is_newest(self, edition_id: str) -> bool:
        existing = sorted(p.name.removesuffix(".json") for p in self._out_dir.glob("*.json"))
        return not existing or existing[-1] <= edition_id

    def _write(self, name: str, body: str) -> Path:
        path = self._out_dir / name
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(body, encoding="utf-8")
        temporary.replace(path)
        return path


class NullSink:
    def write(
        self,
        edition: Edition,
        recent: Sequence[EditionRecord] = (),
        rendered: EditionRecord | None = None,
    ) -> list[Path]:
        return []
