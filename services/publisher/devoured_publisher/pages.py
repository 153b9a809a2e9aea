"""HTML rendering (pure): the edition page (file and web), the email edition, article,
archive and search pages. Jinja autoescapes every value; links pass through ``safe_url``."""

from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from devoured_core.model import EditionRecord, Story
from devoured_publisher.article import article_blocks, table_parts
from devoured_publisher.edition import Edition
from devoured_publisher.render import headline
from devoured_publisher.sanitize import safe_url

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.filters["safe_url"] = safe_url
_TEMPLATES.globals.update(article_blocks=article_blocks, table_parts=table_parts)


def digest_name_of(edition: Edition) -> str:
    return edition.title.rsplit(" - ", 1)[0]


def render_html(edition: Edition, *, web: bool = False) -> str:
    """A responsive page that works without JavaScript; ``web`` adds site navigation."""
    return _TEMPLATES.get_template("edition.html").render(
        edition=edition, headline=headline, web=web, digest_name=digest_name_of(edition)
    )


def render_email_html(edition: Edition) -> str:
    """Email-safe HTML: table layout, inline styles, no scripts, no external resources."""
    return _TEMPLATES.get_template("email.html").render(
        edition=edition, headline=headline, digest_name=digest_name_of(edition)
    )


def render_article_page(
    story: Story, *, edition_id: str, edition_title: str, digest_name: str
) -> str:
    return _TEMPLATES.get_template("article.html").render(
        story=story,
        headline=headline,
        web=True,
        digest_name=digest_name,
        edition_id=edition_id,
        edition_title=edition_title,
    )


def render_archive(
    editions: Sequence[EditionRecord], *, digest_name: str, older: str | None = None
) -> str:
    """The archive page; ``older`` links the next page of older editions."""
    return _TEMPLATES.get_template("archive.html").render(
        editions=editions, web=True, digest_name=digest_name, older=older
    )


def render_search(query: str, results: Sequence[Story], *, digest_name: str) -> str:
    return _TEMPLATES.get_template("search.html").render(
        query=query, results=results, web=True, digest_name=digest_name
    )
