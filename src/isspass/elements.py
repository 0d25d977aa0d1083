"""Element sets from any source: detect the format, decode bytes, read files, pick one set.

TLE/3LE live in :mod:`isspass.tle`, OMM JSON in :mod:`isspass.omm`; this module chooses
between them and selects a satellite's set by number or name and by epoch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from .errors import ElementsError, ElementsMissingError, SatelliteNotFoundError
from .inputs import ELEMENTS_LIMIT_BYTES, read_file_bounded
from .model import Elements, Satellite
from .omm import parse_omm_json
from .text import inert
from .tle import parse_tle

ISS_NORAD_ID = 25544

__all__ = [
    "ISS_NORAD_ID",
    "Elements",
    "Satellite",
    "decode_elements",
    "parse_elements",
    "parse_omm_json",
    "parse_tle",
    "read_elements",
    "select_elements",
]


def parse_elements(text: str, source: str = "<elements>") -> list[Elements]:
    """Parse element text in any supported format (TLE, 3LE or OMM JSON)."""
    if "\x00" in text:
        raise ElementsError(f"{source}: binary data, not an element file")
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return parse_omm_json(text, source)
    return parse_tle(text, source)


def decode_elements(data: bytes, source: str) -> list[Elements]:
    """Parse raw bytes (a file's or an HTTP body's) as an element set."""
    if b"\x00" in data:
        raise ElementsError(f"{source}: binary data, not an element file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ElementsError(f"{source}: binary data, not an element file") from None
    return parse_elements(text, source)


def read_elements(path: str | Path) -> list[Elements]:
    """Read and validate an element file (TLE, 3LE or OMM JSON)."""
    data = read_file_bounded(
        path, ELEMENTS_LIMIT_BYTES, "", error=ElementsError, missing_error=ElementsMissingError
    )
    return decode_elements(data, inert(str(path)))


def select_elements(
    candidates: Sequence[Elements], key: int | str | None, near: datetime | None = None
) -> Elements:
    """Pick one element set by NORAD number or by name (exact, then unique prefix).

    With ``key`` ``None`` the file must hold exactly one satellite, or the ISS. When several
    sets share the satellite, the one whose epoch is nearest ``near`` wins (the earlier
    listed on a tie), or without ``near`` the newest.
    """
    if key is None:
        key = candidates[0].norad_id if len({e.norad_id for e in candidates}) == 1 else ISS_NORAD_ID
    if isinstance(key, int) or (isinstance(key, str) and _is_catalogue_number(key.strip())):
        number = int(key)
        matches = [e for e in candidates if e.norad_id == number]
    else:
        wanted = key.strip().casefold()
        matches = [e for e in candidates if e.name.casefold() == wanted]
        if not matches:
            matches = [e for e in candidates if e.name.casefold().startswith(wanted)]
        if len({e.norad_id for e in matches}) > 1:
            names = sorted({e.name for e in matches})
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            raise SatelliteNotFoundError(f"satellite '{inert(key, 80)}' is ambiguous: {shown}")
    if not matches:
        raise SatelliteNotFoundError(f"satellite '{inert(str(key), 80)}' is not in the element set")
    if near is not None:
        return min(matches, key=lambda e: abs(e.age_days(near)))
    return max(matches, key=lambda e: e.epoch)


def _is_catalogue_number(text: str) -> bool:
    """Digits 0-9, at most nine of them: ``str.isdigit`` alone also takes ``²`` and 5,000 digits."""
    return text.isascii() and text.isdigit() and len(text) <= 9
