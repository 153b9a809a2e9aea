"""Structure of the extracted text: headings and paragraphs one per line, lists, code, tables."""

from devoured_extractor.extract import extract

WORDS = "The harbour council kept its tidal turbines running through the winter storms."


def test_structure_is_kept_line_by_line() -> None:
    html = (
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Turbines</h1>"
        f"<p>{WORDS} {WORDS}</p><h2>How it works</h2><ul><li>Blades turn slowly</li>"
        f"<li>Power flows <b>ashore</b></li></ul><blockquote><p>{WORDS}</p></blockquote>"
        "<pre><code>def spin(rotor):\n    return rotor.speed * 2</code></pre>"
        "<table><tr><th>Site</th><th>MW</th></tr><tr><td>North</td><td>12</td></tr></table>"
        f"<p>{WORDS}<br>{WORDS}</p><p><strong>Read more:</strong> <a href='/x'>Another "
        "story about the council and its plans</a></p></article></body></html>"
    )
    assert extract(html).text.splitlines() == [
        f"{WORDS} {WORDS}",
        "How it works",
        "- Blades turn slowly",
        "- Power flows ashore",
        WORDS,
        "def spin(rotor):",
        "    return rotor.speed * 2",
        "| Site | MW |",
        "| North | 12 |",
        f"{WORDS} {WORDS}",
    ]


def test_text_in_br_separated_divs_falls_back_and_is_found() -> None:
    runs = "<br><br>".join(f"{WORDS} Part {i}." for i in range(8))
    html = f"<html><body><div class='x'><div>{runs}</div></div></body></html>"
    text = extract(html).text
    assert "Part 0." in text
    assert "Part 7." in text


def test_article_split_across_sibling_sections_stays_whole() -> None:
    sections = "".join(
        f"<section><p>{WORDS} Section {i}.</p><p>{WORDS}</p></section>" for i in range(4)
    )
    related = "<section class='related'><p><a href='/r'>Some other story entirely</a></p></section>"
    html = f"<html><body><div id='story'>{sections}{related}</div></body></html>"
    text = extract(html).text
    assert all(f"Section {i}." in text for i in range(4))
    assert "Some other story" not in text


def test_hidden_elements_and_layout_tables() -> None:
    hidden = (
        "<div style='display: none'><p>Invisible consent template text that nobody sees.</p></div>"
    )
    body = "".join(f"<p>{WORDS} Row {i}.</p>" for i in range(3))
    html = (
        f"<html><body><table><tr><td><a href='/'>Home</a></td></tr><tr><td>{body}{hidden}"
        "</td></tr></table></body></html>"
    )
    text = extract(html).text
    assert text.splitlines() == [f"{WORDS} Row {i}." for i in range(3)]
