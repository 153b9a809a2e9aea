"""Rendering an edition (pure): Markdown, plain text and JSON in the seed's layout.

Layout of one story (../shared/seed/FORMAT.md): headline with reading time, the TL;DR, then
"Deep dive" bullets, "Decoder" terms and the "Original article" text. Quick Links and the
off-topic "Other" list show the headline and TL;DR only. The JSON adds the editor's decision on
every story (``editor``): placement, section, relevance, confidence, score and reason.
"""

import json
import re

from devoured_core.model import Story
from devoured_publisher.article import FENCE, Block, article_blocks, is_separator, table_cells
from devoured_publisher.edition import Edition
from devoured_publisher.sanitize import safe_url


def headline(story: Story) -> str:
    return f"{story.title} ({story.reading_minutes} minute read)"


def render_markdown(edition: Edition) -> str:
    lines = [f"# {_md(edition.title)}", "", _md(edition.overview), ""]
    for name, stories in edition.sections:
        lines += [f"## {_md(name)}", ""]
        for story in stories:
            if edition.brief(name):
                lines += [
                    f"### [{_md(headline(story))}]({_link(story.url)})",
                    "",
                    _md(story.tldr),
                    "",
                ]
            else:
                lines += _story_markdown(story, edition.also(story))
    return "\n".join(lines).rstrip() + "\n"


def _link(url: str) -> str:
    """A Markdown link destination: characters that could end it or open HTML, encoded."""
    encoded = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", '"': "%22"}
    return "".join(encoded.get(c, c) for c in safe_url(url))


def _story_markdown(story: Story, also: list[Story]) -> list[str]:
    lines = [f"### [{_md(headline(story))}]({_link(story.url)})", "", _md(story.tldr), ""]
    if also:
        links = ", ".join(f"[{_md(o.source_name)}]({_link(o.url)})" for o in also)
        lines += [f"*Also covered by {links}.*", ""]
    if story.deep_dive:
        lines += ["#### Deep dive", "", *(f"- {_md(b)}" for b in story.deep_dive), ""]
    if story.decoder:
        lines += [
            "#### Decoder",
            "",
            *(f"- **{_md(t.term)}**: {_md(t.definition)}" for t in story.decoder),
            "",
        ]
    lines += ["#### Original article", ""]
    for block in article_blocks(story.text):
        lines += [*_block_markdown(block), ""]
    return lines


_BACKTICKS = re.compile(r"`+")


def _block_markdown(block: Block) -> list[str]:
    if block.kind == "code":
        # A fence longer than any run of backticks inside, so no code line can close it early.
        longest = max(
            (len(run) for line in block.lines for run in _BACKTICKS.findall(line)), default=0
        )
        fence = "`" * max(len(FENCE), longest + 1)
        return [fence, *block.lines, fence]
    if block.kind == "table":
        return [_table_row_markdown(row) for row in block.lines]
    if block.kind == "quote":
        return ["> " + _md(line) for line in block.lines]
    if block.kind == "list":
        return ["- " + _md(item) for item in block.lines]
    text = _md(block.lines[0])
    # A paragraph that opens like Markdown markup (a heading, a rule) stays a paragraph.
    return ["\\" + text if text.startswith(("#", "---", "***", "===")) else text]


def _table_row_markdown(row: str) -> str:
    if is_separator(row):
        return "| " + " | ".join("---" for _ in table_cells(row)) + " |"
    return "| " + " | ".join(_md(c).replace("|", "\\|") for c in table_cells(row)) + " |"


def _md(text: str) -> str:
    """Neutralise characters that would turn article text into Markdown markup or raw HTML."""
    return (
        text.replace("\\", "\\\\")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("[", "\\[")
        .replace("]", "\\]")
    )


def render_text(edition: Edition) -> str:
    """Plain text, exactly the seed's "rendered as text" layout."""
    lines = [edition.title, edition.overview, ""]
    for name, stories in edition.sections:
        lines += [name.upper(), ""]
        for story in stories:
            lines += [headline(story), story.tldr]
            if edition.brief(name):
                lines += [""]
                continue
            if edition.also(story):
                others = ", ".join(f"{o.source_name} ({o.url})" for o in edition.also(story))
                lines += [f"Also covered by: {others}"]
            if story.deep_dive:
                lines += ["Deep dive", *(f"- {b}" for b in story.deep_dive)]
            if story.decoder:
                lines += ["Decoder", *(f"- {t.term}: {t.definition}" for t in story.decoder)]
            lines += ["Original article", story.text, ""]
    return "\n".join(lines).rstrip() + "\n"


def render_json(edition: Edition) -> str:
    """The ``DigestPublished`` message, plus ``editor``: the editor's decision on every story."""
    document = edition.to_message().model_dump(mode="json") | {"editor": edition.editor_json()}
    return json.dumps(document, indent=2, ensure_ascii=False)
