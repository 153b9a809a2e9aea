"""Stage benchmarks on the bundled sample site (our own pages), each against a peer or limit.

- extraction: our extractor core against bare ``trafilatura.extract`` on the same pages.
- summarizer: median time for a ~1,000-word article against the 50 ms limit.
- pipeline: embedded end-to-end articles/s, and the share of time spent outside the stage cores
  (bus, serialisation, database) against the time the cores need.
"""

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from devoured_embedded.runner import run_once
from devoured_embedded.sample_server import SAMPLE_SITE, serve_sample_site
from devoured_extractor.extract import extract_content
from devoured_fetcher.settings import FetcherSettings
from devoured_infra.settings import Settings
from devoured_publisher.settings import PublisherSettings
from devoured_summarizer.backends import summarize_text as summarize

ROUNDS = 5


def _pages() -> list[str]:
    base = "http://127.0.0.1:8000"
    return [
        p.read_text(encoding="utf-8").replace("{BASE}", base)
        for p in sorted((SAMPLE_SITE / "articles").glob("*.html"))
    ]


def _rate(work: list[str], run: Callable[[str], object]) -> float:
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for page in work:
            run(page)
    return ROUNDS * len(work) / (time.perf_counter() - started)


def bench_extraction() -> list[str]:
    pages = _pages()
    ours = _rate(pages, lambda html: extract_content(html, None))
    peer = _rate(pages, lambda html: trafilatura.extract(html))
    return [
        f"extraction: devoured {ours:.1f} pages/s, trafilatura.extract {peer:.1f} pages/s, "
        f"ratio {ours / peer:.2f} (peer: trafilatura {trafilatura.__version__})"
    ]


def bench_summarizer() -> list[str]:
    texts = []
    for page in _pages():
        content = extract_content(page, None)
        words = content.text.split()
        repeated = (content.text + "\n") * (1 + 1000 // max(1, len(words)))
        texts.append((content.title, "\n".join(repeated.splitlines())))
    timings = []
    for title, text in texts * ROUNDS:
        started = time.perf_counter()
        summarize(" ".join(text.split(" ")[:1000]), title)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    return [
        f"summarizer: median {median:.2f} ms per 1,000-word article, "
        f"ratio to the 50 ms limit {median / 50:.3f}"
    ]


async def bench_pipeline() -> list[str]:
    pages = _pages()
    core_started = time.perf_counter()
    for page in pages:
        content = extract_content(page, None)
        summarize(content.text, content.title)
    core_s = time.perf_counter() - core_started
    with serve_sample_site() as base, tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(f"sources:\n  - source_id: s\n    name: S\n    url: {base}/feed.xml\n")
        settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp}/b.db")
        fetcher = FetcherSettings(
            sources_file=sources, allowed_networks="127.0.0.0/8", host_delay_s=0
        )
        started = time.perf_counter()
        report = await run_once(
            settings, overrides=[fetcher, PublisherSettings(out_dir=Path(tmp) / "out")]
        )
        total_s = time.perf_counter() - started
    articles = report.editions[0].item_count if report.editions else 0
    return [
        f"pipeline (embedded, SQLite, local HTTP): {articles} articles in {total_s:.2f} s = "
        f"{articles / total_s:.1f} articles/s; stage cores alone {core_s:.2f} s, "
        f"ratio whole/cores {total_s / core_s:.2f}"
    ]
