"""CCSDS Orbit Ephemeris Messages (CCSDS 502.0-B): read KVN and XML, validate every field, write KVN.

Every error names the source and the line; text fields are bounded and never trusted.
"""

from __future__ import annotations

import calendar
import gzip
import io
import math
import re
import zlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from .ephemeris import Ephemeris, EphemerisSegment
from .errors import TrajectoryError, TrajectoryMissingError
from .inputs import read_file_bounded
from .oem_events import parse_event_summary
from .text import inert
from .utc import utc_from_posix

#: The largest OEM read or decompressed: NASA's 15-day ISS file is 2.9 MB as XML, 0.8 MB as KVN.
OEM_LIMIT_BYTES = 32 * 1024 * 1024
MAX_SEGMENTS = 1000
#: Longest text field kept (names, designators, originator, comments are cut when shown).
MAX_FIELD_CHARS = 80
#: Earth's gravitational parameter (km³/s², WGS84), for the orbit a state vector describes.
MU_KM3_S2 = 398600.4418
#: State vectors further apart than this fraction of an orbit are too sparse to interpolate
#: to metres (a degree-7 polynomial over four of them errs by tens of metres at 1/12).
MAX_GAP_ORBITS = 1.0 / 12.0
#: The reference frames isspass can rotate to the Earth: EME2000 (J2000), the GCRS/ICRF, TEME.
FRAMES = ("EME2000", "GCRF", "ICRF", "TEME")
INTERPOLATIONS = ("HERMITE", "LAGRANGE", "LINEAR")
MAX_INTERPOLATION_DEGREE = 15
_EARTH_RADIUS_KM = 6378.137
_MAX_RADIUS_KM = 1.0e6
_MAX_SPEED_KM_S = 20.0
_EPOCH_SLACK_S = 1e-3  # rounding of the times a file writes
_MAX_XML_DEPTH = 12
_REQUIRED_METADATA = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "START_TIME",
                      "STOP_TIME")  # fmt: skip
_VECTOR_FIELDS = ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
_ACCELERATIONS = ("X_DDOT", "Y_DDOT", "Z_DDOT")

_TIME = re.compile(r"(\d{4})-(?:(\d{2})-(\d{2})|(\d{3}))T(\d{2}):(\d{2}):(\d{2})(\.\d{1,12})?Z?")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?")
_KEYWORD = re.compile(r"([A-Z][A-Z0-9_]*)\s*=\s*(.*)")
_VERSION = re.compile(r"[123]\.\d{1,2}")


# --------------------------------------------------------------------------- reading


def read_oem(path: str | Path) -> Ephemeris:
    """Read and validate an OEM file (KVN or XML, plain or gzip-compressed)."""
    data = read_file_bounded(
        path, OEM_LIMIT_BYTES, "OEM file", error=TrajectoryError, missing_error=TrajectoryMissingError
    )
    return parse_oem(data, inert(str(path)))


def parse_oem(data: bytes, source: str = "<OEM>") -> Ephemeris:
    """Validate an OEM given as bytes: KVN or XML (detected), plain or gzip-compressed.

    Raises :class:`~isspass.errors.TrajectoryError` naming ``source`` and the line.
    """
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, source)
    if b"\x00" in data:
        raise TrajectoryError(f"{source}: binary data, not an OEM")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TrajectoryError(f"{source}, line {line}: not UTF-8 text") from None
    raw = _read_xml(data, source) if text.lstrip()[:1] == "<" else _read_kvn(text, source)
    return _validate(raw, source)


def _gunzip(data: bytes, source: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(OEM_LIMIT_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise TrajectoryError(f"{source}: a damaged gzip file ({inert(str(exc), 80)})") from None
    if len(out) > OEM_LIMIT_BYTES:
        raise TrajectoryError(f"{source}: larger than {OEM_LIMIT_BYTES >> 20} MiB once uncompressed")
    return out


# --------------------------------------------------------------------------- the two syntaxes


# Plain classes, not dataclasses: they are built at import time, and the command line
# imports this module on every run.


class _Field:
    __slots__ = ("line", "value")

    def __init__(self, value: str, line: int) -> None:
        self.value, self.line = value, line


class _RawSegment:
    """What one segment says, unchecked: its metadata, comments and rows (line, [epoch, x … z_dot])."""

    __slots__ = ("comments", "line", "metadata", "rows")

    def __init__(self, line: int) -> None:
        self.line = line
        self.metadata: dict[str, _Field] = {}
        self.comments: list[str] = []
        self.rows: list[tuple[int, list[str]]] = []


class _Raw:
    """What a whole message says, unchecked."""

    __slots__ = ("comments", "header", "segments", "version")

    def __init__(self, version: _Field | None = None) -> None:
        self.version = version
        self.header: dict[str, _Field] = {}
        self.comments: list[str] = []
        self.segments: list[_RawSegment] = []


def _put(fields: dict[str, _Field], key: str, value: str, line: int, source: str) -> None:
    if key in fields:
        raise TrajectoryError(f"{source}, line {line}: {key} given twice (first on line {fields[key].line})")
    fields[key] = _Field(value.strip(), line)


def _read_kvn(text: str, source: str) -> _Raw:
    """The keyword = value form: a header, then META_START … META_STOP and data lines per segment."""
    raw = _Raw()
    state = "start"  # start, header, metadata, data, covariance
    segment: _RawSegment | None = None
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        where = f"{source}, line {number}"
        if line.startswith("COMMENT") and (len(line) == 7 or line[7] in " \t"):
            (raw.comments if segment is None else segment.comments).append(line[8:].strip())
            continue
        if state == "covariance":
            state = "data" if line == "COVARIANCE_STOP" else state
            continue
        if line == "META_START":
            if state not in ("header", "data"):
                raise TrajectoryError(f"{where}: META_START {_unexpected(state)}")
            if len(raw.segments) >= MAX_SEGMENTS:
                raise TrajectoryError(f"{where}: more than {MAX_SEGMENTS} segments")
            segment = _RawSegment(number)
            raw.segments.append(segment)
            state = "metadata"
            continue
        if line == "META_STOP" or line == "COVARIANCE_START":
            if state != ("metadata" if line == "META_STOP" else "data"):
                raise TrajectoryError(f"{where}: {line} {_unexpected(state)}")
            state = "data" if line == "META_STOP" else "covariance"
            continue
        if state == "data":
            assert segment is not None
            tokens = line.split()
            if len(tokens) not in (7, 10) or not tokens[0][:1].isdigit():
                raise TrajectoryError(
                    f"{where}: not a state vector (an epoch and 6 or 9 numbers): {inert(line, 60)!r}"
                )
            segment.rows.append((number, tokens[:7]))
            continue
        match = _KEYWORD.fullmatch(line)
        if match is None:
            raise TrajectoryError(f"{where}: expected KEYWORD = value, found {inert(line, 60)!r}")
        key, value = match.groups()
        if state == "start":
            if key != "CCSDS_OEM_VERS":
                raise TrajectoryError(f"{where}: an OEM starts with CCSDS_OEM_VERS, not {inert(key, 40)}")
            raw.version = _Field(value.strip(), number)
            state = "header"
        elif state == "header":
            _put(raw.header, key, value, number, source)
        else:
            assert segment is not None
            _put(segment.metadata, key, value, number, source)
    if state == "start":
        raise TrajectoryError(f"{source}: empty, or not an OEM (no CCSDS_OEM_VERS line)")
    if state in ("metadata", "covariance"):
        end = "META_STOP" if state == "metadata" else "COVARIANCE_STOP"
        raise TrajectoryError(f"{source}: ends before {end}")
    return raw


def _unexpected(state: str) -> str:
    return {
        "header": "before any META_START",
        "metadata": "inside a metadata block (no META_STOP)",
        "data": "outside a metadata block",
    }.get(state, "out of place")


class _Node:
    """One XML element: its local name, line, attributes, children and text."""

    __slots__ = ("attributes", "children", "line", "tag", "text")

    def __init__(self, tag: str, line: int, attributes: dict[str, str]) -> None:
        self.tag, self.line, self.attributes = tag, line, attributes
        self.children: list[_Node] = []
        self.text: list[str] = []

    def value(self) -> str:
        return "".join(self.text).strip()

    def line_value(self) -> str:
        """The text on one line, as a KVN comment holds it."""
        return " ".join(self.value().splitlines())


class _Refused(Exception):
    """Something an OEM has no use for and isspass will not process (a DTD, entities, deep nesting)."""


def _xml_tree(data: bytes, source: str) -> _Node:
    """The document as a small tree with line numbers; DTDs (hence entities) refused outright."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Node] = []
    roots: list[_Node] = []

    def refuse(*_: object) -> None:
        raise _Refused("a DOCTYPE or an entity declaration (not accepted in an OEM)")

    def start(name: str, attributes: dict[str, str]) -> None:
        if len(stack) >= _MAX_XML_DEPTH:
            raise _Refused(f"elements nested more than {_MAX_XML_DEPTH} deep")
        node = _Node(name.rpartition("}")[2].rpartition(":")[2], parser.CurrentLineNumber, attributes)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(_: str) -> None:
        stack.pop()

    def characters(text: str) -> None:
        if stack:
            stack[-1].text.append(text)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise TrajectoryError(f"{source}, line {parser.CurrentLineNumber}: {exc}") from None
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code)  # type: ignore[attr-defined]
        raise TrajectoryError(f"{source}, line {exc.lineno}: not well-formed XML ({reason})") from None
    return roots[0]


def _read_xml(data: bytes, source: str) -> _Raw:
    """The XML form: <oem> (alone or in an <ndm>) with a header and a body of segments."""
    root = _xml_tree(data, source)
    oem = root
    if root.tag == "ndm":
        found = [child for child in root.children if child.tag == "oem"]
        if len(found) != 1:
            raise TrajectoryError(
                f"{source}, line {root.line}: expected one <oem> in the <ndm>, found {len(found)}"
            )
        oem = found[0]
    if oem.tag != "oem":
        raise TrajectoryError(f"{source}, line {oem.line}: <{inert(oem.tag, 40)}> is not an OEM")
    raw = _Raw(version=_Field(oem.attributes.get("version", ""), oem.line))
    for part in oem.children:
        if part.tag == "header":
            _xml_fields(part, raw.header, raw.comments, source)
        elif part.tag == "body":
            for node in part.children:
                if node.tag != "segment":
                    continue
                if len(raw.segments) >= MAX_SEGMENTS:
                    raise TrajectoryError(f"{source}, line {node.line}: more than {MAX_SEGMENTS} segments")
                raw.segments.append(_xml_segment(node, source))
    return raw


def _xml_fields(node: _Node, fields: dict[str, _Field], comments: list[str], source: str) -> None:
    for child in node.children:
        if child.tag == "COMMENT":
            comments.append(child.line_value())
        elif not child.children:
            _put(fields, child.tag, child.value(), child.line, source)


def _xml_segment(node: _Node, source: str) -> _RawSegment:
    segment = _RawSegment(node.line)
    for part in node.children:
        if part.tag == "metadata":
            _xml_fields(part, segment.metadata, segment.comments, source)
        elif part.tag == "data":
            for child in part.children:
                if child.tag == "COMMENT":
                    segment.comments.append(child.line_value())
                elif child.tag == "stateVector":
                    segment.rows.append((child.line, _xml_vector(child, source)))
    return segment


def _xml_vector(node: _Node, source: str) -> list[str]:
    values: dict[str, str] = {}
    for child in node.children:
        if child.tag not in ("EPOCH", *_VECTOR_FIELDS, *_ACCELERATIONS):
            raise TrajectoryError(
                f"{source}, line {child.line}: <{inert(child.tag, 40)}> has no place in a stateVector"
            )
        if child.tag in values:
            raise TrajectoryError(f"{source}, line {child.line}: <{child.tag}> given twice")
        unit = child.attributes.get("units")
        if unit is not None and unit not in ("km", "km/s", "km/s**2"):
            raise TrajectoryError(
                f"{source}, line {child.line}: <{child.tag}> in {inert(unit, 20)!r}: OEMs give km and km/s"
            )
        values[child.tag] = child.value()
    missing = [name for name in ("EPOCH", *_VECTOR_FIELDS) if name not in values]
    if missing:
        raise TrajectoryError(f"{source}, line {node.line}: the stateVector has no {', '.join(missing)}")
    return [values[name] for name in ("EPOCH", *_VECTOR_FIELDS)]


# --------------------------------------------------------------------------- validation


def parse_time(text: str, where: str) -> float:
    """A CCSDS time (``2025-057T12:00:00.000Z`` or ``2025-02-26T12:00:00Z``) as UTC POSIX seconds."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise TrajectoryError(f"{where}: {inert(text, 40)!r} is not a time (e.g. 2025-057T12:00:00.000Z)")
    year, month, day, doy, hour, minute, second, fraction = match.groups()
    try:
        if doy is not None:
            if not 1 <= int(doy) <= (366 if calendar.isleap(int(year)) else 365):
                raise ValueError("day of year")
            when = date(int(year), 1, 1) + timedelta(days=int(doy) - 1)
        else:
            when = date(int(year), int(month), int(day))
        if int(hour) > 23 or int(minute) > 59 or int(second) > 59:
            raise ValueError("time of day")
    except ValueError:
        raise TrajectoryError(f"{where}: {inert(text, 40)!r} is not a valid date and time") from None
    if not 1957 <= when.year <= 2100:
        raise TrajectoryError(f"{where}: {inert(text, 40)!r} is outside 1957..2100")
    whole = calendar.timegm((when.year, when.month, when.day, int(hour), int(minute), int(second)))
    return whole + (float(fraction) if fraction else 0.0)


def _time(fields: dict[str, _Field], key: str, source: str) -> float:
    item = fields[key]
    return parse_time(item.value, f"{source}, line {item.line}: {key}")


def _text(fields: dict[str, _Field], key: str, source: str, required: bool = True) -> str:
    item = fields.get(key)
    if item is None:
        if required:
            raise TrajectoryError(f"{source}: no {key}")
        return ""
    value = item.value
    if not value.isprintable() or len(value) > MAX_FIELD_CHARS:
        raise TrajectoryError(
            f"{source}, line {item.line}: {key} {inert(value, 40)!r} has control characters "
            f"or more than {MAX_FIELD_CHARS} characters"
        )
    return value


def _validate(raw: _Raw, source: str) -> Ephemeris:
    if raw.version is None or not _VERSION.fullmatch(raw.version.value):
        line = raw.version.line if raw.version else 1
        shown = inert(raw.version.value, 20) if raw.version else ""
        raise TrajectoryError(f"{source}, line {line}: CCSDS_OEM_VERS {shown!r} is not an OEM version")
    if "CREATION_DATE" not in raw.header:
        raise TrajectoryError(f"{source}: no CREATION_DATE in the header")
    created = utc_from_posix(_time(raw.header, "CREATION_DATE", source))
    originator = _text(raw.header, "ORIGINATOR", source)
    if not raw.segments:
        raise TrajectoryError(f"{source}: no segment (META_START … META_STOP and state vectors)")
    segments = tuple(_segment(segment, source) for segment in raw.segments)
    for before, after, raw_after in zip(segments, segments[1:], raw.segments[1:], strict=False):
        where = f"{source}, line {raw_after.line}"
        if after.object_id != before.object_id:
            raise TrajectoryError(
                f"{where}: the segment is for {inert(after.object_id, 40)}, the ones before for "
                f"{inert(before.object_id, 40)}"
            )
        if after.useable_start < before.useable_stop:
            raise TrajectoryError(
                f"{where}: the segment starts at {after.useable_start:%Y-%m-%d %H:%M:%S}, before the "
                f"previous one ends ({before.useable_stop:%Y-%m-%d %H:%M:%S}): segments must be in order"
            )
    comments = [*raw.comments, *(c for segment in segments for c in segment.comments)]
    events = parse_event_summary(comments, segments[0].useable_start)
    return Ephemeris(
        version=raw.version.value,
        created=created,
        originator=originator,
        segments=segments,
        events=events,
        source=source,
        comments=tuple(raw.comments),
    )


def _segment(raw: _RawSegment, source: str) -> EphemerisSegment:
    where = f"{source}, line {raw.line}"
    meta = raw.metadata
    for key in _REQUIRED_METADATA:
        if key not in meta:
            raise TrajectoryError(f"{where}: the segment's metadata has no {key}")
    center = _text(meta, "CENTER_NAME", source).upper()
    frame = _text(meta, "REF_FRAME", source).upper()
    system = _text(meta, "TIME_SYSTEM", source).upper()
    for key, value, allowed in (
        ("CENTER_NAME", center, ("EARTH",)),
        ("REF_FRAME", frame, FRAMES),
        ("TIME_SYSTEM", system, ("UTC",)),
    ):
        if value not in allowed:
            raise TrajectoryError(
                f"{source}, line {meta[key].line}: {key} {inert(value, 40)} is not supported "
                f"({', '.join(allowed)})"
            )
    start, stop = _time(meta, "START_TIME", source), _time(meta, "STOP_TIME", source)
    useable_start = _time(meta, "USEABLE_START_TIME", source) if "USEABLE_START_TIME" in meta else start
    useable_stop = _time(meta, "USEABLE_STOP_TIME", source) if "USEABLE_STOP_TIME" in meta else stop
    if not start <= useable_start < useable_stop <= stop:
        raise TrajectoryError(
            f"{where}: the times are out of order "
            "(START_TIME ≤ USEABLE_START_TIME < USEABLE_STOP_TIME ≤ STOP_TIME)"
        )
    interpolation, degree = _interpolation(meta, source)
    epochs, vectors = _vectors(raw, source)
    _check_span(raw, epochs, start, stop, useable_start, useable_stop, source)
    position, velocity = vectors[:3], vectors[3:]
    _check_physics(raw, epochs, position, velocity, source)
    return EphemerisSegment(
        object_name=_text(meta, "OBJECT_NAME", source),
        object_id=_text(meta, "OBJECT_ID", source),
        center_name=center,
        ref_frame=frame,
        time_system=system,
        start=utc_from_posix(start),
        stop=utc_from_posix(stop),
        useable_start=utc_from_posix(useable_start),
        useable_stop=utc_from_posix(useable_stop),
        interpolation=interpolation,
        interpolation_degree=degree,
        epochs_s=epochs,
        position_km=position,
        velocity_km_s=velocity,
        comments=tuple(raw.comments),
    )


def _interpolation(meta: dict[str, _Field], source: str) -> tuple[str | None, int | None]:
    method = _text(meta, "INTERPOLATION", source, required=False).upper() or None
    if method is not None and method not in INTERPOLATIONS:
        raise TrajectoryError(
            f"{source}, line {meta['INTERPOLATION'].line}: INTERPOLATION {inert(method, 40)} is not "
            f"supported ({', '.join(INTERPOLATIONS)})"
        )
    degree = None
    if "INTERPOLATION_DEGREE" in meta:
        item = meta["INTERPOLATION_DEGREE"]
        if not (
            item.value.isascii() and item.value.isdigit() and 1 <= int(item.value) <= MAX_INTERPOLATION_DEGREE
        ):
            raise TrajectoryError(
                f"{source}, line {item.line}: INTERPOLATION_DEGREE {inert(item.value, 20)!r} is not "
                f"a whole number from 1 to {MAX_INTERPOLATION_DEGREE}"
            )
        degree = int(item.value)
    return method, degree


def _vectors(raw: _RawSegment, source: str) -> tuple[np.ndarray, np.ndarray]:
    """Epochs (POSIX s) and the (6, n) state vectors of a segment's rows, every number checked."""
    if len(raw.rows) < 2:
        raise TrajectoryError(
            f"{source}, line {raw.line}: the segment has {len(raw.rows)} state vectors, at least 2 are needed"
        )
    epochs = np.empty(len(raw.rows))
    values = np.empty((6, len(raw.rows)))
    for index, (line, tokens) in enumerate(raw.rows):
        where = f"{source}, line {line}"
        epochs[index] = parse_time(tokens[0], where)
        for row, (name, token) in enumerate(zip(_VECTOR_FIELDS, tokens[1:], strict=True)):
            if not _NUMBER.fullmatch(token):
                raise TrajectoryError(f"{where}: {name} {inert(token, 30)!r} is not a number")
            values[row, index] = float(token)
        if index and epochs[index] <= epochs[index - 1]:
            raise TrajectoryError(f"{where}: the epoch {inert(tokens[0], 40)} does not follow the one before")
    return epochs, values


def _check_span(
    raw: _RawSegment, epochs: np.ndarray, start: float, stop: float, first: float, last: float, source: str
) -> None:
    """Vectors inside START…STOP, and around the whole useable span (no extrapolation)."""
    outside = np.flatnonzero((epochs < start - _EPOCH_SLACK_S) | (epochs > stop + _EPOCH_SLACK_S))
    if outside.size:
        line = raw.rows[int(outside[0])][0]
        raise TrajectoryError(f"{source}, line {line}: the epoch lies outside START_TIME … STOP_TIME")
    if epochs[0] > first + _EPOCH_SLACK_S or epochs[-1] < last - _EPOCH_SLACK_S:
        raise TrajectoryError(
            f"{source}, line {raw.line}: the state vectors do not reach the ends of the useable span "
            f"({utc_from_posix(first):%Y-%m-%d %H:%M:%S} … {utc_from_posix(last):%Y-%m-%d %H:%M:%S} UTC)"
        )


def _check_physics(
    raw: _RawSegment, epochs: np.ndarray, position: np.ndarray, velocity: np.ndarray, source: str
) -> None:
    """Orbits about the Earth, above its surface, with vectors close enough to interpolate."""
    radius = np.sqrt(np.sum(position**2, axis=0))
    speed = np.sqrt(np.sum(velocity**2, axis=0))
    energy = speed**2 / 2 - MU_KM3_S2 / radius

    def fail(index: int, why: str) -> TrajectoryError:
        return TrajectoryError(f"{source}, line {raw.rows[index][0]}: {why}")

    for test, why in (
        (radius < _EARTH_RADIUS_KM, "the position is inside the Earth"),
        (radius > _MAX_RADIUS_KM, f"the position is more than {_MAX_RADIUS_KM:g} km from the Earth"),
        (speed > _MAX_SPEED_KM_S, f"the speed is more than {_MAX_SPEED_KM_S:g} km/s"),
        (energy >= 0, "the state vector is not on a closed orbit"),
    ):
        bad = np.flatnonzero(test)
        if bad.size:
            raise fail(int(bad[0]), why)
    period = 2 * math.pi * np.sqrt((-MU_KM3_S2 / (2 * energy)) ** 3 / MU_KM3_S2)
    gaps = np.diff(epochs)
    allowed = MAX_GAP_ORBITS * np.minimum(period[:-1], period[1:])
    wide = np.flatnonzero(gaps > allowed)
    if wide.size:
        index = int(wide[0]) + 1
        raise fail(
            index,
            f"{gaps[index - 1]:.0f} s after the vector before: more than 1/{round(1 / MAX_GAP_ORBITS)} of an "
            "orbit, too far apart to interpolate",
        )


# --------------------------------------------------------------------------- writing


def format_time(when: datetime | float) -> str:
    """A CCSDS day-of-year time as NASA writes it, to the millisecond (or microsecond when needed)."""
    if not isinstance(when, datetime):
        when = utc_from_posix(float(when))
    when = when.astimezone(timezone.utc)
    text = when.strftime("%Y-%jT%H:%M:%S")
    fraction = f"{when.microsecond:06d}"
    return f"{text}.{fraction[:3] if fraction.endswith('000') else fraction}Z"


def write_oem_kvn(ephemeris: Ephemeris) -> str:
    """The ephemeris as a KVN OEM that :func:`parse_oem` reads back to the same numbers.

    Numbers are written with Python's shortest exact representation; comments and
    metadata as they were read.
    """
    lines = [f"CCSDS_OEM_VERS = {ephemeris.version}"]
    lines += [f"COMMENT {comment}".rstrip() for comment in ephemeris.comments]
    lines += [f"CREATION_DATE = {format_time(ephemeris.created)}", f"ORIGINATOR = {ephemeris.originator}"]
    for segment in ephemeris.segments:
        lines += ["", "META_START", f"OBJECT_NAME = {segment.object_name}",
                  f"OBJECT_ID = {segment.object_id}",
                  f"CENTER_NAME = {segment.center_name}", f"REF_FRAME = {segment.ref_frame}",
                  f"TIME_SYSTEM = {segment.time_system}", f"START_TIME = {format_time(segment.start)}",
                  f"USEABLE_START_TIME = {format_time(segment.useable_start)}",
                  f"USEABLE_STOP_TIME = {format_time(segment.useable_stop)}",
                  f"STOP_TIME = {format_time(segment.stop)}"]  # fmt: skip
        if segment.interpolation is not None:
            lines.append(f"INTERPOLATION = {segment.interpolation}")
        if segment.interpolation_degree is not None:
            lines.append(f"INTERPOLATION_DEGREE = {segment.interpolation_degree}")
        lines += ["META_STOP", ""]
        lines += [f"COMMENT {comment}".rstrip() for comment in segment.comments]
        rows = np.vstack([segment.position_km, segment.velocity_km_s]).T.tolist()
        for epoch, row in zip(segment.epochs_s.tolist(), rows, strict=True):
            lines.append(" ".join([format_time(epoch), *(repr(value) for value in row)]))
    return "\n".join(lines) + "\n"
