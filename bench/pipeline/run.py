"""``python -m bench.pipeline``: the whole pipeline over Kafka and PostgreSQL, the embedded mode,
the CPU limit of the stage cores, the transport's own cost, replica scaling and Miniflux."""

import argparse
import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.pipeline import miniflux
from bench.pipeline.embedded_run import run_embedded
from bench.pipeline.kafka_run import KafkaRun, run_kafka
from bench.pipeline.limit import CoreCosts, core_costs
from bench.pipeline.site import Web, page_files, serve_web
from bench.pipeline.transport import noop_stage_cost

SHORT_ARTICLES = 300  # ``make bench``: a few minutes on two busy cores
# The soak's feeds are polled often, so articles flow in as they are released.
SOAK_POLLING = {
    "DEVOURED_POLL_INTERVAL_S": "30",
    "DEVOURED_FETCH_POLL_MIN_S": "15",
    "DEVOURED_FETCH_POLL_MAX_S": "60",
}
WARM_UP_S = 300.0
MB = 2**20


@dataclass(frozen=True)
class Options:
    articles: int = SHORT_ARTICLES
    feeds: int = 30
    hosts: int = 100
    latency_ms: float = 20.0
    replicas: bool = False
    soak_minutes: float = 0.0
    noop_messages: int = 500
    miniflux: bool = True
    embedded: bool = True
    log_dir: Path | None = None
    host_delay_s: float = 0.0


def _pct(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _latency(values: Sequence[float]) -> str:
    return (
        f"p50 {_pct(values, 0.50):.1f} s, p95 {_pct(values, 0.95):.1f} s, "
        f"p99 {_pct(values, 0.99):.1f} s"
    )


def _kafka_lines(run: KafkaRun, core: CoreCosts, label: str) -> list[str]:
    total_cpu = sum(run.cpu_s.values())
    per_article = total_cpu / max(1, run.items)
    rate = run.sustained_rate()
    lines = [
        f"pipeline/kafka {label}: {run.items} items of {run.articles} articles in "
        f"{run.wall_s:.1f} s (complete: {run.complete}); sustained {rate:.2f} articles/s; "
        f"latency feed poll -> edition item {_latency(run.latencies_s)}; "
        f"load average {run.load[0]:.1f}",
    ]
    for service, cpu in sorted(run.cpu_s.items()):
        lines.append(
            f"  {service:<12} CPU {cpu:7.1f} s = {1000 * cpu / max(1, run.items):6.1f} ms/article"
            f"  RSS peak {run.peak_rss.get(service, 0) / MB:6.0f} MiB final "
            f"{run.final_rss.get(service, 0) / MB:6.0f} MiB  errors {run.errors.get(service, 0)}"
        )
    lines.append(
        f"  whole pipeline {1000 * per_article:.1f} CPU ms/article; stage cores alone "
        f"{1000 * core.total_per_article:.1f} ms/article: CPU efficiency (cores/pipeline) "
        f"{core.total_per_article / max(per_article, 1e-9):.2f} (goal >= 0.8)"
    )
    servers = ", ".join(
        f"{name} {1000 * cpu / max(1, run.items):.1f}"
        for name, cpu in sorted(run.infrastructure_cpu_s.items())
    )
    lines.append(f"  servers on the same cores, CPU ms/article: {servers}")
    limit_rate = 2 / max(core.total_per_article, 1e-9)
    lines.append(
        f"  throughput / CPU limit on 2 cores ({limit_rate:.1f} articles/s): "
        f"{rate / limit_rate:.2f}"
    )
    lag_line = "  lag (fetcher/extractor/summarizer/publisher) over time:"
    step = max(1, len(run.samples) // 12)
    for sample in run.samples[::step]:
        lags = "/".join(str(sample.lag.get(s, -1)) for s in sample.lag)
        lag_line += f" {sample.at_s:.0f}s:{lags}"
    lines.append(lag_line)
    return lines


def _rss_curve(run: KafkaRun, every_s: float = 60.0) -> list[str]:
    lines, next_at = [], 0.0
    for sample in run.samples:
        if sample.at_s >= next_at:
            rss = ", ".join(f"{k} {v / MB:.0f}" for k, v in sample.rss.items())
            lag = sum(v for v in sample.lag.values() if v > 0)
            lines.append(f"  t={sample.at_s:5.0f} s RSS MiB: {rss}; total lag {lag}")
            next_at += every_s
    return lines


def _rss_growth(run: KafkaRun, *, after_s: float) -> list[str]:
    """Each service's RSS from the end of the warm-up to the end of the run."""
    warm = next((s for s in run.samples if s.at_s >= after_s), None)
    if warm is None:
        return [f"  (the run ended before the {after_s:.0f} s warm-up)"]
    last = run.samples[-1]
    growth = ", ".join(
        f"{k} {warm.rss[k] / MB:.0f} -> {last.rss.get(k, 0) / MB:.0f} "
        f"({(last.rss.get(k, 0) - warm.rss[k]) / MB:+.0f})"
        for k in warm.rss
    )
    return [f"  RSS MiB after the {after_s:.0f} s warm-up -> end ({last.at_s:.0f} s): {growth}"]


async def bench(options: Options) -> list[str]:
    if not page_files():
        return ["pipeline: ../shared/extraction-dev missing; skipped"]
    lines = [
        f"pipeline: {options.articles} real pages (../shared/extraction-dev), "
        f"{options.feeds} feeds, up to {options.hosts} loopback hosts, "
        f"{options.latency_ms:.0f} ms server latency, politeness delay "
        f"{options.host_delay_s:g} s (0: bench only); "
        f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    ]
    release_s = options.soak_minutes * 60
    with serve_web(
        options.articles,
        options.feeds,
        hosts=options.hosts,
        latency_s=options.latency_ms / 1000,
        release_s=release_s,
    ) as web:
        before = core_costs(web)
        embedded = await run_embedded(web) if options.embedded else None
        politeness = {"DEVOURED_FETCH_HOST_DELAY_S": str(options.host_delay_s)}
        soak = SOAK_POLLING if release_s else {}
        run = await run_kafka(
            web,
            timeout_s=release_s + 1800.0,
            log_dir=options.log_dir,
            extra_env=politeness | soak,
        )
        # Measured again after the runs: the ratios use the mean of both.
        after = core_costs(web)
        core = before.mean_with(after)
        lines.append(
            "pipeline/limit: stage cores alone, CPU ms/article (mean of before and after the "
            "runs): "
            + ", ".join(f"{s} {1000 * core.per_article(s):.1f}" for s in core.seconds)
            + f"; sum {1000 * core.total_per_article:.1f} "
            f"(before {1000 * before.total_per_article:.1f}, "
            f"after {1000 * after.total_per_article:.1f}; "
            f"{core.published} of {core.articles} articles make an item, {core.skipped} skipped)"
        )
        if embedded is not None:
            efficiency = core.total_per_article * embedded.items / max(embedded.cpu_s, 1e-9)
            lines.append(
                f"pipeline/embedded (SQLite, one process): {embedded.items} items in "
                f"{embedded.wall_s:.1f} s = {embedded.items / max(embedded.wall_s, 1e-9):.2f} "
                f"articles/s; {1000 * embedded.cpu_s / max(1, embedded.items):.1f} CPU ms/article"
                f", cores/pipeline {efficiency:.2f}"
                f"; latency {_latency(embedded.latencies_s)}; RSS {embedded.peak_rss / MB:.0f} MiB"
                f"; dead letters {embedded.dead_letters}"
            )
        lines += _kafka_lines(run, core, "soak" if release_s else "1 replica each")
        if release_s:
            lines.append(
                f"pipeline/soak: articles released over {options.soak_minutes:.0f} min "
                f"({options.articles / release_s:.1f}/s), feeds polled every "
                f"{SOAK_POLLING['DEVOURED_POLL_INTERVAL_S']} s; RSS per service per minute"
            )
            lines += _rss_curve(run)
            lines += _rss_growth(run, after_s=WARM_UP_S)
        if options.replicas:
            slowest = max((s for s in run.cpu_s if "#" not in s), key=lambda s: run.cpu_s[s])
            two = await run_kafka(
                web, replicas={slowest: 2}, log_dir=options.log_dir, extra_env=politeness
            )
            lines += _kafka_lines(two, core, f"2 replicas of {slowest}")
            lines.append(
                f"  scaling {slowest} 1 -> 2 replicas: "
                f"{two.sustained_rate() / max(run.sustained_rate(), 1e-9):.2f}x articles/s"
            )
        fetch_extract_ms = sum(
            1000 * v / max(1, run.items)
            for k, v in run.cpu_s.items()
            if k.split("#")[0] in ("fetcher", "extractor")
        )
        if options.miniflux:
            lines += await _miniflux_lines(web, fetch_extract_ms, run, core)
    if options.noop_messages:
        batched = await noop_stage_cost(options.noop_messages)
        single = await noop_stage_cost(options.noop_messages, batch_records=1)
        lanes = await noop_stage_cost(options.noop_messages, concurrency=8)
        slots = await noop_stage_cost(options.noop_messages, batch_records=1, concurrency=8)
        lines.append(
            f"pipeline/transport: no-op stage over Kafka + PostgreSQL outbox, "
            f"{batched.messages} messages of {batched.payload_bytes} B, batched "
            f"(DEVOURED_CONSUMER_BATCH_RECORDS=100): {batched.wall_ms:.2f} ms wall, "
            f"{batched.cpu_ms:.2f} CPU ms per message (goal < 2 ms); one record per transaction "
            f"(=1): {single.wall_ms:.2f} ms wall, {single.cpu_ms:.2f} CPU ms; the fetcher's "
            f"shape, 8 at once: in lanes {lanes.wall_ms:.2f} ms wall, {lanes.cpu_ms:.2f} CPU ms; "
            f"one consumer per slot, a transaction per record (as before lanes) "
            f"{slots.wall_ms:.2f} ms wall, {slots.cpu_ms:.2f} CPU ms"
        )
    return lines


async def _miniflux_lines(
    web: Web, fetch_extract_ms: float, run: KafkaRun, core: CoreCosts
) -> list[str]:
    program = miniflux.binary()
    if program is None:
        return [
            "pipeline/miniflux: Miniflux not available (no miniflux binary in "
            "$(go env GOPATH)/bin; build it with `go install miniflux.app/v2@latest`)"
        ]
    try:
        peer = await miniflux.run_miniflux(web, program)
    except Exception as exc:
        return [f"pipeline/miniflux: Miniflux not available: {type(exc).__name__}: {exc}"]
    peer_ms = 1000 * peer.cpu_s / max(1, peer.crawled)
    whole_ms = 1000 * sum(run.cpu_s.values()) / max(1, run.items)
    return [
        f"pipeline/miniflux ({program.name}): {peer.crawled} of {peer.entries} entries crawled "
        f"in {peer.wall_s:.1f} s, {peer_ms:.1f} CPU ms/page, RSS {peer.rss / MB:.0f} MiB",
        f"  ours fetch+extract {fetch_extract_ms:.1f} CPU ms/article: ratio ours/Miniflux "
        f"{fetch_extract_ms / max(peer_ms, 1e-9):.1f}; our whole pipeline {whole_ms:.1f} "
        f"ms/article (Miniflux does not summarise; our extract core alone "
        f"{1000 * core.per_article('extract'):.1f} ms)",
    ]


def short_form() -> list[str]:
    """What ``make bench`` runs: 300 articles, one replica, the transport, Miniflux if built."""
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or not os.environ.get("DATABASE_URL"):
        return [
            "pipeline: skipped (set KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL to a running "
            "Kafka and PostgreSQL)"
        ]
    return asyncio.run(bench(Options()))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pipeline", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--feeds", type=int, default=None, help="default: articles / 10")
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--replicas", action="store_true", help="also 2 replicas of the slowest")
    parser.add_argument("--soak-minutes", type=float, default=0.0)
    parser.add_argument("--noop-messages", type=int, default=1000)
    parser.add_argument("--no-miniflux", action="store_true")
    parser.add_argument("--no-embedded", action="store_true")
    parser.add_argument("--short", action="store_true", help="the make bench form")
    parser.add_argument("--log-dir", type=Path, default=None)
    parser.add_argument(
        "--host-delay-s", type=float, default=0.0, help="politeness between requests to a host"
    )
    args = parser.parse_args(argv)
    if args.short:
        options = Options()
    else:
        options = Options(
            articles=args.articles,
            feeds=args.feeds or max(1, args.articles // 10),
            hosts=args.hosts,
            latency_ms=args.latency_ms,
            replicas=args.replicas,
            soak_minutes=args.soak_minutes,
            noop_messages=args.noop_messages,
            miniflux=not args.no_miniflux,
            embedded=not args.no_embedded,
            log_dir=args.log_dir,
            host_delay_s=args.host_delay_s,
        )
    for line in asyncio.run(bench(options)):
        print(line, flush=True)


__all__ = ["main", "short_form"]
