"""What every backend returns (pure)."""

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

BackendName = Literal["extractive", "openai"]


class Term(NamedTuple):
    term: str
    definition: str


@dataclass(frozen=True)
class Summary:
    """TL;DR, Deep dive and Decoder, and the backend that wrote them.

    ``backend_name`` (and ``model``, for an LLM) says which backend wrote it; ``backend`` is
    the free text the message carries, which adds why, e.g. "extractive (fallback: budget
    spent)". Nothing reads the name back out of that text.
    """

    tldr: str
    deep_dive: list[str] = field(default_factory=list)
    decoder: list[Term] = field(default_factory=list)
    backend: str = "extractive"
    backend_name: BackendName = "extractive"
    model: str | None = None

    @property
    def backend_label(self) -> str:
        """The backend as a metric label: its name, with the model for an LLM."""
        return f"{self.backend_name}:{self.model}" if self.model else self.backend_name

    def as_json(self) -> dict[str, object]:
        """The ``devoured summarize`` output shape."""
        return {
            "tldr": self.tldr,
            "deep_dive": list(self.deep_dive),
            "decoder": [{"term": t.term, "definition": t.definition} for t in self.decoder],
        }
