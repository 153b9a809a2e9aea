"""Fit how many bullets and Decoder terms a digest story has from its article's length.

``count ~ base + per_ln * ln(article words)``, least squares over the given stories (those with
a Deep dive, respectively a Decoder). ``python -m bench.summary.sizes`` prints the fit on all
scoring stories, which is ``shape.BULLETS_BASE/PER_LN`` and ``shape.TERMS_BASE/PER_LN``;
``bench.summary.tune`` refits it on the training stories of every leave-one-out fold.
"""

import math
from collections.abc import Sequence

from bench.summary.stories import Story, load_stories


def fit_line(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line through ``points``."""
    n = len(points)
    if n < 2:
        raise ValueError("at least two points are needed for a fit")
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return my, 0.0
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return my - slope * mx, slope


def fit_sizes(stories: Sequence[Story]) -> tuple[tuple[float, float], tuple[float, float]]:
    """((bullet base, per ln word), (term base, per ln word)) fitted on ``stories``."""

    def ln(story: Story) -> float:
        return math.log(max(1, len(story.article.split())))

    bullets = fit_line([(ln(s), len(s.deep_dive)) for s in stories if s.deep_dive])
    terms = fit_line([(ln(s), len(s.decoder)) for s in stories if s.decoder])
    return bullets, terms


def main() -> None:
    stories = load_stories()
    (bb, bs), (tb, ts) = fit_sizes(stories)
    print(f"{len(stories)} stories: bullets = {bb:.2f} + {bs:.2f} ln(words)")
    print(f"{len(stories)} stories: terms = {tb:.2f} + {ts:.2f} ln(words)")


if __name__ == "__main__":
    main()
