"""The article's structure (code, tables, quotes) survives into Markdown and the web page."""

from datetime import date

from devoured_core.model import Story
from devoured_publisher.article import article_blocks, outside_code, table_cells
from devoured_publisher.edition import Edition, assemble_edition
from devoured_publisher.pages import render_article_page, render_html
from devoured_publisher.render import render_markdown
from devoured_publisher.sanitize import plain_text
from tests.unit.samples import story

DAY = date(2026, 11, 29)
ARTICLE = "\n".join(
    [
        "The release script is short.",
        "```",
        "# install the tools first",
        "make install  # then <b>build</b>",
        "```",
        "| Tool | Use |",
        "| --- | --- |",
        "| grep | find a \\| b |",
        "| sed | edit |",
        "> Ship small changes often.",
        "> — A. Maintainer, release notes",
        "# Not a heading, a paragraph that starts with a hash",
        "- first item",
        "- second item",
    ]
)


def edition_with(text: str) -> Edition:
    item: Story = story("s1", section="Programming, Design and Data", text=text)
    return assemble_edition([item], digest_name="Devoured Daily", day=DAY)


def original_article(markdown: str) -> list[str]:
    return markdown.split("#### Original article", 1)[1].splitlines()


def test_blocks_keep_code_tables_quotes_and_lists() -> None:
    kinds = [block.kind for block in article_blocks(ARTICLE)]
    assert kinds == ["paragraph", "code", "table", "quote", "paragraph", "list"]
    code = article_blocks(ARTICLE)[1]
    assert code.lines == ("# install the tools first", "make install  # then <b>build</b>")


def test_escaped_bar_stays_inside_its_cell() -> None:
    assert table_cells("| grep | find a \\| b |") == ["grep", "find a | b"]


def test_markdown_has_no_heading_outside_code_fences() -> None:
    in_code = False
    for line in original_article(render_markdown(edition_with(ARTICLE))):
        if line.startswith("```"):
            in_code = not in_code
            continue
        assert in_code or not line.startswith("#"), line


def test_markdown_keeps_the_table_header_separator_and_the_quote_attribution() -> None:
    lines = original_article(render_markdown(edition_with(ARTICLE)))
    header = lines.index("| Tool | Use |")
    assert lines[header + 1] == "| --- | --- |"
    assert "| grep | find a \\| b |" in lines
    quote = lines.index("> Ship small changes often.")
    assert lines[quote + 1] == "> — A. Maintainer, release notes"


def test_a_fence_inside_code_cannot_close_the_block_early() -> None:
    text = "Intro.\n```\nprint('```')\n``` not the end\n```\nAfter."
    lines = original_article(render_markdown(edition_with(text)))
    opening = next(line for line in lines if line.startswith("```"))
    assert len(opening) > 3
    assert lines.count(opening) == 2


def test_web_page_renders_code_table_and_quote_markup() -> None:
    page = render_html(edition_with(ARTICLE))
    assert "<pre><code># install the tools first" in page
    assert "&lt;b&gt;build&lt;/b&gt;" in page  # code is shown, never interpreted
    assert "<th>Tool</th>" in page
    assert "<td>find a | b</td>" in page
    assert "<blockquote><p>Ship small changes often.</p>" in page


def test_tags_are_stripped_from_prose_but_not_from_code() -> None:
    text = "Some <b>bold</b> prose.\n```\n<div>kept</div>\n```"
    assert outside_code(text, plain_text) == "Some bold prose.\n```\n<div>kept</div>\n```"


def test_article_page_shows_the_deep_dive_decoder_and_structured_text() -> None:
    item = story(
        "s1",
        section="Programming, Design and Data",
        title="Release scripts get shorter",
        deep_dive=["The script now has four steps."],
        text=ARTICLE,
    )
    page = render_article_page(
        item, edition_id="2026-11-29", edition_title="Devoured Daily", digest_name="Devoured"
    )
    assert "<h1>Release scripts get shorter</h1>" in page
    assert "<h4>Deep dive</h4>" in page
    assert "<li>The script now has four steps.</li>" in page
    assert "<h4>Original article</h4>" in page
    assert "<th>Tool</th>" in page
