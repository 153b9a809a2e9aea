"""The ``devoured`` command line.

Help is click's plain layout (``rich_markup_mode=None``, which every merged service group
inherits): a flag reads ``--once / --forever`` or ``--dry-run``, with no value, and each
command's docstring is a one-line summary, a blank line, then prose that is re-wrapped to the
terminal. Exit codes are listed in docs/operations.md.
"""

import importlib.metadata
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from devoured_infra import registry

if TYPE_CHECKING:  # `devoured --help` must start fast: the rest is imported by the command run
    from rich.console import Console

    from devoured_fetcher.settings import FetcherSettings
    from devoured_infra.settings import Settings
    from devoured_publisher.settings import PublisherSettings

app = typer.Typer(
    help="Devoured: turn the open web into a daily, readable tech digest.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
topics_app = typer.Typer(help="Kafka topics.", no_args_is_help=True)
app.add_typer(topics_app, name="topics")
dlq_app = typer.Typer(help="Dead-letter topics.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")


def _console() -> "Console":
    """The console progress and reports go to (stderr)."""
    from rich.console import Console

    return Console(stderr=True)


def _show_version(value: bool) -> None:
    if value:
        print(f"devoured {importlib.metadata.version('devoured')}")
        raise typer.Exit()


@app.callback()
def _devoured(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    pass


@app.command()
def run(
    once: Annotated[
        bool,
        typer.Option(
            "--once/--forever",
            help="Poll every source once, then stop (--forever is not supported in embedded "
            "mode yet).",
        ),
    ] = True,
    sources: Annotated[Path | None, typer.Option(help="Sources YAML file.")] = None,
    out: Annotated[Path | None, typer.Option(help="Output directory.")] = None,
) -> None:
    """Run every stage in this process and write the edition.

    Embedded mode: SQLite and an in-memory bus, no broker. The edition goes to the output
    directory (out/ by default). Exits 1 when no edition was built.
    """
    if not once:
        raise typer.BadParameter(
            "--forever is not supported in embedded mode yet", param_hint="'--once/--forever'"
        )
    from devoured_fetcher.settings import FetcherSettings
    from devoured_publisher.settings import PublisherSettings

    fetcher = FetcherSettings(sources_file=sources) if sources else FetcherSettings()
    publisher = PublisherSettings(out_dir=out) if out else PublisherSettings()
    _run_embedded(_settings(publisher.out_dir), fetcher, publisher)


@app.command()
def demo(out: Annotated[Path, typer.Option(help="Output directory.")] = Path("out")) -> None:
    """Offline demo: build a digest from a bundled sample site.

    Serves the sample site on loopback and runs every stage on it, as `run` does.
    """
    from devoured_embedded.sample_server import serve_sample_site
    from devoured_fetcher.settings import FetcherSettings
    from devoured_infra.settings import Settings
    from devoured_publisher.settings import PublisherSettings

    with serve_sample_site() as base, tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(
            "sources:\n  - source_id: sample-wire\n    name: Devoured Sample Wire\n"
            f"    url: {base}/feed.xml\n    kind: feed\n",
            encoding="utf-8",
        )
        _console().print(f"[bold]Sample site[/] served at {base}")
        settings = Settings(database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}")
        # The sample site is our own server on loopback: no need to pace requests to it.
        fetcher = FetcherSettings(
            sources_file=sources, allowed_networks="127.0.0.0/8", host_delay_s=0
        )
        _run_embedded(settings, fetcher, PublisherSettings(out_dir=out))


def _run_embedded(
    settings: "Settings", fetcher: "FetcherSettings", publisher: "PublisherSettings"
) -> None:
    import asyncio

    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from devoured_embedded.runner import run_once
    from devoured_infra.pump import Record
    from devoured_infra.tracing import configure_tracing

    configure_tracing("embedded")  # only when OTEL_EXPORTER_OTLP_ENDPOINT is set

    started = time.perf_counter()
    console = _console()
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("pipeline", total=1)

        def advance(record: Record, pending: int) -> None:
            done = progress.tasks[0].completed + 1
            progress.update(
                task,
                completed=done,
                total=done + pending,
                description=f"{record.topic.removeprefix('devoured.')}",
            )

        report = asyncio.run(run_once(settings, advance, overrides=[fetcher, publisher]))
        progress.update(task, description="done")
    table = Table(title="Processed", show_header=True)
    table.add_column("topic")
    table.add_column("messages", justify="right")
    for topic, count in sorted(report.processed.items()):
        table.add_row(topic, str(count))
    console.print(table)
    for letter in report.dead_letters:
        console.print(f"[yellow]dead letter[/] {letter.original_topic}: {letter.error}")
    for edition in report.editions:
        console.print(f"[bold green]{edition.title}[/]: {edition.item_count} stories")
    files = sorted(publisher.out_dir.glob("*.*"))
    console.print(
        f"Wrote {len(files)} files to {publisher.out_dir}/ in {time.perf_counter() - started:.1f} s"
    )
    if not report.editions:
        raise typer.Exit(1)


@app.command()
def serve(
    stage: Annotated[str, typer.Argument(help=f"One of: {', '.join(registry.names())}")],
) -> None:
    """Run one stage as a service on Kafka and PostgreSQL.

    Metrics and health checks are served on the stage's port. Runs until SIGTERM or SIGINT.
    """
    import asyncio

    try:
        descriptor = registry.find(stage)
    except LookupError as exc:
        raise typer.BadParameter(str(exc.args[0])) from None
    from devoured_infra.kafka import service_app
    from devoured_infra.runtime import configure_logging
    from devoured_infra.runtime import serve as serve_app
    from devoured_infra.settings import Settings

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    asyncio.run(serve_app(service_app(settings, descriptor), settings, descriptor.port))


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (DATABASE_URL)."""
    from devoured_infra.migrate import upgrade
    from devoured_infra.settings import Settings

    settings = Settings()
    upgrade(settings.database_url)
    _console().print("database schema is up to date")


@topics_app.command("ensure")
def topics_ensure() -> None:
    """Create every topic and dead-letter topic; report drift.

    Drift from the configuration (partitions, replication, retention, size limit) is reported,
    never changed.
    """
    import asyncio

    from devoured_infra.settings import Settings
    from devoured_infra.topic_admin import ensure_topics

    console = _console()
    for report in asyncio.run(ensure_topics(Settings())):
        console.print(f"{report.topic:45} {report.action:22} {report.detail}")


@dlq_app.command("replay")
def dlq_replay(
    topic: Annotated[str, typer.Argument(help="Input topic, e.g. devoured.page_fetched (or .dlq)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be replayed; send nothing.")
    ] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="Replay at most this many.")] = None,
    from_beginning: Annotated[
        bool,
        typer.Option("--from-beginning", help="Also replay letters an earlier replay sent."),
    ] = False,
) -> None:
    """Republish the dead letters of <topic>.dlq to <topic>.

    Payload and key are sent unchanged. Exits 1 when the dead-letter topic does not exist.
    """
    import asyncio

    from devoured_infra.dlq import ReplayedLetter, input_topic, replay
    from devoured_infra.settings import Settings

    try:
        input_topic(topic)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None

    console = _console()

    def show(letter: ReplayedLetter) -> None:
        console.print(f"{letter.partition}:{letter.offset:<10} {letter.action:13} {letter.detail}")

    try:
        letters = asyncio.run(
            replay(
                Settings(),
                topic,
                dry_run=dry_run,
                limit=limit,
                from_beginning=from_beginning,
                on_letter=show,
            )
        )
    except ValueError as exc:  # e.g. the DLQ topic does not exist
        console.print(f"[red]error[/]: {exc}")
        raise typer.Exit(1) from None
    counts = {
        a: sum(1 for x in letters if x.action == a) for a in ("replayed", "would-replay", "skipped")
    }
    console.print(", ".join(f"{n} {a}" for a, n in counts.items() if n) or "nothing to replay")


@app.command()
def schemas(out: Annotated[Path, typer.Option(help="Output directory.")] = Path("docs")) -> None:
    """Write the messages' JSON Schemas and the AsyncAPI document."""
    from devoured_embedded.schemas import write_schemas

    console = _console()
    for path in write_schemas(out):
        console.print(f"wrote {path}")


@app.command()
def status(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object (for scripts) instead of tables.")
    ] = False,
    interval: Annotated[
        float,
        typer.Option(min=0, help="Seconds between the two offset readings the rates come from."),
    ] = 2.0,
) -> None:
    """Show lag, rates, dead letters, leaders and the latest edition.

    One row per input of each stage: its consumer group's lag, the records it committed per
    second between two readings --interval seconds apart, the dead letters its .dlq topic
    retains and the newest one's error. Then the leader leases and the latest edition.

    Read from Kafka and PostgreSQL (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS). Exits 1 when a
    part could not be read (it is named under "problems"); what could be read is still shown.
    """
    import asyncio

    from rich.console import Console

    from devoured_embedded.status import gather_status, render_status
    from devoured_infra.settings import Settings

    report = asyncio.run(gather_status(Settings(), interval_s=interval))
    if as_json:
        print(report.model_dump_json(indent=2))
    else:
        render_status(report, Console())
    if report.problems:
        raise typer.Exit(1)


def _settings(out_dir: Path) -> "Settings":
    """The shared settings; without a database in the environment, SQLite in ``out_dir``."""
    from devoured_infra.settings import Settings

    if _env_has_database():
        return Settings()
    return Settings(database_url=f"sqlite+aiosqlite:///{out_dir / 'devoured.db'}")


def _env_has_database() -> bool:
    return any(k in os.environ for k in ("DEVOURED_DATABASE_URL", "DATABASE_URL"))


def _add_service_commands() -> None:
    """Each installed service's own commands (``devoured sources``, ``devoured digest``, ...),
    merged at the top level from its descriptor."""
    for descriptor in registry.installed():
        if descriptor.commands is not None:
            app.add_typer(descriptor.commands())


_add_service_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()

__all__ = ["app", "main"]
