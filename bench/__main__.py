"""Run every benchmark and print its figures as ratios against a named peer or limit."""

import asyncio

from bench.editor.run import main as bench_editor
from bench.extraction.run import report as bench_extraction_quality
from bench.fetcher.run import bench_fetcher
from bench.pipeline.run import short_form as bench_whole_pipeline
from bench.stages import bench_extraction, bench_pipeline, bench_summarizer
from bench.startup.run import bench_startup
from bench.summary.run import bench_summary
from bench.website.run import bench_website


def main() -> None:
    for line in (*bench_extraction(), *bench_summarizer(), *asyncio.run(bench_pipeline())):
        print(line)
    for line in bench_extraction_quality():
        print(line)
    for line in asyncio.run(bench_fetcher()):
        print(line)
    for line in bench_summary():
        print(line)
    # The editor: section accuracy and merge precision/recall on our labels (dev part).
    bench_editor([])
    for line in (*bench_startup(), *bench_website(sizes=(1000, 5000), former_max=1000)):
        print(line, flush=True)
    # The whole pipeline over Kafka and PostgreSQL (bench/pipeline), short form: 300 articles.
    for line in bench_whole_pipeline():
        print(line, flush=True)


if __name__ == "__main__":
    main()
