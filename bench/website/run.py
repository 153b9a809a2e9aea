"""The website's edition page: how long an edition takes to assemble and render, and how long
the event loop stalls while one is requested, against the 1 s limit.

- render: ``assemble_edition`` (clustering, the editor's cut) and ``render_html(web=True)`` on
  editions of 1,000 and 5,000 stories (``stories.py``), best of 3, with SimHash-band
  clustering (``clustering.cluster_stories``), signatures not yet memoised (cold) and
  memoised (warm: every later request for the edition). The peer is the former clustering,
  every pair compared and every signature recomputed, on the same stories (up to
  ``--former-max`` stories: it is quadratic); both must find the same clusters. Warm is the
  steady state: the edition builder, in the same process, clusters the same stories whenever
  it builds the edition; cold is the first request after a restart.
- stall: the edition page requested from the website (Starlette, on SQLite) while a ticker
  task on the same event loop wakes every millisecond; the longest gap between two ticks is
  how long the loop (health probes, Kafka heartbeats) was starved. First the page the
  edition's build rendered and stored (what the site serves), then, for an edition stored
  without it (built before 0016), the page assembled per request in a worker thread. The peer
  is the former page: the edition assembled and rendered on the loop itself.
"""

import argparse
import asyncio
import functools
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

import httpx

from bench.website.stories import DAY, corpus, make_stories
from devoured_core.model import Story
from devoured_core.similarity import simhash, words
from devoured_publisher import clustering, edition, merging
from devoured_publisher.bootstrap import wire
from devoured_publisher.clustering import Cluster
from devoured_publisher.edition import assemble_edition, story_score
from devoured_publisher.handlers import PublisherDeps, assemble_stored_edition, build_edition
from devoured_publisher.merging import StoryText, prepare, same_story
from devoured_publisher.pages import render_html
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.sinks import FileSink
from devoured_publisher.uow import PublisherUnitOfWork
from devoured_publisher.web import create_web_app

LIMIT_S = 1.0
SIZES = (1000, 5000)
ROUNDS = 3


def former_cluster_stories(
    stories: list[Story], *, score: Callable[[Story], float]
) -> list[Cluster]:
    """The former clustering: every pair through the rule, every signature recomputed."""
    hashes = [
        simhash(s.text) if len(words(s.text)) >= merging.TEXT_MIN_WORDS else None for s in stories
    ]
    prepared = prepare(
        [StoryText(s.title, s.url, s.text, h) for s, h in zip(stories, hashes, strict=True)]
    )
    groups = clustering.Groups(len(stories))
    for i in range(len(stories)):
        for j in range(i + 1, len(stories)):
            if same_story(prepared[i], prepared[j]):
                groups.join(i, j)
    return clustering.clusters_of(stories, groups, score=score)


@contextmanager
def former_clustering() -> Iterator[None]:
    """``assemble_edition`` with the former clustering, for the peer's figures."""
    with mock.patch.object(edition, "cluster_stories", former_cluster_stories):
        yield


def _forget_signatures() -> None:
    with clustering._signatures_lock:
        clustering._signatures.clear()
    with merging._bags_lock:
        merging._bags.clear()


def _render(stories: list[Story]) -> str:
    return render_html(assemble_edition(stories, digest_name="Bench", day=DAY), web=True)


def _best(
    work: Callable[[], object], rounds: int, before: Callable[[], None] = lambda: None
) -> float:
    best = float("inf")
    for _ in range(rounds):
        before()
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _score(story: Story, *, newest: datetime) -> float:
    return story_score(story, newest)


def _groups(clusters: list[Cluster]) -> list[list[str]]:
    return sorted(sorted([c.lead.article_id, *(s.article_id for s in c.also)]) for c in clusters)


def bench_render(stories_by_size: dict[int, list[Story]], former_max: int) -> list[str]:
    lines = []
    for size, stories in stories_by_size.items():
        render = functools.partial(_render, stories)
        cold = _best(render, ROUNDS, _forget_signatures)
        warm = _best(render, ROUNDS)
        score = functools.partial(
            _score, newest=max(s.published_at or s.received_at for s in stories)
        )
        lsh = clustering.cluster_stories(stories, score=score)
        merged = sum(len(c.also) for c in lsh)
        line = (
            f"website render {size} stories ({len(lsh)} clusters, {merged} merged): "
            f"warm {warm * 1000:.0f} ms, ratio {warm / LIMIT_S:.2f} of the {LIMIT_S:.0f} s limit "
            f"({'within' if warm < LIMIT_S else 'OVER'}); cold (no signature memoised yet) "
            f"{cold * 1000:.0f} ms, ratio {cold / LIMIT_S:.2f} "
            f"({'within' if cold < LIMIT_S else 'OVER'})"
        )
        if size <= former_max:
            with former_clustering():
                former = _best(render, 1)
            same = _groups(lsh) == _groups(former_cluster_stories(stories, score=score))
            line += (
                f"; former (all pairs) {former * 1000:.0f} ms, {former / cold:.1f}x slower, "
                f"same clusters: {same}"
            )
        lines.append(line)
    return lines


async def _max_stall(request: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    """(longest gap between the ticker's ticks, the request's time), in seconds."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    started = time.perf_counter()
    await request()
    took = time.perf_counter() - started
    done.set()
    await task
    return max(gaps), took


async def _site(folder: Path, stories: list[Story]) -> tuple[PublisherDeps, Any]:
    from devoured_infra.db import create_engine, create_sessionmaker
    from devoured_infra.migrate import upgrade_async

    url = f"sqlite+aiosqlite:///{folder / 'website.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    _, deps = wire(
        lambda: PublisherUnitOfWork(sessions, service="publisher"),
        settings=PublisherSettings(digest_name="Bench", out_dir=folder),
        sink=FileSink(folder),
    )
    async with deps.new_uow() as uow:
        for story in stories:
            await uow.stories.save(story, version=story.received_at)
        await uow.commit()
    return deps, engine


async def bench_stall(stories: list[Story], *, former: bool) -> list[str]:
    edition_id = DAY.isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        deps, engine = await _site(Path(tmp), stories)
        try:
            app = create_web_app(deps, base_url="http://bench")
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as site:

                async def page() -> None:
                    response = await site.get(f"/editions/{edition_id}")
                    response.raise_for_status()

                async def on_the_loop() -> None:  # the former page: assembled on the loop
                    async with deps.new_uow() as uow:
                        built, _ = await assemble_stored_edition(uow, edition_id, deps)
                    render_html(built, web=True)

                async def read() -> None:  # what the page still does on the loop
                    async with deps.new_uow() as uow:
                        await uow.stories.heads_for_edition(edition_id)

                async def unstore_pages() -> None:  # as an edition built before 0016
                    async with deps.new_uow() as uow:
                        record = await uow.editions.get(edition_id)
                        assert record is not None  # built above
                        await uow.editions.save(record)
                        await uow.commit()

                idle, _ = await _max_stall(lambda: asyncio.sleep(0.5))
                _forget_signatures()
                started = time.perf_counter()
                await build_edition(edition_id, deps=deps)
                build_took = time.perf_counter() - started
                served_stall, served_took = await _max_stall(page)
                await unstore_pages()
                read_stall, read_took = await _max_stall(read)
                _forget_signatures()
                stall, took = await _max_stall(page)
                warm_stall, warm_took = await _max_stall(page)
                _forget_signatures()
                loop_stall, loop_took = await _max_stall(on_the_loop)
                line = (
                    f"website stall {len(stories)} stories: the page the build stored "
                    f"{served_took * 1000:.0f} ms, ratio {served_took / LIMIT_S:.3f} of the "
                    f"1 s limit ({'within' if served_took < LIMIT_S else 'OVER'}), the event "
                    f"loop's longest stall {served_stall * 1000:.0f} ms (the build that stored "
                    f"it: {build_took:.1f} s, in the edition builder); an edition built before "
                    f"0016 (no stored page): page request {took * 1000:.0f} ms "
                    f"(warm {warm_took * 1000:.0f} ms), the event loop's longest stall "
                    f"{stall * 1000:.0f} ms (warm {warm_stall * 1000:.0f} ms), ratio "
                    f"{max(stall, warm_stall) / LIMIT_S:.3f} of 1 s; of which the database read "
                    f"(on the loop) alone {read_stall * 1000:.0f} ms of {read_took * 1000:.0f} ms, "
                    f"idle loop {idle * 1000:.0f} ms; assembled on the loop instead: stall "
                    f"{loop_stall * 1000:.0f} ms of {loop_took * 1000:.0f} ms"
                )
                if former:
                    with former_clustering():
                        former_stall, former_took = await _max_stall(on_the_loop)
                    line += (
                        f"; former page (on the loop, all pairs): stall "
                        f"{former_stall * 1000:.0f} ms of {former_took * 1000:.0f} ms"
                    )
        finally:
            await engine.dispose()
    return [line]


def bench_website(sizes: tuple[int, ...] = SIZES, former_max: int = 1000) -> list[str]:
    sentences, where = corpus()
    stories = {size: make_stories(size, sentences) for size in sizes}
    lines = [f"website: stories from {where}"]
    lines += bench_render(stories, former_max)
    for size, each in stories.items():
        lines += asyncio.run(bench_stall(each, former=size <= former_max))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument(
        "--former-max", type=int, default=1000, help="largest edition the peer clusters"
    )
    args = parser.parse_args()
    for line in bench_website(tuple(args.sizes), args.former_max):
        print(line, flush=True)


if __name__ == "__main__":
    main()
