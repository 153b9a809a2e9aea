"""The article finder (``readable``) and the pruning rules it leans on, on our own pages."""

from devoured_extractor.boilerplate import prune
from devoured_extractor.extract import extract
from devoured_extractor.parse import parse_html

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


def test_an_aspnet_form_around_the_whole_page_is_not_pruned() -> None:
    # inline scripts make the page's raw text long; the form still holds all that readers see
    script = "<script>var state = '" + "x" * 20000 + "';</script>"
    html = (
        f"<html><body>{script}<form id='aspnetForm'>{script}"
        f"<div class='story'>{_paragraphs('form')}</div></form></body></html>"
    )
    tree = parse_html(html)
    prune(tree)
    assert "(form 3)" in tree.text_content()


def test_a_feature_list_of_links_with_descriptions_is_kept() -> None:
    items = "".join(
        f"<li><a href='/f{i}'>Feature {i}: the tidal blade inspector</a> lets the harbour crew "
        "check every turbine blade from the quay, with readings each minute.</li>"
        for i in range(5)
    )
    menu = "".join(f"<li><a href='/m{i}'>Menu entry {i}</a></li>" for i in range(5))
    html = (
        "<html><body><div class='content'>"
        f"{_paragraphs('intro', 3)}<ul class='features'>{items}</ul>"
        f"<ul class='links'>{menu}</ul></div></body></html>"
    )
    text = extract(html).text
    assert "Feature 4: the tidal blade inspector lets the harbour crew" in text
    assert "Menu entry" not in text


def test_a_story_split_in_two_blocks_of_the_same_class_is_kept_whole() -> None:
    first = f"<p>{PROSE} (part one 0)</p>"
    html = (
        "<html><body><div id='main'>"
        f"<div class='article_body'>{first}</div><div class='ad'>Buy turbines</div>"
        f"<div class='article_body'>{_paragraphs('part two', 12)}</div>"
        "</div></body></html>"
    )
    text = extract(html).text
    assert "(part one 0)" in text
    assert "(part two 11)" in text


def test_a_post_list_keeps_weaker_posts_in_the_same_slot_but_not_comment_threads() -> None:
    posts = "".join(
        f"<div class='post'><h2>Post {i}</h2><div class='entry-content'>"
        f"<div class='entry-body'>{_paragraphs(f'post {i}', 12 if i == 0 else 1)}</div></div></div>"
        for i in range(3)
    )
    comments = (
        "<div class='entry-content'><div class='entry-body'><h3>Comments</h3>"
        f"<p>{PROSE} (reader remark)</p>" * 1 + "</div></div>"
    )
    html = f"<html><body><div id='posts'>{posts}</div><div id='talk'>{comments}</div></body></html>"
    text = extract(html).text
    assert "(post 0 11)" in text
    assert "(post 2 0)" in text
    assert "reader remark" not in text


def test_a_blogger_post_written_without_paragraphs_survives_the_widget_class() -> None:
    runs = "".join(f"<span>{PROSE} (run {i})</span><br><br>" for i in range(12))
    legal = "".join(f"<div>Harbour notice {i}</div>" for i in range(200))
    html = (
        "<html><body><div class='widget Blog'><div class='post-body'>"
        f"{runs}</div></div><div class='legal'>{legal}</div></body></html>"
    )
    text = extract(html).text
    assert "(run 0)" in text
    assert "(run 11)" in text


def test_posts_without_content_like_names_are_gathered_from_the_same_slot() -> None:
    posts = "".join(
        f"<div class='daybox'><h3>Day {i}</h3><div class='img'>"
        f"{_paragraphs(f'day {i}', 6 - i)}</div></div>"
        for i in range(3)
    )
    html = (
        f"<html><body><div id='blog'>{posts}</div>"
        "<div class='box'><div class='img'><p>Teaser with a short line.</p></div></div>"
        "</body></html>"
    )
    text = extract(html).text
    assert "(day 0 0)" in text
    assert "(day 2 3)" in text
    assert "Teaser with a short line" not in text


def test_a_lead_paragraph_in_its_own_div_beside_the_story_is_kept() -> None:
    lead = (
        "The harbour turbines produced a record amount of power this winter, the council said "
        "on Monday, and more are planned."
    )
    html = (
        f"<html><body><div id='box1'><div class='firstpara'>{lead}</div>"
        f"<div class='story-body'>{_paragraphs('rest', 6)}</div>"
        "<div class='note'>Short note.</div></div></body></html>"
    )
    text = extract(html).text
    assert "record amount of power" in text
    assert "(rest 5)" in text


def test_a_related_block_inside_the_article_is_dropped() -> None:
    related = "".join(
        f"<p><a href='/r{i}'>Older story {i}</a>: the harbour council, the engineers and the "
        "fishermen argued for years about where the first tidal turbines should go.</p>"
        for i in range(3)
    )
    html = (
        "<html><body><div class='content'>"
        f"{_paragraphs('story', 5)}<div id='jp-relatedposts'><h3>Related</h3>{related}</div>"
        "</div></body></html>"
    )
    text = extract(html).text
    assert "(story 4)" in text
    assert "Older story" not in text
    assert "Related" not in text.splitlines()


def test_a_copy_of_the_story_in_a_hidden_class_is_dropped() -> None:
    html = (
        "<html><body><article>"
        f"<div class='story hidden'><p>{PROSE} (hidden copy)</p></div>"
        f"<div class='story'>{_paragraphs('shown', 4)}</div>"
        "</article></body></html>"
    )
    text = extract(html).text
    assert "(shown 3)" in text
    assert "(hidden copy)" not in text


def test_a_comment_count_link_atop_most_of_the_story_does_not_drop_it() -> None:
    html = (
        f"<html><body><div class='story'>{_paragraphs('top', 2)}"
        f"<div class='more'><a href='#talk'>3 Comments</a>{_paragraphs('rest', 6)}</div>"
        "</div></body></html>"
    )
    text = extract(html).text
    assert "(top 1)" in text
    assert "(rest 5)" in text


GERMAN = (
    "Der Hafenrat ließ seine Gezeitenturbinen den ganzen Winter laufen, und die Ingenieure "
    "sagen, die Flügel, die Lager und die Kabel hätten besser gehalten als erwartet."
)


def test_furniture_lines_of_other_languages_are_dropped() -> None:
    paragraphs = "".join(f"<p>{GERMAN} ({i})</p>" for i in range(4))
    html = (
        "<html lang='de'><body><div class='content'><p>Von Anna Lang</p>"
        "<p>Veröffentlicht am 3. März 2026</p>"
        f"{paragraphs}<p>Foto: Hafenamt Kiel</p><p>Anzeige</p><p>Reklama</p><p>nach oben</p>"
        "<p>Das könnte Sie auch interessieren:</p><p>Über den Autor</p>"
        "<p>Czytaj także: Turbiny w Gdańsku</p><p>À lire aussi</p></div></body></html>"
    )
    lines = extract(html).text.splitlines()
    assert lines == [f"{GERMAN} ({i})" for i in range(4)]


def test_a_sentence_that_opens_like_furniture_stays() -> None:
    keep = (
        "Weitere Informationen zum Umbau des Hafens legte der Rat erst im Frühjahr vor, "
        "nachdem die Ingenieure ihre Messungen aus dem Winter ausgewertet hatten."
    )
    paragraphs = "".join(f"<p>{GERMAN} ({i})</p>" for i in range(4))
    html = (
        f"<html lang='de'><body><div class='content'>{paragraphs}<p>{keep}</p></div></body></html>"
    )
    assert keep in extract(html).text


def test_a_related_block_in_german_inside_the_article_is_dropped() -> None:
    related = "".join(
        f"<p><a href='/r{i}'>Ältere Meldung {i}</a>: der Hafenrat, die Ingenieure und die "
        "Fischer stritten jahrelang darüber, wo die ersten Turbinen stehen sollten.</p>"
        for i in range(3)
    )
    paragraphs = "".join(f"<p>{GERMAN} ({i})</p>" for i in range(5))
    html = (
        "<html lang='de'><body><div class='content'>"
        f"{paragraphs}<div class='box'><h3>Das könnte Sie auch interessieren</h3>{related}</div>"
        "</div></body></html>"
    )
    text = extract(html).text
    assert f"{GERMAN} (4)" in text
    assert "Ältere Meldung" not in text
