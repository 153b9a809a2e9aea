"""Boilerplate removal: page furniture pruned from the tree, leftover junk lines from the text.

Pruning goes by tag, by ARIA role and by whole words in class/id names (``share-tools`` and
``social_share`` both contain the word ``share``; ``shareholder`` does not). A node is never
pruned when it holds most of the page's text, so a ``<body class="has-comments">``
cannot take the article with it.
"""

import re

from lxml import etree
from lxml.html import HtmlElement

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "form",
    "button",
    "select",
    "textarea",
    "nav",
    "footer",
    "aside",
    "dialog",
    "canvas",
)
_DROP_ROLES = frozenset(
    {
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "dialog",
        "alertdialog",
        "search",
        "menu",
        "menubar",
    }
)
_DROP_WORDS = frozenset(
    """cookie cookies consent gdpr cmp privacy newsletter newsletters subscribe subscription
    signup paywall piano meter share sharing sharebar social related recommended recirculation
    more-stories also-read outbrain taboola comments comment discussion responses disqus
    advert advertisement ad ads adslot dfp sponsored promo cta widget sidebar breadcrumb
    breadcrumbs nav navbar navigation menu footer masthead toolbar byline bio author-bio
    contributor tags topics keywords pagination pager toc popup modal overlay banner print
    skip jump rail trending popular mostread most-read""".split()
)
PROSE_GUARD_CHARS = 1500
"""Paragraph text (in 80+ character paragraphs, few links) that a block must hold for its class
name alone not to prune it: ``share_wrapper`` or ``tag-branding`` around a whole article."""
COPYRIGHT_WORDS = 12
"""A line opening with "©", "(c)" or "Copyright" is a notice if it has at most this many words
(longer ones are sentences about copyright); one saying "all rights reserved" always is."""
_COMMENTS = re.compile(r"comment|disqus", re.IGNORECASE)
_ATTRIBUTED = etree.XPath(".//*[@class or @id or @role or @aria-hidden or @hidden or @style]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_SPLIT = re.compile(r"[\s_\-]+")
_JUNK_LINE = re.compile(
    r"^(?:advertisement|advertising|sponsored( content)?|read more\b.*|related:.*|see also:.*|"
    r"share (this|on|via)\b.*|copy link|follow us\b.*|sign up\b.{0,80}|subscribe\b.{0,80}|"
    r"(click|tap) here\b.{0,80}|photo:.{0,80}|image:.{0,80}|credit:.{0,80}|"
    r"(we|this (site|website)) use[s]? cookies\b.*|accept (all )?cookies.*|"
    r"(\d+ )?comments?|reply|back to top|continue reading.{0,40}|"
    r"recommended( for you)?|most (read|popular)|you may also like.*|"
    r"this article is for subscribers only.*|already a subscriber\?.*|"
    # bylines: "By Ana Lima", "BY ANA LIMA and Tom Berg" (capitalised names only)
    r"(?-i:[Bb][Yy]:? [A-Z][\w'’-]+(?: [A-Z][\w'’.-]*){0,3}"
    r"(?:,? and [A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3})?)|"
    # date lines: "Updated 3 March 2026", "March 3, 2026", "10:45 am EST"
    r"(published|updated|posted|last modified)( on| at)?:? .{0,12}\d.{0,50}|"
    r"\d{1,2}:\d{2}\s*(am|pm)?(\s+[a-z]{2,4})?|\w+ \d{1,2}, \d{4}|\d{1,2} \w+ \d{4}|"
    r"\d+ min(ute)?s? read|"
    # the same furniture on German, French, Spanish, Italian, Portuguese, Polish, Dutch pages
    r"anzeige|werbung|publicit[ée]|publicidad[e]?|pubblicit[àa]|reklama|advertentie|"
    r"nach oben|zur[üu]ck( zur [\w-]+( \w+)?)?|retour en haut|volver arriba|torna su|"
    r"(artikel )?teilen|partager|compartir|condividi|compartilhe|udost[eę]pnij|"
    r"(mehr zum thema|weitere (informationen|artikel|nachrichten|themen)|"
    r"weiterf[üu]hrende (informationen|links)|das k[öo]nnte (sie|dich) auch interessieren|"
    r"lesen sie (auch|mehr)|auch interessant|zum weiterlesen|"
    r"(à )?lire aussi|voir aussi|sur le m[êe]me sujet|le[ae] tambi[ée]n|te puede interesar|"
    r"noticias relacionadas|leggi anche|potrebbe interessarti|leia (tamb[ée]m|mais)|"
    r"veja tamb[ée]m|czytaj (te[zż]|tak[zż]e|r[oó]wnie[zż])|zobacz (te[zż]|tak[zż]e|r[oó]wnie[zż])|"
    r"lees ook)\b.{0,80}|"
    r"(die )?meistgelesen(en?)?( artikel)?|schlagw[öo]rte(r)?:?.{0,120}|"
    r"kommentare?( \(\d+\))?|commentaires?|comentarios?|commenti|coment[áa]rios|komentarze|"
    r"(foto|fotos|bild|bildquelle|cr[ée]dit[os]?|cr[ée]dito|zdj[eę]cie):.{0,80}|"
    r"[üu]ber (den|die) autor(in)?|zur person|"
    r"(ver[öo]ffentlicht|erstellt|aktualisiert)( am)?:? .{0,12}\d.{0,40}|"
    r"(publi[ée]|mis [àa] jour)( le)?:? .{0,12}\d.{0,40}|"
    # German bylines: "Von Anna Lang", "VON ANNA LANG" (capitalised names only)
    r"(?-i:[Vv](?:on|ON):? [A-ZÄÖÜ][\w'’-]+(?: [A-ZÄÖÜ][\w'’.-]*){0,3}))$",
    re.IGNORECASE,
)


def prune(tree: HtmlElement) -> None:
    """Remove page furniture from ``tree`` in place."""
    body = tree.find("body")
    root = body if body is not None else tree
    total = len(root.text_content()) or 1
    visible = _visible_chars(root) or 1
    # Only tagged-for-dropping elements and those with attributes can be furniture; asking
    # libxml2 for just those skips the many bare <p>, <a> and <li> in Python.
    candidates = [*root.iter(*_DROP_TAGS), *_ATTRIBUTED(root)]
    doomed = [el for el in candidates if _is_furniture(el)]
    for el in doomed:
        if el.getparent() is None or _holds_article(el, total):
            continue
        if el.tag == "form" and _visible_chars(el) > visible * 0.5:
            continue  # an ASP.NET page: one <form> around everything
        if not _by_tag(el) and _holds_prose(el):
            continue
        el.drop_tree()


def _visible_chars(root: HtmlElement) -> int:
    """Characters of text a reader could see: the page's, minus scripts and style sheets (an
    ASP.NET ``<form>`` wrapping the whole page must not look small next to its inline scripts)."""
    hidden = sum(len(el.text or "") for el in root.iter("script", "style", "template"))
    return len(root.text_content()) - hidden


def _by_tag(el: HtmlElement) -> bool:
    """Furniture by tag, role or visibility: certain, whatever the element holds."""
    return (
        el.tag in _DROP_TAGS
        or el.get("role", "").lower() in _DROP_ROLES
        or el.get("aria-hidden") == "true"
        or el.get("hidden") is not None
        or bool(_HIDDEN_STYLE.search(el.get("style", "")))
    )


def _holds_prose(el: HtmlElement) -> bool:
    """A class name alone does not condemn a block of prose: ``share_wrapper`` or
    ``tag-branding`` around the whole article, Blogger's ``widget Blog`` around posts written
    as ``<br>``-separated spans (runs of 80+ characters straight in a div count as prose).
    Comment threads stay furniture."""
    names = f"{el.get('class', '')} {el.get('id', '')}"
    if _COMMENTS.search(names):
        return False
    prose = 0
    for p in el.iter("p"):
        text = p.text_content()
        if len(text) >= 80:
            links = sum(len(a.text_content()) for a in p.iter("a"))
            if links < len(text) * 0.3:
                prose += len(text)
                if prose >= PROSE_GUARD_CHARS:
                    return True
    for div in el.iter("div"):
        own = _own_text(div)
        if len(own) >= 80:  # a post body written as <br>-separated spans, no <p> at all
            prose += len(own)
            if prose >= PROSE_GUARD_CHARS:
                return True
    return False


_BLOCKS = frozenset(
    "address article blockquote div dl figure h1 h2 h3 h4 h5 h6 ol p pre section table ul".split()
)


def _own_text(div: HtmlElement) -> str:
    """The text written into ``div`` itself: outside its block children and its direct links."""
    parts = [div.text or ""]
    for child in div:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in _BLOCKS and tag != "a":
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _is_furniture(el: HtmlElement) -> bool:
    if _attribution(el):
        return False
    if el.tag in _DROP_TAGS:
        return True
    if el.get("role", "").lower() in _DROP_ROLES or el.get("aria-hidden") == "true":
        return True
    if el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style", "")):
        return True  # invisible to readers: consent templates, off-screen menus
    if el.tag in ("body", "html", "article", "main", "p", "h1", "h2", "h3", "li"):
        return False
    names = f"{el.get('class', '')} {el.get('id', '')}".lower()
    if not names.strip():
        return False
    if "hidden" in (el.get("class") or "").lower().split():
        return True  # a class that only hides: the second copy of a story kept for scripts
    if _COMMENTS.search(names):
        return True  # commentText, commentlist, dsq-comments: reader comments, not the article
    words = set(_SPLIT.split(names))
    return not words.isdisjoint(_DROP_WORDS) or any(n in _DROP_WORDS for n in names.split())


def _attribution(el: HtmlElement) -> bool:
    """The source line of a quotation: a ``<footer>``/``<cite>`` inside a ``<blockquote>``, or the
    ``<figcaption>`` of a ``<figure>`` that holds one."""
    if el.tag in ("footer", "cite", "figcaption"):
        parent = el.getparent()
        if parent is not None and parent.tag == "blockquote":
            return True
        if el.tag == "figcaption" and parent is not None and parent.tag == "figure":
            return parent.find("blockquote") is not None
    return False


def _holds_article(el: HtmlElement, total: int) -> bool:
    if el.tag in _DROP_TAGS and el.tag not in ("aside", "footer", "nav", "form"):
        return False
    if el.find(".//article") is not None or el.find(".//main") is not None:
        return True
    return len(el.text_content()) > total * 0.5


_COPYRIGHT_START = re.compile(r"(copyright|©|\(c\))", re.IGNORECASE)
_ALL_RIGHTS = re.compile(r"\ball rights reserved\b", re.IGNORECASE)


def _copyright(line: str) -> bool:
    """A copyright notice: "© 2008 AAP", "Copyright (c) Press Association Ltd. 2008, All Rights
    Reserved"; a sentence about copyright (more than ``COPYRIGHT_WORDS`` words) is not one."""
    if _ALL_RIGHTS.search(line):
        return True
    return bool(_COPYRIGHT_START.match(line)) and len(line.split()) <= COPYRIGHT_WORDS


def clean_lines(text: str) -> str:
    """Drop junk lines (share prompts, ad labels, read-more links) and squeeze whitespace.

    Code between ````` fences is kept as it is: indentation and all, junk-looking or not.
    """
    kept = []
    in_code = False
    for raw in text.splitlines():
        if raw.strip() == "```":
            in_code = not in_code
            kept.append("```")
            continue
        if in_code:
            if raw.strip():
                kept.append(raw.rstrip())
            continue
        line = " ".join(raw.split()) if not raw.startswith((" ", "\t")) else raw.rstrip()
        if not line.strip():
            continue
        if len(line) < 200 and _JUNK_LINE.match(line.lstrip("-•*> ").strip()):
            continue
        if len(line) < 200 and _copyright(line):
            continue
        kept.append(line)
    return "\n".join(kept)
