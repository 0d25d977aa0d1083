"""Two-line elements: parse and validate TLE and 3LE text, line by line and column by column.

Every error names the source, the line and the columns; checksums and Alpha-5 catalogue
numbers use the ``sgp4`` package's own helpers.
"""

from __future__ import annotations

import math

from sgp4.alpha5 import from_alpha5
from sgp4.api import WGS72, Satrec
from sgp4.io import compute_checksum

from .errors import ElementsError
from .model import Elements
from .validation import check_orbit, check_range, check_satrec, satrec_epoch

TLE_LINE_LENGTH = 69
#: Alpha-5 catalogue numbers (100000-339999) start with a capital letter other than I and O.
_ALPHA5_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _catalog_number(text: str, where: str) -> int:
    """Columns 3-7: a catalogue number, digits or Alpha-5 (a letter other than I or O, then 4 digits)."""
    text = text.strip()
    alpha5 = len(text) == 5 and text[0] in _ALPHA5_LETTERS and text[1:].isdigit()
    if not (alpha5 or (text.isascii() and text.isdigit())):
        raise ElementsError(f"{where}: catalogue number {text!r} is not a number")
    return from_alpha5(text)


def _tle_float(line: str, start: int, stop: int, what: str, where: str) -> float:
    """Read columns ``start``..``stop`` (1-based, inclusive) of a TLE line as a float."""
    text = line[start - 1 : stop].strip()
    try:
        value = float(text)
    except ValueError:
        raise ElementsError(f"{where}: {what} {text!r} (columns {start}-{stop}) is not a number") from None
    if not math.isfinite(value):
        raise ElementsError(f"{where}: {what} {text!r} is not finite")
    return value


def _tle_exponent(line: str, start: int, stop: int, what: str, where: str) -> float:
    """Read a TLE 'assumed decimal point' exponent field such as ' 18116-3' (= 0.18116e-3)."""
    text = line[start - 1 : stop]
    body = text.strip()
    if not body:
        return 0.0
    sign = -1.0 if body[0] == "-" else 1.0
    body = body.lstrip("+-")
    try:
        mantissa, exponent = body[:-2], body[-2:]
        value = float("0." + mantissa) * 10.0 ** int(exponent)
    except ValueError:
        raise ElementsError(
            f"{where}: {what} {text.strip()!r} (columns {start}-{stop}) is malformed"
        ) from None
    return sign * value


def _check_line(line: str, number: int, lineno: int, source: str) -> None:
    where = f"{source}, line {lineno}"
    if len(line) != TLE_LINE_LENGTH:
        raise ElementsError(
            f"{where}: element line {number} has {len(line)} characters, expected {TLE_LINE_LENGTH}"
        )
    if not line.isascii():
        raise ElementsError(f"{where}: element line {number} has non-ASCII characters")
    expected = compute_checksum(line)
    if not line[68].isdigit() or int(line[68]) != expected:
        raise ElementsError(f"{where}: checksum is {line[68]!r}, the line sums to {expected}")


def _elements_from_tle(name: str | None, line1: str, line2: str, lineno: int, source: str) -> Elements:
    """Validate one TLE (``lineno`` is the file line of ``line1``) and build its Elements."""
    _check_line(line1, 1, lineno, source)
    _check_line(line2, 2, lineno + 1, source)
    where1 = f"{source}, line {lineno}"
    where2 = f"{source}, line {lineno + 1}"
    satnum1 = _catalog_number(line1[2:7], where1)
    satnum2 = _catalog_number(line2[2:7], where2)
    if satnum1 != satnum2:
        raise ElementsError(f"{where2}: catalogue number {satnum2} does not match line 1 ({satnum1})")

    _tle_float(line1, 19, 20, "epoch year", where1)  # validated; SGP4 reads the epoch itself
    day = _tle_float(line1, 21, 32, "epoch day", where1)
    check_range(day, 1.0, 366.99999999, "epoch day of year", where1)
    ndot_half = _tle_float(line1, 34, 43, "mean motion derivative", where1)
    _tle_exponent(line1, 45, 52, "second derivative of mean motion", where1)
    _tle_exponent(line1, 54, 61, "BSTAR drag term", where1)
    inclination = _tle_float(line2, 9, 16, "inclination", where2)
    check_range(inclination, 0.0, 180.0, "inclination (deg)", where2)
    raan = _tle_float(line2, 18, 25, "right ascension of the node", where2)
    check_range(raan, 0.0, 360.0, "right ascension of the node (deg)", where2)
    ecc_text = line2[26:33]
    if not ecc_text.strip().isdigit():
        raise ElementsError(f"{where2}: eccentricity {ecc_text!r} (columns 27-33) is not a number")
    eccentricity = float("0." + ecc_text.strip())
    argp = _tle_float(line2, 35, 42, "argument of perigee", where2)
    check_range(argp, 0.0, 360.0, "argument of perigee (deg)", where2)
    anomaly = _tle_float(line2, 44, 51, "mean anomaly", where2)
    check_range(anomaly, 0.0, 360.0, "mean anomaly (deg)", where2)
    mean_motion = _tle_float(line2, 53, 63, "mean motion", where2)
    check_range(mean_motion, 0.05, 20.0, "mean motion (rev/day)", where2)
    check_orbit(mean_motion, eccentricity, where2)

    satrec = Satrec.twoline2rv(line1, line2, WGS72)
    check_satrec(satrec, where1)
    return Elements(
        name=(name or f"NORAD {satnum1}").strip(),
        norad_id=satnum1,
        epoch=satrec_epoch(satrec),
        mean_motion=mean_motion,
        mean_motion_dot=ndot_half,
        inclination_deg=inclination,
        eccentricity=eccentricity,
        source=source,
        line1=line1,
        line2=line2,
        satrec=satrec,
    )


def parse_tle(text: str, source: str = "<elements>") -> list[Elements]:
    """Parse two-line or three-line TLE text holding one or more satellites.

    Blank lines are ignored; a name line (optionally starting with ``0 ``) may precede
    each pair. Raises :class:`ElementsError` naming the line and the problem.
    """
    lines = [(number, raw.rstrip()) for number, raw in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line.strip()]
    result: list[Elements] = []
    name: str | None = None
    index = 0
    while index < len(lines):
        number, line = lines[index]
        if line.startswith("1 "):
            if index + 1 >= len(lines) or not lines[index + 1][1].startswith("2 "):
                raise ElementsError(f"{source}, line {number}: element line 1 is not followed by line 2")
            result.append(_elements_from_tle(name, line, lines[index + 1][1], number, source))
            name = None
            index += 2
            continue
        if line.startswith("2 "):
            raise ElementsError(f"{source}, line {number}: element line 2 without a line 1 before it")
        followed_by_line1 = index + 1 < len(lines) and lines[index + 1][1].startswith("1 ")
        if name is not None or not followed_by_line1 or len(line) > 80 or not line.isprintable():
            shown = line[:40] + ("…" if len(line) > 40 else "")
            raise ElementsError(f"{source}, line {number}: not a TLE line: {shown!r}")
        name = line[2:] if line.startswith("0 ") else line
        index += 1
    if not result:
        raise ElementsError(f"{source}: no element sets found")
    return result
