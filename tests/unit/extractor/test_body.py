"""The main-text tiers (``devoured_extractor.body``): a short container is checked against
trafilatura's full mode."""

import lxml.html
import pytest

from devoured_extractor import body, readable

_STORY = " ".join(
    f"Paragraph {n} of the club's long history tells how the members rebuilt the old boathouse, "
    "raised money at the summer fair, and trained new rowers every spring."
    for n in range(12)
)
_TEASER = (
    "Welcome to the rowing club of the lower river valley. We meet every Saturday, rain or "
    "shine, and everyone is welcome to join us for a first outing on the water this season. "
    "Boats, oars and life jackets are provided, and the coaches will show you the strokes "
    "before you leave the landing stage."
)
PAGE = f"""<html><head><title>Club</title></head><body>
<div class="intro"><p>{_TEASER}</p></div>
<table><tr><td><font>{_STORY}</font></td></tr></table>
</body></html>"""


def _teaser_only(
    root: lxml.html.HtmlElement,
) -> tuple[list[lxml.html.HtmlElement], dict[lxml.html.HtmlElement, float]]:
    intro = root.find(".//div[@class='intro']")
    assert intro is not None
    return [intro], {}


def test_a_short_container_gives_way_to_a_much_longer_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(readable, "choose", _teaser_only)
    tree = lxml.html.fromstring(PAGE)
    text = body.main_text(tree, PAGE, None)
    assert "boathouse" in text  # the story the teaser box stood in front of


def test_a_short_container_stays_when_nothing_longer_is_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = PAGE.replace(f"<table><tr><td><font>{_STORY}</font></td></tr></table>", "")
    monkeypatch.setattr(readable, "choose", _teaser_only)
    text = body.main_text(lxml.html.fromstring(page), page, None)
    assert text.startswith("Welcome to the rowing club")
    assert body.MIN_CHARS <= len(_TEASER) < body.SHORT_CHARS  # the short-container branch
