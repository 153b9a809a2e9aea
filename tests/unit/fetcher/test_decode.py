"""Decoding response bodies: the right charset when we can tell, never an exception."""

import codecs
import random

import pytest

from devoured_fetcher.decode import charset_of, decode_body

CAFE = "Café “quoted” – naïve"


def test_header_charset_wins() -> None:
    body = "<p>café</p>".encode("iso-8859-1")
    assert decode_body("text/html; charset=ISO-8859-1", body) == "<p>café</p>"


def test_header_charset_may_be_quoted() -> None:
    body = "<p>café</p>".encode("iso-8859-1")
    assert decode_body('text/html; charset="iso-8859-1"', body) == "<p>café</p>"


def test_header_beats_meta_declaration() -> None:
    body = '<meta charset="iso-8859-1"><p>café</p>'.encode()
    assert decode_body("text/html; charset=utf-8", body).endswith("<p>café</p>")


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (b"\xfe\xff", "utf-16-be")],
)
def test_bom_selects_encoding_and_is_removed(bom: bytes, encoding: str) -> None:
    text = decode_body("text/html", bom + CAFE.encode(encoding))
    assert text == CAFE


def test_meta_charset_is_used_without_header() -> None:
    body = b'<html><head><meta charset="windows-1252"></head><p>\x93hi\x94 caf\xe9</p>'
    assert "“hi” café" in decode_body("text/html", body)


def test_http_equiv_meta_charset_is_used() -> None:
    body = (
        b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>na\xefve</p>'
    )
    assert "naïve" in decode_body(None, body)


def test_xml_declaration_encoding_is_used() -> None:
    body = '<?xml version="1.0" encoding="iso-8859-1"?><rss><title>café</title></rss>'
    assert "café" in decode_body("application/rss+xml", body.encode("iso-8859-1"))


def test_default_is_utf8() -> None:
    assert charset_of(None, b"<p>plain</p>") == "utf-8"
    assert decode_body(None, CAFE.encode()) == CAFE


def test_unknown_header_charset_falls_through_to_meta() -> None:
    body = b'<meta charset="iso-8859-1"><p>caf\xe9</p>'
    assert charset_of("text/html; charset=x-klingon", body) == "iso-8859-1"
    assert "café" in decode_body("text/html; charset=x-klingon", body)


def test_unknown_charset_everywhere_falls_back_to_utf8() -> None:
    body = '<meta charset="no-such-charset"><p>café</p>'.encode()
    assert decode_body("text/html; charset=bogus", body).endswith("<p>café</p>")


def test_lying_header_replaces_bad_bytes_instead_of_raising() -> None:
    body = "café au lait".encode("iso-8859-1")
    text = decode_body("text/html; charset=utf-8", body)
    assert text == "caf\ufffd au lait"


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "",
        "text/html",
        "text/html; charset=utf-8",
        "text/html; charset=utf-16",
        "text/html; charset=shift_jis",
        "text/html; charset=ascii",
    ],
)
def test_arbitrary_bytes_never_raise(content_type: str | None) -> None:
    rng = random.Random(1234)
    for size in (1, 2, 3, 17, 256, 4097):
        body = bytes(rng.randrange(256) for _ in range(size))
        assert isinstance(decode_body(content_type, body), str)


def test_truncated_multibyte_sequence_is_replaced() -> None:
    assert decode_body("text/plain; charset=utf-8", "é".encode()[:1]) == "\ufffd"


@pytest.mark.parametrize("charset", ["hex", "base64", "rot13", "zlib", "idna"])
def test_non_text_codec_names_never_raise(charset: str) -> None:
    assert decode_body(f"text/html; charset={charset}", b"<p>caf\xc3\xa9</p>") == "<p>café</p>"
