"""What every backend returns (pure)."""

from dataclasses import dataclass, field
from typing import NamedTuple


class Term(NamedTuple):
    term: str
    definition: str


@dataclass(frozen=True)
class Summary:
    """TL;DR, Deep dive and Decoder, and the backend that wrote them."""

    tldr: str
    deep_dive: list[str] = field(default_factory=list)
    decoder: list[Term] = field(default_factory=list)
    backend: str = "extractive"

    def as_json(self) -> dict[str, object]:
        """The ``devoured summarize`` output shape."""
        return {
            "tldr": self.tldr,
            "deep_dive": list(self.deep_dive),
            "decoder": [{"term": t.term, "definition": t.definition} for t in self.decoder],
        }
