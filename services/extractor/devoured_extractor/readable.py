"""Find the article's container by scoring paragraphs, readability-style, then tidy it.

Our own implementation of the classic Readability heuristic (Arc90, 2009), tuned on the dev part
of the shared real-page set:

- every paragraph-like block of 25+ characters (``p``, ``pre``, ``td``, ``blockquote``, a
  ``div`` holding no block, the loose text of a ``div`` that does) scores 1 + its commas +
  one point per 100 characters (at most 3); its parent gets the score, its grandparent half;
- a candidate starts from its tag (``div`` +5, lists -3, headings -5) and its class/id names
  (content-like +25, comment- and rail-like -25), and its total is scaled by 1 - link density;
- the best candidate is kept with the siblings that score at least half of it
  (``SIBLING_SHARE``), siblings with its tag and content-like class (a story split in two),
  the sibling paragraphs (and block-free divs) that read as prose, and the other segments of
  the same article elsewhere (each post's ``entry-body`` on a blog page; weaker ones only in
  the same template slot; never a "Comments" block);
- inside what is kept, tables, lists and divs that look like furniture (mostly links, form
  fields, many images, too short to be prose, opening with "Related" or "Comments") are
  dropped; lists whose items carry their own text besides the link stay.

Everything works on the one parsed tree; text lengths are computed once per element.
"""

import re

from lxml.html import HtmlElement

MIN_PARAGRAPH_CHARS = 25
SIBLING_SHARE = 0.5
"""Siblings scoring at least this share of the winner are kept with it. Readability uses 0.2;
on the real dev set 0.2 to 0.5 score within 0.001 F1, and 0.5 keeps the comment threads and
consent boxes of class-less div-soup layouts out (generated corpus, held-out group: 0.886 with
0.2, 0.962 with 0.5)."""
SIBLING_FLOOR = 10.0
ANNOTATION_CHARS = 80
"""A list of links stays when its items carry this many characters of other text on average
(a feature list with descriptions; dev part: +0.0006, two pages, none worse)."""
CJK_WEIGHT = 2
"""Extra characters counted per CJK character (one carries what about three Latin letters do)."""

_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|main|page|pagination|post|text|blog|story", re.IGNORECASE
)
_NEGATIVE = re.compile(
    r"combx|comment|com-|contact|foot|footer|footnote|masthead|media|meta|outbrain|promo|"
    r"related|scroll|shoutbox|sidebar|sponsor|shopping|tags|tool|widget",
    re.IGNORECASE,
)
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_BLOCKY = ("blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul", "section")
_PARAGRAPHS = ("p", "pre", "td", "blockquote", "div")
_TAG_SCORE = {
    "div": 5.0,
    "article": 5.0,
    "pre": 3.0,
    "td": 3.0,
    "blockquote": 3.0,
    "address": -3.0,
    "ol": -3.0,
    "ul": -3.0,
    "dl": -3.0,
    "dd": -3.0,
    "dt": -3.0,
    "li": -3.0,
    "form": -3.0,
    "aside": -3.0,
    "h1": -5.0,
    "h2": -5.0,
    "h3": -5.0,
    "h4": -5.0,
    "h5": -5.0,
    "h6": -5.0,
    "th": -5.0,
    "header": -5.0,
    "footer": -5.0,
    "nav": -5.0,
}
_LAYOUT = ("p", "div", "table", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3")
_FURNITURE_HEADING = re.compile(
    r"(related( posts?| articles?| stories| content| links| reading)?( worth a look)?|"
    r"you (may|might) also (like|enjoy)|more (from|on) .{1,40}|"
    r"recommended( for you| reading)?|read (more|next)|"
    r"(reader )?comments?( \(\d+\))?|\d+ (comments?|responses?|replies)|"
    r"leave a (comment|reply)|join the discussion|"
    # German, French, Spanish, Italian, Portuguese, Polish
    r"das k[öo]nnte (sie|dich) auch interessieren|mehr zum thema|weitere artikel|"
    r"lesen sie auch|([äa]hnliche|verwandte) artikel|kommentare( \(\d+\))?|"
    r"(à )?lire aussi|sur le m[êe]me sujet|articles similaires|commentaires|"
    r"noticias relacionadas|te puede interesar|comentarios|articoli correlati|leggi anche|"
    r"commenti|leia tamb[ée]m|not[íi]cias relacionadas|coment[áa]rios|"
    r"zobacz (te[zż]|tak[zż]e)|czytaj (te[zż]|tak[zż]e)|komentarze)[:.]?",
    re.IGNORECASE,
)
"""The heading of a block that is furniture whatever its markup: related links, comments."""
_PROSE_END = re.compile(r"\.( |$)")


class _Lengths:
    """Text and link-text lengths per element, each computed once."""

    def __init__(self) -> None:
        self._text: dict[HtmlElement, int] = {}
        self._links: dict[HtmlElement, int] = {}

    def text(self, el: HtmlElement) -> int:
        n = self._text.get(el)
        if n is None:
            n = len(" ".join(el.text_content().split()))
            self._text[el] = n
        return n

    def links(self, el: HtmlElement) -> int:
        n = self._links.get(el)
        if n is None:
            n = sum(self.text(a) for a in el.iter("a"))
            self._links[el] = n
        return n

    def density(self, el: HtmlElement) -> float:
        total = self.text(el)
        return self.links(el) / total if total else 0.0


def class_weight(el: HtmlElement) -> float:
    weight = 0.0
    for name in (el.get("class"), el.get("id")):
        if name:
            if _NEGATIVE.search(name):
                weight -= 25
            if _POSITIVE.search(name):
                weight += 25
    return weight


def _is_leaf_div(el: HtmlElement) -> bool:
    return next(el.iterdescendants(*_BLOCKY), None) is None


def _loose_text(el: HtmlElement) -> str:
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag in _BLOCKY:
            parts.append("\n")
        elif isinstance(child.tag, str):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)


def _paragraph_score(text: str) -> float | None:
    length = len(text) + CJK_WEIGHT * len(_CJK.findall(text)) if text else 0
    if length < MIN_PARAGRAPH_CHARS:
        return None
    return 1.0 + len(text.split(",")) + min(length / 100, 3.0)


def score(root: HtmlElement, lengths: _Lengths) -> dict[HtmlElement, float]:
    scores: dict[HtmlElement, float] = {}

    def credit(node: HtmlElement | None, value: float) -> None:
        if node is None or not isinstance(node.tag, str):
            return
        if node not in scores:
            scores[node] = _TAG_SCORE.get(node.tag, 0.0) + class_weight(node)
        scores[node] += value

    for el in root.iter(*_PARAGRAPHS):
        if el.tag == "div" and not _is_leaf_div(el):
            # text written straight into a container div: Readability wraps it in <p>s
            runs = [" ".join(r.split()) for r in _loose_text(el).split("\n")]
            for run in runs:
                value = _paragraph_score(run)
                if value is not None:
                    credit(el, value)
                    credit(el.getparent(), value / 2)
            continue
        value = _paragraph_score(" ".join(el.text_content().split()))
        if value is None:
            continue
        parent = el.getparent()
        if parent is None:
            continue
        credit(parent, value)
        credit(parent.getparent(), value / 2)
    for el in scores:
        scores[el] *= 1 - lengths.density(el)
    return scores


def choose(root: HtmlElement) -> tuple[list[HtmlElement], dict[HtmlElement, float]]:
    """The best candidate and the siblings worth keeping with it, in page order (with the
    other segments of the same article found elsewhere), and every candidate's score."""
    lengths = _Lengths()
    scores = score(root, lengths)
    if not scores:
        return [], scores
    best = max(scores, key=lambda el: scores[el])
    parent = best.getparent()
    if parent is None or best.tag in ("html", "body"):
        return [best], scores
    floor = max(SIBLING_FLOOR, scores[best] * SIBLING_SHARE)
    kept = []
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        keep = sibling is best or scores.get(sibling, -1e9) >= floor
        if not keep and _same_kind(sibling, best) and lengths.density(sibling) <= 0.2:
            keep = scores.get(sibling, -1e9) >= SIBLING_FLOOR  # the story's next part
        leaf = sibling.tag == "div" and _is_leaf_div(sibling)
        if not keep and (sibling.tag == "p" or leaf):
            # a div holding no block is a paragraph too, as Readability reads it
            own = sibling.text or ""
            density = lengths.density(sibling)
            long_prose = len(own) > 80 and density < 0.25
            short_sentence = len(own) <= 80 and density == 0 and bool(_PROSE_END.search(own))
            keep = long_prose or (short_sentence and sibling.tag == "p")
        if keep:
            kept.append(sibling)
    segments = _segments(best, scores, floor, lengths)
    if segments:
        kept = _in_page_order(root, [*kept, *segments])
    return kept, scores


def _segments(
    best: HtmlElement, scores: dict[HtmlElement, float], floor: float, lengths: _Lengths
) -> list[HtmlElement]:
    """Other parts of the same article or post list elsewhere in the page: candidates with
    the best one's tag and content-like class (``entry-body`` of each post on a blog page)."""
    classes = {c for c in (best.get("class") or "").split() if _POSITIVE.search(c)}
    slot_only = not classes
    if slot_only:
        # no content-like name: only the same markup in the same template slot (``img``
        # blocks inside each ``blogbody``) counts as another part
        classes = set((best.get("class") or "").split())
        if not classes:
            return []
    ancestors = set(best.iterancestors())
    found = []
    for el, value in scores.items():
        if el is best or el.tag != best.tag or value < SIBLING_FLOOR or el in ancestors:
            continue
        if (value < floor or slot_only) and not _same_place(el, best):
            continue  # a weaker block counts only in the same template slot as the best
        if el.getparent() is best.getparent():
            continue  # siblings were judged already
        if not classes.intersection((el.get("class") or "").split()):
            continue
        if lengths.density(el) > 0.2 or best in set(el.iterancestors()):
            continue
        if _headed_furniture(el):
            continue  # the reader comments under the post, in the post's own markup
        found.append(el)
    return found


def _headed_furniture(el: HtmlElement) -> bool:
    """``el`` opens with a heading such as "Related posts" or "12 Comments"."""
    first = next((t for t in (" ".join(x.split()) for x in el.itertext()) if t), "")
    return bool(_FURNITURE_HEADING.fullmatch(first))


def _same_kind(el: HtmlElement, best: HtmlElement) -> bool:
    """``el`` has ``best``'s tag and one of its content-like class names."""
    if el.tag != best.tag:
        return False
    classes = {c for c in (best.get("class") or "").split() if _POSITIVE.search(c)}
    return bool(classes.intersection((el.get("class") or "").split()))


def _same_place(el: HtmlElement, best: HtmlElement) -> bool:
    """``el`` sits in the same template slot as ``best``: its parent has the same tag and class
    (each post's ``entry-body`` inside its own ``entry-content`` on a blog's archive page)."""
    mine, theirs = el.getparent(), best.getparent()
    if mine is None or theirs is None:
        return False
    return bool(mine.tag == theirs.tag and mine.get("class") == theirs.get("class"))


def _in_page_order(root: HtmlElement, elements: list[HtmlElement]) -> list[HtmlElement]:
    """``elements`` in document order, without any that sits inside another."""
    wanted = set(elements)
    ordered = []
    for el in root.iter():
        if el in wanted and not any(a in wanted for a in el.iterancestors()):
            ordered.append(el)
    return ordered


def tidy(container: HtmlElement, scores: dict[HtmlElement, float]) -> None:
    """Drop furniture inside the kept article: link lists, forms, short teaser blocks."""
    lengths = _Lengths()  # fresh: lengths change as blocks are dropped, deepest first
    for heading in list(container.iter("h1", "h2", "h3", "h4", "h5", "h6")):
        parent = heading.getparent()
        if _headed_furniture(heading) and parent is not None:
            if parent is not container and _headed_furniture(parent):
                continue  # the whole block goes below
            after = heading.getnext()
            if after is not None and after.tag in ("ul", "ol") and lengths.density(after) > 0.3:
                _drop(after)  # "Related posts" over a list of links
            _drop(heading)
        elif class_weight(heading) < 0 or lengths.density(heading) > 0.33:
            _drop(heading)
    for el in reversed(list(container.iter("table", "ul", "div", "section", "header", "aside"))):
        if el is container or el.getparent() is None:
            continue
        if el.tag == "table" and _data_table(el) and lengths.density(el) <= 0.5:
            continue  # figures in a grid are content, however short
        weight = class_weight(el)
        if weight >= 0 and el.find(".//pre") is not None:
            continue  # a code sample's wrapper (``<div class="highlight"><pre>``), however short
        value = scores.get(el, 0.0)
        if weight + value < 0:
            _drop(el)
            continue
        if el.tag != "table" and _headed_furniture(el) and not _most_of(el, container, lengths):
            _drop(el)  # "Related", "3 Comments": a block of links or replies after the story
            continue
        text = el.text_content()
        if text.count(",") >= 10:
            continue
        paragraphs = sum(1 for _ in el.iter("p"))
        images = sum(1 for _ in el.iter("img"))
        inputs = sum(1 for i in el.iter("input") if i.get("type") != "hidden")
        embeds = sum(1 for _ in el.iter("embed"))
        length = lengths.text(el)
        density = lengths.density(el)
        remove = (
            (paragraphs and images > 1 + paragraphs * 1.3)
            or inputs > paragraphs / 3
            or (length < MIN_PARAGRAPH_CHARS and images != 1)
            or (weight < 25 and density > 0.2 and not _annotated(el, lengths))
            or (weight >= 25 and density > 0.5)
            or (embeds == 1 and length < 75)
            or embeds > 1
        )
        if remove and _near_long_text(el, lengths):
            remove = False
        if remove:
            _drop(el)


def _most_of(el: HtmlElement, container: HtmlElement, lengths: _Lengths) -> bool:
    """``el`` holds most of ``container``'s text (a "12 comments" link atop the whole story)."""
    return lengths.text(el) * 2 > lengths.text(container)


def _annotated(el: HtmlElement, lengths: _Lengths) -> bool:
    """Links that each come with their own prose (a feature list, a reading list with
    summaries): at most half links, and ``ANNOTATION_CHARS`` of other text per item."""
    if lengths.density(el) > 0.5:
        return False
    items = list(el.iter("li"))
    if len(items) < 2:
        return False
    own = sum(lengths.text(i) - lengths.links(i) for i in items)
    return own >= ANNOTATION_CHARS * len(items)


def _data_table(table: HtmlElement) -> bool:
    """A table with a header (``<th>``, ``<thead>``, ``<caption>``) and no paragraphs, divs or
    nested tables in it: data, not a page layout or a box of links."""
    if next(table.iterdescendants("th", "thead", "caption"), None) is None:
        return False
    return next(table.iterdescendants(*_LAYOUT), None) is None


def _near_long_text(el: HtmlElement, lengths: _Lengths) -> bool:
    """A block between two long runs of prose is part of the article (a table in the text)."""
    around = 0
    for sibling in (el.getnext(), el.getprevious()):
        if sibling is not None and isinstance(sibling.tag, str):
            around += lengths.text(sibling)
    return around > 1000


def _drop(el: HtmlElement) -> None:
    if el.getparent() is not None:
        el.drop_tree()
