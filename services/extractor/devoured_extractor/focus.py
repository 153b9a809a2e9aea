"""Find the block of the page that holds the article, readability-style, before extraction.

Each paragraph's text length (less its link text) is credited to its parent in full and to its
grandparent at half, so the container whose children are the article's paragraphs wins over a
rail of teaser cards or a comment thread, whatever the class names say. Siblings that score
at least ``SIBLING_SHARE`` of the winner are kept too: articles split by ad slots stay whole.
"""

from lxml.html import HtmlElement, fromstring

SIBLING_SHARE = 0.3
MIN_PARAGRAPH_CHARS = 25
_TEXT_TAGS = ("p", "pre", "blockquote", "td", "li")


def focus(tree: HtmlElement) -> HtmlElement:
    """A document holding only the article's container (or ``tree`` when nothing stands out)."""
    scores: dict[HtmlElement, float] = {}
    for node in tree.iter(*_TEXT_TAGS):
        text = node.text_content()
        length = len(text.strip())
        if length < MIN_PARAGRAPH_CHARS:
            continue
        links = sum(len(a.text_content()) for a in node.iter("a"))
        weight = length * (1 - links / length) if length else 0
        parent = node.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + weight
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + weight / 2
    if not scores:
        return tree
    best = max(scores, key=lambda el: scores[el])
    if best.tag in ("html", "body"):
        return tree
    parent = best.getparent()
    keep = [best]
    if parent is not None:
        floor = scores[best] * SIBLING_SHARE
        keep = [el for el in parent if el is best or scores.get(el, 0) >= floor]
    doc = fromstring("<html><body></body></html>")
    body = doc.find("body")
    for el in keep:
        el.tail = None
        body.append(el)
    return doc
