"""Making stored text safe to print: nothing from a contact may drive the terminal."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and bidi embeddings/overrides/isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character shown as a visible escape such as ``\\x1b``."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
