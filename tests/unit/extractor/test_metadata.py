"""Metadata read from JSON-LD, meta tags and markup, and the CLI that prints it."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from devoured_extractor.extract import extract

BODY = (
    "<article><h1>Quiet turbines</h1>"
    + "<p>{}</p>".format(
        "The harbour council kept its tidal turbines running through the winter storms. " * 6
    )
    + "</article>"
)
HEAD = """<head><title>Quiet turbines | Harbour Ledger</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "ignored"},
 {"@type": ["NewsArticle"], "headline": "Quiet turbines, loud debate",
  "datePublished": "2026-11-27T09:30:00+01:00", "dateModified": "2026-11-28T10:00:00Z",
  "author": [{"@type": "Person", "name": "Mira Okonkwo"}, {"name": "Ivo Petrov"}],
  "publisher": {"@type": "Organization", "name": "Harbour Ledger"}}]}</script>
<link rel="canonical" href="/energy/quiet-turbines">
<meta property="og:image" content="/img/turbine.jpg"></head>"""


def test_json_ld_wins_and_relative_links_are_resolved() -> None:
    content = extract(f'<html lang="en-GB">{HEAD}<body>{BODY}</body></html>', "https://l.test/x")
    assert content.title == "Quiet turbines, loud debate"
    assert content.authors == ("Mira Okonkwo", "Ivo Petrov")
    assert content.author == "Mira Okonkwo, Ivo Petrov"
    assert content.published_at == datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
    assert content.updated_at == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert content.site_name == "Harbour Ledger"
    assert content.language == "en"
    assert content.canonical_url == "https://l.test/energy/quiet-turbines"
    assert content.lead_image == "https://l.test/img/turbine.jpg"


def test_meta_tags_and_markup_fill_in_without_json_ld() -> None:
    head = (
        '<head><title>Quiet turbines - Harbour Ledger</title><meta name="author" '
        'content="By Ana Lima and Tom Berg"><meta property="og:site_name" content="HL"></head>'
    )
    body = BODY.replace("<h1>", '<time datetime="2026-03-02T08:00:00Z"></time><h1>')
    content = extract(f"<html>{head}<body>{body}</body></html>")
    assert content.title == "Quiet turbines"
    assert content.authors == ("Ana Lima", "Tom Berg")
    assert content.published_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert content.site_name == "HL"
    assert content.language == "en"  # guessed from the text: no lang attribute


def test_cli_prints_one_json_object_and_batch_prints_lines(tmp_path: Path) -> None:
    html = f"<html>{HEAD}<body>{BODY}</body></html>"
    cli = [sys.executable, "-m", "devoured_embedded.cli", "extract"]
    done = subprocess.run(
        [*cli, "--url", "https://l.test/x"], input=html.encode(), capture_output=True, check=True
    )
    result = json.loads(done.stdout)
    for key in ("text", "title", "author", "published_at", "language", "word_count"):
        assert key in result
    assert result["reading_minutes"] == 1
    assert result["published_at"] == "2026-11-27T08:30:00+00:00"
    page, empty = tmp_path / "a.html", tmp_path / "b.html"
    page.write_text(html, encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text(f"{page}\thttps://l.test/x\n{empty}\n", encoding="utf-8")
    done = subprocess.run([*cli, "--file-list", str(listing)], capture_output=True, check=True)
    first, second = (json.loads(line) for line in done.stdout.decode().splitlines())
    assert first["file"] == str(page)
    assert first["canonical_url"] == "https://l.test/energy/quiet-turbines"
    assert second["skipped"] == "extract: empty document"
