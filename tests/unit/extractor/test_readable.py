"""The article finder (``readable``) and the pruning rules it leans on, on our own pages."""

from devoured_extractor.extract import extract

PROSE = (
    "The harbour council kept its tidal turbines running through the winter storms, and the "
    "engineers say the blades, the bearings and the cables all held up better than expected."
)


def _paragraphs(tag: str, n: int = 4) -> str:
    return "".join(f"<p>{PROSE} ({tag} {i})</p>" for i in range(n))


def test_a_share_class_around_the_whole_article_does_not_prune_it() -> None:
    # the article is under half the page's text, so only the prose guard can save the wrapper
    legal = "".join(f"<div>Harbour notice {i}</div>" for i in range(150))
    html = (
        "<html><body><nav><a href='/'>Home</a></nav>"
        f"<div class='share_wrapper'><h1>Turbines</h1>{_paragraphs('body', 10)}</div>"
        f"<div class='legal'>{legal}</div>"
        "<div class='share'><a href='/fb'>Share on Facebook</a></div></body></html>"
    )
    text = extract(html).text
    assert "(body 0)" in text
    assert "(body 9)" in text
    assert "Share on Facebook" not in text
    assert "Harbour notice" not in text


def test_reader_comments_inside_the_content_block_are_dropped() -> None:
    comments = "".join(
        f"<div class='commentText'><p>I think the council is wrong about turbine {i}, and "
        "the harbour deserves a proper public debate first.</p></div>"
        for i in range(3)
    )
    html = f"<html><body><div class='content'>{_paragraphs('story')}{comments}</div></body></html>"
    text = extract(html).text
    assert "(story 3)" in text
    assert "public debate" not in text


def test_every_post_of_a_blog_page_is_kept() -> None:
    posts = "".join(
        f"<div class='post'><h2>Post {i}</h2><div class='entry-body'>{_paragraphs(f'post{i}', 2)}"
        f"</div><div class='entry-footer'><a href='/p{i}'>Permalink</a></div></div>"
        "<div class='ad-slot'><a href='/ad'>Buy turbines cheaply today</a></div>"
        for i in range(3)
    )
    html = f"<html><body><div id='main'>{posts}</div><div id='side'>Archives</div></body></html>"
    text = extract(html).text
    assert all(f"(post{i} 1)" in text for i in range(3))
    assert "Buy turbines" not in text


def test_a_box_of_links_inside_the_article_goes_and_a_data_table_stays() -> None:
    links = "".join(
        f"<li><a href='/s{i}'>Another turbine story number {i}</a></li>" for i in range(5)
    )
    table = (
        "<table><tr><th>Site</th><th>MW</th></tr><tr><td><a href='/n'>North</a></td>"
        "<td>12</td></tr></table>"
    )
    html = (
        f"<html><body><article>{_paragraphs('a', 3)}<div class='box'><ul>{links}</ul></div>"
        f"{table}{_paragraphs('b', 3)}</article></body></html>"
    )
    text = extract(html).text
    assert "Another turbine story" not in text
    assert "| Site | MW |" in text
    assert "| North | 12 |" in text
