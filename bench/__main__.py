"""Run every benchmark and print its figures as ratios against a named peer or limit."""

import asyncio

from bench.extraction.run import report as bench_extraction_quality
from bench.fetcher.run import bench_fetcher
from bench.stages import bench_extraction, bench_pipeline, bench_summarizer
from bench.summary.run import bench_summary


def main() -> None:
    for line in (*bench_extraction(), *bench_summarizer(), *asyncio.run(bench_pipeline())):
        print(line)
    for line in bench_extraction_quality():
        print(line)
    for line in asyncio.run(bench_fetcher()):
        print(line)
    for line in bench_summary():
        print(line)


if __name__ == "__main__":
    main()
