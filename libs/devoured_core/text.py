"""Text that every output can hold: XML 1.0's character rules (pure).

Pages and feeds are written by strangers and may hold characters that no XML document may
contain (``\\x01`` in a ``<title>``). lxml refuses to build a tree with them, and a feed or
OPML file that carries them is not XML at all. They are stripped where text enters the pipeline
(the fetcher's feed entries, the extractor's output) and again in every XML output.
"""

import re

__all__ = ["xml_safe"]

# XML 1.0, production [2] Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
# [#x10000-#x10FFFF]. Everything else (C0 controls, lone surrogates, U+FFFE, U+FFFF) goes.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids; everything else is left as it was."""
    return _NOT_XML_CHAR.sub("", text)
