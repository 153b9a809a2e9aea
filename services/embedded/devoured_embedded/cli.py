"""The ``devoured`` command line."""

import asyncio
import importlib
import os
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from devoured_infra.settings import SERVICE_PORTS, Settings

app = typer.Typer(
    help="Devoured: turn the open web into a daily, readable tech digest.",
    no_args_is_help=True,
    add_completion=False,
)
topics_app = typer.Typer(help="Kafka topics.", no_args_is_help=True)
app.add_typer(topics_app, name="topics")
console = Console(stderr=True)

SERVICES = tuple(SERVICE_PORTS)


@app.command()
def run(
    once: Annotated[bool, typer.Option("--once", help="Poll every source once, then stop.")] = True,
    sources: Annotated[Path | None, typer.Option(help="Sources YAML file.")] = None,
    out: Annotated[Path | None, typer.Option(help="Output directory.")] = None,
) -> None:
    """Run every stage in this process (SQLite, no broker) and write the edition to out/."""
    if not once:
        raise typer.BadParameter("only --once is supported in embedded mode for now")
    settings = _settings(sources_file=sources, out_dir=out)
    _run_embedded(settings)


@app.command()
def demo(out: Annotated[Path, typer.Option(help="Output directory.")] = Path("out")) -> None:
    """Offline demo: serve the bundled sample site locally and build a digest from it."""
    from devoured_embedded.sample_server import serve_sample_site

    with serve_sample_site() as base, tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(
            "sources:\n  - source_id: sample-wire\n    name: Devoured Sample Wire\n"
            f"    url: {base}/feed.xml\n    kind: feed\n",
            encoding="utf-8",
        )
        console.print(f"[bold]Sample site[/] served at {base}")
        settings = _settings(
            sources_file=sources,
            out_dir=out,
            fetch_allowed_networks="127.0.0.0/8",
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}",
        )
        _run_embedded(settings)


def _run_embedded(settings: Settings) -> None:
    from devoured_embedded.runner import run_once
    from devoured_infra.pump import Record

    started = time.perf_counter()
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

        report = asyncio.run(run_once(settings, advance))
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
    console.print(
        f"Wrote {len(report.files)} files to {settings.out_dir}/ "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if not report.editions:
        raise typer.Exit(1)


@app.command()
def serve(stage: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICES)}")]) -> None:
    """Run one stage as a service on Kafka and PostgreSQL (metrics and health on its port)."""
    if stage not in SERVICES:
        raise typer.BadParameter(f"unknown stage {stage!r}; choose from {', '.join(SERVICES)}")
    from devoured_infra.runtime import configure_logging
    from devoured_infra.runtime import serve as serve_app

    settings = Settings()
    configure_logging(settings.log_level)
    module = importlib.import_module(f"devoured_{stage}.app")
    asyncio.run(serve_app(module.create_app(settings), settings, stage))


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (DATABASE_URL)."""
    from devoured_infra.migrate import upgrade

    settings = Settings()
    upgrade(settings.database_url)
    console.print("database schema is up to date")


@topics_app.command("ensure")
def topics_ensure() -> None:
    """Create every topic and dead-letter topic; report drift from the configuration."""
    from devoured_infra.topic_admin import ensure_topics

    for report in asyncio.run(ensure_topics(Settings())):
        console.print(f"{report.topic:45} {report.action:22} {report.detail}")


@app.command()
def schemas(out: Annotated[Path, typer.Option(help="Output directory.")] = Path("docs")) -> None:
    """Write JSON Schema of every message and the AsyncAPI document."""
    from devoured_embedded.schemas import write_schemas

    for path in write_schemas(out):
        console.print(f"wrote {path}")


def _settings(**overrides: object) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if "database_url" not in values and not _env_has_database():
        out_dir = Path(str(values.get("out_dir", "out")))
        values["database_url"] = f"sqlite+aiosqlite:///{out_dir / 'devoured.db'}"
    return Settings(**values)  # type: ignore[arg-type]


def _env_has_database() -> bool:
    return any(k in os.environ for k in ("DEVOURED_DATABASE_URL", "DATABASE_URL"))


def main() -> None:
    app()


if __name__ == "__main__":
    main()

__all__ = ["app", "main"]
