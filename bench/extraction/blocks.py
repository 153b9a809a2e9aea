"""Main-text blocks: rendered into a page's HTML and, identically, into its expected text."""

import html
from dataclasses import dataclass

from bench.extraction.prose import Prose


@dataclass(frozen=True)
class Block:
    kind: str  # p, h2, h3, ul, ol, quote, code, table
    parts: tuple[str, ...]


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def to_html(block: Block) -> str:
    kind, parts = block.kind, block.parts
    if kind in ("p", "h2", "h3"):
        return f"<{kind}>{esc(parts[0])}</{kind}>"
    if kind in ("ul", "ol"):
        return f"<{kind}>" + "".join(f"<li>{esc(p)}</li>" for p in parts) + f"</{kind}>"
    if kind == "quote":
        return f"<blockquote><p>{esc(parts[0])}</p></blockquote>"
    if kind == "code":
        return f"<pre><code>{esc(parts[0])}</code></pre>"
    head, *rows = (row.split("\t") for row in parts)
    cells = "".join(f"<th>{esc(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def to_text(block: Block) -> list[str]:
    kind, parts = block.kind, block.parts
    if kind in ("ul", "ol"):
        return [f"- {p}" for p in parts]
    if kind == "code":
        return parts[0].splitlines()
    if kind == "table":
        return ["| " + " | ".join(row.split("\t")) + " |" for row in parts]
    return [parts[0]]


def article_blocks(prose: Prose, paragraphs: int, *, rich: bool = False) -> list[Block]:
    """An article body: paragraphs, plus headings, lists, quotes (and code/tables if rich)."""
    r = prose.rng
    blocks: list[Block] = []
    for i in range(paragraphs):
        if i and i % 4 == 0:
            blocks.append(Block(r.choice(("h2", "h3")), (prose.heading(),)))
        roll = r.random()
        if roll < 0.1:
            items = tuple(prose.short(r.randint(6, 12)) for _ in range(r.randint(3, 5)))
            blocks.append(Block(r.choice(("ul", "ol")), items))
        elif roll < 0.16:
            blocks.append(Block("quote", (prose.sentence(),)))
        elif rich and roll < 0.24:
            blocks.append(Block("code", (code_sample(prose),)))
        elif rich and roll < 0.3:
            blocks.append(Block("table", table_rows(prose)))
        blocks.append(Block("p", (prose.paragraph(),)))
    return blocks


def code_sample(prose: Prose) -> str:
    r = prose.rng
    name = r.choice(("load_readings", "merge_routes", "parse_schedule", "count_visitors"))
    arg = r.choice(("path", "rows", "config", "events"))
    return (
        f"def {name}({arg}):\n"
        f"    total = {r.randint(0, 9)}\n"
        f"    for item in {arg}:\n"
        f"        total += item.weight * {r.randint(2, 9)}\n"
        "    return total"
    )


def table_rows(prose: Prose) -> tuple[str, ...]:
    r = prose.rng
    rows = ["District\tHouseholds\tSavings per year"]
    for district in r.sample(("North Quay", "Old Town", "Riverside", "Hill Park", "Dockside"), 3):
        rows.append(f"{district}\t{r.randint(100, 900)}\t{r.randint(20, 300)} euros")
    return tuple(rows)


def foreign_blocks(prose: Prose, language: str, paragraphs: int) -> list[Block]:
    blocks = []
    for i in range(paragraphs):
        if i and i % 3 == 0:
            blocks.append(Block("h2", (prose.foreign(language, 1, 1)[:30],)))
        blocks.append(Block("p", (prose.foreign(language),)))
    return blocks
