"""Rendering an edition (pure): Markdown, plain text and JSON in the seed's layout.

Layout of one story (../shared/seed/FORMAT.md): headline with reading time, the TL;DR, then
"Deep dive" bullets, "Decoder" terms and the "Original article" text.
"""

import json

from devoured_core.model import Story
from devoured_publisher.edition import Edition
from devoured_publisher.sanitize import safe_url


def headline(story: Story) -> str:
    return f"{story.title} ({story.reading_minutes} minute read)"


def render_markdown(edition: Edition) -> str:
    lines = [f"# {_md(edition.title)}", "", _md(edition.overview), ""]
    for name, stories in edition.sections:
        lines += [f"## {_md(name)}", ""]
        for story in stories:
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
    previous = ""
    for paragraph in story.text.splitlines():
        # Table rows and list items stay together; other lines are paragraphs of their own.
        together = paragraph.startswith(("|", "- ")) and previous.startswith(paragraph[:1])
        if together and lines[-1] == "":
            lines.pop()
        escaped = "- " + _md(paragraph[2:]) if paragraph.startswith("- ") else _md(paragraph)
        lines += [escaped, ""]
        previous = paragraph
    return lines


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
    return json.dumps(edition.to_message().model_dump(mode="json"), indent=2, ensure_ascii=False)
