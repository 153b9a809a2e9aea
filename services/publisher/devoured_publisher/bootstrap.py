"""Composition root of the publisher: ``bootstrap`` is the service's wiring (stage, edition
builder, file writer, website), ``wire`` the stage and its dependencies with test seams.

When the LLM backend is configured (the summarizer's settings: ``DEVOURED_SUMMARIZER_BACKEND=
openai`` and its ``..._OPENAI_*``), the edition's overview is asked of it
(``llm_overview_writer``); a paragraph that ``editor.accept_overview`` refuses, or a failed
call, leaves the editor's own overview."""

import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from devoured_core.messages import ArticleSummarized
from devoured_infra.bus import Stage
from devoured_infra.llm import ChatClient, LlmError, LlmSettings
from devoured_infra.service import ServiceContext, Wiring, utc_now
from devoured_publisher.builder import EditionBuilder
from devoured_publisher.delivery import Channel, EmailChannel, WebhookChannel
from devoured_publisher.editor import accept_overview
from devoured_publisher.handlers import PublisherDeps, receive_story, write_files
from devoured_publisher.settings import PublisherSettings, editor_policy, load_sections
from devoured_publisher.sinks import EditionSink, FileSink
from devoured_publisher.uow import PublisherUnitOfWork
from devoured_publisher.web import StatusPage, create_web_app

log = logging.getLogger("devoured.publisher")

OverviewWriter = Callable[[str, str], Awaitable[str | None]]


def bootstrap(context: ServiceContext) -> Wiring:
    """The publisher: stories in; editions built, written, delivered and served."""
    options = context.settings_of(PublisherSettings)
    stage, deps = wire(
        lambda: PublisherUnitOfWork(context.sessions, service="publisher"),
        settings=options,
        clock=context.clock,
        overview_writer=llm_overview_writer(context.settings_of(LlmSettings)),
        database_url=context.settings.database_url,
    )
    builder = EditionBuilder(
        deps,
        context.engine,
        interval_s=options.edition_interval_s,
        lease_ttl_s=context.settings.leader_ttl_s,
    )
    return Wiring(
        stages=[stage],
        loops=[builder],
        before_publish=functools.partial(write_files, deps=deps),
        web=create_web_app(
            deps,
            base_url=options.base_url,
            status=StatusPage(token=options.status_token, settings=context.settings),
        ),
    )


def wire(
    new_uow: Callable[[], PublisherUnitOfWork],
    *,
    settings: PublisherSettings | None = None,
    sink: EditionSink | None = None,
    clock: Callable[[], datetime] = utc_now,
    overview_writer: OverviewWriter | None = None,
    database_url: str = "",
) -> tuple[Stage, PublisherDeps]:
    options = settings or PublisherSettings()
    deps = PublisherDeps(
        new_uow=new_uow,
        clock=clock,
        timezone=ZoneInfo(options.timezone),
        digest_name=options.digest_name,
        sink=sink or FileSink(options.out_dir, base_url=options.base_url),
        cadence=options.cadence,
        cutoff_hour=options.cutoff_hour,
        sections=load_sections(options.sections_file),
        channels=channels(options),
        delivery_attempts=options.delivery_attempts,
        delivery_backoff_s=options.delivery_backoff_s,
        editor=editor_policy(options),
        overview_writer=overview_writer,
        database_url=database_url,
        cut_worker_from=options.cut_worker_from,
    )
    stage = Stage(
        "publisher", ArticleSummarized, functools.partial(receive_story, deps=deps), batch=True
    )
    return stage, deps


def channels(options: PublisherSettings) -> list[Channel]:
    configured: list[Channel] = []
    if options.smtp_host and options.subscribers:
        configured.append(
            EmailChannel(
                host=options.smtp_host,
                port=options.smtp_port,
                sender=options.email_from,
                targets=options.subscribers,
                username=options.smtp_username,
                password=options.smtp_password,
                starttls=options.smtp_starttls,
                implicit_tls=options.smtp_implicit_tls,
                allow_plaintext=options.smtp_allow_plaintext,
                ca_file=options.smtp_ca_file,
            )
        )
    if options.webhooks:
        configured.append(
            WebhookChannel(
                targets=options.webhooks,
                style=options.webhook_format,
                secret=options.webhook_secret,
                base_url=options.base_url,
            )
        )
    return configured


def llm_overview_writer(
    settings: LlmSettings, *, client: ChatClient | None = None
) -> OverviewWriter | None:
    """The overview writer when the LLM backend is configured, else None (the editor writes
    it). The writer returns the LLM's paragraph only when ``accept_overview`` takes it; a
    failed call is logged and counted (``devoured_llm_requests_total``) and gives None."""
    if not settings.configured and client is None:
        return None
    chat = client or ChatClient.from_settings(settings, caller="publisher")

    async def write(instructions: str, brief: str) -> str | None:
        try:
            text = await chat.complete(instructions, brief)
        except LlmError as error:
            log.warning("overview: the LLM failed, the editor's overview stays: %s", error.reason)
            return None
        accepted = accept_overview(text, brief)
        if accepted is None:
            log.warning("overview: the LLM's paragraph was refused, the editor's overview stays")
        return accepted

    return write
