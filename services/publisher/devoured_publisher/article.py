"""The extracted article's text as typed blocks (pure), so every output keeps its structure.

The extractor writes the main text one block per line, with code between ``` fences, table
rows as ``| a | b |`` (a ``| --- |`` row after the header), quotes as ``> `` lines and list
items as ``- `` lines. Markdown, the web pages and the email render these blocks, each in its
own markup, instead of treating every line as a paragraph (which turned a shell comment in a
code sample into a Markdown heading).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FENCE",
    "Block",
    "article_blocks",
    "is_separator",
    "outside_code",
    "table_cells",
    "table_parts",
]

FENCE = "```"
BlockKind = Literal["paragraph", "code", "table", "quote", "list"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    lines: tuple[str, ...]
    """Code lines verbatim; table rows; quote lines without ``> ``; list items without ``- ``."""


def article_blocks(text: str) -> list[Block]:
    """``text`` split into blocks; an unclosed fence runs to the end of the text."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip().startswith(FENCE):
            end = i + 1
            while end < len(lines) and not lines[end].strip().startswith(FENCE):
                end += 1
            blocks.append(Block("code", tuple(lines[i + 1 : end])))
            i = end + 1
            continue
        kind, prefix = _kind(line)
        if kind == "paragraph":
            if line.strip():
                blocks.append(Block("paragraph", (line,)))
            i += 1
            continue
        group: list[str] = []
        while i < len(lines) and _kind(lines[i])[0] == kind:
            group.append(lines[i][len(prefix) :] if prefix else lines[i])
            i += 1
        blocks.append(Block(kind, tuple(group)))
    return blocks


def table_cells(row: str) -> list[str]:
    """The cells of a ``| a | b |`` row; ``\\|`` inside a cell is a literal bar."""
    inner = row.strip().removeprefix("|").removesuffix("|")
    cells: list[str] = []
    current: list[str] = []
    escaped = False
    for char in inner:
        if escaped:
            current.append(char if char == "|" else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    cells.append("".join(current).strip())
    return cells


def is_separator(row: str) -> bool:
    """Whether ``row`` is a table's header separator (``| --- | --- |``)."""
    cells = table_cells(row)
    return bool(cells) and all(c and set(c) <= set("-: ") and "-" in c for c in cells)


def _kind(line: str) -> tuple[BlockKind, str]:
    stripped = line.lstrip()
    if stripped.startswith("|") and stripped.rstrip().endswith("|") and len(stripped) > 1:
        return "table", ""
    if line.startswith("> ") or line == ">":
        return "quote", "> " if line.startswith("> ") else ">"
    if line.startswith("- "):
        return "list", "- "
    return "paragraph", ""


def outside_code(text: str, transform: Callable[[str], str]) -> str:
    """``text`` with ``transform`` applied to everything but its fenced code, kept verbatim.

    Stripping HTML tags from an article must not strip the ``<div>`` of an HTML code sample.
    """
    out: list[str] = []
    prose: list[str] = []
    in_code = False
    for line in text.splitlines():
        if line.strip().startswith(FENCE):
            if not in_code and prose:
                out.append(transform("\n".join(prose)))
                prose = []
            out.append(line)
            in_code = not in_code
        elif in_code:
            out.append(line)
        else:
            prose.append(line)
    if prose:
        out.append(transform("\n".join(prose)))
    return "\n".join(out)


def table_parts(block: Block) -> tuple[list[str], list[list[str]]]:
    """A table block's header cells (empty when it has no separator row) and body rows."""
    rows = list(block.lines)
    if len(rows) >= 2 and is_separator(rows[1]):
        return table_cells(rows[0]), [table_cells(r) for r in rows[2:]]
    return [], [table_cells(r) for r in rows if not is_separator(r)]
