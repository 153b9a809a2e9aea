"""Render an article container as text: one line per heading or paragraph, ``- `` list items,
code verbatim between ````` fences, table rows as ``| a | b |`` with a ``| --- |`` separator
after the first (so Markdown renders them), block quotes as ``> `` lines with their
attribution (``<footer>``, ``<cite>``, the ``<figcaption>`` of the quote's figure).

It is a fraction of the cost of a general extractor because it trusts its input: ``readable``
has already chosen the container and ``boilerplate`` has pruned the furniture. What is left to
judge per block is link density: a short block that is mostly link text ("Read more: ...",
a list of tag links) is navigation, not prose.
"""

from lxml.html import HtmlElement

BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre table tr div section article main "
    "header figure details summary address center tbody thead tfoot td th footer "
    "figcaption".split()
)
_LAYOUT_MARKERS = ("p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "blockquote", "pre")
_LEAF_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd address summary".split())
_BLOCK_TUPLE = tuple(BLOCK_TAGS)
MAX_LINK_SHARE = 0.6
"""Blocks under ``LINKY_BLOCK_CHARS`` characters with more link text than this are dropped."""
LINKY_BLOCK_CHARS = 300


def render(container: HtmlElement) -> str:
    out: list[str] = []
    _block(container, out)
    return "\n".join(out)


FENCE = "```"
"""Opens and closes a code block in the text: a line of code is never read as Markdown (a shell
comment ``# ...`` is no heading)."""
QUOTE = "> "


def _block(el: HtmlElement, out: list[str]) -> None:
    tag = el.tag
    if tag == "pre":
        code = el.text_content().strip("\n")
        if code.strip():
            out.append(FENCE)
            out.extend(line.rstrip() for line in code.splitlines() if line.strip())
            out.append(FENCE)
        return
    if tag == "blockquote" or (tag == "figure" and el.find("blockquote") is not None):
        start = len(out)
        _mixed(el, out)
        out[start:] = [line if line.startswith(QUOTE) else QUOTE + line for line in out[start:]]
        return
    if tag == "table" and next(el.iterdescendants(*_LAYOUT_MARKERS), None) is None:
        out.extend(_table(el))  # a data table; one holding paragraphs is page layout
        return
    if tag in _LEAF_BLOCKS and next(el.iterdescendants(*_BLOCK_TUPLE), None) is None:
        _leaf(el, out, "- " if tag == "li" else "")
        return
    start = len(out)
    _mixed(el, out)
    if tag == "li" and len(out) > start and not out[start].startswith("- "):
        out[start] = "- " + out[start]


def _leaf(el: HtmlElement, out: list[str], prefix: str) -> None:
    for br in el.iter("br"):  # text_content() would glue the lines on either side together
        br.tail = " " + (br.tail or "")
    text = " ".join(el.text_content().split())
    if not text or _linky(el, text):
        return
    out.append(prefix + text)


def _linky(el: HtmlElement, text: str) -> bool:
    if len(text) >= LINKY_BLOCK_CHARS:
        return False
    links = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return links > len(text) * MAX_LINK_SHARE


def _mixed(el: HtmlElement, out: list[str]) -> None:
    """A container: inline runs between block children become paragraphs of their own."""
    run: list[str] = [el.text or ""]
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):  # comments and processing instructions
            run.append(child.tail or "")
            continue
        if tag in BLOCK_TAGS:
            _flush(run, out)
            _block(child, out)
        elif tag == "br":
            _flush(run, out)
        else:
            run.append(child.text_content())
        run.append(child.tail or "")
    _flush(run, out)


def _flush(run: list[str], out: list[str]) -> None:
    text = " ".join("".join(run).split())
    run.clear()
    if text:
        out.append(text)


def _table(table: HtmlElement) -> list[str]:
    """Markdown table rows; the first row is the header, followed by the separator row."""
    rows = []
    for tr in table.iter("tr"):
        cells = [
            " ".join(c.text_content().split()).replace("|", "\\|")
            for c in tr
            if c.tag in ("td", "th")
        ]
        if any(cells):
            rows.append(cells)
    if not rows:
        return []
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    lines.insert(1, "|" + " --- |" * width)
    return lines
