"""Which section a story belongs in (pure): the editor's classifier (``editor.classify``), with
Quick Links for a story without a Deep dive."""

from collections.abc import Mapping, Sequence

from devoured_publisher.editor import (
    DEFAULT_SECTIONS,
    OFF_TOPIC,
    OTHER_NEWS,
    QUICK_LINKS,
    EditorPolicy,
    classify,
)

__all__ = [
    "DEFAULT_SECTIONS",
    "OFF_TOPIC",
    "OTHER_NEWS",
    "QUICK_LINKS",
    "SECTION_ORDER",
    "section_for",
    "section_order",
]

SECTION_ORDER = (*DEFAULT_SECTIONS, OTHER_NEWS, QUICK_LINKS)


def section_for(
    *,
    source_section: str | None,
    tags: list[str],
    title: str,
    text: str,
    has_deep_dive: bool,
    sections: Mapping[str, Sequence[str]] = DEFAULT_SECTIONS,
) -> str:
    """The section of a story: Quick Links without a Deep dive, else the source's default,
    else a tag naming a section, else the section whose keywords weigh most."""
    if not has_deep_dive:
        return QUICK_LINKS
    policy = EditorPolicy(sections=sections)
    return classify(
        title=title, text=text, tags=tags, source_section=source_section, policy=policy
    ).section


def section_order(sections: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Configured sections in their order, then Other News and Quick Links."""
    return (*(n for n in sections if n not in (OTHER_NEWS, QUICK_LINKS)), OTHER_NEWS, QUICK_LINKS)
