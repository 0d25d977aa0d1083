"""Untrusted text made inert: safe to show on a terminal, in a log, a file or a spreadsheet.

Control characters and bidi overrides become visible escapes; long text is cut; cells lose formulas.
"""

from __future__ import annotations

import re

#: Long enough for a path or a server's one-line reason, short enough for one line of a log.
DEFAULT_MAX_LENGTH = 200
#: Satellite names are 24 characters in a TLE; OMM allows more, nobody needs more than this.
NAME_MAX_LENGTH = 80
ELLIPSIS = "…"

# Characters that steer a terminal or reorder what a reader sees: C0, DEL, C1, the Unicode
# line separators, the bidi embeddings, overrides, isolates and marks, and lone surrogates
# (from undecodable bytes), which no file encoding accepts.
_STEERING = [
    *range(0x00, 0x20),
    *range(0x7F, 0xA0),
    0x061C,
    0x200E,
    0x200F,
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    *range(0xD800, 0xE000),
]
_ESCAPES = {code: (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}") for code in _STEERING}

# What a spreadsheet may read as the start of a formula (OWASP's list, with the full-width
# forms some spreadsheets fold to ASCII).
_FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def inert(text: str, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """``text`` with every control character shown as an escape, at most ``max_length`` long.

    ESC, BEL, NUL, CSI (``\\x9b``), the bidi overrides (``\\u202e``) and the like become
    the visible ``\\x1b``, ``\\u202e`` …; text past ``max_length`` characters is cut, never
    inside an escape, and ends in ``…``. Backslashes are kept as they are.

    >>> inert("ISS\\x1b[2J")
    'ISS\\\\x1b[2J'
    """
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    head = text[: max_length + 1]  # a long input costs no more than a short one
    shown = head.translate(_ESCAPES)
    if len(text) <= max_length and len(shown) <= max_length:
        return shown
    kept, used = [], 0
    for char in head:
        piece = _ESCAPES.get(ord(char), char)
        if used + len(piece) > max_length - 1:
            break
        kept.append(piece)
        used += len(piece)
    return "".join(kept) + ELLIPSIS


def safe_name(text: str) -> str:
    """A satellite (or place) name from outside, ready to print: trimmed, inert, 80 characters at most."""
    return inert(text.strip(), NAME_MAX_LENGTH)


def csv_cell(text: str, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """``text`` as a CSV cell a spreadsheet shows and never evaluates.

    A cell that could start a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return)
    gets a leading ``'``, except plain numbers such as ``-3.5`` or ``+1e3``, which stay
    numbers; the rest is made :func:`inert`.

    >>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-3.5")
    ('\\'=HYPERLINK("http://x")', '-3.5')
    """
    if text[:1] in _FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + inert(text, max(max_length - 1, 1))
    return inert(text, max_length)
