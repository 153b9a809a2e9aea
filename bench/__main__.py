"""Run every benchmark and print its figures as ratios against a named peer or limit."""

import asyncio

from bench.stages import bench_extraction, bench_pipeline, bench_summarizer


def main() -> None:
    for line in (*bench_extraction(), *bench_summarizer(), *asyncio.run(bench_pipeline())):
        print(line)


if __name__ == "__main__":
    main()
