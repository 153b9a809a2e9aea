"""Fit the word-pair model of ``extractive.pairs`` on stories: logistic regression, stdlib only.

Every word pair of a story's article is one example, labelled by whether the story's
reference Deep dive contains it. The fit is Newton's method (iteratively reweighted least
squares) with a small L2 penalty; eight coefficients on ~12,000 pairs take about a second.
``bench.summary.tune`` refits it on the training stories of every leave-one-out fold, so the
cross-validated figure never scores a story with coefficients that saw it.
``python -m bench.summary.fit_pairs`` prints the coefficients fitted on all stories (the
product's ``PAIR_MODEL``).
"""

from collections.abc import Sequence

from bench.summary.stories import Story, load_stories
from devoured_summarizer.extractive.pairs import PairModel, likelihood, pair_features, pairs_of

L2 = 1.0
ITERATIONS = 10


def examples(stories: Sequence[Story]) -> tuple[list[tuple[float, ...]], list[float]]:
    """(intercept + features, label) for every word pair of every story's article."""
    rows, labels = [], []
    for story in stories:
        reference = pairs_of(" ".join(story.deep_dive))
        for pair, features in pair_features(story.article).items():
            rows.append((1.0, *features))
            labels.append(float(pair in reference))
    return rows, labels


def fit_pair_model(stories: Sequence[Story]) -> PairModel:
    """The coefficients fitted on ``stories`` (memoised by the stories' indexes)."""
    key = tuple(sorted(s.index for s in stories))
    if key not in _FITTED:
        _FITTED[key] = _fit(stories)
    return _FITTED[key]


_FITTED: dict[tuple[int, ...], PairModel] = {}


def _fit(stories: Sequence[Story]) -> PairModel:
    rows, labels = examples(stories)
    size = len(rows[0])
    weights = [0.0] * size
    for _ in range(ITERATIONS):
        gradient = [L2 * w for w in weights]
        hessian = [[L2 * (i == j) for j in range(size)] for i in range(size)]
        for row, label in zip(rows, labels, strict=True):
            p = likelihood(tuple(weights), row[1:])
            for i in range(size):
                gradient[i] += (p - label) * row[i]
                scaled = row[i] * p * (1 - p)
                for j in range(i, size):
                    hessian[i][j] += scaled * row[j]
        for i in range(size):
            for j in range(i):
                hessian[i][j] = hessian[j][i]
        step = _solve(hessian, gradient)
        weights = [w - s for w, s in zip(weights, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return tuple(round(w, 4) for w in weights)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the Hessian is small and well-conditioned)."""
    n = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def main() -> None:
    model = fit_pair_model(load_stories())
    print(f"PAIR_MODEL: PairModel = {model}")


if __name__ == "__main__":
    main()
