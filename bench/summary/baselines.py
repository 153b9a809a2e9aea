"""The peers: lead (the first sentences) and TextRank (Mihalcea and Tarau, 2004).

Both use our sentence splitter so only the choice of sentences differs. Their Decoders are the
classic peers too: lead takes the first distinct acronyms and capitalised names in reading
order; TextRank takes its keyword graph's top words (co-occurrence window 2, adjacent
keywords merged into phrases). Neither has definitions, which the term recall ignores.
"""

import math
import re
from collections import defaultdict

from devoured_summarizer.extractive.segment import split_sentences
from devoured_summarizer.extractive.text import STOPWORDS, content_words, words

_NAME = re.compile(
    r"\b(?:[A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)\b"
)


def lead(text: str, bullets: int, terms: int) -> tuple[str, list[str], list[str]]:
    sentences = [s.text for s in split_sentences(text)]
    names = list(dict.fromkeys(_NAME.findall(text)))
    return (sentences[0] if sentences else "", sentences[1 : 1 + bullets], names[:terms])


def textrank(text: str, bullets: int, terms: int) -> tuple[str, list[str], list[str]]:
    sentences = [s.text for s in split_sentences(text)]
    bags = [set(content_words(s)) for s in sentences]
    graph = {
        (i, j): len(bags[i] & bags[j]) / (math.log(len(bags[i]) + 1) + math.log(len(bags[j]) + 1))
        for i in range(len(bags))
        for j in range(len(bags))
        if i != j and bags[i] and bags[j]
    }
    ranks = pagerank(len(sentences), graph)
    order = sorted(range(len(sentences)), key=lambda i: -ranks[i])
    chosen = [sentences[i] for i in order]
    return (chosen[0] if chosen else "", chosen[1 : 1 + bullets], keywords(text, terms))


def keywords(text: str, count: int) -> list[str]:
    tokens = [w for w in words(text)]
    keep = [w not in STOPWORDS and len(w) > 2 and not w.isdigit() for w in tokens]
    index = {
        w: i
        for i, w in enumerate(dict.fromkeys(w for w, k in zip(tokens, keep, strict=False) if k))
    }
    edges: dict[tuple[int, int], float] = defaultdict(float)
    for a in range(len(tokens) - 1):
        if keep[a] and keep[a + 1] and tokens[a] != tokens[a + 1]:
            i, j = index[tokens[a]], index[tokens[a + 1]]
            edges[(i, j)] += 1.0
            edges[(j, i)] += 1.0
    ranks = pagerank(len(index), edges)
    top = {
        w
        for w, i in sorted(index.items(), key=lambda x: -ranks[x[1]])[: max(count, len(index) // 3)]
    }
    phrases: list[str] = []
    run: list[str] = []
    for word, kept in zip([*tokens, ""], [*keep, False], strict=False):
        if kept and word in top:
            run.append(word)
        elif run:
            phrases.append(" ".join(run))
            run = []
    score = {p: sum(ranks[index[w]] for w in p.split()) for p in set(phrases)}
    return sorted(score, key=lambda p: -score[p])[:count]


def pagerank(n: int, edges: dict[tuple[int, int], float], damping: float = 0.85) -> list[float]:
    out_weight = [0.0] * n
    incoming: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (i, j), w in edges.items():
        if w <= 0:
            continue
        out_weight[i] += w
        incoming[j].append((i, w))
    ranks = [1.0] * n
    for _ in range(50):
        ranks = [
            (1 - damping) + damping * sum(ranks[i] * w / out_weight[i] for i, w in incoming[j])
            for j in range(n)
        ]
    return ranks
