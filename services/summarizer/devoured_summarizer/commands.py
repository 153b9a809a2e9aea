"""The summarizer's commands on the ``devoured`` command line: ``devoured summarize``.

``commands()`` is the group the command line merges at its top level (``add_typer`` without a
name), so each command keeps its top-level name."""

import sys
from typing import Annotated

import typer


def summarize(
    backend: Annotated[
        str | None, typer.Option(help="extractive or openai (default: from the environment).")
    ] = None,
    title: Annotated[str, typer.Option(help="The article's headline.")] = "",
) -> None:
    """Summarise an article's text from stdin as JSON.

    Prints {"tldr", "deep_dive", "decoder"}; the name of the backend that wrote it goes to
    stderr.
    """
    from devoured_summarizer.command import summarize_to_json

    if backend not in (None, "extractive", "openai"):
        raise typer.BadParameter("--backend must be extractive or openai")
    line, used = summarize_to_json(sys.stdin.read(), title, backend)  # type: ignore[arg-type]
    print(line)
    print(f"backend: {used}", file=sys.stderr)  # plain: rich takes longer to load than this run


def commands() -> typer.Typer:
    """A Typer app holding the summarizer's commands, to merge at the top level."""
    group = typer.Typer(add_completion=False)
    group.command()(summarize)
    return group
