"""Orbital elements: parse and validate TLE / OMM, and find the element set to use.

Reads two- and three-line TLE files and CelesTrak OMM JSON, checks them line by line,
and knows the element set and standard-magnitude table bundled with the package.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from sgp4.api import WGS72, Satrec
from sgp4.omm import initialize as _omm_initialize

from .errors import ElementsError, ElementsMissingError, SatelliteNotFoundError

ISS_NORAD_ID = 25544
TLE_LINE_LENGTH = 69
#: PRODUCT rule: the magnitude model's m0 is the listed standard magnitude less 0.07.
STANDARD_MAGNITUDE_OFFSET = -0.07
_UNIX_EPOCH_JD = 2440587.5
_ALPHA5 = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # Alpha-5 catalogue numbers skip I and O.


@dataclass(frozen=True)
class Elements:
    """One validated element set (a TLE or an OMM record) for one satellite.

    ``epoch`` is a timezone-aware UTC datetime; ``mean_motion`` is in revolutions per
    day and ``mean_motion_dot`` is the TLE's first derivative term ndot/2 in rev/day².
    """

    name: str
    norad_id: int
    epoch: datetime
    mean_motion: float
    mean_motion_dot: float
    inclination_deg: float
    eccentricity: float
    source: str
    line1: str | None = None
    line2: str | None = None
    satrec: Satrec = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    @property
    def period_s(self) -> float:
        """Nodal period from the mean motion, in seconds."""
        return 86400.0 / self.mean_motion

    def age_days(self, when: datetime) -> float:
        """Days from the epoch to ``when`` (negative when ``when`` is before the epoch)."""
        return (_as_utc(when) - self.epoch).total_seconds() / 86400.0


@dataclass(frozen=True)
class Satellite:
    """A satellite to predict: its elements and, when known, its standard magnitude.

    ``standard_magnitude`` is the visual magnitude at 1000 km range and half phase
    (90° phase angle); ``None`` means no magnitude will be given.
    """

    elements: Elements
    standard_magnitude: float | None = None

    @property
    def name(self) -> str:
        return self.elements.name

    @property
    def norad_id(self) -> int:
        return self.elements.norad_id

    @property
    def epoch(self) -> datetime:
        return self.elements.epoch


# --------------------------------------------------------------------------- TLE


def tle_checksum(line: str) -> int:
    """The mod-10 checksum of a TLE line's first 68 columns (digits summed, '-' is 1)."""
    total = 0
    for char in line[:68]:
        if char.isdigit():
            total += int(char)
        elif char == "-":
            total += 1
    return total % 10


def _catalog_number(text: str, where: str) -> int:
    text = text.strip()
    if len(text) == 5 and text[0] in _ALPHA5 and text[1:].isdigit():
        return (_ALPHA5.index(text[0]) + 10) * 10000 + int(text[1:])
    if not text.isdigit():
        raise ElementsError(f"{where}: catalogue number {text!r} is not a number")
    return int(text)


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


def _check_range(value: float, low: float, high: float, what: str, where: str) -> None:
    if not low <= value <= high:
        raise ElementsError(f"{where}: {what} {value:g} is outside {low:g}..{high:g}")


def _check_line(line: str, number: int, lineno: int, source: str) -> None:
    where = f"{source}, line {lineno}"
    if len(line) != TLE_LINE_LENGTH:
        raise ElementsError(
            f"{where}: element line {number} has {len(line)} characters, expected {TLE_LINE_LENGTH}"
        )
    if not line.isascii():
        raise ElementsError(f"{where}: element line {number} has non-ASCII characters")
    expected = tle_checksum(line)
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
    _check_range(day, 1.0, 366.99999999, "epoch day of year", where1)
    ndot_half = _tle_float(line1, 34, 43, "mean motion derivative", where1)
    _tle_exponent(line1, 45, 52, "second derivative of mean motion", where1)
    _tle_exponent(line1, 54, 61, "BSTAR drag term", where1)
    inclination = _tle_float(line2, 9, 16, "inclination", where2)
    _check_range(inclination, 0.0, 180.0, "inclination (deg)", where2)
    raan = _tle_float(line2, 18, 25, "right ascension of the node", where2)
    _check_range(raan, 0.0, 360.0, "right ascension of the node (deg)", where2)
    ecc_text = line2[26:33]
    if not ecc_text.strip().isdigit():
        raise ElementsError(f"{where2}: eccentricity {ecc_text!r} (columns 27-33) is not a number")
    eccentricity = float("0." + ecc_text.strip())
    argp = _tle_float(line2, 35, 42, "argument of perigee", where2)
    _check_range(argp, 0.0, 360.0, "argument of perigee (deg)", where2)
    anomaly = _tle_float(line2, 44, 51, "mean anomaly", where2)
    _check_range(anomaly, 0.0, 360.0, "mean anomaly (deg)", where2)
    mean_motion = _tle_float(line2, 53, 63, "mean motion", where2)
    _check_range(mean_motion, 0.05, 20.0, "mean motion (rev/day)", where2)

    satrec = Satrec.twoline2rv(line1, line2, WGS72)
    _check_satrec(satrec, where1)
    return Elements(
        name=(name or f"NORAD {satnum1}").strip(),
        norad_id=satnum1,
        epoch=_satrec_epoch(satrec),
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


# --------------------------------------------------------------------------- OMM

_OMM_REQUIRED = (
    "NORAD_CAT_ID",
    "EPOCH",
    "MEAN_MOTION",
    "ECCENTRICITY",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
    "BSTAR",
    "MEAN_MOTION_DOT",
    "MEAN_MOTION_DDOT",
)


def _omm_number(record: Mapping[str, Any], key: str, where: str) -> float:
    value = record[key]
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ElementsError(f"{where}: {key} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ElementsError(f"{where}: {key} {value!r} is not finite")
    return number


def _parse_omm_epoch(text: Any, where: str) -> datetime:
    if not isinstance(text, str):
        raise ElementsError(f"{where}: EPOCH {text!r} is not a date")
    try:
        epoch = datetime.fromisoformat(text.strip().rstrip("Z"))
    except ValueError:
        raise ElementsError(f"{where}: EPOCH {text!r} is not an ISO 8601 date") from None
    if epoch.tzinfo is not None:
        epoch = epoch.astimezone(timezone.utc).replace(tzinfo=None)
    return epoch


def _elements_from_omm(record: Any, index: int, source: str) -> Elements:
    where = f"{source}, record {index}"
    if not isinstance(record, dict):
        raise ElementsError(f"{where}: not an OMM object")
    missing = [key for key in _OMM_REQUIRED if key not in record]
    if missing:
        raise ElementsError(f"{where}: missing field {missing[0]}")
    norad = _omm_number(record, "NORAD_CAT_ID", where)
    if norad != int(norad) or norad <= 0:
        raise ElementsError(f"{where}: NORAD_CAT_ID {record['NORAD_CAT_ID']!r} is not a catalogue number")
    epoch = _parse_omm_epoch(record["EPOCH"], where)
    values = {key: _omm_number(record, key, where) for key in _OMM_REQUIRED[2:]}
    _check_range(values["MEAN_MOTION"], 0.05, 20.0, "MEAN_MOTION (rev/day)", where)
    _check_range(values["ECCENTRICITY"], 0.0, 0.9999999, "ECCENTRICITY", where)
    _check_range(values["INCLINATION"], 0.0, 180.0, "INCLINATION (deg)", where)
    for key in ("RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY"):
        _check_range(values[key], 0.0, 360.0, f"{key} (deg)", where)

    fields = {
        "CLASSIFICATION_TYPE": str(record.get("CLASSIFICATION_TYPE", "U")),
        "OBJECT_ID": str(record.get("OBJECT_ID", "")),
        "EPHEMERIS_TYPE": int(record.get("EPHEMERIS_TYPE", 0) or 0),
        "ELEMENT_SET_NO": int(record.get("ELEMENT_SET_NO", 999) or 0),
        "REV_AT_EPOCH": int(record.get("REV_AT_EPOCH", 0) or 0),
        "EPOCH": epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        "NORAD_CAT_ID": int(norad),
        **{key: repr(value) for key, value in values.items()},
    }
    satrec = Satrec()
    try:
        _omm_initialize(satrec, fields)
    except (ValueError, KeyError) as exc:
        raise ElementsError(f"{where}: {exc}") from None
    _check_satrec(satrec, where)
    name = record.get("OBJECT_NAME") or f"NORAD {int(norad)}"
    return Elements(
        name=str(name).strip(),
        norad_id=int(norad),
        epoch=_satrec_epoch(satrec),
        mean_motion=values["MEAN_MOTION"],
        mean_motion_dot=values["MEAN_MOTION_DOT"],
        inclination_deg=values["INCLINATION"],
        eccentricity=values["ECCENTRICITY"],
        source=source,
        satrec=satrec,
    )


def parse_omm_json(text: str, source: str = "<elements>") -> list[Elements]:
    """Parse CelesTrak OMM JSON (``FORMAT=JSON``): an array of objects, or one object."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ElementsError(
            f"{source}: not valid JSON ({exc.msg}: line {exc.lineno} column {exc.colno})"
        ) from None
    records = data if isinstance(data, list) else [data]
    result = [_elements_from_omm(record, index, source) for index, record in enumerate(records, 1)]
    if not result:
        raise ElementsError(f"{source}: no element sets found")
    return result


# --------------------------------------------------------------------------- common


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
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ElementsMissingError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ElementsError(f"{path}: is a directory, not an element file") from None
    except OSError as exc:
        raise ElementsError(f"{path}: cannot read ({exc.strerror})") from None
    return decode_elements(data, str(path))


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
    if isinstance(key, int) or (isinstance(key, str) and key.strip().isdigit()):
        number = int(key)
        matches = [e for e in candidates if e.norad_id == number]
    else:
        wanted = key.strip().casefold()
        matches = [e for e in candidates if e.name.casefold() == wanted]
        if not matches:
            matches = [e for e in candidates if e.name.casefold().startswith(wanted)]
        if len({e.norad_id for e in matches}) > 1:
            names = ", ".join(sorted({e.name for e in matches}))
            raise SatelliteNotFoundError(f"satellite {key!r} is ambiguous: {names}")
    if not matches:
        raise SatelliteNotFoundError(f"satellite {key!r} is not in the element set")
    if near is not None:
        return min(matches, key=lambda e: abs(e.age_days(near)))
    return max(matches, key=lambda e: e.epoch)


def _data_file(name: str) -> Path:
    """A file of the bundled ``data`` folder (inside the wheel, or beside ``src`` in a checkout)."""
    packaged = resources.files("isspass").joinpath("data", name)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / name


def bundled_elements() -> list[Elements]:
    """The element sets shipped with isspass (an ISS TLE), so a fresh install can predict."""
    path = _data_file("iss.tle")
    return [replace(e, source="bundled") for e in decode_elements(path.read_bytes(), "bundled")]


def standard_magnitudes() -> dict[int, float]:
    """The bundled table of standard magnitudes, by NORAD catalogue number."""
    text = _data_file("standard_magnitudes.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return {int(row["norad_id"]): float(row["standard_magnitude"]) for row in rows}


def load_satellite(
    satellite: int | str | None = None,
    *,
    elements: Iterable[Elements] | str | Path | None = None,
    standard_magnitude: float | None = None,
) -> Satellite:
    """Return a satellite ready for :func:`isspass.find_passes` (the ISS by default).

    ``elements`` is an element file path or already-parsed element sets; without it the
    bundled element set is used. ``satellite`` is a NORAD number or a name.
    ``standard_magnitude`` overrides the bundled table (None: look it up, and give no
    magnitude when the satellite is not in the table).
    """
    if elements is None:
        candidates = bundled_elements()
    elif isinstance(elements, (str, Path)):
        candidates = read_elements(elements)
    else:
        candidates = list(elements)
    chosen = select_elements(candidates, satellite)
    if standard_magnitude is None:
        standard_magnitude = standard_magnitudes().get(chosen.norad_id)
    elif not math.isfinite(standard_magnitude):
        raise ValueError("standard magnitude must be a finite number")
    return Satellite(chosen, standard_magnitude)


def _satrec_epoch(satrec: Satrec) -> datetime:
    days = (satrec.jdsatepoch - _UNIX_EPOCH_JD) + satrec.jdsatepochF
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(days=days)


def _check_satrec(satrec: Satrec, where: str) -> None:
    if satrec.error:
        raise ElementsError(f"{where}: SGP4 rejects these elements (error {satrec.error})")
    error, _, _ = satrec.sgp4(satrec.jdsatepoch, satrec.jdsatepochF)
    if error:
        raise ElementsError(f"{where}: SGP4 cannot propagate these elements (error {error})")


def _as_utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware (use datetime.timezone.utc)")
    return when.astimezone(timezone.utc)
