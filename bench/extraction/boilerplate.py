"""Boilerplate that real sites wrap around an article, varied in wording and markup.

Each helper returns HTML. Class names come in several spellings so that no single pattern
catches them all; the held-out layout uses none of them.
"""

import random

from bench.extraction.blocks import esc
from bench.extraction.prose import Prose

_SECTIONS = (
    "World",
    "Business",
    "Technology",
    "Science",
    "Climate",
    "Culture",
    "Opinion",
    "Sport",
    "Travel",
    "Podcasts",
    "Video",
    "Newsletters",
)
_COOKIE = (
    "We and our partners use cookies and similar technologies to store and access information "
    "on your device, to personalise content and ads, to provide social media features and to "
    "analyse our traffic. You can accept all cookies, reject non-essential ones or choose your "
    "preferences at any time by visiting the privacy settings linked at the bottom of every page.",
    "Your privacy matters to us. This website uses cookies to improve your browsing experience, "
    "measure audiences and show you relevant advertising. Some cookies are necessary for the "
    "site to work and cannot be switched off. By clicking accept, you agree to the storing of "
    "cookies on your device as described in our cookie policy.",
    "We value your privacy. With your consent, we and 143 vendors process personal data such as "
    "browsing behaviour and unique identifiers for the purposes of storing information on a "
    "device, personalised advertising, content measurement and product development.",
)
_NEWSLETTER = (
    (
        "Get the morning briefing",
        "Sign up for our free daily newsletter and get the stories "
        "that matter delivered to your inbox every weekday morning.",
    ),
    (
        "Never miss a story",
        "Join more than two hundred thousand readers who get our weekly "
        "digest of the best reporting, hand-picked by our editors.",
    ),
    (
        "Stay informed",
        "Subscribe to our newsletter for exclusive analysis, early access to "
        "investigations and invitations to reader events.",
    ),
)
_PAYWALL = (
    "This article is for subscribers only. Subscribe now for unlimited access to all our "
    "journalism, from just one euro for the first month. Already a subscriber? Log in.",
    "You have reached your limit of free articles this month. Support independent reporting "
    "and keep reading with a digital subscription. Cancel anytime.",
)


def pick(rng: random.Random, *names: str) -> str:
    return rng.choice(names)


def nav(prose: Prose) -> str:
    links = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in _SECTIONS)
    cls = pick(prose.rng, "main-nav", "site-navigation", "menu-primary", "topbar")
    return f'<nav class="{cls}"><ul>{links}</ul></nav>'


def cookie_banner(prose: Prose) -> str:
    r = prose.rng
    cls = pick(r, "cookie-banner", "cmp-container", "consent-modal", "gdpr-notice", "privacy-bar")
    text = "".join(f"<p>{t}</p>" for t in r.sample(_COOKIE, r.randint(1, 2)))
    return (
        f'<div class="{cls}" role="dialog"><h2>We care about your privacy</h2>{text}'
        "<button>Accept all</button><button>Reject all</button>"
        "<a href='/privacy'>Manage preferences</a></div>"
    )


def newsletter_box(prose: Prose) -> str:
    r = prose.rng
    head, body = r.choice(_NEWSLETTER)
    cls = pick(
        r, "newsletter-signup", "nl-inline", "subscribe-box", "promo-newsletter", "inline-cta"
    )
    return (
        f'<div class="{cls}"><h3>{head}</h3><p>{body}</p><form><input type="email" '
        'placeholder="Your email"><button>Sign up</button></form></div>'
    )


def read_more(prose: Prose) -> str:
    label = pick(prose.rng, "Read more:", "Related:", "See also:", "READ MORE")
    href = f"/story/{prose.rng.randint(1, 9999)}"
    return f'<p><strong>{label}</strong> <a href="{href}">{esc(prose.headline())}</a></p>'


def advert(prose: Prose) -> str:
    cls = pick(prose.rng, "ad-slot", "advert", "dfp-ad", "sponsored-unit")
    return f'<div class="{cls}"><span>Advertisement</span></div>'


def share_bar(prose: Prose) -> str:
    cls = pick(prose.rng, "share-tools", "social-share", "sharebar", "article-share")
    items = "".join(
        f'<a href="#">{s}</a> '
        for s in ("Share on Facebook", "Share on X", "Share via Email", "Copy link")
    )
    return f'<div class="{cls}">{items}</div>'


def figure(prose: Prose) -> str:
    credit = pick(
        prose.rng, "Photo: Agency pool", "Illustration by the graphics desk", "Image: handout"
    )
    image = f'<img src="/img/{prose.rng.randint(1, 999)}.jpg" alt="">'
    return f"<figure>{image}<figcaption>{credit}</figcaption></figure>"


def related_rail(prose: Prose, *, teasers: bool = True) -> str:
    r = prose.rng
    cls = pick(r, "related-articles", "more-stories", "rail", "recommended", "also-read")
    items = []
    for _ in range(r.randint(3, 6)):
        teaser = f"<p>{esc(prose.paragraph(1, 2))}</p>" if teasers else ""
        items.append(
            f'<div class="card"><h4><a href="/s/{r.randint(1, 9999)}">'
            f"{esc(prose.headline())}</a></h4>{teaser}</div>"
        )
    title = pick(r, "Related stories", "More from this section", "You may also like")
    return f'<aside class="{cls}"><h3>{title}</h3>{"".join(items)}</aside>'


def comments(prose: Prose) -> str:
    r = prose.rng
    count = r.randint(2, 6)
    cls = pick(r, "comments", "comment-list", "discussion", "responses")
    items = "".join(
        f'<li class="comment"><div class="comment-author">{prose.name()}</div>'
        f'<div class="comment-body"><p>{esc(prose.paragraph(1, 3))}</p></div>'
        '<a href="#" class="reply">Reply</a></li>'
        for _ in range(count)
    )
    return (
        f'<section id="{cls}" class="{cls}"><h3>{count} comments</h3><ol>{items}</ol>'
        "<form><textarea></textarea><button>Post comment</button></form></section>"
    )


def author_bio(prose: Prose, author: str) -> str:
    cls = pick(prose.rng, "author-bio", "about-author", "byline-box", "contributor")
    return (
        f'<div class="{cls}"><p>{author} is a correspondent covering cities, infrastructure '
        "and the people who keep them running. Follow them for more stories.</p></div>"
    )


def paywall(prose: Prose) -> str:
    cls = pick(prose.rng, "paywall", "piano-offer", "meter-wall", "subscription-prompt")
    return (
        f'<div class="{cls}"><p>{prose.rng.choice(_PAYWALL)}</p>'
        "<a href='/subscribe'>Subscribe</a></div>"
    )


def footer(prose: Prose, site: str) -> str:
    links = "".join(
        f'<a href="/{s}">{s.title()}</a> '
        for s in ("about", "contact", "careers", "privacy", "terms", "advertise")
    )
    return (
        f"<footer><p>{site} is an independent newsroom funded by its readers. Our reporting "
        f"is free to read and always will be.</p><p>{links}</p>"
        f"<p>&copy; 2026 {site}. All rights reserved.</p></footer>"
    )


def tags(prose: Prose) -> str:
    items = "".join(
        f'<li><a href="/tag/{t}">{t}</a></li>'
        for t in prose.rng.sample(("water", "energy", "cities", "science", "policy"), 3)
    )
    return f'<ul class="{pick(prose.rng, "tags", "topics", "keywords")}">{items}</ul>'
