"""Find the block of the page that holds the article, readability-style, before extraction.

Each paragraph's text length (less its link text) is credited to its parent in full and to its
grandparent at half, so the container whose children are the article's paragraphs wins over a
rail of teaser cards or a comment thread, whatever the class names say. Siblings that score
at least ``SIBLING_SHARE`` of the winner are kept too: articles split by ad slots stay whole.
"""

import re

from lxml.html import HtmlElement

SIBLING_SHARE = 0.5
CJK_WEIGHT = 2
"""Extra weight per CJK character: one carries about what three Latin letters do, so a
Japanese article is not outscored by an English cookie notice of the same length."""
_UP, _DOWN = 1.25, 0.5
_POSITIVE = re.compile(r"article|body|content|entry|main|post|story|text|blog")
_NEGATIVE = re.compile(
    r"comment|related|footer|sidebar|promo|teaser|widget|share|social|recommend|newsletter|"
    r"subscribe|sponsor|advert|byline|author|meta|card|rail|more"
)
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
MIN_PARAGRAPH_CHARS = 25
_TEXT_TAGS = ("p", "pre", "blockquote", "td", "li")


def focus(tree: HtmlElement) -> list[HtmlElement] | None:
    """The article's container and its strong siblings, in page order; None if none stands out."""
    scores: dict[HtmlElement, float] = {}
    for node in tree.iter(*_TEXT_TAGS):
        text = node.text_content().strip()
        length = len(text) + CJK_WEIGHT * len(_CJK.findall(text))
        if length < MIN_PARAGRAPH_CHARS:
            continue
        links = sum(len(a.text_content()) for a in node.iter("a"))
        weight = max(0, length - links)
        parent = node.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + weight
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + weight / 2
    if not scores:
        return None
    for el in scores:
        scores[el] *= _name_weight(el)
    best = max(scores, key=lambda el: scores[el])
    if best.tag in ("html", "body"):
        return None
    parent = best.getparent()
    if parent is None:
        return [best]
    floor = scores[best] * SIBLING_SHARE
    return [el for el in parent if el is best or scores.get(el, 0) >= floor]


def _name_weight(el: HtmlElement) -> float:
    """Readability's class/id hint: content-like names up, comment- and rail-like names down."""
    if el.tag in ("article", "main") or el.get("itemprop") == "articleBody":
        return _UP
    names = f"{el.get('class', '')} {el.get('id', '')}".lower()
    if not names.strip():
        return 1.0
    if _NEGATIVE.search(names):
        return _DOWN
    return _UP if _POSITIVE.search(names) else 1.0
