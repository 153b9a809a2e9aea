"""The extractor's commands on the ``devoured`` command line: ``devoured extract``.

``commands()`` is the group the command line merges at its top level (``add_typer`` without a
name), so each command keeps its top-level name."""

import sys
from pathlib import Path
from typing import Annotated

import typer


def extract(
    url: Annotated[str | None, typer.Option(help="The page's URL (for relative links).")] = None,
    file_list: Annotated[
        Path | None,
        typer.Option(help="File naming one HTML file per line, 'path' or 'path<TAB>url'."),
    ] = None,
) -> None:
    """Extract a page's main text and metadata as JSON.

    A page on stdin gives one JSON object; --file-list gives one JSON line per file. A skipped
    page prints {"skipped": reason} (and, from stdin, exits 2).
    """
    from devoured_extractor.batch import extract_file_list, extract_json

    if file_list is not None:
        for line in extract_file_list(file_list):
            print(line, flush=True)
        return
    line, ok = extract_json(sys.stdin.buffer.read(), url)
    print(line)
    if not ok:
        raise typer.Exit(2)


def commands() -> typer.Typer:
    """A Typer app holding the extractor's commands, to merge at the top level."""
    group = typer.Typer(add_completion=False)
    group.command()(extract)
    return group
