"""The tagger's handler, wiring and descriptor."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from devoured_core.messages import ArticleSummarized, Message
from devoured_infra.bus import Stage
from devoured_infra.service import Input, ServiceContext, ServiceDescriptor, Wiring
from tests.fifth_stage.tagger.messages import ArticleTagged
from tests.fifth_stage.tagger.store import TaggerUnitOfWork, metadata
from tests.fifth_stage.tagger.tags import tags_for


@dataclass(frozen=True)
class TaggerDeps:
    new_uow: Callable[[], TaggerUnitOfWork]
    clock: Callable[[], datetime]


async def tag_article(msg: ArticleSummarized, *, deps: TaggerDeps) -> list[Message]:
    tagged = ArticleTagged(article_id=msg.article_id, tags=tags_for(msg.text))
    async with deps.new_uow() as uow:
        await uow.tags.save(tagged.article_id, tagged.tags, at=deps.clock())
        await uow.outbox.add([tagged])
        await uow.commit()
    return [tagged]


def bootstrap(context: ServiceContext) -> Wiring:
    deps = TaggerDeps(
        new_uow=lambda: TaggerUnitOfWork(context.sessions, service="tagger"), clock=context.clock
    )
    return Wiring(
        stages=[Stage("tagger", ArticleSummarized, functools.partial(tag_article, deps=deps))]
    )


SERVICE = ServiceDescriptor(
    name="tagger",
    port=9199,
    summary="Files every summarised article under its most frequent long words.",
    inputs=(Input(ArticleSummarized, produces=(ArticleTagged,)),),
    bootstrap=bootstrap,
    tables=metadata,
    migrations=Path(__file__).parent / "migrations",
)
