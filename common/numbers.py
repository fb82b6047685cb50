"""Reading whole numbers that callers send as text (page sizes, page tokens)."""

from __future__ import annotations

MAX_INT64 = 2**63 - 1


def whole_number(text: str, maximum: int = MAX_INT64) -> int | None:
    """The number `text` spells in ASCII digits, from 0 to `maximum`; None for anything else.

    str.isdigit alone also accepts digits such as "²" that int() refuses, and
    an unbounded number overflows a database integer.
    """
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= maximum else None
