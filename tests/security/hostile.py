"""Hostile inputs, generated in code (written for this project; no third-party text).

Each generator returns small documents; the tests run them through the real code paths.
"""

from dataclasses import dataclass

# --- encodings -----------------------------------------------------------------------------

_BOMS = {
    "utf-16-le": b"\xff\xfe",
    "utf-16-be": b"\xfe\xff",
    "utf-32-le": b"\xff\xfe\x00\x00",
    "utf-32-be": b"\x00\x00\xfe\xff",
}


@dataclass(frozen=True)
class Encoding:
    codec: str
    bom: bool

    @property
    def id(self) -> str:
        return f"{self.codec}{'-bom' if self.bom else ''}"

    @property
    def declared(self) -> str:
        return self.codec.rsplit("-", 1)[0] if self.codec.count("-") == 2 else self.codec

    def encode(self, template: str) -> bytes:
        """``template`` with ``{enc}`` filled in, encoded (with its byte-order mark)."""
        text = template.replace("{enc}", self.declared)
        return (_BOMS[self.codec] if self.bom else b"") + text.encode(self.codec)


ENCODINGS = [
    Encoding("utf-8", False),
    *(
        Encoding(c, bom)
        for c in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
        for bom in (True, False)
    ),
]

# --- XML documents -------------------------------------------------------------------------

_LAUGHS = '<!ENTITY a "ha">' + "".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
)
DTDS = {
    # name: (internal DTD, the reference that uses it)
    "billion-laughs": (f"<!DOCTYPE r [{_LAUGHS}]>", "&j;"),
    "quadratic-blowup": (f'<!DOCTYPE r [<!ENTITY q "{"Q" * 20_000}">]>', "&q;" * 2_000),
    "external-file": ('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>', "&x;"),
    "external-http": ('<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>', "&x;"),
    "parameter-entity": (
        '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>',
        "x",
    ),
    "lowercase-doctype-entity": ('<!doctype r [<!entity l "lol">]>', "&l;"),
}

KINDS = {
    "rss": (
        '<?xml version="1.0" encoding="{enc}"?>{dtd}<rss version="2.0"><channel><title>T</title>'
        "<item><title>{ref}</title><link>https://a.test/x</link></item></channel></rss>"
    ),
    "atom": (
        '<?xml version="1.0" encoding="{enc}"?>{dtd}<feed xmlns="http://www.w3.org/2005/Atom">'
        '<title>T</title><entry><title>{ref}</title><link href="https://a.test/x"/></entry></feed>'
    ),
    "opml": (
        '<?xml version="1.0" encoding="{enc}"?>{dtd}<opml version="2.0"><body>'
        '<outline text="{ref}" xmlUrl="https://a.test/feed"/></body></opml>'
    ),
    "sitemap": (
        '<?xml version="1.0" encoding="{enc}"?>{dtd}'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://a.test/{ref}</loc></url></urlset>"
    ),
}


def xml_document(kind: str, attack: str | None) -> str:
    """A ``kind`` document (template with ``{enc}``) carrying ``attack`` (a key of DTDS)."""
    dtd, ref = DTDS[attack] if attack else ("", "x")
    return KINDS[kind].replace("{dtd}", dtd).replace("{ref}", ref)


def deep_document(kind: str, depth: int) -> bytes:
    """A ``kind`` document whose entry is wrapped ``depth`` levels deep."""
    open_, close = "<x>" * depth, "</x>" * depth
    outlines, end = '<outline text="c">' * depth, "</outline>" * depth
    leaf = '<outline text="f" xmlUrl="https://a.test/f"/>'
    inner = {
        "rss": f"<rss version='2.0'><channel>{open_}<item><link>https://a.test/d</link></item>"
        f"{close}</channel></rss>",
        "opml": f"<opml><body>{outlines}{leaf}{end}</body></opml>",
        "sitemap": f"<urlset>{open_}<url><loc>https://a.test/d</loc></url>{close}</urlset>",
    }[kind]
    return inner.encode()


def huge_feed(items: int) -> bytes:
    """An RSS feed of ``items`` entries with long titles."""
    entries = "".join(
        f"<item><title>{'t' * 200} {i}</title><link>https://a.test/{i}</link></item>"
        for i in range(items)
    )
    return f"<rss version='2.0'><channel><title>T</title>{entries}</channel></rss>".encode()


# --- page text -----------------------------------------------------------------------------

CONTROL_TITLES = {
    "soh": "Ferry\x01 trial",
    "nul": "Ferry\x00 trial",
    "esc-bell": "Ferry\x1b[31m\x07 trial",
    "vertical-tab-form-feed": "Ferry\x0b\x0c trial",
    "lone-surrogate": "Ferry\ud800 trial",
    "non-characters": "Ferry\ufffe\uffff trial",
    "all-c0": "Ferry" + "".join(map(chr, range(0x20))) + "trial",
}
