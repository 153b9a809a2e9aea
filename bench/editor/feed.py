"""The whole pipeline on real pages from a local feed: does the edition stay within its caps?

Serves every page of ``../shared/extraction-dev/`` (read at run time, bytes as stored) on
127.0.0.1 with one RSS feed listing them all, runs the embedded pipeline once (fetch, extract,
summarise, publish, SQLite in a temporary directory), and reads the edition's JSON file: how
many stories each section got against its cap, how many went to Quick Links and "Other", how
many were dropped and why, and the overview.

    python -m bench.editor.feed [--limit N]
"""

import argparse
import asyncio
import gzip
import json
import sys
import tempfile
from collections import Counter
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from xml.sax.saxutils import escape

from devoured_embedded.runner import run_once
from devoured_embedded.sample_server import serve_http
from devoured_fetcher.settings import FetcherSettings
from devoured_infra.settings import Settings
from devoured_publisher.editor import BRIEF_SECTIONS, DEFAULT_POLICY
from devoured_publisher.settings import PublisherSettings

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "extraction-dev"


def _handler(ids: list[str]) -> type[BaseHTTPRequestHandler]:
    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = self.server.base_url  # type: ignore[attr-defined]
            path = self.path.split("?")[0]
            if path == "/feed.xml":
                items = "".join(
                    f"<item><title>{escape(i)}</title><link>{base}/p/{i}</link>"
                    f"<guid>{base}/p/{i}</guid></item>"
                    for i in ids
                )
                body = (
                    '<?xml version="1.0"?><rss version="2.0"><channel><title>Local pages</title>'
                    f"<link>{base}/</link><description>pages</description>{items}</channel></rss>"
                ).encode()
                kind = "application/rss+xml; charset=utf-8"
            elif path.startswith("/p/") and path[3:] in ids:
                body = gzip.decompress((CORPUS / "html" / f"{path[3:]}.html.gz").read_bytes())
                kind = "text/html"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Pages


async def run(limit: int | None) -> int:
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    with serve_http(_handler(ids)) as base, tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(
            f"sources:\n  - source_id: local\n    name: Local pages\n    url: {base}/feed.xml\n"
        )
        settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp}/editor.db")
        fetcher = FetcherSettings(
            sources_file=sources, allowed_networks="127.0.0.0/8", host_delay_s=0
        )
        out = Path(tmp) / "out"
        report = await run_once(settings, overrides=[fetcher, PublisherSettings(out_dir=out)])
        if not report.editions:
            print("no edition was built")
            return 1
        edition = json.loads((out / f"{report.editions[0].edition_id}.json").read_text())
    decisions = edition["editor"]
    print(f"{len(ids)} pages in the feed; {len(decisions)} stories reached the editor")
    print(f"placements: {dict(sorted(Counter(d['placement'] for d in decisions).items()))}")
    lead = 0
    within = True
    for section in edition["sections"]:
        count = len(section["items"])
        if section["name"] in BRIEF_SECTIONS:
            print(f"  {section['name']:32s} {count:3d}")
            continue
        cap = DEFAULT_POLICY.cap_of(section["name"])
        within &= count <= cap
        lead += count
        print(f"  {section['name']:32s} {count:3d} (cap {cap})")
    within &= lead <= DEFAULT_POLICY.max_stories
    print(f"lead stories {lead} (cap {DEFAULT_POLICY.max_stories}); within the caps: {within}")
    dropped = Counter(d["reason"].split(":")[0] for d in decisions if d["placement"] == "dropped")
    print(f"dropped: {dict(dropped)}")
    print(f"overview: {edition['overview']}")
    return 0 if within else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is missing")
        return 0
    return asyncio.run(run(args.limit))


if __name__ == "__main__":
    sys.exit(main())
