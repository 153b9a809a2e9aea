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
        f"> {WORDS}",
        "```",
        "def spin(rotor):",
        "    return rotor.speed * 2",
        "```",
        "| Site | MW |",
        "| --- | --- |",
        "| North | 12 |",
        f"{WORDS} {WORDS}",
    ]


def _article(inner: str) -> str:
    prose = "".join(f"<p>{WORDS} Paragraph {i}.</p>" for i in range(3))
    return f"<html><body><article><h1>Turbines</h1>{prose}{inner}{prose}</article></body></html>"


def test_shell_comments_in_code_stay_inside_a_fence() -> None:
    code = "# install the tools\napt-get install tidal\n\n# then run it\n  tidal --run"
    lines = extract(_article(f"<pre>{code}</pre>")).text.splitlines()
    start = lines.index("```")
    end = lines.index("```", start + 1)
    assert lines[start + 1 : end] == [
        "# install the tools",
        "apt-get install tidal",
        "# then run it",
        "  tidal --run",
    ]
    # every line that starts with "#" is inside a fence, so no Markdown reader sees a heading
    assert all(start < i < end for i, line in enumerate(lines) if line.startswith("#"))


def test_short_code_in_a_wrapper_div_is_kept() -> None:
    code = "<div class='highlight'><pre><code>ls -la</code></pre></div>"
    lines = extract(_article(code)).text.splitlines()
    assert lines[lines.index("ls -la") - 1 : lines.index("ls -la") + 2] == ["```", "ls -la", "```"]


def test_table_has_a_header_separator_and_ragged_rows_are_padded() -> None:
    table = (
        "<table><tr><th>Site</th><th>MW</th><th>Year</th></tr>"
        "<tr><td>North | East</td><td>12</td></tr></table>"
    )
    lines = extract(_article(table)).text.splitlines()
    start = lines.index("| Site | MW | Year |")
    assert lines[start + 1 : start + 3] == ["| --- | --- | --- |", "| North \\| East | 12 | |"]


def test_block_quote_keeps_its_attribution() -> None:
    quote = (
        "<blockquote><p>The tide does not wait for the council, and neither do we.</p>"
        "<footer>— Mira Holm, <cite>harbour engineer</cite></footer></blockquote>"
        "<figure><blockquote><p>Power from the sea is the oldest new idea.</p></blockquote>"
        "<figcaption>Jonas Berg, turbine maker</figcaption></figure>"
    )
    lines = extract(_article(quote)).text.splitlines()
    assert "> The tide does not wait for the council, and neither do we." in lines
    assert "> — Mira Holm, harbour engineer" in lines
    assert "> Power from the sea is the oldest new idea." in lines
    assert "> Jonas Berg, turbine maker" in lines


def test_figure_captions_are_kept_but_bare_photo_credits_are_dropped() -> None:
    figure = (
        "<figure><img src='x.jpg'><figcaption>The new turbine hall at the harbour, seen from "
        "the north quay</figcaption></figure>"
        "<figure><img src='y.jpg'><figcaption>Photo: the harbour at dawn</figcaption></figure>"
    )
    text = extract(_article(figure)).text
    assert "The new turbine hall at the harbour, seen from the north quay" in text
    assert "harbour at dawn" not in text


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


def test_copyright_lines_are_dropped_but_prose_about_copyright_is_not() -> None:
    notes = (
        "<p>Copyright (c) Harbour News Ltd. 2026, All Rights Reserved.</p>"
        "<p>© 2026 Harbour News</p>"
        "<p>Copyright law, the council said, does not cover the turbine designs that the "
        "engineers published openly last year, and anyone may build them.</p>"
    )
    text = extract(_article(notes)).text
    assert "Harbour News" not in text
    assert "Copyright law, the council said" in text
