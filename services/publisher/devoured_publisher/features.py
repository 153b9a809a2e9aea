"""What an edition build needs of a story's text (pure), computed once when the story arrives
and stored with it, so a build reads no texts: the text's SimHash and term counts (the merge
rule's inputs, ``merging``) and its length in words (the editor's substance).

A 10,000-story edition then builds from about 3 KB per story instead of the whole texts, and
only the stories the edition shows are read in full (``handlers.assemble_stored_edition``).
"""

import struct
import sys
from array import array
from dataclasses import dataclass

from devoured_core.similarity import words
from devoured_publisher.editor import word_count
from devoured_publisher.merging import Bag, count_terms, text_simhash

_COUNT = struct.Struct("<I")


@dataclass(frozen=True)
class TextFeatures:
    simhash: int | None
    """None for a text too short to sign (``merging.text_simhash``)."""
    words: int
    terms: Bag


def text_features(text: str) -> TextFeatures:
    tokens = words(text)
    return TextFeatures(
        simhash=text_simhash(text, tokens), words=word_count(text), terms=count_terms(tokens)
    )


# The database keeps a SimHash in a signed 64-bit column.
def signed(signature: int | None) -> int | None:
    return None if signature is None else signature - (1 << 64) * (signature >> 63)


def unsigned(stored: int | None) -> int | None:
    return None if stored is None else stored & ((1 << 64) - 1)


def encode_terms(bag: Bag) -> bytes:
    """The bag as bytes: the term count, the counts (little-endian 16-bit), then the terms
    (no term holds a space) joined by spaces."""
    counts = array("H", bag.counts)
    if sys.byteorder == "big":
        counts.byteswap()
    return _COUNT.pack(len(bag)) + counts.tobytes() + " ".join(bag.terms).encode()


def decode_terms(data: bytes) -> Bag:
    (size,) = _COUNT.unpack_from(data)
    end = _COUNT.size + 2 * size
    counts = array("H", data[_COUNT.size : end])
    if sys.byteorder == "big":
        counts.byteswap()
    terms = data[end:].decode().split(" ") if size else []
    if len(terms) != size:
        raise ValueError(f"stored term counts hold {size} counts and {len(terms)} terms")
    return Bag(tuple(sys.intern(t) for t in terms), counts)
