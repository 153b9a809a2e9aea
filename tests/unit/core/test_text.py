"""XML-safe text: what XML 1.0 forbids goes, everything else stays."""

import pytest

from devoured_core.text import xml_safe


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("Ferry\x01 trial", "Ferry trial"),
        ("nul\x00 and bell\x07 and escape\x1b", "nul and bell and escape"),
        ("tab\tline\ncr\r", "tab\tline\ncr\r"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("not characters \ufffe\uffff", "not characters "),
        (
            "kept: é ß 東京 \U0001f600 \ue000 \x7f \x85",
            "kept: é ß 東京 \U0001f600 \ue000 \x7f \x85",
        ),
        ("", ""),
    ],
    ids=["c0", "nul-bell-esc", "whitespace", "surrogate", "fffe-ffff", "kept", "empty"],
)
def test_xml_safe(text: str, safe: str) -> None:
    assert xml_safe(text) == safe
